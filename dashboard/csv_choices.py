"""What a run on the user's CSV learned: the file and the choices it was read with.

A run's settings say only "your CSV"; two runs on one file may predict different columns
from different windows. The choices are made on the Datasets page and carried by the data
(``SequenceData.source_options``), so the Train page, Compare, the exports and the share box
say them the way the Datasets page asks for them.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from rnn_core.datasets import SequenceData
from rnn_core.wording import count

# The Datasets page's controls, by the ``load_csv`` option each one sets.
LABELS = {
    "target": "Target column",
    "inputs": "Input columns",
    "window": "Window (rows)",
    "horizon": "Horizon (rows ahead)",
    "fill": "Gaps",
    "many_to_many": "Predict at every row (many-to-many)",
}
FILL_TITLES = {"refuse": "refuse", "ffill": "forward fill"}


def labelled(options: Mapping[str, Any]) -> dict[str, str]:
    """The choices by their controls' labels, with the values as the controls show them."""
    shown = {
        **options,
        "inputs": ", ".join(options.get("inputs", ())),
        "fill": FILL_TITLES.get(options.get("fill", ""), options.get("fill")),
        "many_to_many": "yes" if options.get("many_to_many") else "no",
    }
    return {label: str(shown[key]) for key, label in LABELS.items() if key in options}


def summary(file_name: str, options: Mapping[str, Any]) -> str:
    """One line: which column is predicted from which, over how many rows, how far ahead."""
    if not options:
        return file_name
    ahead = options["horizon"]
    if options.get("many_to_many"):
        when = f"{count(ahead, 'row')} ahead of every row" if ahead else "on every row"
    else:
        when = f"{count(ahead, 'row')} ahead" if ahead else "on the last row"
    gaps = "forward filled" if options["fill"] == "ffill" else "refused"
    return (
        f"{file_name}: {options['target']} {when}, from {', '.join(options['inputs'])} over "
        f"{count(options['window'], 'row')}, gaps {gaps}"
    )


def changes(run_data: SequenceData, sidebar_data: SequenceData | None) -> list[str]:
    """The CSV the sidebar offers, if it is not the one the run learns: a changed setting.

    A new file, or other choices, on the Datasets page change what a new run would learn
    while the run goes on with its own data, like any other setting.
    """
    if sidebar_data is None or sidebar_data is run_data:
        return []
    before = summary(run_data.name, run_data.source_options)
    after = summary(sidebar_data.name, sidebar_data.source_options)
    return [f"Your CSV {before} → {after}{' (loaded again)' if after == before else ''}"]
