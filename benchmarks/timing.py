"""Timing helpers for the benchmarks: samples long enough to beat timer noise, interleaved.

The machine is shared and noisy, so variants are measured round by round (one sample of each
per round) and compared by medians of per-round ratios.
"""

from __future__ import annotations

import math
import time
from collections.abc import Callable, Sequence
from statistics import median


def calls_per_sample(fn: Callable[[], object], min_sample: float) -> int:
    """Calls that make one sample last ``min_sample``: a single µs call is mostly timer noise.

    The measuring call doubles as the warm-up (first-touch allocations, caches).
    """
    start = time.perf_counter()
    fn()
    elapsed = time.perf_counter() - start
    return max(1, math.ceil(min_sample / max(elapsed, 1e-9)))


def interleaved(
    variants: dict[str, Callable[[], object]], repeats: int, min_sample: float
) -> dict[str, list[float]]:
    """Seconds per call of every variant, one sample of each per round.

    Load on this machine drifts by ±50 % within a run; taking the variants in turn within each
    round exposes them to the same drift, so round-by-round ratios stay meaningful.
    """
    calls = {name: calls_per_sample(fn, min_sample) for name, fn in variants.items()}
    samples: dict[str, list[float]] = {name: [] for name in variants}
    for _ in range(repeats):
        for name, fn in variants.items():
            start = time.perf_counter()
            for _ in range(calls[name]):
                fn()
            samples[name].append((time.perf_counter() - start) / calls[name])
    return samples


def paired_ratio(numerator: Sequence[float], denominator: Sequence[float]) -> float:
    """Median of the per-round ratios: cancels drift that a ratio of medians would keep."""
    return median(a / b for a, b in zip(numerator, denominator, strict=True))


def fmt_time(seconds: float) -> str:
    """Seconds with a unit that keeps 3 significant digits readable."""
    for unit, scale in (("s", 1.0), ("ms", 1e-3), ("µs", 1e-6)):
        if seconds >= scale:
            return f"{seconds / scale:.3g} {unit}"
    return f"{seconds / 1e-9:.3g} ns"
