"""What every dataset produces: ``SequenceData``, its scaler, windows and honest splits.

Series datasets (sine, sin+cos, weather, CSV) are split *chronologically before windowing*:
the series is cut into train/val/test segments and each segment is windowed on its own, so no
window of one split shares a single time step with another split. The scaler is fitted on the
training segment only (seed 002 fitted it on everything, leaking the future into training).
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from typing import Any

import numpy as np
from numpy.lib.stride_tricks import sliding_window_view

Array = np.ndarray
MEAN_BASELINE = "predict the training mean"  # the guess every model must beat
DEFAULT_FRACTIONS = (0.7, 0.15, 0.15)


class DatasetError(ValueError):
    """Bad data or options; the message says what is wrong and what to change."""


def check_int(name: str, value: object, low: int, high: int) -> int:
    """``value`` as an int in [low, high], or a DatasetError naming the option."""
    if (
        isinstance(value, bool)
        or not isinstance(value, int | np.integer)
        or not low <= value <= high
    ):
        raise DatasetError(f"{name} must be a whole number from {low} to {high}; got {value!r}")
    return int(value)


def check_float(name: str, value: object, low: float, high: float) -> float:
    """``value`` as a finite float in [low, high], or a DatasetError naming the option."""
    ok = isinstance(value, int | float | np.floating) and not isinstance(value, bool)
    if not ok or not np.isfinite(value) or not low <= value <= high:
        raise DatasetError(f"{name} must be a number from {low:g} to {high:g}; got {value!r}")
    return float(value)


def check_fractions(fractions: Sequence[float]) -> tuple[float, float, float]:
    """Train/val/test fractions: three positive numbers summing to 1."""
    if len(fractions) != 3 or any(
        not isinstance(f, int | float) or not 0 < f < 1 for f in fractions
    ):
        raise DatasetError(
            f"fractions must be three numbers in (0, 1) for train, validation and test; "
            f"got {tuple(fractions)!r}"
        )
    if abs(sum(fractions) - 1) > 1e-9:
        raise DatasetError(
            f"fractions must add up to 1; {tuple(fractions)!r} adds up to {sum(fractions):g}"
        )
    return (float(fractions[0]), float(fractions[1]), float(fractions[2]))


@dataclass(frozen=True)
class Scaler:
    """Per-column standardisation ``(a − mean) / std``; the identity when mean 0, std 1."""

    mean: Array  # (F,)
    std: Array  # (F,)

    @classmethod
    def identity(cls, width: int) -> Scaler:
        """A scaler that changes nothing (data already in natural units)."""
        return cls(np.zeros(width), np.ones(width))

    @property
    def is_identity(self) -> bool:
        """Whether this scaler leaves data as it is."""
        return bool(np.all(self.mean == 0) and np.all(self.std == 1))

    @classmethod
    def fit(cls, rows: Array) -> Scaler:
        """Fit on ``rows (N, F)``; callers pass the training rows only."""
        return cls(rows.mean(axis=0), rows.std(axis=0))

    def transform(self, a: Array) -> Array:
        """Scale an array whose last axis is the F columns."""
        return (a - self.mean) / self.std

    def inverse(self, a: Array) -> Array:
        """Back to real units."""
        return a * self.std + self.mean


@dataclass(frozen=True)
class SequenceData:
    """Train/validation/test arrays in the engine's shapes, plus what the UI shows about them.

    ``X_*`` are ``(N, T, D)``; ``y_*`` are ``(N, O)`` (many-to-one) or ``(N, T, O)``.
    ``y_scaler.inverse`` maps targets and predictions back to ``target_unit``.
    ``last_value_feature`` is the input column holding the target's own past, when there is
    one: it defines the "repeat the last value" baseline and makes free-running rollout possible.
    ``independent`` says the samples are separate sequences (sum, adding, counting), not
    windows sliding along one series: neighbouring samples have nothing to do with each other.
    ``source_options`` are the choices a CSV was read with (target, inputs, window, horizon,
    fill): the file's name alone does not say what a run on it learned.
    ``split_dates`` map "train", "val" and "test" to the dates of each split's rows, when the
    file dates its rows (``csv_dates``): the charts' time axis.
    """

    name: str
    description: str
    X_train: Array
    y_train: Array
    X_val: Array
    y_val: Array
    X_test: Array
    y_test: Array
    many_to_many: bool
    feature_names: tuple[str, ...]
    target_names: tuple[str, ...]
    x_scaler: Scaler
    y_scaler: Scaler
    target_unit: str = ""
    last_value_feature: int | None = None
    independent: bool = False
    source_options: Mapping[str, Any] = field(default_factory=dict)
    split_dates: Mapping[str, Array] | None = None

    @property
    def input_size(self) -> int:
        """D, the number of input features per step."""
        return self.X_train.shape[2]

    @property
    def output_size(self) -> int:
        """O, the number of targets."""
        return self.y_train.shape[-1]

    @property
    def window(self) -> int:
        """T, the sequence length."""
        return self.X_train.shape[1]

    @property
    def loss_units(self) -> str:
        """The units of a loss on these targets, as a label says them."""
        return "data's own units" if self.y_scaler.is_identity else "scaled units"

    def target_dates(self, split: str) -> Array | None:
        """``(M,)`` the date of each window's target row in ``split``, if the rows are dated.

        The last window's target is the split's last row, and windows slide by one row, so
        the targets are the split's last M rows.
        """
        if self.split_dates is None:
            return None
        rows = self.split_dates[split]  # (rows of the split,)
        return rows[len(rows) - len(getattr(self, f"X_{split}")) :]

    def baselines(self) -> dict[str, float]:
        """Validation MSE of the trivial predictors an RNN must beat (in ``loss_units``)."""
        mean = self.y_train.reshape(-1, self.output_size).mean(axis=0)  # (O,)
        result = {MEAN_BASELINE: float(np.mean((self.y_val - mean) ** 2))}
        k = self.last_value_feature
        if k is not None:
            # The input column in real units, then in the target's scaling: (N, T, 1).
            real = self.X_val[..., k, None] * self.x_scaler.std[k] + self.x_scaler.mean[k]
            last = self.y_scaler.transform(real)
            guess = last if self.many_to_many else last[:, -1]
            result["repeat the last value"] = float(np.mean((self.y_val - guess) ** 2))
        return result


def split_percentages(fractions: tuple[float, float, float]) -> str:
    """The split as a description says it: 70/15/15."""
    return "/".join(f"{100 * f:.3g}" for f in fractions)


def split_counts(n: int, fractions: tuple[float, float, float]) -> tuple[int, int, int]:
    """Sizes of the train/val/test parts of n consecutive items (train gets the rounding)."""
    n_val, n_test = int(n * fractions[1]), int(n * fractions[2])
    return n - n_val - n_test, n_val, n_test


def window_series(
    features: Array, targets: Array, window: int, horizon: int, many_to_many: bool
) -> tuple[Array, Array]:
    """Every window of ``window`` rows, with the target ``horizon`` rows after its end.

    ``features (N, D)``, ``targets (N, O)`` -> ``X (M, T, D)`` and ``y (M, O)`` (the target
    row ``horizon`` after the window's last row) or ``y (M, T, O)`` (that row for every step),
    where M = N − T − horizon + 1.
    """
    n_windows = len(features) - window - horizon + 1
    X = sliding_window_view(features, window, axis=0)[:n_windows]  # (M, D, T)
    X = np.ascontiguousarray(X.transpose(0, 2, 1))  # (M, T, D)
    shifted = targets[horizon:]  # (N − h, O): row i is the target "horizon" after row i
    if many_to_many:
        y = sliding_window_view(shifted, window, axis=0)[:n_windows].transpose(0, 2, 1)
    else:
        y = shifted[window - 1 : window - 1 + n_windows]  # (M, O)
    return X, np.ascontiguousarray(y)


# Windows copy each row ``window`` times: a 20 MB file cut into 1000-row windows of four
# columns needed 12 GB and ended in a MemoryError. Far above any run the app can train.
MAX_WINDOW_BYTES = 1_000_000_000


def _check_window_bytes(n: int, window: int, per_window: int) -> None:
    """DatasetError when the windows of ``n`` rows (``per_window`` values each) would not fit."""
    size = n * per_window * 8  # float64, every split together (about one window per row)
    if size > MAX_WINDOW_BYTES:
        raise DatasetError(
            f"{window}-row windows over {n:,} rows would take {size / 1e9:.1f} GB of memory "
            f"(the limit is {MAX_WINDOW_BYTES / 1e9:g} GB); use a shorter window, fewer "
            "columns or fewer rows"
        )


def minimum_rows(window: int, horizon: int, fractions: tuple[float, float, float]) -> int:
    """Fewest series rows for which every split still holds at least one window."""
    n = window + horizon
    while min(split_counts(n, fractions)) < window + horizon:
        n += 1
    return n


def _what_fits(n: int, window: int, horizon: int, fractions) -> str:
    """Advice for a series too short for ``window`` + ``horizon``: the longest that fits.

    A shorter window comes first: built-in series have no horizon to change.
    """
    windows = [w for w in range(1, window) if minimum_rows(w, horizon, fractions) <= n]
    if windows:
        return f"use a window of at most {windows[-1]}"
    horizons = [h for h in range(horizon) if minimum_rows(window, h, fractions) <= n]
    return f"use a horizon of at most {horizons[-1]}" if horizons else "use a longer series"


def series_data(
    features: Array,
    targets: Array,
    *,
    window: int,
    horizon: int,
    fractions: tuple[float, float, float],
    many_to_many: bool = False,
    scale: bool = False,
    dates: Array | None = None,
    **meta,
) -> SequenceData:
    """Chronological split of a series, then (optionally) scaling fitted on train, then windows.

    ``dates (N,)``, one per row if given, are split with the rows (``split_dates``).
    """
    n = len(features)
    needed = minimum_rows(window, horizon, fractions)
    if n < needed:
        advice = _what_fits(n, window, horizon, fractions)
        raise DatasetError(
            f"the series has {n} rows, but window {window} + horizon {horizon} with a "
            f"{split_percentages(fractions)} split needs at least {needed}; {advice}"
        )
    per_window = window * features.shape[1] + targets.shape[1] * (window if many_to_many else 1)
    _check_window_bytes(n, window, per_window)
    n_train, n_val, _ = split_counts(n, fractions)
    if scale:
        x_scaler, y_scaler = Scaler.fit(features[:n_train]), Scaler.fit(targets[:n_train])
    else:
        x_scaler, y_scaler = Scaler.identity(features.shape[1]), Scaler.identity(targets.shape[1])
    fx, ty = x_scaler.transform(features), y_scaler.transform(targets)
    parts, split_dates = {}, {}
    for split, (start, stop) in {
        "train": (0, n_train),
        "val": (n_train, n_train + n_val),
        "test": (n_train + n_val, n),
    }.items():
        X, y = window_series(fx[start:stop], ty[start:stop], window, horizon, many_to_many)
        parts[f"X_{split}"], parts[f"y_{split}"] = X, y
        if dates is not None:
            split_dates[split] = dates[start:stop]  # (stop − start,)
    return SequenceData(
        **parts, many_to_many=many_to_many, x_scaler=x_scaler, y_scaler=y_scaler,
        split_dates=split_dates or None, **meta,
    )  # fmt: skip
