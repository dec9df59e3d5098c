"""The dates of a CSV's rows, when a column holds them: the prediction chart's time axis.

A forecast drawn against "validation window 0 … 900" does not say *when* it went wrong;
against dates a class sees that the network misses the first warm days of spring. Only
ISO 8601 dates (2015-01-31, 2015-01-31 06:00, or 2015-01 for monthly data) are read:
"01/02/2015" is the first of February in Europe and the second of January in the US, and a
wrong axis is worse than none. The first cell must have its dashes (year-month): ISO 8601
also reads "1800" as a year, and pandas writes a sliced frame's row numbers 1800, 1801, …
into the same first column (a later cell without dashes is read, if the dates still rise).
The dates are for showing only; they are never an input.
"""

from __future__ import annotations

import re
from typing import TYPE_CHECKING

import numpy as np

if TYPE_CHECKING:
    import pandas as pd

DASHED_DATE = re.compile(r"\d{4}-\d{1,2}\b")  # at the start of a cell: 2015-01, 2015-01-31…


def row_dates(candidates: list[pd.Series]) -> np.ndarray | None:
    """The first column of text cells that are all ISO dates, increasing row by row, or None.

    ``candidates`` are pandas Series of text cells, one per row (the file's text columns, and
    its unnamed first column, where ``DataFrame.to_csv`` writes a date index). Dates that go
    back or repeat (rows out of order, several stations in one file) do not make a time axis.
    Returns ``(N,)`` datetime64 values.
    """
    import pandas as pd

    for cells in candidates:
        cells = cells.str.strip()
        # A column of words or numbers fails at its first cell, before all rows are parsed;
        # a later "1800" would be read as a year, and then the dates do not rise.
        if not DASHED_DATE.match(cells.iloc[0]):
            continue
        try:
            # In UTC: one axis for every offset ("…+01:00"); dates without one stay as written.
            dates = pd.to_datetime(cells, format="ISO8601", utc=True).dt.tz_convert(None)
        except (ValueError, OverflowError):
            continue
        values = dates.to_numpy()  # (N,) datetime64; NaT where a cell was empty
        if not np.isnat(values).any() and (np.diff(values) > np.timedelta64(0)).all():
            return values
    return None
