"""Pure figure builders: arrays in, ``go.Figure`` out; testable without Streamlit.

Conventions: a title, axis labels with units, log axes where magnitudes span
decades, a zero-centred diverging scale for signed heatmaps, fonts readable on a projector,
NumPy arrays (not lists), ≤ ~1000 points per line, ``go.Scatter`` (WebGL contexts run out).
"""

from __future__ import annotations

from html import escape

import numpy as np
import plotly.graph_objects as go

from .evaluate import drawable_on_a_log_axis
from .log_axis import drawable, drawable_logs, fitted_log_axis

FONT = {"size": 15}
SUBTITLE_FONT = {"size": 13, "color": "#555"}
MAX_POINTS = 500  # per line: smooth enough, and half the validation, JSON and drawing
# Okabe & Ito's palette, told apart with every common colour-vision deficiency (the classic
# blue/red/green put red against green, the pair a colour-blind student cannot tell apart);
# grey last, for reference lines.
COLORS = ("#0072B2", "#D55E00", "#009E73", "#E69F00", "#CC79A7", "#56B4E9", "#000000", "#7F7F7F")


GRID = {"gridcolor": "#e6e6e6", "zeroline": False, "linecolor": "#999", "showline": True}


MODEBAR_REMOVED = ["zoom", "pan", "zoomin", "zoomout", "autoscale", "select", "lasso"]


def styled_figure(
    traces: list,
    title: str,
    x: str,
    y: str,
    *,
    log_y: bool = False,
    subtitle: str = "",
    annotations: list[dict] | None = None,
    y_range: list[float] | None = None,
) -> go.Figure:
    """Traces plus the shared look, built in one constructor call.

    Styled by hand and passed whole: a named template or ``update_layout`` costs 10–15 ms per
    figure, and the live page redraws five figures in the process that trains. Plotly never
    wraps a title, so a short ``title`` with the details in a smaller ``subtitle`` keeps both
    readable in a half-width chart on a small screen. ``y_range`` (log10 units on a log axis)
    is the caller's own choice of range, with Plotly's ticks for it; without one, a log axis
    gets its own range or ticks only where Plotly's draw badly (``log_axis``).

    Every text is drawn as written: Plotly reads tags (``<a href>``, ``<span style>``) in
    titles, labels and names, and a CSV's column or file name reaches all of them.
    """
    title, subtitle, x, y = map(as_written, (title, subtitle, x, y))
    traces = [{**t, "name": as_written(t["name"])} if "name" in t else t for t in traces]
    annotations = [{**a, "text": as_written(a["text"])} for a in annotations or []]
    layout = {
        # Plotly's default subtitle is about 10 px: too small to read on a projector. At 13 px
        # a half-width chart on a 1024 px screen holds about 50 characters of it.
        "title": {"text": title, "subtitle": {"text": subtitle, "font": SUBTITLE_FONT}},
        "font": FONT,
        "template": None,
        "plot_bgcolor": "white",
        "paper_bgcolor": "white",
        "margin": {"l": 60, "r": 20, "t": 75 if subtitle else 50, "b": 50},
        "height": 340,
        # At the bottom of the whole figure, not of the plot: the plot makes room for the
        # legend and the x-axis title, so however many rows a legend wraps into in a narrow
        # chart, it never covers the axis title.
        "legend": {"orientation": "h", "yref": "container", "yanchor": "bottom", "y": 0},
        "hovermode": "x unified",
        # The toolbar keeps the PNG download and "Reset axes" (dragging still zooms): its
        # other buttons were five Tab stops per chart, 25 on the Train page before the first
        # control below the charts, and none does what dragging or a double click cannot.
        "modebar": {"remove": MODEBAR_REMOVED},
        "annotations": annotations,
        "xaxis": {"title": {"text": x}, **GRID},
        "yaxis": {
            "title": {"text": y},
            "type": "log" if log_y else "linear",
            "exponentformat": "power",
            # Between decades Plotly labels ticks "2", "5": read as values of 2 and 5.
            "minorloglabels": "none",
            **GRID,
        },
    }
    if y_range is not None:
        layout["yaxis"]["range"] = y_range
    elif log_y:
        layout["yaxis"].update(fitted_log_axis(traces))
    return go.Figure(traces, layout)


def level_names(
    levels: dict[str, float], span: np.ndarray | None, traces: list | None = None
) -> list[dict]:
    """Annotations naming horizontal ``levels`` (label -> y) on their lines across ``span``.

    Named on the lines, not in a legend: four entries wrapped into two rows and left a
    half-width plot 138 px tall on a projector. At alternate ends, above their lines; but
    where the levels are crowded on the axis the ``traces`` span (a run that blew up spans
    60 decades, and two levels a decade apart are pixels apart), the highest above and the
    others below, or their names print over each other. On a log axis an annotation's y is
    the level's log10; levels it cannot draw get none.
    """
    drawn = {label: np.log10(v) for label, v in levels.items() if np.isfinite(v) and v > 0}
    top = max(drawn.values(), default=None)
    crowded = _crowded(list(drawn.values()), traces or [])
    return [
        {
            "text": label,
            "x": span[1 - i % 2],
            "y": y,
            "xanchor": ("right", "left")[i % 2],
            "yanchor": "bottom" if y == top or not crowded else "top",
            "showarrow": False,
            "font": {"size": 12, "color": COLORS[7]},
            "bgcolor": "rgba(255, 255, 255, 0.75)",  # readable over the curves it crosses
        }
        for i, (label, y) in enumerate(drawn.items())
    ]


CROWDED = 0.1  # levels closer than this share of the axis's decades have names that collide


def _crowded(decades: list[float], traces: list) -> bool:
    """Whether two of the levels (log10) are within CROWDED of the decades the axis will span."""
    values = drawable_logs(traces)  # (points,) or None
    everything = np.concatenate([decades, [] if values is None else values])  # (points,) log10
    extent = float(np.ptp(everything)) if everything.size else 0.0
    gaps = np.diff(np.sort(decades))  # (levels − 1,)
    return bool(gaps.size and extent and gaps.min() < CROWDED * extent)


def waiting(figure: go.Figure, text: str) -> None:
    """Turn an empty ``figure`` into a frame that says what will appear, not bare axes.

    Before the first step (or with weights just loaded) a chart has nothing to draw, and
    Plotly's default axes (−1 to 6, 10⁻¹ to 10⁴) looked like data.
    """
    figure.add_annotation(
        text=as_written(text),
        showarrow=False,
        xref="paper",
        yref="paper",
        x=0.5,
        y=0.5,
        font=SUBTITLE_FONT,
    )
    figure.update_xaxes(showticklabels=False)
    figure.update_yaxes(showticklabels=False)


def as_written(text: str) -> str:
    """``text`` for a Plotly label, shown as it is: tags as text (Plotly decodes ``&lt;``)."""
    return escape(text, quote=False)


def thin(*arrays: np.ndarray) -> tuple[np.ndarray, ...]:
    """Every k-th point so a line has at most MAX_POINTS (the last point always kept)."""
    n = len(arrays[0])
    if n <= MAX_POINTS:
        return arrays
    idx = np.unique(np.append(np.arange(0, n, -(-n // (MAX_POINTS - 1))), n - 1))
    return tuple(a[idx] for a in arrays)


def positive_only(values: np.ndarray) -> np.ndarray:
    """Log axes cannot show 0 or negatives: mark them as gaps."""
    return np.where(values > 0, values, np.nan)


def line_trace(x: np.ndarray, y: np.ndarray, name: str, hover: str, **style) -> dict:
    """A line as a plain trace dict (validated once, by ``styled_figure``).

    A line through one point draws nothing, and the first chart after **Train** often has
    exactly one step: a lone point is drawn as a dot instead.
    """
    return {
        "type": "scatter",
        "x": x,
        "y": y,
        "name": name,
        "mode": "lines" if len(x) != 1 else "lines+markers",
        "hovertemplate": hover + "<extra></extra>",
        **style,
    }


# Above this |h|, colours follow log₁₀|h|: a state growing ×1.5 per step to 1e200 on a linear
# scale is white everywhere but the last steps, where the explosion is the thing to see.
LOG_COLOURS_ABOVE = 1e3


def hidden_heatmap(states: np.ndarray, sample: int) -> go.Figure:
    """h_t of every unit over time for one validation window; blue < 0 < red.

    A state that explodes is coloured by sign · log₁₀(1 + |h|), with the colour bar labelled
    in powers of ten and the hover giving h itself, so every step's growth shows.
    """
    T, H = states.shape
    finite = np.isfinite(states)
    states = np.where(finite, states, np.nan)  # a diverged model: show the overflow as gaps
    peak = float(np.abs(states[finite]).max(initial=0.0))
    limit = peak or 1.0  # all 0 (dead ReLU units): a ±1 scale, not ±1e-12 read as "1p"
    heatmap = {
        "type": "heatmap",
        "x": np.arange(1, T + 1),
        "y": np.arange(H),
        "colorscale": "RdBu_r",
        "zmid": 0.0,
        "colorbar": {"title": {"text": "h"}},
    }
    if limit <= LOG_COLOURS_ABOVE:
        heatmap.update(
            z=states.T.astype(np.float32),  # float32: half the JSON
            zmin=-limit,
            zmax=limit,
            hovertemplate="t = %{x}<br>unit %{y}<br>h = %{z:.3f}<extra></extra>",
        )
        scale = ""
    else:
        top = np.log10(1.0 + limit)
        step = next(s for s in (1, 2, 5, 10, 20, 50, 100, 200) if top / s <= 5)  # round powers
        decades = np.arange(step, int(top) + 1, step)  # 0 gets its own tick
        ticks = np.log10(1.0 + 10.0**decades)
        heatmap.update(
            z=(np.sign(states) * np.log10(1.0 + np.abs(states))).T,  # (H, T)
            customdata=states.T,
            zmin=-top,
            zmax=top,
            hovertemplate="t = %{x}<br>unit %{y}<br>h = %{customdata:.3g}<extra></extra>",
        )
        powers = [f"1e{k}" for k in decades]  # |h| at each tick
        heatmap["colorbar"].update(
            tickvals=np.concatenate([-ticks[::-1], [0.0], ticks]),
            ticktext=[f"−{p}" for p in powers[::-1]] + ["0"] + powers,
        )
        scale = "; log colours"
    details = f"validation sample {sample}, layer 1{scale}"
    if peak == 0.0 and finite.all():
        details = f"validation sample {sample}, layer 1: every state is 0"
    if not finite.all():  # short enough for a half-width chart on a laptop
        details = f"sample {sample}; {1 - finite.mean():.0%} overflowed (blank){scale}"
    return styled_figure([heatmap], "Hidden state", "time step t", "unit", subtitle=details)


def gradient_through_time_figure(
    dh_norms: dict[str, np.ndarray], before_blow_up: int | None = None
) -> go.Figure:
    """‖∂L/∂h_t‖ against the steps back from the last, T − t, for one step, a line per layer.

    The latest step's, or after a blow-up the step ``before_blow_up``'s: the last profile with
    numbers in it, which is where a learner sees the gradient explode. Steps back, not t, as
    on the Gradient Lab: drawn against t a vanishing gradient rose to the right here and fell
    there, and a class shown both read one of them as exploding. A reverse direction runs
    from t = T down to t = 1, so its steps back are t − 1: both directions fade to the right.
    """
    traces = []
    for i, (key, norms) in enumerate(dh_norms.items()):
        layer, _, reverse = key.removeprefix("layer").partition("_")  # "layer0_rev"
        label = f"layer {int(layer) + 1}" + (" (reverse)" if reverse else "")  # as the heatmap
        t = np.arange(1, len(norms) + 1)  # (T,)
        back = t - 1 if reverse else len(norms) - t  # (T,) steps back along its recurrence
        traces.append(
            line_trace(
                back,
                positive_only(norms),
                label,
                f"%{{x}} steps back (t = %{{customdata}})<br>‖∂L/∂h_t‖ = %{{y:.3g}} ({label})",
                mode="lines+markers",
                line={"color": COLORS[i % len(COLORS)]},
                customdata=t,
            )
        )
    reverse_too = any(key.endswith("_rev") for key in dh_norms)
    details = "‖∂L/∂hₜ‖ at the latest training step"
    if before_blow_up is not None:
        # The last profile with numbers in it, often well before the step that blew up.
        details = f"step {before_blow_up:,}, the last with numbers before the blow-up"
        # Saturated (0: vanished) or overflowed (inf) steps are gaps on the log axis: say
        # which, as the two are opposite stories.
        total = sum(len(n) for n in dh_norms.values())
        gaps = {
            "0": sum(int((n == 0).sum()) for n in dh_norms.values()),
            "inf": sum(int((~np.isfinite(n)).sum()) for n in dh_norms.values()),
        }
        if said := [f"{k} {'is' if k == 1 else 'are'} {what}" for what, k in gaps.items() if k]:
            counts = ", ".join(said)
            details = f"step {before_blow_up:,} (last with numbers); of {total:,} steps, {counts}"
    # A log axis draws only finite positive values: after a blow-up there may be none left.
    if dh_norms and not drawable_on_a_log_axis(dh_norms):
        details = "overflowed: inf, NaN or 0 at every t"
    return styled_figure(
        traces,
        "Gradient reaching each step",
        "steps back, T − t (reverse: t − 1)" if reverse_too else "steps back, T − t",
        "‖∂L/∂hₜ‖",
        log_y=True,
        subtitle=details,
    )


def parameter_gradient_figure(
    history: dict[str, np.ndarray], names: tuple[str, ...], clipped: bool
) -> go.Figure:
    """Per-parameter gradient norms over training, log y; dotted after clipping when it acted.

    Clipping that is on but never shortened a gradient draws its dotted line exactly on the
    solid one: the subtitle says so instead of promising a line nobody can find.
    """
    traces = []
    drawn = names if len(history.get("step", ())) else ()
    acted = clipped and any(
        np.any(history[f"clipped/{name}"] < history[f"norm/{name}"]) for name in drawn
    )
    for i, name in enumerate(drawn):
        color = COLORS[i % len(COLORS)]
        step, pre, post = thin(history["step"], history[f"norm/{name}"], history[f"clipped/{name}"])
        traces.append(
            line_trace(
                step,
                positive_only(pre),
                name,
                f"step %{{x}}<br>{name}: %{{y:.3g}}",
                line={"color": color},
                legendgroup=name,
            )
        )
        if acted:  # one legend entry per parameter: it shows and hides both lines
            traces.append(
                line_trace(
                    step,
                    positive_only(post),
                    f"{name} (clipped)",
                    f"step %{{x}}<br>{name} clipped: %{{y:.3g}}",
                    line={"color": color, "dash": "dot"},
                    legendgroup=name,
                    showlegend=False,
                )
            )
    notes = []
    if acted:
        notes.append("solid: before clipping; dotted: after")
    elif clipped and drawn:
        notes.append("clipping is on but has not shortened a gradient yet")
    # A line that stops short: its gradient vanished to 0 (or overflowed), which a log axis
    # cannot draw; said, or a student looks for the rest of it.
    steps = len(history.get("step", ()))
    if gaps := [name for name in drawn if len(drawable(history[f"norm/{name}"])) < steps]:
        notes.append(f"0 or inf, not drawn: {', '.join(gaps)}")
    figure = styled_figure(
        traces,
        "Gradient norm per parameter",
        "step",
        "‖∂L/∂θ‖",
        log_y=True,
        subtitle="; ".join(notes),
    )
    if not traces:
        waiting(figure, "Each parameter's gradient norm appears here once training starts.")
    return figure
