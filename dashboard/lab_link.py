"""The Gradient Lab's setup in its address, so a teacher's link opens the lab the same way.

Every lab control has a short query key (``/gradient_lab?section=cliff&T=100&act=relu``), and
a lesson its number (``lesson=2``). The first visit to the lab in a session (a shared link, or
a reload) sets the controls from the address; from then on the address follows the controls,
so copying it shares the setup. A value the lab cannot use is named and keeps its default.
"""

from __future__ import annotations

import streamlit as st

from rnn_core import ACTIVATIONS, INITS
from rnn_core.wording import number, quoted

from .lab_experiments import RACE_DEFAULTS, RACE_LIMITS
from .lab_view import CLIFF_DEFAULTS, INSTANT_DEFAULTS, LIMITS, SECTIONS, apply_lesson
from .lessons import LESSONS
from .markdown_text import literal

APPLIED_KEY = "_lab_link_applied"
LESSON_PARAM = "lesson"
# Session-state key of each control -> its key in the address.
PARAMS = {
    "lab_section": "section",
    "lab_length": "T",
    "lab_hidden": "H",
    "lab_activation": "act",
    "lab_init": "init",
    "lab_rescale": "set_rho",
    "lab_rho": "rho",
    "cliff_w": "cliff_w",
    "cliff_lr": "cliff_lr",
    "cliff_clip": "cliff_clip",
    "race_length": "race_T",
    "race_epochs": "race_epochs",
}
SECTION_NAMES = dict(zip(("instant", "cliff", "exploding", "adding", "why"), SECTIONS, strict=True))
SECTION_SLUGS = {section: slug for slug, section in SECTION_NAMES.items()}
CHOICES = {"lab_activation": tuple(ACTIVATIONS), "lab_init": INITS}
DEFAULTS = {"lab_section": SECTIONS[0], **INSTANT_DEFAULTS, **CLIFF_DEFAULTS, **RACE_DEFAULTS}
BOUNDS = {**LIMITS, **RACE_LIMITS}


def _parse(key: str, text: str) -> object:
    """The control's value a link's ``text`` stands for; ValueError saying what is wrong."""
    try:
        return _value(key, text)
    except ValueError as err:
        raise ValueError(f"{err}; got {quoted(text)}") from None


def _value(key: str, text: str) -> object:
    param, default = PARAMS[key], DEFAULTS[key]
    if key == "lab_section":
        if text not in SECTION_NAMES:
            raise ValueError(f"{param} must be one of {', '.join(SECTION_NAMES)}")
        return SECTION_NAMES[text]
    if key in CHOICES:
        if text not in CHOICES[key]:
            raise ValueError(f"{param} must be one of {', '.join(CHOICES[key])}")
        return text
    if isinstance(default, bool):
        if text not in ("0", "1"):
            raise ValueError(f"{param} must be 0 or 1")
        return text == "1"
    low, high = BOUNDS[key]
    kind = type(default)
    try:
        value = kind(text)
    except ValueError:
        value = None
    if value is None or not low <= value <= high:
        raise ValueError(
            f"{param} must be {'a whole number' if kind is int else 'a number'} from "
            f"{number(low)} to {number(high)}"
        )
    return value


def _text(key: str, value: object) -> str:
    if key == "lab_section":
        return SECTION_SLUGS[value]
    if isinstance(value, bool):
        return "1" if value else "0"
    return repr(value) if isinstance(value, float) else str(value)


def restore_lab_from_link() -> None:
    """Once per session, before the lab's widgets: set its lesson and controls from the URL."""
    if st.session_state.get(APPLIED_KEY):
        return
    st.session_state[APPLIED_KEY] = True
    problems = []
    if (lesson := st.query_params.get(LESSON_PARAM)) is not None:
        # Matched as text: int() of a 5,000-digit lesson raises before any range check.
        if lesson in (numbers := [str(n) for n in range(1, len(LESSONS) + 1)]):
            apply_lesson(numbers.index(lesson))  # its controls; any the link names come next
        else:
            problems.append(
                f"{LESSON_PARAM} must be a whole number from 1 to {len(LESSONS)}; got "
                f"{quoted(lesson)}"
            )
    for key, param in PARAMS.items():
        if param in st.query_params:
            try:
                st.session_state[key] = _parse(key, st.query_params[param])
            except ValueError as err:
                problems.append(str(err))
    if problems:
        st.warning(
            f"Some of this link's lab settings could not be used and keep their defaults: "
            f"{literal('; '.join(problems))}."
        )


def follow_controls() -> None:
    """After the lab's widgets: make the address say the controls' values and the lesson."""
    wanted = {
        param: _text(key, st.session_state[key])
        for key, param in PARAMS.items()
        if key in st.session_state
    }
    if (lesson := st.session_state.get("lab_lesson")) is not None:
        wanted[LESSON_PARAM] = str(lesson + 1)
    elif LESSON_PARAM in st.query_params:
        del st.query_params[LESSON_PARAM]
    for param, text in wanted.items():
        if st.query_params.get(param) != text:
            st.query_params[param] = text
