"""Where a dated series skips time: a break in its line, and a note that names the gap.

The course's weather file has no rows from 1986-07-31 to 2000-01-01. Drawn against dates, a
line straight across that gap looked like thirteen years of one temperature; against row
numbers the gap could not be seen at all, though windows cut across it.
"""

from __future__ import annotations

import numpy as np

GAP_FACTOR = 10  # a step this many times the series' usual step is a gap
NAMED_GAPS = 2  # the longest gaps a note names; the rest are counted


def gap_starts(dates: np.ndarray) -> np.ndarray:
    """Indices i of ``dates (N,)`` after which the series skips time: (gaps,), in order.

    A skip is a step over GAP_FACTOR times the median step, so daily data broken for a week
    has a gap, and data sampled twice an hour or once a year has none of its own.
    """
    steps = np.diff(dates)  # (N − 1,) timedelta64
    if len(steps) < 2:
        return np.array([], dtype=int)
    return np.flatnonzero(steps > GAP_FACTOR * np.median(steps))


def broken_at_gaps(dates: np.ndarray, y: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """``dates (N,)`` and ``y (N,)`` with a NaN point after each gap: Plotly breaks the line."""
    after = gap_starts(dates) + 1  # (gaps,) where the NaN points go
    return np.insert(dates, after, dates[after - 1]), np.insert(y.astype(float), after, np.nan)


def gap_note(dates: np.ndarray) -> str:
    """The longest gaps of ``dates (N,)`` in words ("no rows from … to …"), or ""."""
    starts = gap_starts(dates)  # (gaps,)
    if not len(starts):
        return ""
    longest = starts[np.argsort(dates[starts] - dates[starts + 1], kind="stable")][:NAMED_GAPS]
    spans = [
        f"{np.datetime_as_string(dates[i], unit='auto')} to "
        f"{np.datetime_as_string(dates[i + 1], unit='auto')}"
        for i in sorted(longest)
    ]
    more = len(starts) - len(spans)
    return f"no rows from {' and from '.join(spans)}" + (f" (and {more} more gaps)" if more else "")
