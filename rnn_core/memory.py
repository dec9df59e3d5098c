"""How much memory a training run takes, known before any of it is allocated.

A run's big arrays grow with batch × length × hidden units × layers, and a browser can ask for
4096 windows of 400 steps through 4 layers of 512 units: tens of GB, more than the machine
has, allocated a step at a time until the operating system kills the server. An app asks
``training_bytes`` first and refuses such a run with the reason.

The counts follow the arrays of ``recurrence.DirectionCache``, ``recurrence.BackwardBuffers``
and ``workspace.Workspace``; a test measures a real run against them.
"""

from __future__ import annotations

import numpy as np

from .config import RNNConfig

EVAL_WINDOWS = 4096  # windows per prediction chunk when evaluating a small model
EVAL_BYTES = 256 * 2**20  # at most this much per chunk for a large one


def forward_bytes(config: RNNConfig, batch: int, length: int) -> int:
    """Arrays one forward pass of ``batch`` windows keeps for the backward pass.

    Per direction: the inputs with a column of ones ``(T, B, D+1)``, the states ``(T+1, B, H)``,
    the pre-activations ``(T, B, H)`` and a ``(B, H)`` product; a bidirectional layer also
    joins its two directions ``(T, B, 2H)``; then the read-out.
    """
    B, T, H = batch, length, config.hidden_size
    items = 0
    for layer in range(config.num_layers):
        D = config.layer_input_size(layer)
        per_direction = T * B * (D + 1) + (T + 1) * B * H + T * B * H + B * H
        items += per_direction * len(config.directions)
        if config.bidirectional:
            items += T * B * config.feature_size
    items += (T if config.many_to_many else 1) * B * config.output_size
    return items * np.dtype(config.dtype).itemsize


def eval_chunk(config: RNNConfig, length: int) -> int:
    """How many windows to predict at once: ``EVAL_WINDOWS``, fewer if that needs > EVAL_BYTES.

    Small models predict a whole validation set in one call (the time loop's calls are then
    few); 4096 windows of 400 steps through 512 units would need 13 GB.
    """
    return max(1, min(EVAL_WINDOWS, EVAL_BYTES // forward_bytes(config, 1, length)))


def step_bytes(config: RNNConfig, batch: int, length: int) -> int:
    """A training step's workspace: the forward arrays, f'(z), ∂L/∂z and ∂L/∂h per step."""
    backward = 3 * length * batch * config.hidden_size * len(config.directions)
    errors = (length if config.many_to_many else 1) * batch * config.output_size
    itemsize = np.dtype(config.dtype).itemsize
    return forward_bytes(config, batch, length) + (backward * config.num_layers + errors) * itemsize


def training_bytes(
    config: RNNConfig, *, batch: int, length: int, n_train: int, n_val: int = 0
) -> int:
    """Peak memory of a ``Trainer`` on ``n_train`` windows of ``length`` steps, data aside.

    A workspace for the batch size and one for the epoch's shorter last batch, the shuffled
    copy of the training windows, and a validation pass in chunks of ``eval_chunk`` windows.
    """
    batch = min(batch, n_train)
    last = n_train % batch
    total = step_bytes(config, batch, length) + (step_bytes(config, last, length) if last else 0)
    targets = (length if config.many_to_many else 1) * config.output_size
    shuffled = n_train * (length * config.input_size + targets) * np.dtype(config.dtype).itemsize
    evaluation = forward_bytes(config, min(eval_chunk(config, length), n_val), length)
    return total + shuffled + evaluation
