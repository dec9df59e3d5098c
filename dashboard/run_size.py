"""Refuse a run too big or too slow for the machine before any of it is spent; say what fits.

Every setting can be within its own bounds while together they ask for hundreds of GB (a batch
of 4096 windows of 400 steps through 4 layers of 512 units): allocated a step at a time, the
operating system would kill the server and every user's runs with it. Smaller, such a model
still fits in memory and takes minutes per step: the page waits on the training thread, its
tab looks closed to the reaper, and nothing is there to watch. The engine says what a run
costs (``rnn_core.cost``); this module holds the limits and the advice.
"""

from __future__ import annotations

from rnn_core.config import RNNConfig
from rnn_core.cost import forward_flops, step_flops, training_bytes
from rnn_core.datasets import SequenceData

# What one run's arrays may take: a classroom shares one machine (24 GB here).
RUN_MEMORY_LIMIT = 2 * 10**9
# Operations per second a run can count on here: one core's matrix products reach 26–54
# GFLOP/s on this workload (benchmarks/RESULTS.md), and the page and the browser share it.
ASSUMED_FLOPS = 20e9
STEP_SECONDS = 2.0  # a step slower than this is not training you can watch
VALIDATION_SECONDS = 15.0  # the page waits while the training thread validates


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


def too_slow(model: RNNConfig, batch_size: int, data: SequenceData) -> str | None:
    """Why the run would be too slow to watch (its step or its validation pass), or None."""
    length, n_train, n_val = data.X_train.shape[1], len(data.X_train), len(data.X_val)
    step = step_flops(model, min(batch_size, n_train), length) / ASSUMED_FLOPS
    validation = forward_flops(model, n_val, length) / ASSUMED_FLOPS
    if step <= STEP_SECONDS and validation <= VALIDATION_SECONDS:
        return None
    if step > STEP_SECONDS:
        slow = f"one training step would take about {step:,.0f} s"
        advice = "use fewer hidden units or layers, shorter windows or a smaller batch"
    else:
        slow = (
            f"each validation pass over its {n_val:,} windows would take about {validation:,.0f} s"
        )
        advice = "use fewer sequences (or fewer hidden units or layers, or shorter windows)"
    return f"{slow} on this machine, too slow to watch live; {advice}"
