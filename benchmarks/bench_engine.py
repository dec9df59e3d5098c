"""Engine benchmarks: how fast rnn_core trains, against the seed notebooks and the hardware.

Prints Markdown tables to stdout, ending with a Targets table (target, measured, pass/fail):

1. a seed-notebook-style trainer (one sample at a time, Python loops over samples and time
   steps), checked to compute the engine's gradients, as the baseline;
2. epoch time, engine vs that baseline, on the reference task shapes, and the NumPy call
   floor that bounds the weather task's speed-up;
3. time per training step over hidden size × length × batch, float64 vs float32, with the
   achieved GFLOP/s against a measured single-thread matmul peak (``sweep.py``);
4. Python overhead per time step on a tiny model;
5. one vs two BLAS threads.

The machine is shared and noisy, so every comparison interleaves its variants (one sample of
each per round), reports medians, and computes ratios round by round. Everything runs on one
BLAS thread, as training does, except where threads are the subject.

Run: ``.venv/bin/python benchmarks/bench_engine.py [--quick] [--repeats N]``
"""

from __future__ import annotations

import argparse
import os
import platform
import sys
import time
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from pathlib import Path
from statistics import median

import numpy as np

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))  # rnn_core is not installed

from benchmarks.call_floor import bench_call_floor
from benchmarks.report import Target, print_table, print_targets
from benchmarks.seed_style import LR, SEED_BATCH, SeedStyleRNN, check_baseline
from benchmarks.sweep import bench_sweep, step_for
from benchmarks.threads_bench import bench_threads
from benchmarks.timing import fmt_time, interleaved, paired_ratio
from rnn_core import RNN, SGD, Trainer, Workspace
from rnn_core.runtime import blas_threads

Array = np.ndarray
OVERHEAD_T = (20, 200)  # two lengths, so the per-step cost separates from the fixed one


@dataclass(frozen=True)
class Budget:
    """How long to measure: ``--quick`` trades precision for a smoke run under a minute."""

    repeats: int  # timed rounds; each round takes one sample of every variant
    min_sample: float  # seconds one sample should last (short calls are repeated within it)
    max_windows: int | None  # windows per epoch sample; None times whole epochs


# ---------------------------------------------------------------------------- output


def print_header(args: argparse.Namespace, budget: Budget) -> None:
    """Say what ran where: timings mean nothing without the machine and the command."""
    print("# rnn_core engine benchmark\n")
    print(f"- command: `{' '.join([Path(sys.executable).name, *sys.argv])}`")
    print(f"- mode: {'quick' if args.quick else 'full'}, {budget.repeats} interleaved rounds")
    print(f"- Python {platform.python_version()}, NumPy {np.__version__}, {os.cpu_count()} CPUs")
    print("- BLAS threads: 1 unless a table says otherwise; times are medians over rounds")
    load = ", ".join(f"{x:.2f}" for x in os.getloadavg())
    print(f"- load average at start (1, 5, 15 min): {load}")


# ---------------------------------------------------------------------------- epochs
@dataclass(frozen=True)
class Task:
    """Shape of a reference task; the data are random, only the shapes matter for speed."""

    name: str
    windows: int
    T: int
    D: int
    H: int
    O: int = 1
    speedup_target_b32: float | None = None
    many_to_many: bool = False  # a target at every step, not only after the last

    def targets(self, rng: np.random.Generator) -> Array:
        """Random targets of this task's shape: ``(N, T, O)`` or ``(N, O)``."""
        shape = (self.windows, self.T, self.O) if self.many_to_many else (self.windows, self.O)
        return rng.uniform(-1.0, 1.0, shape)


WEATHER_SPEEDUP_TARGET = 100.0
TASKS = (
    # Seed 002 predicts tmax_tomorrow at every one of the 7 days and averages the loss over
    # them (its training loop takes seq_y = train_y[j:j+7]), so the weather task is many-to-many.
    Task(
        "weather",
        9400,
        T=7,
        D=3,
        H=4,
        speedup_target_b32=WEATHER_SPEEDUP_TARGET,
        many_to_many=True,
    ),
    Task("sine", 275, T=25, D=1, H=100, speedup_target_b32=8.0),
    Task("sin+cos", 300, T=20, D=1, H=8),
)
B1_SPEEDUP_TARGET = 2.0


def train_steps(trainer: Trainer, n: int) -> None:
    """``trainer.step(n)`` that fails loudly if the divergence guard cut the epoch short."""
    assert trainer.step(n) == n, "training stopped early; the timing would be meaningless"


class BareEngine:
    """The engine without the Trainer's shuffling, guard and history: what bookkeeping costs.

    Otherwise it trains as the Trainer does: a workspace per batch shape, kept across epochs,
    and one flat optimizer update per step.
    """

    def __init__(self, task: Task) -> None:
        self.model = RNN(task.D, task.H, task.O, seed=0, many_to_many=task.many_to_many)
        self.optimizer = SGD(LR)
        self.workspaces: dict[int, Workspace] = {}

    def epoch(self, X: Array, Y: Array, batch_size: int) -> None:
        vector = self.model.parameter_vector()
        for start in range(0, len(X), batch_size):
            Xb, Yb = X[start : start + batch_size], Y[start : start + batch_size]
            if len(Xb) not in self.workspaces:
                self.workspaces[len(Xb)] = self.model.workspace(*Xb.shape[:2])
            res = self.model.loss_and_grads(Xb, Yb, workspace=self.workspaces[len(Xb)])
            self.optimizer.update(vector, res.grad_vector)


def epoch_variants(task: Task, n: int, rng: np.random.Generator) -> dict[str, Callable[[], None]]:
    """Seed-style loop, Trainer and bare engine loop over ``n`` windows, at B=1 and B=32."""
    X = rng.uniform(-1.0, 1.0, (task.windows, task.T, task.D))  # (N, T, D)
    Y = task.targets(rng)  # (N, O) or (N, T, O)
    variants: dict[str, Callable[[], None]] = {}
    for batch in (1, SEED_BATCH):
        model = RNN(task.D, task.H, task.O, seed=0, many_to_many=task.many_to_many)
        seed_style = SeedStyleRNN(model.params)
        trainer = Trainer(model, SGD(LR), X, Y, batch_size=batch, seed=0)
        bare = BareEngine(task)
        steps = -(-n // batch)
        variants[f"seed B={batch}"] = lambda s=seed_style, b=batch: s.sgd_epoch(X[:n], Y[:n], b)
        variants[f"Trainer B={batch}"] = lambda t=trainer, k=steps: train_steps(t, k)
        variants[f"bare B={batch}"] = lambda e=bare, b=batch: e.epoch(X[:n], Y[:n], b)
    return variants


def bench_epochs(budget: Budget, rng: np.random.Generator) -> list[Target]:
    """Epoch time of the engine (its Trainer, as the app runs it) vs the seed-style loop."""
    rows, targets = [], []
    for task in TASKS:
        n = task.windows if budget.max_windows is None else min(task.windows, budget.max_windows)
        samples = interleaved(epoch_variants(task, n, rng), budget.repeats, budget.min_sample)
        timed = "all" if n == task.windows else f"{n} (extrapolated)"
        row = [f"{task.name} (T={task.T}, H={task.H}, D={task.D})", str(task.windows), timed]
        speedups = {}
        for batch in (1, SEED_BATCH):
            seed, trainer, bare = (samples[f"{k} B={batch}"] for k in ("seed", "Trainer", "bare"))
            speedups[batch] = paired_ratio(seed, trainer)
            row += [fmt_time(median(v) * task.windows / n) for v in (seed, trainer, bare)]
            row.append(f"{speedups[batch]:.1f}× ({paired_ratio(seed, bare):.1f}×)")
        rows.append(row)
        targets.append(
            Target(
                f"{task.name}: engine B=1 ≥ {B1_SPEEDUP_TARGET:g}× seed loop",
                f"{speedups[1]:.1f}×",
                speedups[1] >= B1_SPEEDUP_TARGET,
            )
        )
        if task.speedup_target_b32 is not None:
            targets.append(
                Target(
                    f"{task.name}: engine B=32 ≥ {task.speedup_target_b32:g}× seed-style B=32",
                    f"{speedups[SEED_BATCH]:.1f}×",
                    speedups[SEED_BATCH] >= task.speedup_target_b32,
                )
            )
    header = ["task", "windows", "timed windows"]
    for batch in (1, SEED_BATCH):
        header += [f"seed B={batch}", f"Trainer B={batch}", f"bare B={batch}", "speed-up (bare)"]
    print_table("Epoch time: engine vs seed-style loop (float64, SGD)", header, rows)
    print(
        "\nSeed-style B=32 sums per-sample gradients in a Python loop, then takes one SGD step. "
        "Trainer: `Trainer.step` (shuffling, divergence guard, history), as the app trains; "
        "bare: `loss_and_grads` with a reused workspace + `SGD.update` over the windows in "
        "order. Speed-ups are medians "
        "of per-round ratios, seed over Trainer (seed over bare); targets use the Trainer."
    )
    return targets


# ---------------------------------------------------------------------------- overhead
def bench_overhead(budget: Budget, rng: np.random.Generator) -> list[Target]:
    """Python cost per time step where the maths is negligible (H=2, D=1, B=1).

    Two lengths separate the per-step cost (slope) from the fixed cost per call (intercept).
    """
    model = RNN(1, 2, 1, seed=0)
    variants: dict[str, Callable[[], object]] = {}
    for T in OVERHEAD_T:
        X = rng.standard_normal((1, T, 1))  # (B, T, D)
        Y = rng.standard_normal((1, 1))  # (B, O)
        variants[f"forward T={T}"] = lambda X=X: model.forward(X)
        variants[f"loss_and_grads T={T}"] = lambda X=X, Y=Y: model.loss_and_grads(X, Y)
    samples = interleaved(variants, budget.repeats, budget.min_sample)
    short, long = OVERHEAD_T
    rows = []
    for kind in ("forward", "loss_and_grads"):
        t_short, t_long = (median(samples[f"{kind} T={T}"]) for T in OVERHEAD_T)
        slope = (t_long - t_short) / (long - short)
        rows.append(
            [
                kind,
                fmt_time(t_long),
                fmt_time(t_long / long),
                fmt_time(slope),
                fmt_time(t_long - slope * long),
            ]
        )
    per_step = median(samples[f"loss_and_grads T={long}"]) / long
    print_table(
        f"Python overhead per time step (H=2, D=1, B=1, T={long})",
        ["call", f"time at T={long}", f"/ T (T={long})", "marginal per step", "fixed per call"],
        rows,
    )
    return [
        Target(
            f"loss_and_grads ≤ 10 µs per time step at H=2, B=1, T={long}",
            fmt_time(per_step),
            per_step <= 10e-6,
        )
    ]


# ---------------------------------------------------------------------------- main
def parse_args(argv: Sequence[str] | None = None) -> argparse.Namespace:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument(
        "--quick", action="store_true", help="small repeat counts: a smoke run in under a minute"
    )
    parser.add_argument(
        "--repeats", type=int, default=None, help="interleaved rounds per comparison"
    )
    return parser.parse_args(argv)


def make_budget(args: argparse.Namespace) -> Budget:
    """Quick: 3 rounds of short samples and 640 windows per epoch; full: 5 rounds, whole epochs."""
    if args.quick:
        budget = Budget(repeats=3, min_sample=0.03, max_windows=640)
    else:
        budget = Budget(repeats=5, min_sample=0.2, max_windows=None)
    if args.repeats is not None:
        if args.repeats < 1:
            raise SystemExit(f"--repeats must be a positive integer; got {args.repeats}")
        budget = Budget(args.repeats, budget.min_sample, budget.max_windows)
    return budget


def main(argv: Sequence[str] | None = None) -> None:
    args = parse_args(argv)
    budget = make_budget(args)
    rng = np.random.default_rng(0)
    started = time.perf_counter()
    print_header(args, budget)
    with blas_threads(1):
        check_baseline(rng)
        targets = bench_epochs(budget, rng)
        bench_call_floor(budget.repeats, budget.min_sample, WEATHER_SPEEDUP_TARGET, rng)
        targets += bench_sweep(budget.repeats, budget.min_sample, rng)
        targets += bench_overhead(budget, rng)
        bench_threads(
            lambda H, T, B: step_for(H, T, B, "float64", rng), budget.repeats, budget.min_sample
        )
    print_targets(targets, started)


if __name__ == "__main__":
    main()
