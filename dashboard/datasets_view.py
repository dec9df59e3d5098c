"""The Datasets page: look at a built-in dataset or your own CSV before training on it."""

from __future__ import annotations

import io
from typing import Any

import streamlit as st

from rnn_core import datasets
from rnn_core.datasets import CsvColumns, DatasetError, SequenceData
from rnn_core.datasets.csv_text import SEPARATORS

from . import data_views, session_run
from .config import BUILT_IN, DATASET_OPTIONS, DATASET_TITLES, UPLOADED
from .markdown_text import literal
from .widgets import UPLOADED_KEY, option_key, option_widget


@st.cache_data(max_entries=16, show_spinner=False)
def _built_in(name: str, options: tuple[tuple[str, Any], ...]) -> SequenceData:
    return datasets.load(name, **dict(options))


# Every widget change reruns the page: a 20 MB file took 6–7 s to read again each time. The
# latest results are kept (by the file's bytes and the choices), as the objects themselves:
# nothing mutates them, and a copy of 100 MB of windows per rerun would cost what it saves.
@st.cache_resource(max_entries=2, show_spinner="Reading the file…")
def _columns_of(content: bytes) -> CsvColumns:
    return datasets.csv_columns(io.BytesIO(content))


@st.cache_resource(max_entries=2, show_spinner="Cutting the series into windows…")
def _windows_of(
    content: bytes, name: str, target: str, inputs: tuple[str, ...], window: int, horizon: int,
    fill: str, many_to_many: bool,
) -> SequenceData:  # fmt: skip
    return datasets.load_csv(
        io.BytesIO(content), target=target, inputs=list(inputs), window=window,
        horizon=horizon, fill=fill, name=name, many_to_many=many_to_many,
    )  # fmt: skip


def show(data: SequenceData) -> None:
    """Description, statistics, baselines and the pictures of one dataset."""
    st.markdown(literal(data.description))
    left, right = st.columns([3, 2])
    left.dataframe(data_views.split_statistics(data), width="stretch")
    right.markdown(f"**Baselines to beat** (validation MSE, {data.loss_units})")
    for name, value in data.baselines().items():
        right.markdown(f"- {name}: **{value:.4g}**")
    if data_views.is_series(data):
        st.plotly_chart(data_views.series_figure(data), key="data_series")
    st.plotly_chart(data_views.samples_figure(data), key="data_samples")


def preview_option_key(dataset: str, name: str) -> str:
    """Session-state key of a dataset option's control on this page (not the Train page's)."""
    return f"ds_{dataset}_{name}"


def _start_from_the_train_page() -> None:
    """On a first visit, show what the Train page's sidebar would train, not always the sine.

    Only the first time: after that the page keeps its own choices, for looking at other
    data without changing the Train page's.
    """
    state = st.session_state
    dataset = state.get("dataset")
    if "ds_dataset" in state or dataset not in BUILT_IN:
        return
    state["ds_dataset"] = dataset
    for spec in DATASET_OPTIONS[dataset]:
        if (value := state.get(option_key(dataset, spec.name))) is not None:
            state[preview_option_key(dataset, spec.name)] = value


def built_in_section() -> None:
    """Pick a built-in dataset and its options."""
    _start_from_the_train_page()
    name = st.selectbox("Dataset", BUILT_IN, format_func=DATASET_TITLES.get, key="ds_dataset")
    specs = DATASET_OPTIONS[name]
    for spec in specs:
        st.session_state.setdefault(preview_option_key(name, spec.name), spec.default)
    # Numbers side by side, aligned on their boxes; a checkbox's long label gets a line of its
    # own below them (in a fifth of the page it was cut to "Predict at …").
    numbers = [spec for spec in specs if not isinstance(spec.default, bool)]
    checks = [spec for spec in specs if isinstance(spec.default, bool)]
    options = {}
    for spec, col in zip(
        numbers, st.columns(max(1, len(numbers)), vertical_alignment="bottom"), strict=False
    ):
        with col:
            options[spec.name] = option_widget(spec, preview_option_key(name, spec.name))
    for spec in checks:
        options[spec.name] = option_widget(spec, preview_option_key(name, spec.name))
    if not all(spec.low <= options[spec.name] <= spec.high for spec in numbers):
        return  # the box says what to use; the loader's own, wider limit would contradict it
    try:
        show(_built_in(name, tuple(sorted(options.items()))))
    except DatasetError as err:
        st.error(f"{literal(err)}.")


KEPT_CSV = "ds_kept_csv"  # (file name, bytes): the upload outlives other pages and reloads
CSV_COLUMNS = "ds_kept_columns"  # the columns the column choices were made for
FOLLOWED = "ds_inputs_followed"  # the target whose past is the only input (the default), or None
NAMED_COLUMNS = 8  # unused columns named in full; a wide file's rest are counted


def _forget_removed_csv() -> None:
    if st.session_state.get("ds_upload") is None:
        session_run.keep(KEPT_CSV, None)


def _csv_file() -> tuple[str, bytes] | None:
    """The CSV being looked at: a fresh upload, or the one uploaded earlier this session.

    Streamlit forgets an upload widget's file when the user opens another page, and a reload
    forgets the session, so the bytes are kept with the tab's work (``session_run.keep``):
    coming back to Datasets must not lose the user's file.
    """
    upload = st.file_uploader(
        "A CSV file with a header row, one row per time step (≤ 20 MB)",
        type=["csv", "txt"],
        key="ds_upload",
        on_change=_forget_removed_csv,  # not called on a page visit, only on a user's ×
    )
    if upload is not None:
        session_run.keep(KEPT_CSV, (upload.name, upload.getvalue()))
    kept = st.session_state.get(KEPT_CSV)
    if kept is not None and upload is None:
        st.caption(
            f"Showing **{literal(kept[0])}**, uploaded earlier; upload another file to replace it."
        )
    return kept


def _column_choices(columns: list[str]) -> None:
    """Column choices that survive page visits; a new file resets what it cannot keep."""
    if st.session_state.get(CSV_COLUMNS) == columns:
        return  # the same file: the user's choices stand, even an empty one
    st.session_state[CSV_COLUMNS] = columns
    if st.session_state.get("ds_target") not in columns:
        st.session_state["ds_target"] = columns[-1]
    kept = [c for c in st.session_state.get("ds_inputs", ()) if c in columns]
    # By default, forecast the target from its own past.
    st.session_state["ds_inputs"] = kept or [st.session_state["ds_target"]]
    _note_whether_inputs_follow()
    st.session_state.setdefault("ds_window", 7)
    st.session_state.setdefault("ds_horizon", 1)


def _note_whether_inputs_follow() -> None:
    """Inputs that are just the target (the default) follow it when another target is chosen."""
    state = st.session_state
    target = state.get("ds_target")
    state[FOLLOWED] = target if state.get("ds_inputs") == [target] else None


def _target_chosen() -> None:
    """A new target brings its own past as the input, unless the user chose the inputs.

    Left as they were, a stock file's default input Volume stayed when the target became
    Close: the model would have predicted Close from Volume alone. Inputs chosen in the same
    rerun (a link, a test) are no longer the old target alone, so they stand.
    """
    state = st.session_state
    if (followed := state.get(FOLLOWED)) is not None and state.get("ds_inputs") == [followed]:
        state["ds_inputs"] = [state["ds_target"]]
        state[FOLLOWED] = state["ds_target"]


def how_read(columns: CsvColumns) -> str:
    """How the file was read, when not as a US spreadsheet writes it: a student can check it.

    With only 1.250-like cells a semicolon file is read with a decimal comma (1250): the rule
    is the spreadsheets' own, and saying it lets the student see a wrong guess at once.
    """
    mark = (
        "a decimal comma (3,5 is 3.5; 1.250 is 1250)"
        if columns.decimal == ","
        else ("a decimal point (3.5; 1,250 is 1250)")
    )
    if len(columns.numeric) + len(columns.other) == 1:  # one column: nothing between columns
        return f"Read with {mark}."
    return f"Read with {SEPARATORS[columns.separator]} between the columns and {mark}."


def csv_section() -> None:
    """Upload a CSV, choose columns and window; see it, or see what to fix."""
    kept = _csv_file()
    if kept is None:
        st.caption(
            "Try the seed notebook's weather format: columns tmax, tmin, rain, "
            "tmax_tomorrow with a date column; target tmax_tomorrow, inputs tmax, tmin and "
            "rain (the target cannot be an input at horizon 0), horizon 0, forward fill for "
            "its gaps, and a prediction at every row, as the notebook trained."
        )
        return
    name, content = kept
    try:
        columns = _columns_of(content)
    except DatasetError as err:
        st.error(f"This file cannot be used: {literal(err)}.")
        return
    _column_choices(columns.numeric)
    # The column choices get a row of their own: in a fifth of the page, a multiselect shows
    # its chosen columns as unreadable slivers.
    left, right = st.columns([1, 2])
    target = left.selectbox(
        "Target column", columns.numeric, key="ds_target", on_change=_target_chosen
    )
    inputs = right.multiselect(
        "Input columns", columns.numeric, key="ds_inputs", on_change=_note_whether_inputs_follow
    )
    if columns.other:
        st.caption(f"Left out: {literal(columns.left_out())}.")
    if unused := [c for c in columns.numeric if c != target and c not in inputs]:
        # A default run learns the target from its own past: the file's other columns of
        # numbers went unused without a word.
        named = ", ".join(unused[:NAMED_COLUMNS])
        more = f" and {len(unused) - NAMED_COLUMNS:,} more" if len(unused) > NAMED_COLUMNS else ""
        them = "it" if len(unused) == 1 else "them"
        st.caption(
            f"Not used: {literal(named)}{more}. Add {them} to the input columns for the network "
            f"to learn from {them} too."
        )
    if (columns.separator, columns.decimal) != (",", "."):
        st.caption(how_read(columns))
    c = st.columns(3)
    window = c[0].number_input("Window (rows)", 1, 1000, key="ds_window")
    horizon = c[1].number_input("Horizon (rows ahead)", 0, 1000, key="ds_horizon")
    fill = c[2].radio(
        "Gaps",
        ("refuse", "ffill"),
        key="ds_fill",
        format_func={"refuse": "refuse", "ffill": "forward fill"}.get,
        horizontal=True,
    )
    many = st.checkbox(
        "Predict at every row (many-to-many)",
        key="ds_many",
        help="Every row of a window gets its own target, the target column "
        '"horizon" rows after that row, as the seed weather notebook trained. Off: one '
        "target per window, after its last row.",
    )
    try:
        data = _windows_of(
            content, name, target, tuple(inputs), int(window), int(horizon), fill, many
        )
    except DatasetError as err:
        st.error(f"This file cannot be used yet: {literal(err)}.")
        return
    st.success(f"{literal(name)}: {len(data.X_train)} training windows.")
    if st.button("Train on this data", type="primary", key="ds_train_on"):
        st.session_state[UPLOADED_KEY] = data
        st.session_state["dataset"] = UPLOADED
        st.switch_page("pages/train.py")
    show(data)
