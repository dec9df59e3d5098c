"""The Gradient Lab page: lessons, the instant lab and the cliff (experiments: lab_experiments)."""

from __future__ import annotations

import numpy as np
import streamlit as st

from rnn_core import ACTIVATIONS, INITS, cliff
from rnn_core.lab import measure
from rnn_core.wording import count

from . import lab_figures
from .lab_experiments import (
    explode_button,
    exploding_loss_figure,
    exploding_outcome,
    outcome_button,
)
from .lessons import LESSONS
from .widgets import INIT_TITLES

SECTIONS = ("Instant lab", "Cliff and clipping", "Exploding in action", "Adding problem", "Why")
EXPERIMENT_SECTION = {"instant": SECTIONS[0], "exploding": SECTIONS[2]}
GAMMA_HELP = (
    "1 for tanh, ReLU, leaky ReLU and linear; 1/4 for sigmoid; about 1.1 for swish (whose "
    "slope near 0 is only ½: the bound, not a typical slope)."
)
RMS_SLOPE_HELP = (
    "Root-mean-square slope √mean(f′²): with an orthogonal W_hh, times ρ, about what each "
    "step back keeps of the gradient's length. Below γ where units saturate or switch off "
    "(ReLU: √½ ≈ 0.71)."
)
CLIFF_PATHS = "cliff_paths"
CLIFF_GRID = 200
PLATEAU_GRADIENT = 1e-6  # a cliff point with a gradient below this is on the plateau, stuck
CLIFF_MIN_W = 4.5  # below this the wall softens into a slope: no cliff left to fall off
# The start w (b is put on the wall), learning rate and threshold; the model is Pascanu et
# al.'s (2013) one-unit network, the start this lab's own, where the wall is a cliff.
CLIFF_DEFAULTS = {"cliff_w": 5.5325, "cliff_lr": 0.1, "cliff_clip": 1.0}
# The instant lab's starting controls. Lessons write these keys too, so the widgets take
# their values from the session state only (a widget given a value as well would warn).
# Neutral: a linear RNN with an orthogonal W_hh passes the gradient back unchanged (×1). A
# tanh start showed "vanishing: 3.7e-04" above the lessons, which a class took as the answer
# to "Make it vanish" (a thousandth?), whose real answer is 1e-14.
INSTANT_DEFAULTS = {
    "lab_length": 100,
    "lab_hidden": 32,
    "lab_activation": "linear",
    "lab_init": "orthogonal",
    "lab_rescale": False,
    "lab_rho": 1.0,
}
# Each numeric control's bounds: its widget and the lab's links (lab_link) read this table.
LIMITS = {
    "lab_length": (2, 200),
    "lab_hidden": (2, 128),
    "lab_rho": (0.5, 1.5),
    "cliff_w": (CLIFF_MIN_W, cliff.W_RANGE[1]),
    "cliff_lr": (0.001, 1.0),
    "cliff_clip": (0.01, 10.0),
}


# ---------------------------------------------------------------------------- lessons
RESULTS_HIDDEN_KEY = "lab_results_hidden"  # the instant lab waits for the class's prediction
# The button that shows each experiment's outcome: the lesson asks first, then names it.
REVEAL_BUTTON = {
    "instant": "Show what happens",
    "exploding": "Run the experiment",
}


def apply_lesson(index: int) -> None:
    """Set the lesson's controls and hide its outcome until the class has predicted it."""
    lesson = LESSONS[index]
    s = lesson.settings
    st.session_state.update(
        lab_length=s.length,
        lab_hidden=s.hidden_size,
        lab_activation=s.activation,
        lab_init=s.init,
        lab_rescale=s.spectral_radius is not None,
        lab_section=EXPERIMENT_SECTION[lesson.experiment],
        lab_lesson=index,
        explode_shown=False,
    )
    st.session_state[RESULTS_HIDDEN_KEY] = lesson.experiment == "instant"
    if s.spectral_radius is not None:
        st.session_state["lab_rho"] = s.spectral_radius


def lessons_bar() -> None:
    """One button per lesson; the active lesson's question, and its answer on request."""
    st.markdown("**Lessons** — pick one, predict the answer, then look:")
    # Two per row (the problems, then the rescues): four in a row cut their titles short on a
    # laptop with the sidebar open.
    for row in range(0, len(LESSONS), 2):
        for col, i in zip(st.columns(2), range(row, min(row + 2, len(LESSONS))), strict=False):
            col.button(
                LESSONS[i].title,
                key=f"lesson_{i}",
                on_click=apply_lesson,
                args=(i,),
                width="stretch",
            )
    if (lesson := lesson_here()) is None:
        return
    reveal = REVEAL_BUTTON[lesson.experiment]
    st.info(f"**{lesson.title}.** {lesson.question} Predict, then press **{reveal}**.")
    # Right under the question, the button and then the outcome with the chart that shows
    # it: on a projector the controls below fill the screen, and the charts were 800 px down.
    if lesson.experiment == "instant":
        shown = not st.session_state.get(RESULTS_HIDDEN_KEY)
        outcome_button(
            reveal,
            "lab_reveal",
            shown,
            lambda show: st.session_state.update({RESULTS_HIDDEN_KEY: not show}),
        )
        if shown:
            measured = _measured_now()
            _shown_by_the_question(lesson, measured.verdict, lab_figures.reach_figure(measured))
    else:
        explode_button()
        if st.session_state.get("explode_shown"):
            _shown_by_the_question(lesson, exploding_outcome(), exploding_loss_figure())
    # Labelled per lesson: an expander opened for one lesson starts closed for the next.
    with st.expander(f"Show the answer to “{lesson.title}”"):
        st.markdown(lesson.answer)


# What the section below holds besides the chart drawn by the question.
FURTHER_DOWN = {
    "instant": "Every chart, and the controls, are further down.",
    "exploding": "Each run's gradient norms, and what stopped it, are further down.",
}


def _shown_by_the_question(lesson, outcome: str, figure) -> None:
    """A lesson's measured outcome and the chart that shows it, right under its question."""
    st.success(f"**Measured:** {outcome}.")
    st.plotly_chart(figure, key="lesson_chart")
    st.caption(FURTHER_DOWN[lesson.experiment])


def lesson_here():
    """The chosen lesson when its own section is shown, else None.

    Elsewhere its "press Show what happens" would name a button that is not there.
    """
    index = st.session_state.get("lab_lesson")
    if index is None:
        return None
    lesson = LESSONS[index]
    here = st.session_state.get("lab_section") == EXPERIMENT_SECTION[lesson.experiment]
    return lesson if here else None


# ---------------------------------------------------------------------------- instant lab
@st.cache_data(max_entries=64, show_spinner=False)
def _measure(length: int, hidden: int, activation: str, init: str, rho: float | None):
    return measure(
        length=length, hidden_size=hidden, activation=activation, init=init, spectral_radius=rho
    )


def _measured_now():
    """The instant lab's measurement for its controls' current values (cached)."""
    s = {**INSTANT_DEFAULTS, **st.session_state}
    rho = s["lab_rho"] if s["lab_rescale"] else None
    return _measure(s["lab_length"], s["lab_hidden"], s["lab_activation"], s["lab_init"], rho)


def instant_lab() -> None:
    """Sliders in, measured gradient reach and its explanation out, redrawn at once."""
    for key, value in INSTANT_DEFAULTS.items():
        st.session_state.setdefault(key, value)
    # Two rows: five controls in one cut "Set spectral radius ρ" and the initialisations'
    # names short on a laptop with the sidebar open.
    c = st.columns(3)
    c[0].slider("Sequence length T", *LIMITS["lab_length"], key="lab_length")
    c[1].slider("Hidden units H", *LIMITS["lab_hidden"], key="lab_hidden")
    if c[2].checkbox("Set spectral radius ρ", key="lab_rescale"):
        c[2].slider("ρ", *LIMITS["lab_rho"], step=0.01, key="lab_rho")
    c = st.columns(2)
    c[0].selectbox("Activation", list(ACTIVATIONS), key="lab_activation")
    c[1].selectbox("Initialisation", INITS, format_func=INIT_TITLES.get, key="lab_init")
    if st.session_state.get(RESULTS_HIDDEN_KEY):
        return  # the lesson's question, above, has the button that shows them
    m = _measured_now()
    st.subheader(m.verdict[0].upper() + m.verdict[1:])
    k = st.columns(4)
    k[0].metric("Spectral radius ρ", f"{m.spectral_radius:.3f}")
    k[1].metric("σ_max(W_hh)", f"{m.sigma_max:.3f}", help="Largest singular value.")
    k[2].metric("γ = sup|f′|", f"{m.gamma:.3g}", help=GAMMA_HELP)
    k[3].metric("rms |f′|", f"{m.rms_fprime:.3f}", help=RMS_SLOPE_HELP)
    left, right = st.columns(2)
    left.plotly_chart(lab_figures.reach_figure(m), key="lab_reach")
    right.plotly_chart(lab_figures.spectrum_figure(m), key="lab_spectrum")
    left.plotly_chart(lab_figures.saturation_figure(m.fprime_map, m.gamma), key="lab_saturation")
    right.plotly_chart(lab_figures.connectivity_figure(m.connectivity), key="lab_connectivity")


# ---------------------------------------------------------------------------- cliff
@st.cache_data(show_spinner=False)
def _cliff_grid() -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    w, b = np.linspace(*cliff.W_RANGE, CLIFF_GRID), np.linspace(*cliff.B_RANGE, CLIFF_GRID)
    loss = cliff.loss_and_grad(*np.meshgrid(w, b)).loss  # (b, w)
    return w, b, loss


@st.cache_data(max_entries=32, show_spinner=False)
def _cliff_start(w: float) -> tuple[float, float]:
    """Start at this w, on the wall (tens of milliseconds to find, so kept)."""
    return w, cliff.find_wall(w)


def _reset_cliff() -> None:
    st.session_state.pop(CLIFF_PATHS, None)


def _cliff_step(start: tuple[float, float], lr: float, threshold: float) -> None:
    paths = st.session_state.setdefault(CLIFF_PATHS, {"unclipped": [start], "clipped": [start]})
    for name, clip in (("unclipped", None), ("clipped", threshold)):
        paths[name].append(cliff.gradient_step(*paths[name][-1], lr=lr, clip=clip))


def _cliff_outcome(paths: dict[str, list[tuple[float, float]]], longest_clipped: float) -> None:
    """Each path's loss now and how far it went, then what that means.

    The loss tells the story the distances alone did not: an unclipped path flies off the
    wall in one step and rests on a plateau (gradient 0, loss stuck), while the clipped one
    lowers the loss in short steps, until a step crosses the thin wall and the loss rises:
    the caption says which happened.
    """
    losses = {  # (steps + 1,) the loss at every (w, b) each path visited
        name: cliff.loss_and_grad(*np.array(path).T).loss for name, path in paths.items()
    }
    for col, name in zip(st.columns(2), ("unclipped", "clipped"), strict=True):
        path = paths[name]
        step = np.hypot(*np.subtract(path[-1], path[-2]))
        gone = np.hypot(*np.subtract(path[-1], path[0]))
        col.metric(
            f"Loss now, {name} (start {losses[name][0]:.3g})",
            f"{float(losses[name][-1]):.3g}",
            delta=f"moved {gone:.3g} in (w, b), last step {step:.3g}",
            delta_color="off",
            delta_arrow="off",
        )
    clipped = losses["clipped"]
    rises = np.flatnonzero(np.diff(clipped) > 0)  # steps after which the loss went up
    if float(cliff.loss_and_grad(*paths["clipped"][-1]).grad_norm) < PLATEAU_GRADIENT:
        # lr × threshold long enough to leave the wall (lr 1, threshold 10): no "stays near".
        clipped_story = (
            "long enough to jump off the wall too: it is on the plateau as well, its loss "
            f"stuck at {float(clipped[-1]):.3g}. A smaller threshold or learning rate keeps "
            "the steps short enough to stay near the wall."
        )
    elif rises.size == 0:
        clipped_story = "so it stays near the wall and its loss keeps falling."
    else:
        k = int(rises[0]) + 1
        fell = f"Its loss fell for {count(k - 1, 'step')}, then rose" if k > 1 else "Its loss rose"
        clipped_story = (
            f"so it stays near the wall. {fell} at step {k} ({clipped[k - 1]:.3g} → "
            f"{clipped[k]:.3g}): the wall is thinner than one clipped step, so a step can cross "
            "it. Clipping keeps steps short; it does not promise that every step lowers the "
            "loss (a smaller learning rate shortens them)."
        )
    st.caption(
        f"Unclipped, {_unclipped_story(paths['unclipped'])} Clipped, every step is at most "
        f"lr × threshold = {longest_clipped:g} long, {clipped_story}"
    )


def _coordinate(value: float) -> str:
    """26,674 rather than 2.667e+04: read aloud in class."""
    return f"{value:,.0f}" if abs(value) >= 1000 else f"{value:.4g}"


def _unclipped_story(path: list[tuple[float, float]]) -> str:
    """Where the first unclipped step threw the point, and whether it is stuck there.

    Told from the numbers: at the default start the point lands near w = 27,000, far off
    the drawn plane, where σ(x₅₀) = 1 and the gradient is 0; a small learning rate lands it
    on the chart, still moving.
    """
    w, b = path[1]
    on_chart = (
        cliff.W_RANGE[0] <= w <= cliff.W_RANGE[1] and cliff.B_RANGE[0] <= b <= cliff.B_RANGE[1]
    )
    where = f"to (w, b) = ({_coordinate(w)}, {_coordinate(b)})"
    where += "" if on_chart else ", off this chart,"
    now = cliff.loss_and_grad(*path[-1])
    if float(now.grad_norm) < PLATEAU_GRADIENT:
        return (
            f"the huge gradient on the wall threw the point {where} in one step, onto a "
            f"plateau where the gradient is about 0: its loss stays at {float(now.loss):.3g}."
        )
    return (
        f"the huge gradient on the wall threw the point {where} in one step; the gradient "
        f"where it is now is {float(now.grad_norm):.3g}, so it goes on moving."
    )


def cliff_section() -> None:
    """Pascanu et al.'s cliff: step gradient descent from the wall, with and without clipping."""
    st.markdown(
        "A one-unit RNN, $x_t = w\\,\\sigma(x_{t-1}) + b$, $x_0 = 0.5$, loss "
        "$(\\sigma(x_{50}) - 0.7)^2$. The surface is flat almost everywhere, with a thin wall "
        "where the gradient is huge. Start on the wall and take gradient steps."
    )
    for key, value in CLIFF_DEFAULTS.items():
        st.session_state.setdefault(key, value)
    c = st.columns(4)
    c[0].number_input(
        "Start w",
        *LIMITS["cliff_w"],
        step=0.01,
        format="%.4f",
        key="cliff_w",
        on_change=_reset_cliff,
    )
    start = _cliff_start(float(st.session_state["cliff_w"]))
    c[1].text_input(  # a read-only box: a metric's large digits outshone the inputs beside it
        "Start b",  # short enough for a quarter of the page on a laptop
        f"{start[1]:.4f}",
        disabled=True,
        help="On the wall: at each w the wall is at one b, and thin: 1e-4 wide at w = 5, "
        "narrower above (1e-6 at the default 5.5325), wider below (0.02 at 4.5). The lab "
        "finds it.",
    )
    lr = c[2].number_input("Learning rate", *LIMITS["cliff_lr"], step=0.01, key="cliff_lr")
    threshold = c[3].number_input(
        "Clipping threshold", *LIMITS["cliff_clip"], step=0.1, key="cliff_clip"
    )
    b1, b2 = st.columns(2)
    b1.button(
        "Take a gradient step",
        on_click=_cliff_step,
        args=(start, lr, threshold),
        key="cliff_step",
        width="stretch",
    )
    b2.button("Back to the start", on_click=_reset_cliff, key="cliff_reset", width="stretch")
    paths = st.session_state.get(CLIFF_PATHS)
    arrays = {k: np.array(v) for k, v in (paths or {"start": [start]}).items()}
    if paths and len(paths["unclipped"]) > 1:
        _cliff_outcome(paths, lr * threshold)
    st.plotly_chart(lab_figures.cliff_figure(*_cliff_grid(), arrays), key="cliff_chart")
