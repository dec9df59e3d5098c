"""Preallocated memory for training steps of one model at one (batch, length) shape.

On small models each NumPy call costs about a microsecond whatever its size, and a training
step that allocates its ~20 arrays afresh spends as long allocating as computing. A trainer
keeps one ``Workspace`` per batch shape and passes it to ``RNN.loss_and_grads``; every step
then overwrites the same memory. What such a call returns (gradients, diagnostics) is valid
until the next call with the same workspace.
"""

from __future__ import annotations

import numpy as np

from . import flat
from .config import RNNConfig, direction_key, param_name, parameter_shapes
from .recurrence import BackwardBuffers, DirectionCache

Array = np.ndarray


def input_maps(vector: Array, config: RNNConfig) -> dict[str, Array]:
    """``[W_xh; b_h]`` ``(D+1, H)`` of every direction, as views into a flat ``vector``.

    The same views serve the parameters and, on a gradient vector, their gradients.
    """
    shapes = parameter_shapes(config)
    return {
        direction_key(layer, reverse): flat.stacked(
            vector, shapes, param_name("W_xh", layer, reverse), param_name("b_h", layer, reverse)
        )
        for layer in range(config.num_layers)
        for reverse in config.directions
    }


def time_major(Y: Array) -> Array:
    """Targets laid out like the read-out: ``(T, B, O)`` (a view) or ``(B, O)`` as they are."""
    return Y.transpose(1, 0, 2) if Y.ndim == 3 else Y


class Workspace:
    """Every array one forward + backward pass needs, for batches of ``batch`` × ``length``."""

    def __init__(self, config: RNNConfig, dtype: np.dtype, batch: int, length: int) -> None:
        B, T, H, O = batch, length, config.hidden_size, config.output_size
        self.shape = (batch, length)
        self.caches: dict[str, DirectionCache] = {}
        self.backward: dict[str, BackwardBuffers] = {}
        for layer in range(config.num_layers):
            for reverse in config.directions:
                key = direction_key(layer, reverse)
                D = config.layer_input_size(layer)
                self.caches[key] = DirectionCache(T, B, D, H, dtype)
                self.backward[key] = BackwardBuffers(T, B, H, dtype)
        shapes = parameter_shapes(config)
        self.grad_vector = np.empty(flat.size_of(shapes), dtype)  # every gradient, flat
        self.grads = flat.views(self.grad_vector, shapes)  # named views into grad_vector
        self.input_map_grads = input_maps(self.grad_vector, config)  # [dW_xh; db_h] views
        many = config.many_to_many
        self.outputs = np.empty((T, B, O) if many else (B, O), dtype)  # head output, time-major
        # ŷ − y, then ∂L/∂ŷ: time-major like the read-out, so that the head's gradient products
        # read it in place; ``errors_like_y`` is the same memory shaped like the targets.
        self.errors = np.empty((T, B, O) if many else (B, O), dtype)
        self.errors_like_y = self.errors.transpose(1, 0, 2) if many else self.errors
        self.outputs_like_y = self.outputs.transpose(1, 0, 2) if many else self.outputs
        # The same memory as rows (samples, or (time, sample) pairs) for the head's products.
        self.output_rows = self.outputs.reshape(-1, O)  # (T·B, O) or (B, O)
        self.error_rows = self.errors.reshape(-1, O)
        if many:  # what the read-out sends back to the top layer's states, (T, B, F)
            top_layer = config.num_layers - 1
            top = [self.backward[direction_key(top_layer, r)] for r in config.directions]
            self.head_to_states = (
                top[0].dstates if len(top) == 1 else np.empty((T, B, len(top) * H), dtype)
            )
            self.head_to_state_rows = self.head_to_states.reshape(T * B, -1)  # (T·B, F)
        # db_y = 1ᵀ dŶ over the read-out's rows: one BLAS call, faster than a sum when small.
        self.ones = np.ones(T * B if many else B, dtype)

    def check_fits(self, X: Array) -> None:
        """A ValueError naming both shapes unless this workspace was made for batches like ``X``."""
        B, T, _ = X.shape
        if self.shape != (B, T):
            raise ValueError(f"this workspace is for batches of shape {self.shape}; X has {(B, T)}")
