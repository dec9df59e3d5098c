"""Downloads of a run (history CSV, weights .npz, config JSON) and loading weights back.

Weights go through ``rnn_core.checkpoint``: plain arrays and a JSON config, never pickle, and
a file is fully validated before it touches the model.
"""

from __future__ import annotations

import io
import json
from typing import IO

import numpy as np

from rnn_core import RNN, CheckpointError, load_checkpoint, save_checkpoint
from rnn_core.datasets import SequenceData
from rnn_core.wording import said

from .config import RunConfig

# What must match for weights to fit, in the words of the Train page (how the weights were
# initialised, their seed and dtype need not).
ARCHITECTURE = {
    "input_size": "inputs per step (the dataset's input columns)",
    "hidden_size": "hidden units",
    "output_size": "outputs per step (the dataset's targets)",
    "num_layers": "layers",
    "activation": "activation",
    "many_to_many": "predict at every step",
    "bidirectional": "bidirectional",
    "learn_h0": "learnable initial state h0",
}


def history_csv(history: dict[str, np.ndarray], val_history: dict[str, np.ndarray]) -> str:
    """One row per step with a record: loss and gradient norms, and the validation loss.

    Rows cover every step of either history, so the validation loss measured before training
    (step 0) is kept; a cell is empty where that step has no such value.
    """
    columns = [c for c in history if c != "step"]
    train_rows = {int(step): i for i, step in enumerate(history.get("step", []))}
    val = dict(zip(val_history.get("step", []), val_history.get("val_loss", []), strict=True))
    lines = [",".join(["step", *columns, "val_loss"])]
    for step in sorted(train_rows.keys() | {int(s) for s in val}):
        i = train_rows.get(step)
        cells = ["" if i is None else repr(float(history[c][i])) for c in columns]
        lines.append(",".join([str(step), *cells, repr(float(val[step])) if step in val else ""]))
    return "\n".join(lines) + "\n"


def weights_npz(model: RNN) -> bytes:
    """The model as an .npz checkpoint."""
    buffer = io.BytesIO()
    save_checkpoint(model, buffer)
    return buffer.getvalue()


CSV_KEY = "csv"  # a CSV run's file and reading choices, next to its settings


def config_json(config: RunConfig, data: SequenceData | None = None) -> str:
    """The run's settings, readable and re-usable: ``RunConfig(**settings)`` gives them back.

    A run on a CSV adds its file's name and the Datasets page's choices under ``"csv"``,
    which the settings alone cannot say (they only say "uploaded"); take that block out
    before calling ``RunConfig``.
    """
    settings: dict = config.to_dict()
    if data is not None and data.source_options:
        settings[CSV_KEY] = {"file": data.name, **data.source_options}
    return json.dumps(settings, indent=2, sort_keys=True) + "\n"


def load_weights_into(model: RNN, file: IO[bytes]) -> None:
    """Replace ``model``'s weights with a checkpoint's, if it has the same architecture.

    Raises ``CheckpointError`` saying what is wrong with the file or what differs.
    """
    loaded = load_checkpoint(file)
    mine, theirs = model.config.to_dict(), loaded.config.to_dict()
    differ = [k for k in ARCHITECTURE if mine[k] != theirs[k]]
    if differ:
        detail = "; ".join(
            f"{ARCHITECTURE[k]}: file {said(theirs[k])}, this run {said(mine[k])}" for k in differ
        )
        raise CheckpointError(
            f"these weights belong to a different model ({detail}); choose the dataset and "
            "settings they were trained with"
        )
    for name, value in loaded.params.items():
        model.params[name][...] = value
