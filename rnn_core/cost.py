"""What a training run costs, memory and arithmetic, known before any of it is spent.

A run's big arrays and products grow with batch × length × hidden units × layers, and a
browser can ask for 4096 windows of 400 steps through 4 layers of 512 units: hundreds of GB, more
than the machine has, allocated a step at a time until the operating system kills the
server; or a run that fits in memory but takes minutes for one step. An app asks
``training_bytes``, ``step_flops`` and ``forward_flops`` first and refuses such a run with the
reason.

The byte counts follow the arrays of ``recurrence.DirectionCache``,
``recurrence.BackwardBuffers`` and ``workspace.Workspace``; a test measures a real run
against them.
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


# Above this, a trainer keeps one shuffled batch-major copy of its windows instead of the two
# time-major copies that make each minibatch's copy contiguous (``minibatches``).
STAGED_EPOCH_BYTES = 64 * 2**20


def staged_epoch_bytes(config: RNNConfig, length: int, n_train: int) -> int:
    """Two time-major copies of the training windows (as given and shuffled).

    Inputs as ``[x_t, 1]`` rows; many-to-one targets need no new layout, so only their
    shuffled copy counts.
    """
    inputs = 2 * length * (config.input_size + 1)
    targets = (2 * length if config.many_to_many else 1) * config.output_size
    return n_train * (inputs + targets) * np.dtype(config.dtype).itemsize


def stages_epoch(config: RNNConfig, length: int, n_train: int) -> bool:
    """Whether a trainer keeps these windows time-major (two copies) rather than as given."""
    return staged_epoch_bytes(config, length, n_train) <= STAGED_EPOCH_BYTES


def epoch_bytes(config: RNNConfig, length: int, n_train: int) -> int:
    """What a trainer keeps to shuffle its windows into: staged if small, else one copy."""
    if stages_epoch(config, length, n_train):
        return staged_epoch_bytes(config, length, n_train)
    targets = (length if config.many_to_many else 1) * config.output_size
    return n_train * (length * config.input_size + targets) * np.dtype(config.dtype).itemsize


def training_bytes(
    config: RNNConfig, *, batch: int, length: int, n_train: int, n_val: int = 0
) -> int:
    """Peak memory of a ``Trainer`` on ``n_train`` windows of ``length`` steps, data aside.

    A workspace for the batch size and one for the epoch's shorter last batch, what the
    training windows are shuffled into (``epoch_bytes``) and a validation pass in chunks of
    ``eval_chunk`` windows.
    """
    batch = min(batch, n_train)
    last = n_train % batch
    total = step_bytes(config, batch, length) + (step_bytes(config, last, length) if last else 0)
    epoch = epoch_bytes(config, length, n_train)
    evaluation = forward_bytes(config, min(eval_chunk(config, length), n_val), length)
    return total + epoch + evaluation


def forward_flops(config: RNNConfig, windows: int, length: int) -> int:
    """Floating-point operations of one forward pass: the products, 2 per multiply-add.

    Per layer, direction and step: ``[x_t, 1] @ [W_xh; b_h]`` and ``h @ W_hh``, that is
    2 · windows · H · (D + 1 + H); the read-out is one small product more.
    """
    H = config.hidden_size
    per_step = sum(
        2 * windows * H * (config.layer_input_size(layer) + 1 + H) * len(config.directions)
        for layer in range(config.num_layers)
    )
    readout = 2 * windows * config.feature_size * config.output_size
    return length * per_step + (length if config.many_to_many else 1) * readout


def step_flops(config: RNNConfig, batch: int, length: int) -> int:
    """A training step's operations: the forward pass and a backward pass of twice its work.

    Backward multiplies by every weight matrix twice, once for ∂L/∂h and once for ∂L/∂W.
    """
    return 3 * forward_flops(config, batch, length)
