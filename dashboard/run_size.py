"""Refuse a run too big for the machine before any of it is allocated, and say what fits.

Every setting can be within its own bounds while together they ask for tens of GB (a batch
of 4096 windows of 400 steps through 4 layers of 512 units): allocated a step at a time, the
operating system would kill the server and every user's runs with it. The engine says how
much a run takes (``rnn_core.memory``); this module holds the limit and the advice.
"""

from __future__ import annotations

from rnn_core.config import RNNConfig
from rnn_core.datasets import SequenceData
from rnn_core.memory import training_bytes

# What one run's arrays may take: a classroom shares one machine (24 GB here), and a run
# that needs more takes seconds per step, too slow to watch live anyway.
RUN_MEMORY_LIMIT = 2 * 10**9


def too_big(model: RNNConfig, batch_size: int, data: SequenceData) -> str | None:
    """Why the run does not fit (the memory it needs, the largest batch that fits), or None."""
    length, n_train = data.X_train.shape[1], len(data.X_train)
    sizes = {"length": length, "n_train": n_train, "n_val": len(data.X_val)}
    need = training_bytes(model, batch=batch_size, **sizes)
    if need <= RUN_MEMORY_LIMIT:
        return None
    batch = min(batch_size, n_train)
    fits = next(
        (
            b
            for b in range(batch - 1, 0, -1)
            if training_bytes(model, batch=b, **sizes) <= RUN_MEMORY_LIMIT
        ),
        None,
    )
    advice = (
        f"a batch size of {fits:,} fits"
        if fits
        else "even a batch of 1 does not fit: use fewer hidden units or layers, or shorter windows"
    )
    layers = "layer" if model.num_layers == 1 else "layers"
    return (
        f"this run would need about {need / 1e9:.1f} GB of memory (batches of {batch:,} "
        f"windows × {length} steps × {model.hidden_size} units × {model.num_layers} {layers}), "
        f"and a run may use {RUN_MEMORY_LIMIT / 1e9:.0f} GB; with these settings {advice}"
    )
