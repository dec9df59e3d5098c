"""How fast a Python time loop over NumPy calls can possibly train the weather model.

The weather model is tiny (B=32, T=7, H=4, read out at every step as seed 002 does), so a
training step costs what its NumPy calls cost, whatever they compute. Some calls no BPTT with
a Python time loop can avoid: per forward step ``h_{t-1} @ W_hh``, adding the input part and
f; per backward step the product with f'(z_t), the product with W_hhᵀ and adding what that
step's read-out sends back. This measures them at the task's shapes and compares their sum, the
*loop floor*, with the time per step that a given speed-up over the seed-style loop allows.
Everything else in a step (read-out, loss, parameter gradients, update, guard) comes on top.

It also times ``LeanWeatherStep``, a step written by hand for this one model in as few calls
as possible: its speed-up over the seed-style step bounds what any engine with a Python time
loop can reach here.
"""

from __future__ import annotations

from collections.abc import Callable
from statistics import median

import numpy as np

from benchmarks.lean_step import LeanWeatherStep
from benchmarks.report import print_table
from benchmarks.seed_style import LR, SEED_BATCH, SeedStyleRNN
from benchmarks.timing import fmt_time, interleaved, paired_ratio
from rnn_core import RNN

Array = np.ndarray
T, D, H = 7, 3, 4  # the weather task
EMPTY = "empty call (subtracted)"
SEED_STEP = "seed-style step, B=32"
LEAN_STEP = "hand-written step for this model only (`lean_step.py`)"


def primitives(rng: np.random.Generator) -> dict[str, Callable[[], object]]:
    """The unavoidable per-step calls, each as cheap as NumPy makes it.

    Results go into existing arrays (no allocation) and products use ``ndarray.dot``, which
    skips ``np.dot``'s ``__array_function__`` dispatch, as the engine does.
    """
    B = SEED_BATCH
    h, g, z, xw, fp, dz, out = (rng.standard_normal((B, H)) for _ in range(7))  # (B, H) each
    W = rng.standard_normal((H, H))  # (H, H)
    W_T = np.ascontiguousarray(W.T)  # (H, H) as the engine holds it
    return {
        EMPTY: lambda: None,
        "forward: h @ W_hh": lambda: h.dot(W, out),
        "forward: + input part": lambda: np.add(z, xw, z),
        "forward: tanh": lambda: np.tanh(z, out),
        "backward: × f'(z)": lambda: np.multiply(g, fp, dz),
        "backward: @ W_hhᵀ": lambda: dz.dot(W_T, out),
        "backward: + read-out's part": lambda: np.add(g, out, g),
    }


def whole_steps(rng: np.random.Generator) -> dict[str, Callable[[], object]]:
    """One B=32 weather step of the seed-style loop and of the hand-written lean step.

    The seed step is the speed-up's numerator; the lean step is checked first to compute the
    engine's gradients, so its speed-up is like for like.
    """
    X = rng.uniform(-1.0, 1.0, (SEED_BATCH, T, D))  # (B, T, D)
    Y = rng.uniform(-1.0, 1.0, (SEED_BATCH, T, 1))  # (B, T, O): seed 002 reads out every step
    model = RNN(D, H, 1, seed=0, many_to_many=True)
    LeanWeatherStep.check(model, X, Y)
    seed = SeedStyleRNN(model.params)
    _, lean_step = LeanWeatherStep(model.params, X, Y, LR).compile()
    return {SEED_STEP: lambda: seed.sgd_epoch(X, Y, SEED_BATCH), LEAN_STEP: lean_step}


def bench_call_floor(repeats: int, min_sample: float, speedup: float, rng) -> None:
    """Print the per-call costs, the loop floor and the step-time budget of ``speedup``×."""
    variants = primitives(rng)
    variants.update(whole_steps(rng))
    samples_by_round = interleaved(variants, repeats, min_sample)
    samples = {k: median(v) for k, v in samples_by_round.items()}
    empty = samples.pop(EMPTY)
    cost = {k: max(v - empty, 0.0) for k, v in samples.items()}
    forward = sum(v for k, v in cost.items() if k.startswith("forward"))
    backward = sum(v for k, v in cost.items() if k.startswith("backward"))
    floor = T * forward + (T - 1) * backward
    budget = cost[SEED_STEP] / speedup
    ceiling = paired_ratio(samples_by_round[SEED_STEP], samples_by_round[LEAN_STEP])
    rows = [[k, fmt_time(v)] for k, v in cost.items()]
    rows += [
        [f"**loop floor**: {T} × forward + {T - 1} × backward", fmt_time(floor)],
        [f"**budget per step for {speedup:g}×** (seed step / {speedup:g})", fmt_time(budget)],
        ["loop floor / budget", f"{floor / budget:.0%}"],
        [
            f"**speed-up ceiling**: seed step / hand-written step (target {speedup:g}×)",
            f"{ceiling:.0f}×",
        ],
    ]
    print_table(
        f"NumPy call floor on the weather task (B={SEED_BATCH}, T={T}, H={H}; SGD lr={LR})",
        ["call", "time per call (median, empty call subtracted)"],
        rows,
    )
    print(
        "\nThe loop floor counts only the time-loop calls; the read-out, loss, parameter "
        "gradients, optimizer update and divergence guard come on top. The hand-written step "
        "(`lean_step.py`) has none of the engine's generality or bookkeeping (no norms, guard, "
        "history, shuffling or checks; it does compute the loss, as the seed loop does). It is "
        "the fastest step we could write, so its speed-up is about the most an engine that "
        "keeps the Python time loop can reach on this machine."
    )
