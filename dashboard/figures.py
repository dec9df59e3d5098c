"""Pure figure builders: arrays in, ``go.Figure`` out; testable without Streamlit.

Conventions (DESIGN.md §5): a title, axis labels with units, log axes where magnitudes span
decades, a zero-centred diverging scale for signed heatmaps, fonts readable on a projector,
NumPy arrays (not lists), ≤ ~1000 points per line, ``go.Scatter`` (WebGL contexts run out).
"""

from __future__ import annotations

import numpy as np
import plotly.graph_objects as go

from .evaluate import Predictions

FONT = {"size": 15}
MAX_POINTS = 1000
COLORS = ("#1f77b4", "#d62728", "#2ca02c", "#ff7f0e", "#9467bd", "#8c564b", "#e377c2", "#7f7f7f")


def _layout(fig: go.Figure, title: str, x: str, y: str, *, log_y: bool = False) -> go.Figure:
    fig.update_layout(
        title={"text": title},
        font=FONT,
        template="plotly_white",
        margin={"l": 60, "r": 20, "t": 50, "b": 50},
        height=340,
        legend={"orientation": "h", "y": -0.25},
        hovermode="x unified",
    )
    fig.update_xaxes(title_text=x)
    fig.update_yaxes(title_text=y, type="log" if log_y else "linear", exponentformat="power")
    return fig


def _thin(*arrays: np.ndarray) -> tuple[np.ndarray, ...]:
    """Every k-th point so a line has at most MAX_POINTS (the last point always kept)."""
    n = len(arrays[0])
    if n <= MAX_POINTS:
        return arrays
    idx = np.unique(np.append(np.arange(0, n, -(-n // (MAX_POINTS - 1))), n - 1))
    return tuple(a[idx] for a in arrays)


def _positive(values: np.ndarray) -> np.ndarray:
    """Log axes cannot show 0 or negatives: mark them as gaps."""
    return np.where(values > 0, values, np.nan)


def loss_figure(history: dict[str, np.ndarray], val_history: dict[str, np.ndarray]) -> go.Figure:
    """Training and validation MSE against step, log y."""
    fig = go.Figure()
    if len(history.get("step", ())):
        step, loss = _thin(history["step"], history["loss"])
        fig.add_trace(
            go.Scatter(
                x=step,
                y=_positive(loss),
                name="train (minibatch)",
                mode="lines",
                line={"color": COLORS[0], "width": 1.5},
                hovertemplate="step %{x}<br>train MSE %{y:.4g}<extra></extra>",
            )
        )
    if len(val_history.get("step", ())):
        step, val = _thin(val_history["step"], val_history["val_loss"])
        fig.add_trace(
            go.Scatter(
                x=step,
                y=_positive(val),
                name="validation",
                mode="lines+markers",
                line={"color": COLORS[1], "width": 2.5},
                marker={"size": 5},
                hovertemplate="step %{x}<br>validation MSE %{y:.4g}<extra></extra>",
            )
        )
    return _layout(fig, "Loss (mean squared error, scaled units)", "step", "MSE", log_y=True)


def hidden_heatmap(states: np.ndarray, sample: int) -> go.Figure:
    """h_t of every unit over time for one validation window; blue < 0 < red."""
    T, H = states.shape
    finite = np.isfinite(states)
    states = np.where(finite, states, np.nan)  # a diverged model: show the overflow as gaps
    limit = float(max(np.abs(states[finite]).max(initial=0.0), 1e-12))
    fig = go.Figure(
        go.Heatmap(
            z=states.T.astype(np.float32) if limit < 1e38 else states.T,  # float32: half the JSON
            x=np.arange(1, T + 1),
            y=np.arange(H),
            colorscale="RdBu_r",
            zmid=0.0,
            zmin=-limit,
            zmax=limit,
            colorbar={"title": {"text": "h"}},
            hovertemplate="t = %{x}<br>unit %{y}<br>h = %{z:.3f}<extra></extra>",
        )
    )
    return _layout(
        fig, f"Hidden state, validation sample {sample} (layer 1)", "time step t", "unit"
    )


def gradient_through_time_figure(dh_norms: dict[str, np.ndarray]) -> go.Figure:
    """‖∂L/∂h_t‖ against t for the latest step, one line per layer, log y."""
    fig = go.Figure()
    for i, (key, norms) in enumerate(dh_norms.items()):
        label = key.replace("layer", "layer ").replace("_rev", " (reverse)")
        fig.add_trace(
            go.Scatter(
                x=np.arange(1, len(norms) + 1),
                y=_positive(norms),
                name=label,
                mode="lines+markers",
                line={"color": COLORS[i % len(COLORS)]},
                hovertemplate="t = %{x}<br>‖∂L/∂h_t‖ = %{y:.3g}<extra>" + label + "</extra>",
            )
        )
    return _layout(
        fig,
        "Gradient reaching each step, ‖∂L/∂hₜ‖ (latest step)",
        "time step t",
        "‖∂L/∂hₜ‖",
        log_y=True,
    )


def parameter_gradient_figure(
    history: dict[str, np.ndarray], names: tuple[str, ...], clipped: bool
) -> go.Figure:
    """Per-parameter gradient norms over training, log y; dashed after clipping when it is on."""
    fig = go.Figure()
    if not len(history.get("step", ())):
        return _layout(fig, "Gradient norm per parameter", "step", "‖∂L/∂θ‖", log_y=True)
    for i, name in enumerate(names):
        color = COLORS[i % len(COLORS)]
        step, pre, post = _thin(
            history["step"], history[f"norm/{name}"], history[f"clipped/{name}"]
        )
        fig.add_trace(
            go.Scatter(
                x=step,
                y=_positive(pre),
                name=name,
                mode="lines",
                line={"color": color},
                hovertemplate="step %{x}<br>%{y:.3g}<extra>" + name + "</extra>",
            )
        )
        if clipped:
            fig.add_trace(
                go.Scatter(
                    x=step,
                    y=_positive(post),
                    name=f"{name} (clipped)",
                    mode="lines",
                    line={"color": color, "dash": "dot"},
                    hovertemplate="step %{x}<br>%{y:.3g}<extra>" + name + " clipped</extra>",
                )
            )
    title = "Gradient norm per parameter" + (
        " (solid: before clipping, dotted: after)" if clipped else ""
    )
    return _layout(fig, title, "step", "‖∂L/∂θ‖", log_y=True)


def prediction_figure(
    pred: Predictions, unit: str, rollout: Predictions | None = None
) -> go.Figure:
    """Validation truth vs one-step predictions, plus a free-running rollout when available."""
    label = f"value ({unit})" if unit else "value"
    x = np.arange(len(pred.truth))
    fig = go.Figure()
    fig.add_trace(
        go.Scatter(
            x=x, y=pred.truth, name="truth", mode="lines", line={"color": "#444", "width": 3}
        )
    )
    fig.add_trace(
        go.Scatter(
            x=x,
            y=pred.predicted,
            name="prediction (one step ahead)",
            mode="lines",
            line={"color": COLORS[0], "width": 2},
        )
    )
    if rollout is not None:
        fig.add_trace(
            go.Scatter(
                x=np.arange(len(rollout.predicted)),
                y=rollout.predicted,
                name="free-running rollout (own predictions fed back)",
                mode="lines",
                line={"color": COLORS[3], "width": 2, "dash": "dash"},
            )
        )
    return _layout(fig, "Prediction vs truth (validation)", "validation window", label)
