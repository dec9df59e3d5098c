"""The user's own CSV time series, and the shipped Seattle weather record read through it.

Untrusted input: the file is size-capped and decoded as text (``csv_text``, which also finds
its field separator and checks its header), then parsed with pandas' CSV reader as text cells
(``csv_table``), which ``csv_numbers`` reads as numbers with the file's decimal mark; nothing
in it is executed or unpickled. Every problem becomes a ``DatasetError`` whose message names
the column, line or option to fix. pandas is used only in these ``csv_*`` modules and here:
the rest of the engine is NumPy alone.
"""

from __future__ import annotations

from collections.abc import Sequence
from pathlib import Path
from typing import IO, NamedTuple

import numpy as np

from ..wording import count, quoted
from .core import (
    DEFAULT_FRACTIONS,
    DatasetError,
    SequenceData,
    check_fractions,
    check_int,
    series_data,
    split_percentages,
)
from .csv_dates import row_dates
from .csv_numbers import MISSING, as_numbers, cell_text, number_mark, thousands_hint
from .csv_table import read_table
from .csv_text import MAX_BYTES

WEATHER_FILE = Path(__file__).resolve().parents[2] / "data" / "seattle_weather.csv"
FILL_MODES = ("refuse", "ffill")
# Beyond this the scaler's variance and the loss in real units overflow float64 (squares of
# 1e154 are infinite); no real measurement comes near it.
MAX_MAGNITUDE = 1e100
# Below this the variance underflows to 0 (1e-300 squared) and scaling divides by it.
MIN_SPREAD = 1e-100


def _numeric_column(frame, name: str, decimal: str) -> np.ndarray:
    """A column as float64 with NaN for missing cells; text cells are an error."""
    raw = cell_text(frame[name])
    values = as_numbers(raw, decimal)
    bad = values.isna() & ~raw.isin(MISSING)
    if bad.any():
        i = int(np.flatnonzero(bad.to_numpy())[0])
        cell = raw.iloc[i]
        fix = thousands_hint(cell, decimal) or "fix or remove those rows"
        raise DatasetError(
            f"column {quoted(name)} has text where a number should be: {quoted(cell)} on "
            f"line {i + 2} ({count(int(bad.sum()), 'such cell')} in all); {fix}"
        )
    return values.to_numpy(dtype=np.float64)


def _fill_missing(column: np.ndarray, name: str, fill: str) -> np.ndarray:
    missing = np.isnan(column)
    if np.isinf(column).any():
        line = int(np.flatnonzero(np.isinf(column))[0]) + 2
        raise DatasetError(
            f"column {quoted(name)} has an infinite value on line {line}; replace it with a number"
        )
    huge = np.abs(column) > MAX_MAGNITUDE  # NaN compares False
    if huge.any():
        i = int(np.flatnonzero(huge)[0])
        raise DatasetError(
            f"column {quoted(name)} has {column[i]:.3g} on line {i + 2}, too large to compute with "
            f"(the limit is ±{MAX_MAGNITUDE:.0e}); rescale the column, e.g. to other units"
        )
    if not missing.any():
        return column
    first = int(np.flatnonzero(missing)[0]) + 2
    if fill == "refuse":
        raise DatasetError(
            f"column {quoted(name)} has {count(int(missing.sum()), 'missing value')} (first "
            f"on line {first}); fill them in the file or choose forward fill"
        )
    if missing[0]:
        raise DatasetError(
            f"column {quoted(name)} starts with missing values, so forward fill has nothing "
            "to copy; drop those first rows"
        )
    last_seen = np.maximum.accumulate(np.where(missing, 0, np.arange(len(column))))
    return column[last_seen]


def _check_options(names, numeric, why, target, inputs, horizon, fill) -> list[str]:
    if fill not in FILL_MODES:
        raise DatasetError(f"fill must be one of {', '.join(FILL_MODES)}; got {fill!r}")
    choices = ", ".join(numeric)
    if target not in names:
        raise DatasetError(
            f"target column {quoted(target)} is not in the file; numeric columns are: {choices}"
        )
    inputs = list(inputs) if inputs is not None else [target]
    if not inputs:
        raise DatasetError("choose at least one input column")
    missing = [c for c in inputs if c not in names]
    if missing:
        raise DatasetError(
            f"input {'column' if len(missing) == 1 else 'columns'} "
            f"{', '.join(map(repr, missing))} not in the file; "
            f"numeric columns are: {choices}"
        )
    texts = [c for c in dict.fromkeys([target, *inputs]) if c not in numeric]
    if texts:
        reason = (
            f"is left out: {why[texts[0]]}"
            if texts[0] in why
            else "holds no numbers (text or dates only)"
        )
        raise DatasetError(
            f"column {quoted(texts[0])} {reason}; choose among the numeric columns: {choices}"
        )
    if horizon == 0 and target in inputs:
        raise DatasetError(
            f"with horizon 0 the target {quoted(target)} cannot also be an input: the network "
            "would see the answer. Remove it from the input columns (a target that already "
            "holds the future value, like tmax_tomorrow, needs horizon 0), or predict it from "
            "its own past with horizon ≥ 1"
        )
    return inputs


# Share of rows on which an input equals the target's previous value for it to be the target's
# own past: seed 002's tmax beside tmax_tomorrow, equal but where gaps were filled.
SAME_VALUES = 0.95


def _target_past(columns: dict[str, np.ndarray], inputs: list[str], target: str) -> str | None:
    """The input that holds the target's previous value, row by row, if one does.

    A target that already holds the future (tmax_tomorrow, horizon 0) is no input, so the
    guess "repeat the last value" had nothing to repeat and the training mean was called
    the best simple guess: a model 8 % better than "tomorrow is like today" was graded 2.9×
    better than a guess. The file's own tmax is that last value.
    """
    previous = columns[target][:-1]  # (N − 1,) the target as known one row later
    for name in inputs:
        if np.mean(np.isclose(columns[name][1:], previous)) >= SAME_VALUES:
            return name
    return None


class CsvColumns(NamedTuple):
    """A CSV file's named columns: those to offer as target and inputs, and the rest."""

    numeric: list[str]  # holding numbers (stray text in them is reported by ``load_csv``)
    other: list[str]  # no numbers to learn from: text, dates, or numbers with a mark
    why: dict[str, str]  # for some of ``other``: why a column of numbers is left out
    separator: str  # between the fields: ",", ";", "\t" or "|"
    decimal: str  # the decimal mark the numbers were read with: "." or ","

    def left_out(self) -> str:
        """The other columns, each with why it is left out, for a sentence."""
        return ", ".join(f"{c} ({self.why.get(c, 'no numbers')})" for c in self.other)


def csv_columns(source: str | Path | IO[bytes], *, max_bytes: int = MAX_BYTES) -> CsvColumns:
    """The columns of a CSV file (validated: size, text, header, table), to offer as choices.

    A column of numbers written with a mark (5%, $12) or with the decimal mark the file's
    other columns do not use is left out, as ``load_csv`` cannot read it, but never silently:
    ``why`` says what to change to use it.
    """
    frame, head, numeric, decimal, why, _ = read_table(source, max_bytes)
    names, read = head.names, set(numeric)  # a set: 100,000 columns took 37 s with a list
    other = [c for c in names if c and c not in read]
    marks = {c: marked for c in other if c not in why and (marked := number_mark(frame[c]))}
    why |= {
        c: f"numbers written with a mark: {cell}; remove the {mark!r} to use it"
        for c, (mark, cell) in marks.items()
    }
    return CsvColumns(numeric, other, why, head.separator, decimal)


def load_csv(
    source: str | Path | IO[bytes],
    *,
    target: str,
    inputs: Sequence[str] | None = None,
    window: int = 7,
    horizon: int = 1,
    fill: str = "refuse",
    fractions: Sequence[float] = DEFAULT_FRACTIONS,
    max_bytes: int = MAX_BYTES,
    name: str = "csv",
    target_unit: str = "",
    last_value: str | None = None,
    description: str | None = None,
    many_to_many: bool = False,
) -> SequenceData:
    """A numeric time series from a CSV file (rows in time order) as windowed, scaled data.

    Each sample is ``window`` consecutive rows of the ``inputs`` columns; its target is the
    ``target`` column ``horizon`` rows after the window's last row (``horizon=0`` for a column
    that already holds the future value, like seed 002's ``tmax_tomorrow``). Inputs default
    to the target itself (forecast a series from its own past). ``last_value`` names the input
    holding the target's own past (defaults to the target when it is an input), which gives the
    "repeat the last value" baseline. ``fill="ffill"`` carries the
    last value forward over gaps, as seed 002 did; by default gaps are refused.
    ``many_to_many`` gives every row of the window its own target (``horizon`` rows after that
    row), as seed 002 trained.
    """
    window = check_int("window", window, 1, 1000)
    horizon = check_int("horizon", horizon, 0, 1000)
    fractions = check_fractions(fractions)
    frame, head, numeric, decimal, why, leading = read_table(source, max_bytes)
    names = head.names
    inputs = _check_options(names, numeric, why, target, inputs, horizon, fill)
    columns = {
        c: _fill_missing(_numeric_column(frame, c, decimal), c, fill)
        for c in dict.fromkeys([*inputs, target])
    }
    for c, values in columns.items():
        if np.ptp(values) == 0:
            raise DatasetError(
                f"column {c!r} is constant (every value is {values[0]:g}); it carries no "
                "information. Choose another column"
            )
    features = np.stack([columns[c] for c in inputs], axis=1)  # (N, D)
    targets = columns[target][:, None]  # (N, 1)
    n_train = int(len(features) * fractions[0])
    for c, values in columns.items():
        training_part = values[:n_train]  # what the scaler is fitted on
        if n_train and np.ptp(training_part) == 0:
            raise DatasetError(
                f"column {c!r} is constant over the training part (the first "
                f"{100 * fractions[0]:.3g} % of rows), so it cannot be scaled; use more data"
            )
        if n_train and np.std(training_part) < MIN_SPREAD:
            raise DatasetError(
                f"column {c!r} varies by less than {MIN_SPREAD:.0e}, too little to scale in "
                "floating point; multiply the column by a large power of ten (other units) first"
            )
    if last_value is None and target in inputs and horizon >= 1:
        last_value = target
    elif last_value is None and horizon == 0:
        last_value = _target_past(columns, inputs, target)
    if last_value is not None and last_value not in inputs:
        raise DatasetError(f"last_value column {last_value!r} must be one of the inputs")
    if many_to_many:
        when = f"{count(horizon, 'row')} after each row" if horizon else "on every row"
    else:
        when = f"{count(horizon, 'row')} after the window" if horizon else "on the last row"
    texts = [frame[c] for c in names if c and c not in numeric]
    return series_data(
        features, targets, window=window, horizon=horizon, fractions=fractions, scale=True,
        many_to_many=many_to_many,
        dates=row_dates([cells for cells in [leading, *texts] if cells is not None]),
        name=name, feature_names=tuple(inputs), target_names=(target,), target_unit=target_unit,
        last_value_feature=inputs.index(last_value) if last_value else None,
        source_options={"target": target, "inputs": tuple(inputs), "window": window,
                        "horizon": horizon, "fill": fill, "many_to_many": many_to_many},
        description=description or (
            f"{len(features)} rows. Inputs: {', '.join(inputs)} over {count(window, 'row')}; "
            f"target: {target} {when}. "
            f"Split in time {split_percentages(fractions)} before windowing; scaled with "
            "statistics of the training "
            "part only."
        ),
    )  # fmt: skip


def weather(
    *,
    window: int = 7,
    many_to_many: bool = False,
    fractions: Sequence[float] = DEFAULT_FRACTIONS,
) -> SequenceData:
    """Seattle daily weather 2012–2015 (NOAA): predict tomorrow's max temperature.

    The shipped file has seed 002's format (``tmax, tmin, rain, tmax_tomorrow``, date index),
    so it goes through exactly the same loader as a user's CSV. ``many_to_many``: predict the
    next day at every day of the window, as seed 002 did, not only after the last.
    """
    fractions = check_fractions(fractions)
    task = (
        f"For each of the last {window} days predict the next day's maximum temperature"
        if many_to_many
        else f"From the last {window} days predict tomorrow's maximum temperature"
    )
    return load_csv(
        WEATHER_FILE, target="tmax_tomorrow", inputs=["tmax", "tmin", "rain"], window=window,
        horizon=0, fractions=fractions, name="weather", target_unit="°C", last_value="tmax",
        many_to_many=many_to_many,
        description=(
            "Daily weather in Seattle, 2012–2015 (NOAA, via the vega-datasets package): maximum "
            f"and minimum temperature (°C) and precipitation (mm). {task}. Split in time "
            f"{split_percentages(fractions)}; "
            "scaled with training statistics only."
        ),
    )  # fmt: skip
