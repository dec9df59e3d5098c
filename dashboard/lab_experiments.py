"""Gradient Lab experiments that train: exploding without clipping, and the adding race."""

from __future__ import annotations

from collections.abc import Callable

import numpy as np
import plotly.graph_objects as go
import streamlit as st

from . import figures, log_axis, session_run
from .config import build_trainer, load_data
from .job import TrainingJob
from .lessons import adding_baselines, adding_configs, run_exploding
from .train_view import inline_training

RACE_KEY = "adding_race"
RACE_REFRESH_SECONDS = 2.0

# The race's starting controls; set through session state so they survive page visits.
# 100 epochs (about 20 s on a 2-core machine) let all three outcomes show: at 30 the IRNN
# still sits at the 1/6 line as if identity init did not help (tests/test_lessons.py).
RACE_DEFAULTS = {"race_length": 50, "race_epochs": 100}
RACE_LIMITS = {"race_length": (10, 200), "race_epochs": (1, 500)}  # widgets and links


# ---------------------------------------------------------------------------- exploding
@st.cache_data(show_spinner="Training both runs…")
def _exploding():
    return run_exploding()


def exploding_outcome() -> str:
    """Both runs' outcomes in one line: the lesson's "Measured:" verdict."""
    return "; ".join(f"{run.label}: {run.outcome}" for run in _exploding())


HIDE_OUTCOME = "Hide the outcome"


def outcome_button(label: str, key: str, shown: bool, show: Callable[[bool], None]) -> None:
    """The button that shows an experiment's outcome, and stays as HIDE_OUTCOME once it has.

    A button that vanished when pressed dropped the keyboard focus to the page; this one
    keeps it, and a teacher can hide the outcome again to ask the next class.
    """
    st.button(
        HIDE_OUTCOME if shown else label, type="primary", key=key, on_click=show, args=(not shown,)
    )


def explode_button() -> None:
    """The button that trains both runs and shows them (by the lesson's question, if asked)."""
    outcome_button(
        "Run the experiment",
        "explode_run",
        bool(st.session_state.get("explode_shown")),
        lambda shown: st.session_state.update(explode_shown=shown),
    )


def exploding_gradient_figure() -> go.Figure:
    """Both runs' gradient norms, before and after clipping."""
    return _runs_figure(
        _exploding(),
        "Gradient norm, before and after clipping",
        "‖g‖",
        {"grad_norm": "before clipping", "grad_norm_clipped": "after clipping"},
    )


def exploding_loss_figure() -> go.Figure:
    """Both runs' training losses: the clipped one falls, the other leaves the chart."""
    return _runs_figure(_exploding(), "Training loss", "MSE", {"loss": ""})


def exploding_section(lesson_above: bool = False) -> None:
    """The exploding preset trained twice: without clipping it blows up, with it it learns.

    ``lesson_above`` when a lesson has put the button and the loss chart by its question:
    neither is drawn a second time here.
    """
    st.markdown(
        "A **linear** RNN with $W_{hh} = 1.05\\,Q$ ($Q$ orthogonal), plain SGD (lr 0.01) on "
        "50-step sine windows. The state grows ×1.05 per step going forward and the gradient "
        "×1.05 per step going back, so the first gradient is huge."
    )
    if not lesson_above:
        explode_button()
    if not st.session_state.get("explode_shown"):
        return
    for run in _exploding():
        if run.diverged_message:
            st.error(f"**{run.label}:** {run.diverged_message}")
        else:
            st.success(f"**{run.label}:** {run.steps} steps, final loss {run.final_loss:.3g}.")
    st.plotly_chart(exploding_gradient_figure(), key="explode_grad")
    if not lesson_above:
        st.plotly_chart(exploding_loss_figure(), key="explode_loss")


def _runs_figure(runs, title: str, y_title: str, columns: dict[str, str]) -> go.Figure:
    """History ``columns`` (name -> what it is) of both runs, the y axis fitted to the clipped one.

    The clipped run's story (a loss falling from 10 to 0.007; gradients of 10³ cut to 1) was
    a flat line at the bottom of an axis reaching the unclipped run's 1e62: the axis fits the
    clipped run, and the subtitle says how high the unclipped one goes off the top.
    """
    traces, clipped, peak, gone = [], [], 0.0, []
    for i, r in enumerate(runs):
        # Without clipping there is no "after clipping" to draw: just the first column.
        drawn = list(columns.items())[: len(columns) if r.clipped else 1]
        for j, (col, what) in enumerate(drawn):
            values = r.history[col]  # (steps,)
            traces.append(
                figures.line_trace(
                    r.history["step"],
                    figures.positive_only(values),
                    f"{r.label}: {what}" if what and r.clipped else r.label,
                    "step %{x}<br>%{y:.3g}",
                    # "After clipping" in a colour of its own: dotted in the same colour, it
                    # hid under the "before" line.
                    line={"color": figures.COLORS[i + 2 * j], "dash": "dot" if j else "solid"},
                )
            )
            finite = log_axis.drawable(values)  # (≤ steps,)
            if r.clipped:
                clipped.append(np.log10(finite))
            elif finite.size:
                peak = max(peak, float(finite.max()))
        if not r.clipped and len(r.history["step"]):
            gone.append((r, figures.COLORS[i]))
    fitted = np.concatenate(clipped)  # (values,) log10 of the clipped run's
    top = float(fitted.max()) + 1.5
    # The unclipped run lives 2 or 3 steps and leaves through the top: a stub at the left
    # edge that a class did not see. An arrow at the top edge, above its last step on the
    # chart, says where it went.
    arrows = [
        {
            "text": f"{r.label}: off the chart, then blew up",
            "x": np.log10(_last_on_chart(r.history, next(iter(columns)), top)),  # log10: log axis
            "y": top,
            "ax": 60,
            "ay": 40,
            "xanchor": "left",
            "showarrow": True,
            "arrowhead": 2,
            "arrowcolor": color,
            "font": {"size": 12, "color": color},
            "bgcolor": "rgba(255, 255, 255, 0.75)",
        }
        for r, color in gone
    ]
    figure = figures.styled_figure(
        traces,
        title,
        "step",
        y_title,
        log_y=True,
        subtitle=f"unclipped, it leaves the top of the chart: up to {peak:.1e}",
        y_range=[float(fitted.min()) - 0.5, top],
        annotations=arrows,
    )
    # Log steps: the unclipped run lives 2 steps, a speck against 300 on a linear axis.
    # Unlabelled minor ticks: "8 9 100 2 3" reads as a step 2 after step 100.
    figure.update_xaxes(type="log", minorloglabels="none")
    return figure


def _last_on_chart(history: dict[str, np.ndarray], column: str, top: float) -> int:
    """The last step whose ``column`` value is below ``top`` (log10), else the first step."""
    with np.errstate(divide="ignore", invalid="ignore"):
        below = np.log10(history[column]) <= top  # (steps,) False for inf and NaN
    steps = history["step"]  # (steps,)
    return int(steps[below][-1] if below.any() else steps[0])


# ---------------------------------------------------------------------------- adding race
def _end_race() -> None:
    for job in st.session_state.get(RACE_KEY, {}).values():
        job.stop()


def _pause_race() -> None:
    """Freeze the race where it is: the charts stay up for the class to discuss."""
    for job in st.session_state.get(RACE_KEY, {}).values():
        job.pause()


def _resume_race() -> None:
    """Go on from where the race was paused (a finished contender stays finished)."""
    for job in st.session_state.get(RACE_KEY, {}).values():
        job.play()


def start_race() -> None:
    """Start (or restart) the three contenders as background jobs of this session.

    T and the epochs are read from the controls' state when the button is pressed, not
    bound when it was drawn, so a value changed in the same rerun is the one used.

    A reload gives the race back, like the Train page's run (``session_run.keep``), with
    its controls (the jobs keep their own histories); the address says which section the
    page was showing (``lab_link``).
    """
    _end_race()
    length, epochs = int(st.session_state["race_length"]), int(st.session_state["race_epochs"])
    jobs = {}
    for label, config in adding_configs(length, epochs).items():
        data = load_data(config)
        jobs[label] = TrainingJob(
            config, data, build_trainer(config, data), inline=inline_training()
        )
        jobs[label].play()
    kept = {
        RACE_KEY: jobs,
        "race_length": length,
        "race_epochs": epochs,
    }
    for key, value in kept.items():
        session_run.keep(key, value)


def _race_charts(jobs: dict[str, TrainingJob]) -> None:
    val_traces, reach_traces = [], []
    for i, (label, job) in enumerate(jobs.items()):
        job.tick()
        snap = job.snapshot()
        color = {"color": figures.COLORS[i]}
        val = snap.val_history
        val_traces.append(
            figures.line_trace(
                val["step"],
                figures.positive_only(val["val_loss"]),
                label,
                "step %{x}<br>%{y:.4g}",
                line=color,
            )
        )
        reach_traces.append(
            figures.line_trace(
                snap.reach["step"],
                figures.positive_only(snap.reach["reach"]),
                label,
                "step %{x}<br>%{y:.3g}",
                line=color,
            )
        )
    last = max((j.trainer.step_count for j in jobs.values()), default=0)
    span = np.array([0, max(last, 1)])  # (2,)
    for (name, level), dash in zip(adding_baselines().items(), ("dash", "dot"), strict=True):
        val_traces.append(
            figures.line_trace(
                span,
                np.array([level, level]),
                name,
                name,
                line={"color": "#888", "dash": dash},  # two levels, told apart by their dashes
                showlegend=False,  # named on their lines: five legend entries squashed the plot
            )
        )
    # One above the other: side by side, each plot was 110 px tall under a three-row legend.
    st.plotly_chart(
        figures.styled_figure(
            val_traces,
            "Validation MSE",
            "step",
            "MSE",
            log_y=True,
            subtitle="below the 1/12 line: both numbers used",
            annotations=figures.level_names(adding_baselines(), span, val_traces),
        ),
        key="race_val",
    )
    st.plotly_chart(
        figures.styled_figure(
            reach_traces,
            "Gradient reach",
            "step",
            "‖∂L/∂h₁‖ / ‖∂L/∂h_T‖",
            log_y=True,
            subtitle="gradient reaching the first step",
        ),
        key="race_reach",
    )


def _race_outcome(jobs: dict[str, TrainingJob]) -> str:
    """Who got below the 1/12 line, where a network must have remembered both numbers."""
    line = min(adding_baselines().values())  # 1/12: remembering only the later number
    final = {}
    for label, job in jobs.items():
        last = job.trainer.val_history.last
        final[label] = last["val_loss"] if last else float("inf")
    below = [f"{label} ({mse:.2g})" for label, mse in final.items() if mse < line]
    above = [f"{label} ({mse:.2g})" for label, mse in final.items() if not mse < line]
    if not below:
        return "None got below the 1/12 line: none uses both numbers yet."
    said = f"Below the 1/12 line, so using both numbers: {', '.join(below)}."
    return said + (f" Not: {', '.join(above)}." if above else "")


def _race_status(jobs: dict[str, TrainingJob]) -> str:
    """Where the race is, in one line: racing, stopped or finished."""
    step = max(j.trainer.step_count for j in jobs.values())
    total = max(j.max_steps for j in jobs.values())
    if any(j.playing for j in jobs.values()):
        return f"Racing: step {step:,} of {total:,}."
    if all(j.done for j in jobs.values()):
        return f"Finished: {step:,} steps each. {_race_outcome(jobs)}"
    return (
        f"Paused at step {step:,} of {total:,}: **Resume** goes on from here, **Start the "
        "race** starts a new one."
    )


def adding_section() -> None:
    """Three contenders on the adding problem, trained side by side in background jobs."""
    st.markdown(
        "The adding problem needs a number remembered across up to T steps. Guessing 1 scores "
        "MSE 1/6; remembering only the later number, 1/12. Three RNNs race with Adam and norm "
        "clipping: tanh with PyTorch's default init, tanh with orthogonal init, and IRNN. The "
        "lower chart follows the gradient that reaches the first step as each one trains: "
        "training reshapes W_hh, so a network that starts with none can gain reach late, after "
        "thousands of steps that taught it little. Whether it then uses both numbers shows in "
        "the upper one."
    )
    if (train_run := session_run.current_job()) and train_run.playing:
        # Both train on the same two cores: the race would be slower for no visible reason.
        st.warning("Your run on the Train page is still training and slows the race down.")
        st.button("Pause the Train page's run", key="race_pause_train", on_click=train_run.pause)
    for key, value in RACE_DEFAULTS.items():
        st.session_state.setdefault(key, value)
    c = st.columns(4)
    c[0].slider("Sequence length T", *RACE_LIMITS["race_length"], step=10, key="race_length")
    c[1].number_input("Epochs", *RACE_LIMITS["race_epochs"], key="race_epochs")
    c[2].button(
        "Start the race",
        type="primary",
        on_click=start_race,
        key="race_start",
        width="stretch",
    )
    jobs = st.session_state.get(RACE_KEY) or {}
    racing = any(j.playing for j in jobs.values())
    paused = not racing and any(not (j.done or j.stopped) for j in jobs.values())  # resumable
    c[3].button(
        "Resume" if paused else "Pause",
        on_click=_resume_race if paused else _pause_race,
        key="race_pause",
        width="stretch",
        disabled=not (racing or paused),  # nothing to pause before a race or after it ends
        help="Freeze the race to discuss it (its charts stay), then go on from there.",
    )
    if not jobs:
        return
    running = racing and not inline_training()

    @st.fragment(run_every=RACE_REFRESH_SECONDS if running else None)
    def _live() -> None:
        if current := st.session_state.get(RACE_KEY):
            st.caption(_race_status(current))
            _race_charts(current)
            if running and not any(j.playing for j in current.values()):
                st.rerun()  # the race is over: draw once more, without a refresh timer

    _live()
