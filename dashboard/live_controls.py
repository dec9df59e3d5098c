"""How the Train page shows a run: the training pace and how often charts redraw.

Neither changes the run, only how it is watched, so changing either never asks for a Reset.
At full speed a sine wave is learnt in a few seconds, between two chart redraws: a class sees
an untrained model and then a perfect fit. A slower pace lets a teacher show the learning
itself, step by step, with the charts redrawn every second.
"""

from __future__ import annotations

import streamlit as st

from .session_run import current_job

CHART_REFRESH_CHOICES = (1.0, 2.0, 3.0, 5.0)
CHART_REFRESH_SECONDS = 3.0  # the default choice
CHART_REFRESH_KEY = "chart_refresh"
PACE_KEY = "pace"
FULL_SPEED = 0  # the pace choice with no limit
PACE_CHOICES = (1, 5, 20, 100, FULL_SPEED)  # steps per second, slowest first
SLOW_CHART_SECONDS = 1.0  # charts redraw at least this often at a limited pace


def _pace_text(pace: int) -> str:
    if pace == FULL_SPEED:
        return "full speed"
    return f"{pace} step/s" if pace == 1 else f"{pace} steps/s"


def pace_control() -> None:
    """The sidebar's training pace: full speed, or at most so many steps per second.

    A session that finds its run already there (a reload) starts from the run's own pace:
    the default would have sent a slow classroom demo to full speed, thousands of steps on.
    """
    if PACE_KEY not in st.session_state:
        job = current_job()
        kept = job.pace if job is not None else None
        st.session_state[PACE_KEY] = int(kept) if kept in PACE_CHOICES else FULL_SPEED
    st.sidebar.select_slider(
        "Training pace",
        options=PACE_CHOICES,
        format_func=_pace_text,
        key=PACE_KEY,
        help=(
            "Slow motion for a class: at full speed the sine wave is learnt in seconds. At "
            "1–20 steps/s the learning unfolds while you talk, and the charts redraw every "
            "second. Changes apply at once, without a Reset."
        ),
    )


def chosen_pace() -> float | None:
    """The chosen pace in steps per second, None for full speed."""
    pace = st.session_state.get(PACE_KEY, FULL_SPEED)
    return None if pace == FULL_SPEED else float(pace)


def chart_refresh_control() -> float:
    """The sidebar's choice of how often charts redraw while training, in seconds.

    At a limited pace training costs almost nothing, so the charts redraw at least every
    SLOW_CHART_SECONDS whatever the choice: a slow run is shown to be watched.
    """
    st.session_state.setdefault(CHART_REFRESH_KEY, CHART_REFRESH_SECONDS)
    paced = chosen_pace() is not None
    chosen = st.sidebar.select_slider(
        # The disabled control still shows its own value: the label says the one used.
        f"Redraw charts while training every ({SLOW_CHART_SECONDS:g} s at a limited pace)"
        if paced
        else "Redraw charts while training every",
        options=CHART_REFRESH_CHOICES,
        format_func=lambda s: f"{s:g} s",
        key=CHART_REFRESH_KEY,
        disabled=paced,  # its value is not the one used: said, not shown as if it were
        help=(
            "Each redraw costs training time when the browser runs on the same computer (on a "
            "2-core machine the live page costs training about a tenth of its speed, mostly "
            "for chart redraws). On a faster machine, or when the page is viewed from another "
            "computer, 1 s looks more alive. At a limited training pace charts redraw every "
            "second."
        ),
    )
    return SLOW_CHART_SECONDS if paced else chosen
