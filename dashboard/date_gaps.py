"""Where a dated series skips time: a break in its line, and a note that names the gap.

The course's weather file has no rows from 1986-07-31 to 2000-01-01. Drawn against dates, a
line straight across that gap looked like thirteen years of one temperature; against row
numbers the gap could not be seen at all, though windows cut across it.
"""

from __future__ import annotations

import numpy as np

from rnn_core.wording import count

GAP_FACTOR = 10  # a step this many times the series' usual step is a gap


def gap_starts(dates: np.ndarray) -> np.ndarray:
    """Indices i of ``dates (N,)`` after which the series skips time: (gaps,), in order.

    A skip is a step over GAP_FACTOR times the median step, so daily data broken for a week
    has a gap, a weekend in business days has none, and neither has data sampled twice an
    hour or once a year. Three dates or fewer have no usual step to compare with: no gaps.
    """
    steps = np.diff(dates)  # (N − 1,) timedelta64
    if len(steps) < 3:
        return np.array([], dtype=int)
    return np.flatnonzero(steps > GAP_FACTOR * np.median(steps))


def broken_at(x: np.ndarray, y: np.ndarray, starts: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """``x (N,)`` and ``y (N,)`` with a NaN point after each index in ``starts``.

    Plotly breaks a line at a NaN. The gaps are found on the full dates (``gap_starts``) and
    passed in: among thinned or fewer points the usual step is another, and a gap can hide.
    """
    after = np.asarray(starts, dtype=int) + 1  # (gaps,) where the NaN points go
    return np.insert(x, after, x[after - 1]), np.insert(y.astype(float), after, np.nan)


def gap_note(dates: np.ndarray) -> str:
    """The longest gap of ``dates (N,)`` in words, with how many more there are, or ""."""
    starts = gap_starts(dates)  # (gaps,)
    if not len(starts):
        return ""
    i = starts[np.argmax(dates[starts + 1] - dates[starts])]
    start, end = (np.datetime_as_string(dates[k], unit="auto") for k in (i, i + 1))
    more = f" (and {count(len(starts) - 1, 'more gap')})" if len(starts) > 1 else ""
    return f"no rows between {start} and {end}{more}"
