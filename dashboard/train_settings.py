"""Where the Train page's settings come from and go: shared links and seed-notebook presets.

The address always equals the controls (plus this tab's run id, which the share box leaves
out), so a link reproduces a run's settings; a preset sets every control as a seed notebook
did. Both write the controls' session state through ``show_config``.
"""

from __future__ import annotations

from urllib.parse import urlencode

import streamlit as st

from . import csv_choices, session_run
from .config import UPLOADED, RunConfig
from .markdown_text import literal
from .presets import SEED_PRESETS
from .session_run import RUN_PARAM
from .sharing import DATASET_PREFIX, to_query_params, unused_keys, usable_config
from .widgets import UPLOADED_KEY, show_config, widget_state

LINK_KEY = "_train_link_applied"
PRESET_NOTE = "_preset_note"
LINK_WANTS_CSV = "link_wants_csv"  # a shared link asked for a CSV run this session cannot have


def restore_from_link() -> None:
    """Once per session, set the controls from the URL's query parameters (a shared link)."""
    if st.session_state.get(LINK_KEY):
        return
    st.session_state[LINK_KEY] = True
    params = {k: v for k, v in st.query_params.to_dict().items() if k != RUN_PARAM}
    if not params:  # no settings in the address (a plain visit, or only this tab's run)
        return
    config, problems = usable_config(params)
    if problems:
        st.warning(
            f"Some of this link's settings could not be used and keep their defaults: "
            f"{literal('; '.join(problems))}. The others are applied."
        )
    show_config(config)
    unused = unused_keys(params)
    if params.get("dataset", config.dataset) != config.dataset:  # its dataset was refused:
        unused = [key for key in unused if not key.startswith(DATASET_PREFIX)]  # said once
    if unused:
        names = literal(", ".join(repr(key) for key in unused))
        st.warning(
            f"This link's {names} {'was' if len(unused) == 1 else 'were'} left out: no setting "
            f"of a {config.dataset} run has that name (a dataset's own options start with "
            f"{DATASET_PREFIX}, as in {DATASET_PREFIX}window). The other settings are applied."
        )
    if config.dataset == UPLOADED:
        st.session_state[LINK_WANTS_CSV] = True


def csv_link_notice() -> None:
    """Until the shared CSV run's file is uploaded or something trains, say so on every visit.

    Said once, the warning was gone after the next click, and **Train** then trained the
    sidebar's sine wave as if it were the linked run. Once a run has started, the user has
    chosen: the warning does not come back after **Reset**.
    """
    if session_run.current_job() is not None or UPLOADED_KEY in st.session_state:
        st.session_state.pop(LINK_WANTS_CSV, None)  # something trains, or the file came
    if st.session_state.get(LINK_WANTS_CSV):
        st.warning(
            "This link is for a run on someone's own CSV file, which a link cannot carry. "
            "Upload that file on the Datasets page and press **Train on this data**; the other "
            "settings from the link are kept. Until then, **Train** trains the dataset the "
            "sidebar shows."
        )


def _apply_preset() -> None:
    key = st.session_state.get("preset")
    if key in SEED_PRESETS:
        show_config(SEED_PRESETS[key].config)
        st.session_state[PRESET_NOTE] = key
    # Back to the placeholder, so choosing the same preset again (after changing a control)
    # applies it again; the caption says which one was applied.
    st.session_state["preset"] = None


def presets_box() -> None:
    """Seed-notebook presets: one click sets every control as that notebook did."""
    with st.sidebar:
        st.selectbox(
            "Seed notebook preset",
            list(SEED_PRESETS),
            index=None,
            format_func=lambda k: SEED_PRESETS[k].title,
            key="preset",
            placeholder="Choose a notebook to reproduce",
            on_change=_apply_preset,
            help=(
                "RNN Lab grew out of five course notebooks (000–004), each training an RNN "
                "its own way. A preset sets every control as that notebook did. Optional: the "
                "controls below start with sensible settings of their own."
            ),
        )
        if (key := st.session_state.get(PRESET_NOTE)) in SEED_PRESETS:
            preset = SEED_PRESETS[key]
            if _shows(preset.config):
                st.caption(f"Applied **{preset.title}**. {preset.note}")
            else:  # "Applied 004 · sine" above a CSV run would say what is not so
                st.caption(f"Started from **{preset.title}**; controls changed since.")


def _shows(config: RunConfig) -> bool:
    """Whether the controls still show ``config`` (ρ's value counts only when it rescales)."""
    wanted = widget_state(config)
    if config.spectral_radius is None:
        del wanted["spectral_radius"]
    return all(st.session_state.get(key) == value for key, value in wanted.items())


def share_link(config: RunConfig | None) -> None:
    """Keep the URL equal to the controls, and offer the link to copy."""
    if config is None:
        return
    params = to_query_params(config)
    run_id = session_run.run_id()
    in_url = {**params, RUN_PARAM: run_id} if run_id else params  # the share box omits it
    if st.query_params.to_dict() != in_url:
        st.query_params.from_dict(in_url)
    base = (st.context.url or "").split("?", 1)[0]
    with st.sidebar.expander("Share these settings"):
        if config.dataset == UPLOADED:
            data = st.session_state[UPLOADED_KEY]
            st.caption(
                "A link cannot carry your CSV file: whoever opens it gets these settings and "
                "is asked to upload the file. Send the file along with the link, and the "
                "choices to make for it on the Datasets page: "
                f"{literal(csv_choices.summary(data.name, data.source_options))}."
            )
        else:
            st.caption(
                "Anyone opening this link gets these controls; the same seed gives the same curves."
            )
        st.code(f"{base}?{urlencode(params)}", language=None, wrap_lines=True)
