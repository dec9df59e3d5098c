"""Gradient Lab figures: measured gradient reach against theory, spectrum, saturation, cliff.

Pure functions (arrays in, ``go.Figure`` out) sharing the Train page's look (``figures``).
"""

from __future__ import annotations

import numpy as np
import plotly.graph_objects as go

from rnn_core.lab import LabMeasurement

from .figures import COLORS, line_trace, positive_only, styled_figure


def reach_figure(m: LabMeasurement) -> go.Figure:
    """‖∂L/∂h_t‖ / ‖∂L/∂h_T‖ against T − t on a log axis, with the theory laid over it."""
    x = m.distance
    traces = [
        line_trace(
            x,
            positive_only(m.measured),
            "measured",
            "T − t = %{x}<br>%{y:.3g}",
            line={"color": COLORS[0], "width": 3},
        )
    ]
    if m.exact is not None:
        traces.append(
            line_trace(
                x,
                positive_only(m.exact),
                "theory: ρ^(T−t) (exact)",
                "T − t = %{x}<br>%{y:.3g}",
                line={"color": "#000", "dash": "dash"},
            )
        )
    else:
        traces.append(
            line_trace(
                x,
                positive_only(m.bound),
                f"upper bound: (γ·σ_max)^(T−t), γ = {m.gamma:.3g}",
                "T − t = %{x}<br>%{y:.3g}",
                line={"color": COLORS[1], "dash": "dash"},
            )
        )
        if m.estimate is not None:
            traces.append(
                line_trace(
                    x,
                    positive_only(m.estimate),
                    "rough estimate: (rms|f′|·ρ)^(T−t)",
                    "T − t = %{x}<br>%{y:.3g}",
                    line={"color": COLORS[2], "dash": "dot"},
                )
            )
    return styled_figure(
        traces,
        "Gradient reach",
        "steps back, T − t",
        "‖∂L/∂hₜ‖ / ‖∂L/∂h_T‖",
        log_y=True,
        subtitle="how much gradient reaches T − t steps back",
    )


def spectrum_figure(m: LabMeasurement) -> go.Figure:
    """Eigenvalues of W_hh in the complex plane, with the unit circle and a σ_max circle.

    Eigenvalues set the long-run rate ρ; the guarantee of Pascanu et al. is about σ_max (one
    step's largest stretch), which can lie far outside every eigenvalue: a 1/γ circle among
    the eigenvalues would invite the wrong test "eigenvalues inside it ⇒ must vanish".
    """
    angle = np.linspace(0, 2 * np.pi, 200)
    traces = [
        line_trace(np.cos(angle), np.sin(angle), "unit circle", "", line={"color": "#888"}),
        line_trace(
            m.sigma_max * np.cos(angle),
            m.sigma_max * np.sin(angle),
            f"σ_max = {m.sigma_max:.3g} (must vanish if below 1/γ = {1 / m.gamma:.3g})",
            "",
            line={"color": COLORS[1], "dash": "dot"},
        ),
        {
            "type": "scatter",
            "x": m.eigenvalues.real,
            "y": m.eigenvalues.imag,
            "mode": "markers",
            "name": f"eigenvalues (ρ = {m.spectral_radius:.3g})",
            "marker": {"color": COLORS[0], "size": 7},
            "hovertemplate": "λ = %{x:.3f} %{y:+.3f}i<extra></extra>",
        },
    ]
    fig = styled_figure(
        traces,
        "Eigenvalues of W_hh",
        "real part",
        "imaginary part",
        subtitle="ρ sets the long-run rate; σ_max bounds one step",
    )
    fig.update_yaxes(scaleanchor="x", scaleratio=1)
    return fig


def saturation_figure(fprime_map: np.ndarray, gamma: float) -> go.Figure:
    """f′(z) over time × unit for one sample: dark cells pass almost no gradient."""
    T, H = fprime_map.shape
    heat = {
        "type": "heatmap",
        "z": np.abs(fprime_map).T.astype(np.float32),
        "x": np.arange(1, T + 1),
        "y": np.arange(H),
        "zmin": 0.0,
        "zmax": gamma,
        "colorscale": "Viridis",
        "colorbar": {"title": {"text": "|f′|"}},
        "hovertemplate": "t = %{x}<br>unit %{y}<br>|f′| = %{z:.3f}<extra></extra>",
    }
    return styled_figure(
        [heat],
        "Activation slope |f′(zₜ)|",
        "time step t",
        "unit",
        subtitle=f"dark: saturated or off units; brightest: γ = {gamma:.3g}",
    )


def connectivity_figure(reach: np.ndarray) -> go.Figure:
    """‖∂ŷ_T/∂x_t‖ over t: how far back the output can see."""
    t = np.arange(1, len(reach) + 1)
    trace = line_trace(
        t,
        positive_only(reach),
        "‖∂ŷ_T/∂xₜ‖",
        "t = %{x}<br>%{y:.3g}",
        mode="lines+markers",
        line={"color": COLORS[4]},
    )
    return styled_figure(
        [trace],
        "Connectivity",
        "input step t",
        "‖∂ŷ_T/∂xₜ‖",
        log_y=True,
        subtitle="how far back the output sees (shape, not size)",
    )


def cliff_figure(
    w: np.ndarray, b: np.ndarray, loss: np.ndarray, paths: dict[str, np.ndarray]
) -> go.Figure:
    """Loss contour over (w, b) with gradient-descent paths (each ``(k, 2)``) drawn on it."""
    traces = [
        {
            "type": "contour",
            "x": w,
            "y": b,
            "z": loss.astype(np.float32),
            "colorscale": "Viridis",
            "ncontours": 30,
            "colorbar": {"title": {"text": "loss"}},
            "hovertemplate": "w = %{x:.4f}<br>b = %{y:.4f}<br>loss %{z:.4f}<extra></extra>",
        }
    ]
    for i, (name, path) in enumerate(paths.items()):
        traces.append(
            line_trace(
                path[:, 0],
                path[:, 1],
                name,
                "w = %{x:.4f}<br>b = %{y:.4f}",
                mode="lines+markers",
                line={"color": COLORS[(i + 1) % len(COLORS)], "width": 3},
                # Told apart by shape as well as colour, and outlined to stand out on the
                # contour's own greens and yellows.
                marker={
                    "size": 9,
                    "symbol": ("circle", "diamond", "square")[i % 3],
                    "line": {"color": "white", "width": 1.5},
                },
            )
        )
    fig = styled_figure(
        traces,
        "The cliff",
        "w",
        "b",
        subtitle="loss (σ(x₅₀) − 0.7)² over (w, b)",
        y_range=[float(b.min()), float(b.max())],
    )
    fig.update_xaxes(range=[float(w.min()), float(w.max())])
    return fig
