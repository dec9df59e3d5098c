"""The Train page's prediction chart: validation truth against the network's predictions.

Predictions come one step ahead and, for the sine-like datasets, free-running (the model's own
outputs fed back in); a model on its way to a blow-up predicts values that would flatten the
truth, so those are left out and said to be.
"""

from __future__ import annotations

import numpy as np
import plotly.graph_objects as go

from rnn_core.datasets import SequenceData
from rnn_core.wording import samples

from .date_gaps import broken_at, gap_starts
from .evaluate import Predictions
from .figures import COLORS, line_trace, styled_figure


def quantity(data) -> str:
    """What the network predicts, with its unit: "tmax_tomorrow (°C)", "next value".

    A CSV's target column by its name: its axis said "value" for whatever the file held.
    """
    name = data.target_names[0] if data.target_names else "value"
    return f"{name} ({data.target_unit})" if data.target_unit else name


def dates_are(data: SequenceData) -> str:
    """What the dates on the prediction chart's x axis are the dates of.

    A target ``horizon`` rows ahead is in the row whose date it gets. At horizon 0 a column
    already holds the future value (weather's tmax_tomorrow), and its row is the window's
    last: tomorrow's temperature drawn at today's date, which the axis must say.
    """
    return "date" if data.source_options.get("horizon") else "date of the window's last row"


def prediction_figure(
    pred: Predictions,
    quantity: str,
    rollout: Predictions | None = None,
    *,
    independent: bool = False,
    total: int | None = None,
    dates: np.ndarray | None = None,
    dates_are: str = "date",
) -> go.Figure:
    """Validation truth vs predictions of ``quantity``, plus a free-running rollout if given.

    Windows of one series are drawn as lines along the series (each predicts the step after
    it); ``independent`` sequences as a scatter of prediction against truth
    (``_scatter_figure``). Predictions far outside the truth's range (``_Sane``) are left
    out, with a note. ``pred`` holds the first of ``total`` validation samples: when it is
    not all of them, the subtitle says so (an axis of 0 to 300 read as the whole of 2,000).
    ``dates`` (one per validation window, from the file) replace the windows' numbers on the
    x axis: "it misses the first warm days of spring" needs them. ``dates_are`` names them
    on the axis.
    """
    sane = _Sane(pred.truth, [pred.predicted, *([rollout.predicted] if rollout else [])])
    notes = []
    if total is not None and len(pred.truth) < total:
        shown = len(pred.truth)
        notes.append(f"the first {shown:,} of {total:,} validation {samples(independent)}")
    if sane.wild:
        notes.append("predictions far outside the truth's range are left out")
    note = "; ".join(notes)
    if independent:
        return _scatter_figure(pred, quantity, sane, note)
    # One x per window, as far as the predictions or the rollout (which may be longer) go.
    index = np.arange(max(len(pred.truth), len(rollout.predicted) if rollout else 0))
    x = index if dates is None else dates[: len(index)]  # (shown,)
    gaps = np.array([], dtype=int) if dates is None else gap_starts(x)  # (gaps,) for every line

    def along(y: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
        """The line of ``y`` along x, broken where the dates skip time (``date_gaps``)."""
        return broken_at(x[: len(y)], y, gaps[gaps < len(y) - 1])

    traces = [
        line_trace(*along(pred.truth), "truth", "%{y:.4g}", line={"color": "#444", "width": 3}),
        line_trace(
            *along(sane.shown(pred.predicted)),
            "prediction (one step ahead)",
            "%{y:.4g}",
            line={"color": COLORS[0], "width": 2},
        ),
    ]
    if rollout is not None:
        traces.append(
            line_trace(
                *along(sane.shown(rollout.predicted)),  # forecasts of the windows' targets
                # Short enough for a half-width legend at 1024 px, where it was cut off.
                f"rollout on its own predictions, first {len(rollout.predicted)}",
                "%{y:.4g}",
                line={"color": COLORS[3], "width": 2, "dash": "dash"},
            )
        )
    return styled_figure(
        traces,
        "Prediction vs truth (validation)",
        "validation window" if dates is None else dates_are,
        quantity,
        subtitle=note,
        y_range=sane.axis if sane.wild else None,
    )


def _scatter_figure(pred: Predictions, quantity: str, sane: _Sane, note: str) -> go.Figure:
    """Each independent sequence as a dot at (truth, prediction), over a perfect fit's diagonal.

    Against the sequence's index, 300 answers of the sum task were a cloud of overlapping
    dots in two colours; here how far a dot sits from the diagonal is how wrong it is. The
    two axes share one range, so the diagonal runs corner to corner.
    """
    low, high = sane.axis if sane.wild else _both_ranges(pred)
    traces = [
        line_trace(
            pred.truth,
            sane.shown(pred.predicted),
            "validation sequence",
            "truth %{x:.4g}<br>prediction %{y:.4g}",
            mode="markers",
            marker={"color": COLORS[0], "size": 6, "opacity": 0.6},
        ),
        line_trace(  # drawn over the dots: a good fit's dots had covered it whole
            np.array([low, high]),
            np.array([low, high]),
            "perfect prediction",
            "perfect: prediction = truth",
            line={"color": "#444", "width": 1.5, "dash": "dot"},
        ),
    ]
    figure = styled_figure(
        traces,
        "Prediction vs truth (validation)",
        f"truth: {quantity}",
        f"prediction: {quantity}",
        subtitle=note or "on the dotted diagonal: predicted exactly",
        y_range=[low, high],
    )
    figure.update_xaxes(range=[low, high])
    return figure


def _both_ranges(pred: Predictions) -> tuple[float, float]:
    """One range holding the truth and the predictions, with a margin of a twentieth."""
    values = np.concatenate([pred.truth, pred.predicted])  # (2 · sequences,)
    low, high = float(np.min(values)), float(np.max(values))
    margin = 0.05 * ((high - low) or 1.0)
    return low - margin, high + margin


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
