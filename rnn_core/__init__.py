"""rnn_core: an exact, fast, instrumented vanilla RNN in pure NumPy.

``RNN`` is the model, ``Trainer`` trains it with a divergence guard, ``datasets`` builds the
training data, ``diagnostics`` measures what a teacher wants to show, ``gradcheck`` verifies
gradients by finite differences. ``Workspace`` is reusable memory for repeated training steps.
"""

from . import datasets, diagnostics, flat, gradcheck
from .activations import ACTIVATIONS, Activation, get_activation
from .checkpoint import CheckpointError, load_checkpoint, save_checkpoint
from .config import RNNConfig
from .init import INITS
from .model import RNN, LossAndGrads
from .optim import SGD, Adam, Clipping, RMSprop, clip_grad_norm, clip_grad_value, make_optimizer
from .trainer import DivergenceReport, Trainer
from .workspace import Workspace

__all__ = [
    "ACTIVATIONS",
    "INITS",
    "RNN",
    "SGD",
    "Activation",
    "Adam",
    "CheckpointError",
    "Clipping",
    "DivergenceReport",
    "LossAndGrads",
    "RMSprop",
    "RNNConfig",
    "Trainer",
    "Workspace",
    "clip_grad_norm",
    "clip_grad_value",
    "datasets",
    "diagnostics",
    "flat",
    "get_activation",
    "gradcheck",
    "load_checkpoint",
    "make_optimizer",
    "save_checkpoint",
]
