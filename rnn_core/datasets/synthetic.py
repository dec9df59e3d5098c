"""Generated datasets: sum, sine, sin+cos mixture, the adding problem, seed 001's counting.

Each is the faithful version of what a seed notebook did, fixed where the seed was wrong:
seed 000 treated its 100 samples as 100 time steps of one sequence; seed 004 tested on its
training windows. Everything random takes ``seed``.
"""

from __future__ import annotations

import numpy as np

from .core import (
    DEFAULT_FRACTIONS,
    Scaler,
    SequenceData,
    check_float,
    check_fractions,
    check_int,
    series_data,
    split_counts,
)

Array = np.ndarray


def _independent_samples(X: Array, y: Array, fractions, **meta) -> SequenceData:
    """Split i.i.d. samples by position (they are already in random order)."""
    n_train, n_val, _ = split_counts(len(X), fractions)
    a, b = n_train, n_train + n_val
    return SequenceData(
        X_train=X[:a],
        y_train=y[:a],
        X_val=X[a:b],
        y_val=y[a:b],
        X_test=X[b:],
        y_test=y[b:],
        x_scaler=Scaler.identity(X.shape[2]),
        y_scaler=Scaler.identity(y.shape[-1]),
        independent=True,
        **meta,
    )


def sum_of_sequence(
    *,
    n_samples: int = 2000,
    length: int = 10,
    many_to_many: bool = False,
    seed: int = 0,
    fractions=DEFAULT_FRACTIONS,
) -> SequenceData:
    """Random sequences in [0, 1); the target is their sum, or the running sum at every step."""
    n = check_int("n_samples", n_samples, 20, 1_000_000)
    T = check_int("length", length, 1, 1000)
    fractions = check_fractions(fractions)
    X = np.random.default_rng(seed).uniform(size=(n, T, 1))  # (N, T, 1)
    y = np.cumsum(X, axis=1) if many_to_many else X.sum(axis=1)  # (N, T, 1) or (N, 1)
    what = "the running sum at every step" if many_to_many else "their sum"
    return _independent_samples(
        X,
        y,
        fractions,
        name="sum",
        many_to_many=many_to_many,
        description=(
            f"{n} independent sequences of {T} numbers drawn uniformly from [0, 1); the target "
            f"is {what}. A memory test with a known answer: the network must add up what it saw."
        ),
        feature_names=("x",),
        target_names=("sum",),
    )


def _noisy(series: Array, noise: float, rng: np.random.Generator) -> Array:
    return series + noise * rng.standard_normal(series.shape) if noise else series


def _next_value(series: Array, window: int, fractions, many_to_many: bool, **meta) -> SequenceData:
    """Windows of a generated series, each predicting the value right after it."""
    return series_data(
        series,
        series,
        window=window,
        horizon=1,
        fractions=check_fractions(fractions),
        many_to_many=many_to_many,
        last_value_feature=0,
        **meta,
    )


def sine(
    *,
    n_points: int = 1000,
    frequency: float = 0.04,
    noise: float = 0.0,
    window: int = 25,
    many_to_many: bool = False,
    seed: int = 0,
    fractions=DEFAULT_FRACTIONS,
) -> SequenceData:
    """sin(2π·frequency·t + φ) (+ Gaussian noise), windows of ``window`` steps -> next value.

    The phase φ is drawn from ``seed``, so different seeds give different (shifted) series.
    """
    n = check_int("n_points", n_points, 20, 1_000_000)
    f = check_float("frequency", frequency, 1e-4, 0.5)
    s = check_float("noise", noise, 0.0, 10.0)
    T = check_int("window", window, 1, 1000)
    fractions = check_fractions(fractions)
    rng = np.random.default_rng(seed)
    phase = rng.uniform(0, 2 * np.pi)
    series = _noisy(np.sin(2 * np.pi * f * np.arange(n) + phase), s, rng)[:, None]  # (N, 1)
    return _next_value(
        series,
        T,
        fractions,
        many_to_many,
        name="sine",
        description=(
            f"A sine wave with period {1 / f:.3g} steps{f' and noise σ = {s:g}' if s else ''}, "
            f"{n} points. From each window of {T} values predict the next one. The series is "
            f"split in time (first {100 * fractions[0]:.3g} % train, then validation, then test) "
            "before windowing, "
            "so test windows are never training windows."
        ),
        feature_names=("sin",),
        target_names=("next value",),
    )


def sincos_mixture(
    *,
    n_points: int = 1000,
    components: int = 3,
    noise: float = 0.0,
    window: int = 20,
    many_to_many: bool = False,
    seed: int = 0,
    fractions=DEFAULT_FRACTIONS,
) -> SequenceData:
    """Σ_k a_k·sin(ω_k t + φ_k) + b_k·cos(ν_k t + ψ_k), normalised to [−1, 1], -> the next value."""
    n = check_int("n_points", n_points, 20, 1_000_000)
    K = check_int("components", components, 1, 20)
    s = check_float("noise", noise, 0.0, 10.0)
    T = check_int("window", window, 1, 1000)
    rng = np.random.default_rng(seed)
    t = np.arange(n)[:, None]  # (N, 1)
    weights = rng.uniform(0.2, 1.0, size=(2, K))  # (2, K) sin and cos amplitudes
    omegas = 2 * np.pi / rng.uniform(8, 60, size=(2, K))  # periods of 8–60 steps
    phases = rng.uniform(0, 2 * np.pi, size=(2, K))
    mix = weights[0] * np.sin(omegas[0] * t + phases[0]) + weights[1] * np.cos(
        omegas[1] * t + phases[1]
    )
    series = _noisy(mix.sum(axis=1) / weights.sum(), s, rng)[:, None]  # (N, 1)
    return _next_value(
        series,
        T,
        fractions,
        many_to_many,
        name="sincos",
        description=(
            f"A sum of {K} sine and {K} cosine waves with random weights, periods (8–60 steps) "
            f"and phases{f', plus noise σ = {s:g}' if s else ''}. From each window of {T} values "
            "predict the next one; split in time before windowing."
        ),
        feature_names=("signal",),
        target_names=("next value",),
    )


def adding_problem(
    *, n_samples: int = 4000, length: int = 50, seed: int = 0, fractions=DEFAULT_FRACTIONS
) -> SequenceData:
    """The adding problem as Le et al. (2015) set it, after Hochreiter & Schmidhuber (1997).

    Channel 0 holds values ~ U[0, 1]; channel 1 marks exactly two of them, one in each half.
    The target is the sum of the two marked values. Predicting the constant 1 scores MSE 1/6;
    remembering only the later number (and guessing 0.5 for the earlier) scores 1/12.
    """
    n = check_int("n_samples", n_samples, 20, 1_000_000)
    T = check_int("length", length, 2, 2000)
    rng = np.random.default_rng(seed)
    values = rng.uniform(size=(n, T))  # (N, T)
    half = T // 2
    first = rng.integers(0, half, size=n)  # (N,) marker in [0, T/2)
    second = rng.integers(half, T, size=n)  # (N,) marker in [T/2, T)
    markers = np.zeros((n, T))
    rows = np.arange(n)
    markers[rows, first] = markers[rows, second] = 1.0
    X = np.stack([values, markers], axis=2)  # (N, T, 2)
    y = (values[rows, first] + values[rows, second])[:, None]  # (N, 1)
    return _independent_samples(
        X,
        y,
        check_fractions(fractions),
        name="adding",
        many_to_many=False,
        description=(
            f"{n} sequences of {T} steps with two channels: a random value in [0, 1) and a "
            "marker that is 1 at exactly two steps, one in each half. Output the sum of the two "
            "marked values. Guessing 1 scores MSE 1/6; remembering only the later number "
            f"scores 1/12. To beat 1/12 the network must carry a number across up to {T} steps."
        ),
        feature_names=("value", "marker"),
        target_names=("sum of marked values",),
    )


def counting(
    *, n_samples: int = 200, length: int = 4, seed: int = 0, fractions=DEFAULT_FRACTIONS
) -> SequenceData:
    """Seed 001's toy: [1, 2, 3, 4] -> [2, 3, 4, 5], as many shifted copies [k, …, k+T−1].

    Many-to-many: the target at every step is the next number. Starts k are drawn from
    [0, 1) × n_samples/10 and split at random, so validation and test hold unseen starts.
    """
    n = check_int("n_samples", n_samples, 20, 100_000)
    T = check_int("length", length, 2, 100)
    starts = np.random.default_rng(seed).uniform(0, n / 10, size=(n, 1, 1))  # (N, 1, 1)
    X = starts + np.arange(T)[None, :, None]  # (N, T, 1)
    return _independent_samples(
        X,
        X + 1.0,
        check_fractions(fractions),
        name="counting",
        many_to_many=True,
        description=(
            f"Seed 001's toy series, generalised: {n} sequences of {T} numbers k, k+1, … "
            "from a random start k, not always whole; the target at each step is the next "
            "number (the notebook had the one sequence [1, 2, 3, 4] -> [2, 3, 4, 5] and "
            "evaluated on its training data)."
        ),
        feature_names=("number",),
        target_names=("next number",),
    )


def adding_baselines(data: SequenceData) -> dict[str, float]:
    """Measured MSE of the two reference strategies on the adding problem's validation split."""
    X, y = data.X_val, data.y_val[:, 0]
    marked = X[:, :, 0] * X[:, :, 1]  # (N, T) values at the two marked steps, 0 elsewhere
    later = marked[:, X.shape[1] // 2 :].sum(axis=1)  # (N,) the second marked value
    return {
        "predict 1": float(np.mean((y - 1.0) ** 2)),
        "remember only the later number": float(np.mean((y - (later + 0.5)) ** 2)),
    }
