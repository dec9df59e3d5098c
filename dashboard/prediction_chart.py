"""The Train page's prediction chart: validation truth against the network's predictions.

Predictions come one step ahead and, for the sine-like datasets, free-running (the model's own
outputs fed back in); a model on its way to a blow-up predicts values that would flatten the
truth, so those are left out and said to be.
"""

from __future__ import annotations

import numpy as np
import plotly.graph_objects as go

from .evaluate import Predictions
from .figures import COLORS, line_trace, styled_figure


def quantity(data) -> str:
    """What the network predicts, with its unit: "tmax_tomorrow (°C)", "next value".

    A CSV's target column by its name: its axis said "value" for whatever the file held.
    """
    name = data.target_names[0] if data.target_names else "value"
    return f"{name} ({data.target_unit})" if data.target_unit else name


def prediction_figure(
    pred: Predictions,
    quantity: str,
    rollout: Predictions | None = None,
    *,
    independent: bool = False,
) -> go.Figure:
    """Validation truth vs predictions of ``quantity`` (the y axis's title), plus a rollout.

    Windows of one series are drawn as lines (each predicts the step after it); ``independent``
    sequences as dots, since a line from one sequence's answer to the next would mean nothing.
    Predictions far outside the truth's range (``sane``) are left out, with a note.
    """
    sane = _Sane(pred.truth, [pred.predicted, *([rollout.predicted] if rollout else [])])
    x = np.arange(len(pred.truth))
    dots = {"mode": "markers"} if independent else {}
    traces = [
        line_trace(x, pred.truth, "truth", "%{y:.4g}", line={"color": "#444", "width": 3}, **dots),
        line_trace(
            x,
            sane.shown(pred.predicted),
            "prediction" if independent else "prediction (one step ahead)",
            "%{y:.4g}",
            line={"color": COLORS[0], "width": 2},
            **dots,
        ),
    ]
    if rollout is not None:
        traces.append(
            line_trace(
                np.arange(len(rollout.predicted)),
                sane.shown(rollout.predicted),
                f"free-running rollout, first {len(rollout.predicted)} (own predictions fed back)",
                "%{y:.4g}",
                line={"color": COLORS[3], "width": 2, "dash": "dash"},
            )
        )
    x_title = "validation sequence" if independent else "validation window"
    note = "predictions far outside the truth's range are left out" if sane.wild else ""
    return styled_figure(
        traces,
        "Prediction vs truth (validation)",
        x_title,
        quantity,
        subtitle=note,
        y_range=sane.axis if sane.wild else None,
    )


class _Sane:
    """Which predictions can share a chart with the truth.

    A model on its way to a blow-up predicts 1e152: drawn, it flattens the truth to a line,
    and a rollout swinging between ±1e152 crosses the chart as vertical lines. Values more
    than ``WILD_SPANS`` truth-spans outside the truth's range are left out, and the axis then
    stays one span around the truth. Only a truth with no spread at all (one validation
    window, or a constant series) gets a span of a tenth of its size, or every prediction
    would be wild; any other keeps its own spread (pressure at 1005–1025 hPa: 20, not 100).
    """

    WILD_SPANS = 10

    def __init__(self, truth: np.ndarray, predictions: list[np.ndarray]) -> None:
        low, high = float(np.min(truth)), float(np.max(truth))
        span = (high - low) or max(0.1 * max(abs(low), abs(high)), 1e-12)
        self.axis = [low - span, high + span]
        self.band = (low - self.WILD_SPANS * span, high + self.WILD_SPANS * span)
        self.wild = any(not self._inside(p).all() for p in predictions)

    def _inside(self, values: np.ndarray) -> np.ndarray:
        with np.errstate(invalid="ignore"):
            return (values >= self.band[0]) & (values <= self.band[1])  # NaN: outside

    def shown(self, values: np.ndarray) -> np.ndarray:
        """``values`` with the wild ones as gaps (all of them, when none is wild)."""
        return np.where(self._inside(values), values, np.nan) if self.wild else values
