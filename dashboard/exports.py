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

from .config import RunConfig


def history_csv(history: dict[str, np.ndarray], val_history: dict[str, np.ndarray]) -> str:
    """One row per recorded step: loss, gradient norms, and the validation loss where measured."""
    columns = list(history)
    val = dict(zip(val_history.get("step", []), val_history.get("val_loss", []), strict=True))
    lines = [",".join([*columns, "val_loss"])]
    for i in range(len(history.get("step", []))):
        row = [repr(int(history["step"][i]))] + [repr(float(history[c][i])) for c in columns[1:]]
        step = int(history["step"][i])
        lines.append(",".join([*row, repr(float(val[step])) if step in val else ""]))
    return "\n".join(lines) + "\n"


def weights_npz(model: RNN) -> bytes:
    """The model as an .npz checkpoint."""
    buffer = io.BytesIO()
    save_checkpoint(model, buffer)
    return buffer.getvalue()


def config_json(config: RunConfig) -> str:
    """The run's settings, readable and re-usable."""
    return json.dumps(config.to_dict(), indent=2, sort_keys=True) + "\n"


def load_weights_into(model: RNN, file: IO[bytes]) -> None:
    """Replace ``model``'s weights with a checkpoint's, if it has the same architecture.

    Raises ``CheckpointError`` saying what is wrong with the file or what differs.
    """
    loaded = load_checkpoint(file)
    mine, theirs = model.config.to_dict(), loaded.config.to_dict()
    ignore = {"seed", "init", "spectral_radius", "dtype"}  # how it was initialised, not its shape
    differ = sorted(k for k in mine if k not in ignore and mine[k] != theirs[k])
    if differ:
        detail = ", ".join(f"{k}: file {theirs[k]!r}, current {mine[k]!r}" for k in differ)
        raise CheckpointError(
            f"these weights belong to a different model ({detail}); change the settings to match"
        )
    for name, value in loaded.params.items():
        model.params[name][...] = value
