"""The Train page's loss chart: training and validation MSE over the guesses to beat."""

from __future__ import annotations

import numpy as np
import plotly.graph_objects as go

from .figures import (
    COLORS,
    level_names,
    line_trace,
    positive_only,
    styled_figure,
    thin,
    waiting,
)

MAX_VALIDATION_MARKERS = 60


def loss_figure(
    history: dict[str, np.ndarray],
    val_history: dict[str, np.ndarray],
    units: str = "",
    baselines: dict[str, float] | None = None,
) -> go.Figure:
    """Training and validation MSE against step, log y; ``units`` goes in the title.

    ``baselines`` (name -> validation MSE of a trivial predictor) are drawn as dotted levels:
    a validation curve above them means the network has learnt less than a guess.
    """
    traces = []
    if len(history.get("step", ())):
        step, loss = thin(history["step"], history["loss"])
        traces.append(
            line_trace(
                step,
                positive_only(loss),
                "train (minibatch)",
                "step %{x}<br>train MSE %{y:.4g}",
                line={"color": COLORS[0], "width": 1.5},
            )
        )
    if len(val_history.get("step", ())):
        step, val = thin(val_history["step"], val_history["val_loss"])
        traces.append(
            line_trace(
                step,
                positive_only(val),
                "validation",
                "step %{x}<br>validation MSE %{y:.4g}",
                # Markers show where validation ran; on a long run they would bury the curve.
                mode="lines+markers" if len(step) <= MAX_VALIDATION_MARKERS else "lines",
                line={"color": COLORS[1], "width": 2.5},
                marker={"size": 5},
            )
        )
    guesses = baselines if len(history.get("step", ())) else {}
    span = np.array([0, history["step"][-1]]) if guesses else None  # (2,) the whole run
    for name, level in (guesses or {}).items():
        traces.append(
            line_trace(
                span,
                np.full(2, level),
                f"guess: {name}",
                f"{name}: MSE %{{y:.4g}}",
                line={"color": COLORS[7], "width": 1.5, "dash": "dot"},
                showlegend=False,  # labelled on the line: a legend of four wrapped into two
            )  # rows and left the plot 138 px tall on a projector
        )
    guessed = {f"guess: {name}": level for name, level in (guesses or {}).items()}
    names = level_names(guessed, span, traces)
    details = f"mean squared error, {units}" if units else "mean squared error"
    figure = styled_figure(
        traces, "Loss", "step", "MSE", log_y=True, subtitle=details, annotations=names
    )
    if not traces:
        waiting(figure, "The loss appears here once training starts.")
    return figure
