"""Gradient Lab benchmark: how long the instant lab takes to redraw after a slider moves.

The redraw is ``rnn_core.lab.measure`` (build the model, one forward/backward on a batch,
spectrum, connectivity) plus building the four figures. Target: ≤ 300 ms for T ≤ 200,
H ≤ 128 on this 2-core machine. Prints Markdown tables; medians over repeats.

Run: ``.venv/bin/python benchmarks/bench_lab.py [--quick]``
"""

from __future__ import annotations

import argparse
import sys
import time
from pathlib import Path
from statistics import median

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))  # the repo's packages

from benchmarks.report import Target, print_table, print_targets
from dashboard import lab_figures
from rnn_core.lab import measure
from rnn_core.runtime import blas_threads

TARGET_SECONDS = 0.3
SETTINGS = (
    ("tanh", "torch_uniform", None),
    ("sigmoid", "xavier", None),
    ("relu", "identity", None),
    ("linear", "orthogonal", 1.2),
    ("swish", "orthogonal", 0.9),
)
SIZES = ((50, 32), (200, 32), (100, 128), (200, 128))


def redraw(length: int, hidden: int, activation: str, init: str, rho: float | None) -> None:
    """What one slider move costs: the measurement and the four figures."""
    m = measure(
        length=length, hidden_size=hidden, activation=activation, init=init, spectral_radius=rho
    )
    lab_figures.reach_figure(m)
    lab_figures.spectrum_figure(m)
    lab_figures.saturation_figure(m.fprime_map, m.gamma)
    lab_figures.connectivity_figure(m.connectivity)


def timed(repeats: int, *args) -> float:
    """Median seconds of ``redraw(*args)`` after one warm-up call."""
    redraw(*args)
    samples = []
    for _ in range(repeats):
        start = time.perf_counter()
        redraw(*args)
        samples.append(time.perf_counter() - start)
    return median(samples)


def main(argv: list[str] | None = None) -> None:
    """Time every size × setting, print the table and the target."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--quick", action="store_true", help="fewer repeats")
    args = parser.parse_args(argv)
    repeats = 3 if args.quick else 9
    started = time.perf_counter()
    print("# Gradient Lab benchmark\n\n- command: `python benchmarks/bench_lab.py`")
    rows, worst = [], 0.0
    with blas_threads(1):
        for length, hidden in SIZES:
            for activation, init, rho in SETTINGS:
                seconds = timed(repeats, length, hidden, activation, init, rho)
                worst = max(worst, seconds) if length <= 200 and hidden <= 128 else worst
                rows.append(
                    [
                        str(length),
                        str(hidden),
                        activation,
                        init,
                        str(rho or "–"),
                        f"{seconds * 1e3:.0f} ms",
                    ]
                )
    print_table(
        "Instant lab redraw (measurement + four figures), median",
        ["T", "H", "activation", "init", "ρ", "time"],
        rows,
    )
    print_targets(
        [
            Target(
                "instant lab redraw ≤ 300 ms for T ≤ 200, H ≤ 128 (worst setting)",
                f"{worst * 1e3:.0f} ms",
                worst <= TARGET_SECONDS,
            )
        ],
        started,
    )


if __name__ == "__main__":
    main()
