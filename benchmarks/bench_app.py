"""App benchmarks: what the live Train page costs the training it shows, and how fast it starts.

Prints Markdown tables to stdout, ending with a Targets table (target, measured, pass/fail):

1. training throughput inside the running app (``streamlit run app.py`` in headless Chromium,
   live charts redrawing) against the same configuration trained headless in this process;
2. the CPU each process used meanwhile, to say where the cores went;
3. latency from clicking **Train** to the first chart on the page.

The app trains the default ``RunConfig`` with ``EPOCHS`` epochs typed into the sidebar, so the
run never finishes while it is measured. The app's rate comes from the page itself: a
``MutationObserver`` logs every change of the "Step" metric with ``performance.now()``, and the
rate is (last − first logged step) / (time between them). Timing both ends on an update keeps
the 0.5 s refresh period out of the measurement (reading the metric at two arbitrary moments
would be off by up to one refresh's worth of steps at each end).

The machine has 2 cores and is shared, so app and headless never run at the same time: each
round measures the app, presses Reset (which stops the training thread), then measures headless
for the same wall-clock time. Rounds interleave the two sides and ratios are taken round by
round (medians of per-round ratios), as in ``bench_engine.py``.

Run: ``.venv/bin/python benchmarks/bench_app.py [--quick] [--rounds N]``
"""

from __future__ import annotations

import argparse
import os
import platform
import sys
import time
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path
from statistics import median

import numpy as np
import streamlit

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))  # the repo's packages: not installed

from benchmarks.app_page import EPOCHS, AppWindow, Click, TrainPage, count
from benchmarks.cpu import BUSIEST, GROUPS, cores_used, read_cpu
from benchmarks.report import Target, print_table, print_targets
from dashboard.config import RunConfig, build_trainer, load_data
from dashboard.job import CHUNK_SECONDS
from dashboard.train_view import REFRESH_SECONDS
from tests.e2e.server import (
    browser_missing_reason,
    chromium_page,
    streamlit_app,
)

TRAIN_LATENCY_TARGET = 2.0  # seconds, click -> first chart
THROUGHPUT_TARGET = 0.9  # app steps/s over headless steps/s


@dataclass(frozen=True)
class Budget:
    """How long to measure: ``--quick`` trades precision for a smoke run under 90 s."""

    rounds: int  # interleaved rounds, each one app window and one headless window
    window: float  # seconds of each throughput window
    settle: float  # seconds of training before a window: the job's chunk size ramps up
    extra_clicks: int  # Train/Reset cycles after the rounds, for more latency samples


# ---------------------------------------------------------------------------- output


def fmt_s(seconds: float) -> str:
    return f"{seconds:.2f} s"


def print_header(args: argparse.Namespace, budget: Budget, browser_version: str) -> None:
    """Say what ran where: timings mean nothing without the machine and the command."""
    print("# RNN Lab app benchmark\n")
    print(f"- command: `{' '.join([Path(sys.executable).name, *sys.argv])}`")
    print(
        f"- mode: {'quick' if args.quick else 'full'}, {budget.rounds} interleaved rounds of "
        f"{budget.window:g} s app + {budget.window:g} s headless, "
        f"{budget.settle:g} s of training before each window"
    )
    print(
        f"- Python {platform.python_version()}, NumPy {np.__version__}, Streamlit "
        f"{streamlit.__version__}, Chromium {browser_version}, {os.cpu_count()} CPUs"
    )
    print(f"- config: default `RunConfig` with epochs={EPOCHS:,} (typed into the sidebar)")
    load = ", ".join(f"{x:.2f}" for x in os.getloadavg())
    print(f"- load average at start (1, 5, 15 min): {load}")


# ---------------------------------------------------------------------------- headless
def headless_trainer():
    """The app's default config with the benchmark's epoch budget, built as the app builds it."""
    config = RunConfig(epochs=EPOCHS)
    return build_trainer(config, load_data(config))


def headless_rate(budget: Budget) -> tuple[float, dict[str, float]]:
    """Steps/s of ``Trainer.step`` in this process, in chunks sized as ``TrainingJob`` sizes them.

    A fresh trainer, ``settle`` seconds of warm-up (the app's run is that far along when its
    window opens), then ``window`` seconds timed. Also returns the cores each process group
    used meanwhile, which shows the app's server and browser were idle.
    """
    trainer = headless_trainer()
    chunk, started = 1, time.perf_counter()
    window_start = before = None
    steps_at_start = 0
    while True:
        now = time.perf_counter()
        if window_start is None and now - started >= budget.settle:
            window_start, steps_at_start, before = now, trainer.step_count, read_cpu()
        if window_start is not None and now - window_start >= budget.window:
            break
        call_start = time.perf_counter()
        assert trainer.step(chunk) == chunk, "training stopped early; the rate would be wrong"
        elapsed = time.perf_counter() - call_start
        # TrainingJob._run's rule: grow or shrink the chunk so each lasts about CHUNK_SECONDS.
        chunk = max(1, min(chunk * 2, int(chunk * CHUNK_SECONDS / max(elapsed, 1e-6))))
    seconds = now - window_start
    cpu = cores_used(before, read_cpu(), seconds)
    return (trainer.step_count - steps_at_start) / seconds, cpu


# ---------------------------------------------------------------------------- benchmarks
def run_rounds(
    app: TrainPage, budget: Budget
) -> tuple[list[AppWindow], list[tuple[float, dict[str, float]]], list[Click], list[Click]]:
    """Interleaved rounds: app (Train, settle, window, Reset), then headless for as long."""
    windows, headless, clicks, resets = [], [], [], []
    for i in range(budget.rounds):
        clicks.append(app.click_train("first after server start" if i == 0 else "round start"))
        windows.append(app.throughput(budget.settle, budget.window))
        resets.append(app.reset())
        time.sleep(0.5)  # let the last chunk and the page's final rerun finish
        headless.append(headless_rate(budget))
    for _ in range(budget.extra_clicks):
        clicks.append(app.click_train("Train, Reset cycle"))
        resets.append(app.reset())
    return windows, headless, clicks, resets


def report_throughput(
    windows: list[AppWindow], headless: list[tuple[float, dict[str, float]]]
) -> list[Target]:
    rows, ratios = [], []
    for i, (app, (rate, _)) in enumerate(zip(windows, headless, strict=True), 1):
        ratios.append(app.steps_per_s / rate)
        rows.append(
            [
                str(i),
                f"{app.steps_per_s:,.0f}",
                app.shown_rate,
                f"{app.updates_per_s:.2f}",
                f"{rate:,.0f}",
                f"{ratios[-1]:.0%}",
            ]
        )
    app_median = median(w.steps_per_s for w in windows)
    rows.append(
        [
            "**median**",
            f"{app_median:,.0f}",
            "",
            f"{median(w.updates_per_s for w in windows):.2f}",
            f"{median(r for r, _ in headless):,.0f}",
            f"{median(ratios):.0%}",
        ]
    )
    print_table(
        "Training throughput: live app vs headless (default config, steps/s)",
        [
            "round",
            "app (from Step updates)",
            "app's own Steps/s metric",
            "Step updates/s",
            "headless",
            "app / headless",
        ],
        rows,
    )
    print(
        f"\nApp: rate between the first and last change of the page's Step metric in the window "
        f"(the page polls every {REFRESH_SECONDS:g} s, so at most {1 / REFRESH_SECONDS:g} "
        "updates/s). Headless: `Trainer.step` in this process, chunked as `TrainingJob` chunks "
        "it, no lock, no page. Ratio: median of per-round ratios."
    )
    shown = median(count(w.shown_rate) / w.steps_per_s for w in windows)
    print(
        f"\nThe page's own Steps/s metric reads {shown:.0%} of the rate its Step metric shows "
        "(median over rounds); 100 % would mean the metric is unbiased."
    )
    cpu_rows = []
    for side, cpus in (
        ("app window", [w.cpu for w in windows]),
        ("headless window", [c for _, c in headless]),
    ):
        per_group = {g: median(c[g] for c in cpus) for g in (*GROUPS, BUSIEST)}
        total = sum(per_group[g] for g in GROUPS)
        cpu_rows.append(
            [side, *(f"{per_group[g]:.2f}" for g in (BUSIEST, *GROUPS)), f"{total:.2f}"]
        )
    print_table(
        "CPU used during the throughput windows (cores, medians over rounds)",
        [
            "window",
            "server: busiest thread",
            "server: all",
            "Chromium",
            "Playwright driver",
            "benchmark",
            "total",
        ],
        cpu_rows,
    )
    print(
        f"\nThe machine has {os.cpu_count()} cores. In the app the busiest server thread is the "
        "training thread; the rest of the server's CPU is mostly the script thread that "
        "snapshots the job, evaluates the model and builds and serialises the charts. Python "
        "threads share one GIL, so the server as a whole cannot use much more than one core. "
        "Headless, all training happens in the benchmark process."
    )
    ratio = median(ratios)
    return [
        Target(
            f"app training ≥ {THROUGHPUT_TARGET:.0%} of headless steps/s (median ratio)",
            f"{ratio:.0%} ({app_median:,.0f} vs {median(r for r, _ in headless):,.0f} steps/s)",
            ratio >= THROUGHPUT_TARGET,
        )
    ]


def report_latency(clicks: list[Click], resets: list[Click]) -> list[Target]:
    rows = [
        [str(i), c.label, fmt_s(c.dom), fmt_s(c.painted), fmt_s(c.playwright)]
        for i, c in enumerate(clicks, 1)
    ]
    for name, pick in (("median", median), ("max", max)):
        rows.append(
            [f"**{name}**", ""]
            + [fmt_s(pick(getattr(c, k) for c in clicks)) for k in ("dom", "painted", "playwright")]
        )
    print_table(
        "Train click → first chart",
        [
            "#",
            "click",
            "click event → chart in DOM",
            "click event → painted",
            "Playwright click() → visible",
        ],
        rows,
    )
    print(
        "\nThe first two columns are on the page's clock (`performance.now()`; painted: the "
        "second animation frame after the chart entered the DOM). Playwright's column adds its "
        "own wait for the button to be clickable and its polling; it bounds the latency from "
        "above. Targets use the painted column, what a user sees."
    )
    painted, playwright = [r.painted for r in resets], [r.playwright for r in resets]
    print(
        f"\nFor context, Reset → charts gone ({len(resets)} resets, median / max): click event "
        f"→ painted {fmt_s(median(painted))} / {fmt_s(max(painted))}; Playwright click() → "
        f"Train enabled {fmt_s(median(playwright))} / {fmt_s(max(playwright))}."
    )
    seen = [c.painted for c in clicks]
    warm = seen[1:] or seen
    return [
        Target(
            f"Train → first chart ≤ {TRAIN_LATENCY_TARGET:g} s, median of {len(seen)} clicks",
            fmt_s(median(seen)),
            median(seen) <= TRAIN_LATENCY_TARGET,
        ),
        Target(
            f"Train → first chart ≤ {TRAIN_LATENCY_TARGET:g} s, worst click "
            "(incl. the first after server start)",
            fmt_s(max(seen)),
            max(seen) <= TRAIN_LATENCY_TARGET,
        ),
        Target(
            f"Train → first chart ≤ {TRAIN_LATENCY_TARGET:g} s, worst click after the first",
            fmt_s(max(warm)),
            max(warm) <= TRAIN_LATENCY_TARGET,
        ),
    ]


# ---------------------------------------------------------------------------- main
def parse_args(argv: Sequence[str] | None = None) -> argparse.Namespace:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument(
        "--quick", action="store_true", help="2 short rounds: a smoke run in under 90 s"
    )
    parser.add_argument("--rounds", type=int, default=None, help="interleaved rounds")
    return parser.parse_args(argv)


def make_budget(args: argparse.Namespace) -> Budget:
    """Quick: 2 rounds of 4 s windows (under a minute); full: 6 rounds of 8 s (about 3 min)."""
    if args.quick:
        budget = Budget(rounds=2, window=4.0, settle=1.5, extra_clicks=2)
    else:
        budget = Budget(rounds=6, window=8.0, settle=2.0, extra_clicks=5)
    if args.rounds is not None:
        if args.rounds < 1:
            raise SystemExit(f"--rounds must be a positive integer; got {args.rounds}")
        budget = Budget(args.rounds, budget.window, budget.settle, budget.extra_clicks)
    return budget


def main(argv: Sequence[str] | None = None) -> None:
    args = parse_args(argv)
    budget = make_budget(args)
    if reason := browser_missing_reason():
        raise SystemExit(f"cannot run the app benchmark: {reason}")
    started = time.perf_counter()
    trainer = headless_trainer()
    max_steps = EPOCHS * trainer.batches_per_epoch
    with streamlit_app() as url, chromium_page() as page:
        print_header(args, budget, page.context.browser.version)
        app = TrainPage(page, url, max_steps)
        windows, headless, clicks, resets = run_rounds(app, budget)
    targets = report_throughput(windows, headless)
    targets += report_latency(clicks, resets)
    print_targets(targets, started)


if __name__ == "__main__":
    main()
