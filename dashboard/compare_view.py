"""The Compare page: overlay the session's runs and show how their settings differ."""

from __future__ import annotations

import numpy as np
import pandas as pd
import streamlit as st

from rnn_core.wording import said

from . import csv_choices, figures, log_axis
from .config import UPLOADED
from .markdown_text import literal
from .runs import LABEL_FIELDS, RunRecord, session_runs
from .session_run import current_job
from .setting_labels import SETTING_LABELS, as_shown

HIGHLIGHT = "background-color: #fff3b0; font-weight: 600"
BEST = "background-color: #d5f0dc; font-weight: 600"  # the lowest validation loss
LOWEST = " (lowest)"  # after the lowest validation loss, in words as well as in green
COMPARED_BY_DEFAULT = 4  # runs overlaid when the page opens


# Settings a run's label already names ("#2 sine · tanh · H=16 · sgd lr=100 · seed 0").
IN_LABEL = {SETTING_LABELS[field] for field in LABEL_FIELDS}
LEGEND_EXTRAS = 2  # settings outside the label a legend names, at most


def legend_names(records: list[RunRecord]) -> list[str]:
    """Each run's number and only what differs between these runs.

    Whole labels ("#2 weather.csv · tanh · H=16 · sgd lr=100 · seed 0") are cut off in a
    half-width chart's legend, and what the runs share tells them apart no better. The label's
    parts come first; settings the label does not name (clipping, init, …) are added only
    when the label's parts do not tell the runs apart (two runs that differ only in clipping
    would both read "#1", "#2"): added to runs told apart already, they pushed legends past
    the chart's edge. The run picker and the settings table name them all.
    """
    labels = [r.label.split(" · ") for r in records]  # "#2 weather.csv", "tanh", "H=16", …
    if len({len(parts) for parts in labels}) > 1:
        return [r.label for r in records]  # labels of different shapes: keep them whole
    numbers = [parts[0].split(" ", 1)[0] for parts in labels]  # "#2"
    rows = [
        [parts[0].removeprefix(n).strip(), *parts[1:]]
        for n, parts in zip(numbers, labels, strict=True)
    ]
    differ = [k for k in range(len(rows[0])) if len({row[k] for row in rows}) > 1]
    named = [tuple(row[k] for k in differ) for row in rows]
    extras = [[] for _ in records]
    if len(set(named)) < len(rows):
        twins = [[i for i, other in enumerate(named) if other == name] for name in set(named)]
        added = unlabelled_differences(records, groups=[g for g in twins if len(g) > 1])
        # Only if they tell more runs apart: two runs alike in every setting stay alike, and
        # the extras only pushed every legend past the chart's edge.
        if len({(n, tuple(e)) for n, e in zip(named, added, strict=True)}) > len(set(named)):
            extras = added
    return [
        f"{n} {' · '.join([*(row[k] for k in differ), *extra])}".strip()
        for n, row, extra in zip(numbers, rows, extras, strict=True)
    ]


def unlabelled_differences(
    records: list[RunRecord], groups: list[list[int]] | None = None
) -> list[list[str]]:
    """Per run, the settings its label does not name that differ between these runs.

    At most LEGEND_EXTRAS of them, as "Gradient clipping norm". With ``groups`` (lists of
    indices: runs whose labels collide), only settings that differ within a group count: one
    that differs only between groups would take a place and tell no run from its twin.
    """
    shown = [as_shown(r.config) for r in records]
    groups = groups if groups is not None else [list(range(len(records)))]

    def differs(label: str) -> bool:
        return any(len({said(shown[i].get(label, "–")) for i in group}) > 1 for group in groups)

    labels = dict.fromkeys(label for settings in shown for label in settings)
    differing = [label for label in labels if label not in IN_LABEL and differs(label)]
    return [
        [f"{label} {said(s.get(label, '–'))}" for label in differing[:LEGEND_EXTRAS]] for s in shown
    ]


# A run that blew up climbs to 1e200 and would flatten every other curve: the y axis stops
# this many times above where the runs started, and a blown-up curve leaves the chart upwards.
HEADROOM = 1e3


def _y_range(curves: list[np.ndarray], blew_up: list[bool]) -> list[float] | None:
    """A log axis range (in decades) that keeps healthy runs readable, or None (autorange).

    The headroom is measured from where the runs that did not blow up started: a run that
    blew up at its first step starts at 1e11 itself, and would otherwise set the scale.
    """
    drawn = [(log_axis.drawable(c), bad) for c, bad in zip(curves, blew_up, strict=True)]
    drawn = [(c, bad) for c, bad in drawn if len(c)]
    if not drawn:
        return None
    starts = [c[0] for c, bad in drawn if not bad] or [c[0] for c, _ in drawn]
    top = HEADROOM * max(starts)
    drawn = [c for c, _ in drawn]
    highest, lowest = max(c.max() for c in drawn), min(c.min() for c in drawn)
    if highest <= top:
        return None
    return [np.log10(lowest) - 0.1, np.log10(top)]


RUN_DASHES = ("solid", "dash", "dot", "dashdot")


def _curves(records: list[RunRecord], column: str, source: str, title: str, y: str):
    traces, curves, blew_up, numbers = [], [], [], []
    for i, (r, name) in enumerate(zip(records, legend_names(records), strict=True)):
        h = r.val_history if source == "val" else r.history
        if len(h.get("step", ())):
            step, values = figures.thin(h["step"], h[column])
            curves.append(values)
            blew_up.append(r.blew_up)
            numbers.append(f"#{r.number}")
            traces.append(
                figures.line_trace(
                    step,
                    figures.positive_only(values),
                    name,
                    "step %{x}<br>%{y:.4g}",
                    line={
                        "color": figures.COLORS[i % len(figures.COLORS)],
                        # A dash per run too: two runs in blue and orange read as one colour
                        # to a colour-blind student, and on a washed-out projector.
                        "dash": RUN_DASHES[i % len(RUN_DASHES)],
                    },
                )
            )
    y_range = _y_range(curves, blew_up)
    # A run that leaves the top of the axis (all of it, or its blow-up) is named: its legend
    # entry alone would not say where its line went.
    above = [n for n, c in zip(numbers, curves, strict=True) if y_range and _above(c, y_range)]
    # A run that blew up may end as a dot at step 2 on a 4,000-step axis: said, not left to find.
    blown = [n for n, bad in zip(numbers, blew_up, strict=True) if bad]
    notes = [
        f"{n} blew up, off the top of the chart" if n in above else f"{n} blew up" for n in blown
    ]
    if rest := [n for n in above if n not in blown]:
        notes.append(f"leaves the top of the chart: {', '.join(rest)}")
    subtitle = "; ".join(notes)
    return figures.styled_figure(
        traces, title, "step", y, log_y=True, subtitle=subtitle, y_range=y_range
    )


def _above(curve: np.ndarray, y_range: list[float]) -> bool:
    """Whether any point of ``curve`` is above a log axis's range (in decades), or not finite."""
    with np.errstate(divide="ignore", invalid="ignore"):
        return bool(np.any(~np.isfinite(curve) | (np.log10(np.abs(curve)) > y_range[1])))


# The runs' results, above their settings: which run did better, without reading a log chart.
# Results always differ, so they are not highlighted as differences.
RESULT_ROWS = ("outcome", "validation MSE, last", "validation MSE, best")
STEPS_ROW = "steps trained"
# Rows that say what a run did, not how it was set up: never highlighted as a difference.
OUTCOME_ROWS = (*RESULT_ROWS, STEPS_ROW)
# How each run ended, by its job's status; any other (reset while training) "stopped early".
OUTCOMES = {"finished": "finished", "paused": "paused", "failed": "stopped by an error"}


def _results(record: RunRecord) -> dict[str, str]:
    val = record.val_history.get("val_loss", np.array([]))
    finite = val[np.isfinite(val)]
    return {
        RESULT_ROWS[0]: "blew up"
        if record.blew_up
        else OUTCOMES.get(record.status, "stopped early"),
        RESULT_ROWS[1]: f"{val[-1]:.3g}" if len(val) else "–",
        RESULT_ROWS[2]: f"{finite.min():.3g}" if len(finite) else "–",
    }


def _settings(record: RunRecord) -> dict[str, object]:
    """A run's results, steps and settings, labelled and valued as the Train page shows them."""
    config = record.config
    flat: dict[str, object] = {
        **_results(record),
        STEPS_ROW: f"{record.steps:,}",  # 22,000 as the Train page writes it
        **as_shown(config),
    }
    if record.data_name and config.dataset == UPLOADED:
        # st.table renders its cells as Markdown: the file's names are escaped.
        flat[SETTING_LABELS["dataset"]] = f"CSV: {literal(record.data_name)}"
        choices = csv_choices.labelled(record.data_options)
        flat.update({f"CSV: {k}": literal(v) for k, v in choices.items()})
    return flat


def settings_table(
    records: list[RunRecord], only_differences: bool = False
) -> pd.io.formats.style.Styler:
    """One column per run, one row per result and setting; differing settings highlighted.

    ``only_differences`` keeps the results, the steps and the settings that differ: the one
    row that tells two runs apart was row 11 of 24, two screens down on a projector.
    """
    rows = {}
    for r in records:
        rows[r.label.split(" ", 1)[0]] = {k: said(v) for k, v in _settings(r).items()}
    table = pd.DataFrame(rows).fillna("–")
    differs = (table.nunique(axis=1) > 1) & ~table.index.isin(OUTCOME_ROWS)
    if only_differences:
        table = table[differs | table.index.isin(OUTCOME_ROWS)]
    # Which run did best, without comparing 7.45e-07 with 1.2e-06 by eye; only on the same
    # data, where the losses compare. Said in words too: a screen reader reads no colour.
    if len({_data_of(r) for r in records}) == 1:
        for row in RESULT_ROWS[1:]:
            values = pd.to_numeric(table.loc[row], errors="coerce")  # "–": NaN
            if values.nunique() > 1:
                table.loc[row] = [
                    f"{text}{LOWEST}" if v == values.min() else text
                    for text, v in zip(table.loc[row], values, strict=True)
                ]

    def styles(row: pd.Series) -> list[str]:
        if row.name in RESULT_ROWS[1:]:
            return [BEST if str(v).endswith(LOWEST) else "" for v in row]
        return [HIGHLIGHT if differs[row.name] else ""] * len(row)

    return table.style.apply(styles, axis=1)


def _data_of(record: RunRecord) -> tuple[str, str, str]:
    """What a run learnt from: runs that differ here have losses on different scales."""
    config = record.config
    return (
        record.data_name or config.dataset,
        str(config.dataset_options),
        str(record.data_options),
    )


def compare_page() -> None:
    """Pick runs, overlay their loss and gradient-norm curves, and diff their settings."""
    records = session_runs(current_job())
    if len(records) < 2:
        st.info(
            "Train at least two runs on the **Train** page (press **Reset** between them, or "
            "pause one); each paused, finished or reset run appears here."
        )
        if not records:
            return
    labels = [r.label for r in records]
    # The latest few: a class compares a handful of settings; a dozen lines would be a tangle.
    default = labels[-COMPARED_BY_DEFAULT:]
    # The label stays the option (the choice is kept by it); what else differs is shown too.
    differences = unlabelled_differences(records)
    extra = {r.label: " · ".join(d) for r, d in zip(records, differences, strict=True)}
    chosen = st.multiselect(
        "Runs to compare",
        labels,
        default=default,
        key="compare_runs",
        format_func=lambda label: f"{label} · {extra[label]}" if extra[label] else label,
    )
    picked = [r for r in records if r.label in chosen]
    if not picked:
        return
    data = {_data_of(r) for r in picked}
    if len(data) > 1:
        names = literal(", ".join(sorted({name for name, *_ in data})))  # file names too
        st.warning(
            f"These runs learn different data ({names}, or other data options): their losses "
            "are on different data and scales, so compare their shapes, not their heights."
        )
    # One run has no differences to show: all of its settings are.
    every_setting = len(picked) == 1 or st.toggle("Show every setting", key="compare_all_settings")
    st.subheader(
        "Results and settings (differences highlighted)"
        if every_setting
        else "Results, and the settings that differ"
    )
    table = settings_table(picked, only_differences=not every_setting)
    # A static table wraps long names and values ("Seed (weights and shuffling)", "orthogonal
    # W_hh (Keras default)") and shows every run's column at once; a data grid cut them short
    # or hid the later runs behind a sideways scroll on a laptop.
    st.table(table)
    if not every_setting and set(table.data.index) <= set(OUTCOME_ROWS):
        st.caption("No setting differs between these runs.")
    left, right = st.columns(2)
    left.plotly_chart(_curves(picked, "val_loss", "val", "Validation loss", "MSE"), key="cmp_val")
    right.plotly_chart(
        _curves(picked, "loss", "train", "Training loss (minibatch)", "MSE"), key="cmp_train"
    )
    st.plotly_chart(
        _curves(picked, "grad_norm", "train", "Gradient norm (before clipping)", "‖g‖"),
        key="cmp_grad",
    )
