"""What the Datasets page shows about a ``SequenceData``: series, samples, splits, statistics.

Pure functions (no Streamlit): windows back to a series, per-split statistics, figures.
"""

from __future__ import annotations

import numpy as np
import pandas as pd
import plotly.graph_objects as go

from rnn_core.datasets import SequenceData

from .date_gaps import broken_at, gap_note, gap_starts
from .figures import COLORS, line_trace, styled_figure

SPLITS = ("train", "val", "test")
SPLIT_NAMES = {"train": "training", "val": "validation", "test": "test"}
SAMPLES = 4
# Points per split drawn on the series chart: a 20 MB file's 2.4 million rows made 45 MB of
# chart for the browser to draw, for a line 1,000 pixels wide.
SERIES_POINTS = 4000


def is_series(data: SequenceData) -> bool:
    """Windows cut from one series (consecutive windows overlap), not independent samples."""
    X = data.X_train
    return len(X) > 1 and X.shape[1] > 1 and np.array_equal(X[0, 1:], X[1, :-1])


def split_series(data: SequenceData, split: str) -> np.ndarray:
    """The stretch of series a split's windows were cut from, first feature, real units: (N,)."""
    X = data.x_scaler.inverse(getattr(data, f"X_{split}"))[..., 0]  # (M, T)
    return np.concatenate([X[0], X[1:, -1]])


def series_figure(data: SequenceData) -> go.Figure:
    """The whole series, coloured by split: nothing of one split is inside another.

    On the file's dates when it has them (``split_dates``), else numbered by time step; where
    the dates skip time the line breaks and the subtitle names the gap (``date_gaps``). A
    long split is drawn through its extremes (``extremes``), and the subtitle says so.
    """
    traces, start, thinned = [], 0, False
    for i, split in enumerate(SPLITS):
        y = split_series(data, split)  # (N,)
        if data.split_dates is None:
            x, hover = np.arange(start, start + len(y)), "t = %{x}<br>%{y:.4g}"
            gaps = np.array([], dtype=int)
        else:
            x, hover = data.split_dates[split][: len(y)], "%{x}<br>%{y:.4g}"
            gaps = gap_starts(x)  # (gaps,) on every row: among thinned points a gap can hide
        # The rows either side of a gap are kept, so the line breaks exactly there.
        keep = np.union1d(extremes(y, SERIES_POINTS), np.concatenate([gaps, gaps + 1]))
        thinned |= len(keep) < len(y)
        shown_x, shown_y = broken_at(x[keep], y[keep], np.searchsorted(keep, gaps))
        traces.append(
            line_trace(shown_x, shown_y, SPLIT_NAMES[split], hover, line={"color": COLORS[i]})
        )
        start += len(y)
    notes = ["drawn through each stretch's lowest and highest values"] if thinned else []
    if data.split_dates is not None:
        notes.append(gap_note(np.concatenate([data.split_dates[s] for s in SPLITS])))
    return styled_figure(
        traces,
        f"{data.feature_names[0]} over time, by split",
        "time step" if data.split_dates is None else "date",
        data.feature_names[0],
        subtitle="; ".join(n for n in notes if n),
    )


def extremes(y: np.ndarray, limit: int) -> np.ndarray:
    """Indices of at most ``limit`` (≥ 4) points of ``y (N,)`` that keep its shape, in order.

    ``y`` is cut into stretches of equal length, and each keeps its lowest and highest
    value: every k-th point would smooth a noisy series into a calmer one than the data.
    A NaN (no series here has one) counts as the stretch's lowest and highest.
    """
    if len(y) <= limit:
        return np.arange(len(y))
    k = -(-2 * len(y) // (max(limit, 4) - 2))  # points per stretch (two kept): ≤ limit / 2
    n_stretches = -(-len(y) // k)
    # The last stretch is filled up with its own last value, which never comes first.
    padded = np.concatenate([y, np.full(n_stretches * k - len(y), y[-1])])  # (S · k,)
    stretches = padded.reshape(n_stretches, k)  # (S, k)
    starts = np.arange(n_stretches) * k  # (S,)
    lows, highs = starts + stretches.argmin(axis=1), starts + stretches.argmax(axis=1)
    return np.unique(np.concatenate([lows, highs]))


def samples_figure(data: SequenceData) -> go.Figure:
    """A few training sequences (first feature) with their targets marked."""
    X = data.x_scaler.inverse(data.X_train[:SAMPLES])  # (S, T, D)
    y = data.y_scaler.inverse(data.y_train[:SAMPLES])  # (S, O) or (S, T, O)
    T = X.shape[1]
    indicators = _indicators(X)
    traces = []
    for i in range(len(X)):
        color = {"color": COLORS[i % len(COLORS)]}
        traces.append(
            line_trace(
                np.arange(1, T + 1),
                X[i, :, 0],
                f"sample {i}: {data.feature_names[0]}",
                "t = %{x}<br>%{y:.4g}",
                mode="lines+markers",
                line=color,
            )
        )
        for k in indicators:  # e.g. the adding problem's marker: which values count
            marked = np.flatnonzero(X[i, :, k] == 1)
            traces.append(
                line_trace(
                    marked + 1,
                    X[i, marked, 0],
                    f"sample {i}: {data.feature_names[k]} = 1",
                    "t = %{x}<br>%{y:.4g} (marked)",
                    mode="markers",
                    marker={"symbol": "circle-open", "size": 16, "line": {"width": 2}, **color},
                    showlegend=False,  # the subtitle says what circles mean
                )
            )
        target_x = np.arange(1, T + 1) if data.many_to_many else np.array([T + 1])
        target_y = y[i, :, 0] if data.many_to_many else y[i, :1]
        traces.append(
            line_trace(
                target_x,
                target_y,
                f"sample {i}: target",
                "%{y:.4g}",
                mode="markers",
                marker={"symbol": "star", "size": 12, **color},
            )
        )
    details = (
        f"{data.feature_names[0]} over time; circled: where "
        f"{' or '.join(data.feature_names[k] for k in indicators)} is 1"
        if indicators
        else ""
    )
    return styled_figure(
        traces, "Training samples and their targets (★)", "time step", "value", subtitle=details
    )


def _indicators(X: np.ndarray) -> list[int]:
    """Input features after the first that only hold 0 and 1: they mark steps of the first.

    Only the first feature is drawn as a line, so an indicator (the adding problem's marker,
    which picks the two values to add) is shown as circles on it instead of being left out.
    """
    return [k for k in range(1, X.shape[2]) if np.isin(X[..., k], (0.0, 1.0)).all()]


def split_statistics(data: SequenceData) -> pd.DataFrame:
    """Windows, shapes and target statistics (real units) per split."""
    rows = {}
    for split in SPLITS:
        X, y = getattr(data, f"X_{split}"), data.y_scaler.inverse(getattr(data, f"y_{split}"))
        rows[SPLIT_NAMES[split]] = {
            "windows": len(X),
            "time steps T": X.shape[1],
            "features D": X.shape[2],
            "target mean": float(y.mean()),
            "target std": float(y.std()),
            "target min": float(y.min()),
            "target max": float(y.max()),
        }
    return pd.DataFrame(rows)
