"""The engine against the hardware: time per training step over H × T × B.

float64 vs float32, with the achieved GFLOP/s against a measured single-thread matmul peak.
"""

from __future__ import annotations

from collections.abc import Callable
from statistics import median

import numpy as np

from benchmarks.report import Target, print_table
from benchmarks.timing import fmt_time, interleaved, paired_ratio
from rnn_core import RNN, SGD

Array = np.ndarray
SWEEP_H = (16, 64, 256)
SWEEP_T = (10, 50, 200)
SWEEP_B = (32, 256)
SWEEP_D = 4  # input width of the sweep models; the recurrent products dominate anyway


def step_flops(T: int, B: int, D: int, H: int, O: int) -> int:
    """2·m·n·k for every matrix product of one many-to-one training step.

    Recurrent: h_{t-1} @ W_hh forward, dz_t @ W_hhᵀ backward, and dW_hh = Σ h_{t-1}ᵀ dz_t;
    input: X @ W_xh and dW_xh = Xᵀ dz; head: h_T @ W_hy, dW_hy = h_Tᵀ dy, dh_T = dy @ W_hyᵀ.
    """
    return 2 * (3 * T * B * H * H + 2 * T * B * D * H + 3 * B * H * O)


def training_step(model: RNN, optimizer: SGD, X: Array, Y: Array) -> Callable[[], None]:
    """One step as the Trainer takes it, without its bookkeeping: forward, BPTT, SGD."""
    workspace = model.workspace(*X.shape[:2])
    vector = model.parameter_vector()

    def step() -> None:
        res = model.loss_and_grads(X, Y, workspace=workspace)
        optimizer.update(vector, res.grad_vector)

    return step


def step_for(H: int, T: int, B: int, dtype: str, rng: np.random.Generator) -> Callable[[], None]:
    """A training step on random data of the sweep's shape, inputs already in ``dtype``."""
    model = RNN(SWEEP_D, H, 1, seed=0, dtype=dtype)
    X = rng.standard_normal((B, T, SWEEP_D)).astype(dtype)  # (B, T, D)
    Y = rng.standard_normal((B, 1)).astype(dtype)  # (B, O)
    return training_step(model, SGD(1e-3), X, Y)


def matmul_peak(repeats: int, min_sample: float, rng: np.random.Generator) -> dict[str, float]:
    """Best single-thread matmul GFLOP/s per dtype: the ceiling the sweep is measured against.

    Square products and the tall (B·T, H) @ (H, H) shape of the engine's batched gradient
    products; the best sample of any shape counts.
    """
    shapes = [(256, 256, 256), (512, 512, 512), (32 * 50, 256, 256), (256 * 50, 256, 256)]
    variants: dict[str, Callable[[], object]] = {}
    for dtype in ("float64", "float32"):
        for m, k, n in shapes:
            a = rng.standard_normal((m, k)).astype(dtype)  # (m, k)
            b = rng.standard_normal((k, n)).astype(dtype)  # (k, n)
            variants[f"{dtype} ({m}×{k})@({k}×{n})"] = lambda a=a, b=b: a @ b
    samples = interleaved(variants, repeats, min_sample)
    rows, peak = [], {"float64": 0.0, "float32": 0.0}
    for (label, times), (m, k, n) in zip(samples.items(), shapes * 2, strict=True):
        dtype = label.split()[0]
        best = 2 * m * k * n / min(times) / 1e9
        peak[dtype] = max(peak[dtype], best)
        rows.append([label, fmt_time(min(times)), f"{best:.1f}"])
    rows.append(
        ["**peak float64 / float32**", "", f"{peak['float64']:.1f} / {peak['float32']:.1f}"]
    )
    print_table("Single-thread matmul peak", ["product", "best time", "GFLOP/s"], rows)
    return peak


def bench_sweep(repeats: int, min_sample: float, rng: np.random.Generator) -> list[Target]:
    """Time per step over H × T × B in float64 and float32, and the share of matmul peak."""
    peak = matmul_peak(repeats, min_sample, rng)
    rows = []
    ratios: dict[tuple[int, int, int], float] = {}
    shares: dict[str, dict[tuple[int, int, int], float]] = {"float64": {}, "float32": {}}
    for H in SWEEP_H:
        for T in SWEEP_T:
            for B in SWEEP_B:
                variants = {dt: step_for(H, T, B, dt, rng) for dt in ("float64", "float32")}
                samples = interleaved(variants, repeats, min_sample)
                flops = step_flops(T, B, SWEEP_D, H, 1)
                ratios[H, T, B] = paired_ratio(samples["float32"], samples["float64"])
                row = [str(H), str(T), str(B)]
                row += [fmt_time(median(samples[dt])) for dt in ("float64", "float32")]
                row.append(f"{ratios[H, T, B]:.2f}")
                for dt in ("float64", "float32"):
                    gflops = flops / median(samples[dt]) / 1e9
                    shares[dt][H, T, B] = gflops / peak[dt]
                    row.append(f"{gflops:.1f} ({shares[dt][H, T, B]:.0%})")
                rows.append(row)
    print_table(
        f"Training step (forward + BPTT + SGD), D={SWEEP_D}, O=1, many-to-one",
        [
            "H",
            "T",
            "B",
            "f64 / step",
            "f32 / step",
            "f32/f64",
            "f64 GFLOP/s (% peak)",
            "f32 GFLOP/s (% peak)",
        ],
        rows,
    )
    return sweep_targets(ratios, shares)


def sweep_targets(
    ratios: dict[tuple[int, int, int], float],
    shares: dict[str, dict[tuple[int, int, int], float]],
) -> list[Target]:
    """Worst case over the configurations each target covers, naming that configuration."""
    covered = [key for key in ratios if key[0] >= 64]
    worst = max(covered, key=ratios.get)
    targets = [
        Target(
            "f32/f64 step time ≤ 0.6 at H ≥ 64, B ≥ 32 (worst config)",
            f"{ratios[worst]:.2f} at H={worst[0]}, T={worst[1]}, B={worst[2]}",
            ratios[worst] <= 0.6,
        )
    ]
    for dtype, share in shares.items():
        big = [key for key in share if key[0] == 256]
        low = min(big, key=share.get)
        targets.append(
            Target(
                f"{dtype}: ≥ 40 % of matmul peak at H=256, B ≥ 32 (worst config)",
                f"{share[low]:.0%} at T={low[1]}, B={low[2]}",
                share[low] >= 0.4,
            )
        )
    return targets
