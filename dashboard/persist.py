"""Control values that survive a visit to another page.

Streamlit deletes a widget's value when a script run does not draw that widget, so opening
Home and coming back would reset every control of the Train page, the Datasets page and the
instant lab: the user's work, lost. A value written through ``st.session_state`` in a run is
kept, so every page starts by writing each kept value back to itself (and to a copy).

Only value widgets whose code never passes a ``value``/``index`` belong here: Streamlit
warns about a widget that has both, and refuses the write for buttons and file uploaders.
Compare's run picker is left out on purpose: it starts with the newest runs, which after
training another run is what the user comes to see.
"""

from __future__ import annotations

import streamlit as st

from .config import DATASET_OPTIONS
from .datasets_view import preview_option_key
from .lab_experiments import RACE_DEFAULTS
from .lab_view import CLIFF_DEFAULTS, INSTANT_DEFAULTS
from .live_controls import CHART_REFRESH_KEY, PACE_KEY
from .widgets import PLAIN_FIELDS, option_key

TRAIN_KEYS = ("dataset", *PLAIN_FIELDS, "rescale", "spectral_radius", CHART_REFRESH_KEY, PACE_KEY)
DATASETS_KEYS = (
    "ds_source",
    "ds_dataset",
    "ds_target",
    "ds_inputs",
    "ds_window",
    "ds_horizon",
    "ds_fill",
    "ds_many",
)
LAB_KEYS = ("lab_section", *INSTANT_DEFAULTS, *CLIFF_DEFAULTS, *RACE_DEFAULTS)
OPTION_KEYS = tuple(
    key
    for dataset, specs in DATASET_OPTIONS.items()
    for spec in specs
    for key in (option_key(dataset, spec.name), preview_option_key(dataset, spec.name))
)
KEPT_KEYS = (*TRAIN_KEYS, *DATASETS_KEYS, *LAB_KEYS, *OPTION_KEYS)
SAVED = "_saved_"  # prefix of the plain copies


def keep_control_values() -> None:
    """Keep every control's value through a visit to another page.

    Each value is written back to itself (so this run does not drop it) and copied to a plain
    session-state key that Streamlit never cleans up: a value already dropped, as a live
    fragment's rerun may do while training, comes back from that copy.
    """
    state = st.session_state
    for key in KEPT_KEYS:
        if key in state:
            state[key] = state[SAVED + key] = state[key]
        elif SAVED + key in state:
            state[key] = state[SAVED + key]
