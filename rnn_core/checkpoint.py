"""Save and load a model as ``.npz``: plain arrays plus a JSON config, never pickle.

A checkpoint holds ``config`` (the ``RNNConfig`` as a JSON string) and one array per
parameter under ``param/<name>``. Loading validates everything before building the model:
the config, the exact set of keys, every shape and dtype, and that all values are finite, so
a tampered or foreign file is rejected with a message instead of crashing later.
"""

from __future__ import annotations

import json
from typing import IO

import numpy as np

from .config import RNNConfig, parameter_shapes
from .model import RNN

PREFIX = "param/"


class CheckpointError(ValueError):
    """The file is not a valid RNN Lab checkpoint; the message says what is wrong."""


def save_checkpoint(model: RNN, file: str | IO[bytes]) -> None:
    """Write ``model`` (config + parameters) to a path or binary file object."""
    arrays = {PREFIX + name: p for name, p in model.params.items()}
    np.savez(file, config=np.array(json.dumps(model.config.to_dict())), **arrays)


def _read_array(archive, key: str) -> np.ndarray:
    """One entry of the archive; object arrays need pickle, which is refused, so say so."""
    try:
        return archive[key]
    except ValueError:
        raise CheckpointError(
            f"{key} holds Python objects, which can only be read with pickle (refused: "
            "a weights file must hold plain numbers)"
        ) from None


def _read_config(archive) -> RNNConfig:
    if "config" not in archive.files:
        raise CheckpointError("not an RNN Lab checkpoint: the 'config' entry is missing")
    raw = _read_array(archive, "config")
    if raw.dtype.kind != "U" or raw.shape != ():
        raise CheckpointError("the 'config' entry must be a single JSON string")
    try:
        return RNNConfig.from_dict(json.loads(str(raw)))
    except (json.JSONDecodeError, TypeError, ValueError) as err:
        raise CheckpointError(f"the checkpoint's config is invalid: {err}") from None


def load_checkpoint(file: str | IO[bytes]) -> RNN:
    """Rebuild the model saved by ``save_checkpoint``; raises ``CheckpointError`` if invalid."""
    try:
        archive = np.load(file, allow_pickle=False)
    except (OSError, ValueError, EOFError):
        # NumPy's own message for a file it cannot read talks about loading pickles, which
        # is both beside the point and advice never to follow for a file from elsewhere.
        raise CheckpointError(
            "not an .npz archive of arrays (is it the weights file exported by RNN Lab?)"
        ) from None
    if not hasattr(archive, "files"):
        raise CheckpointError("expected an .npz archive of named arrays, got a single array")
    with archive:
        config = _read_config(archive)
        expected = {PREFIX + n: s for n, s in parameter_shapes(config).items()}
        present = {k for k in archive.files if k != "config"}
        missing, extra = sorted(set(expected) - present), sorted(present - set(expected))
        if missing or extra:
            raise CheckpointError(
                f"parameters do not match the config: missing {missing or 'none'}, "
                f"unexpected {extra or 'none'}"
            )
        model = RNN.from_config(config)
        for key, shape in expected.items():
            value = _read_array(archive, key)
            if value.dtype.kind != "f" or value.shape != shape:
                raise CheckpointError(
                    f"{key} must be a float array of shape {shape}; got {value.dtype} {value.shape}"
                )
            if not np.isfinite(value).all():
                raise CheckpointError(f"{key} contains inf or NaN")
            model.params[key[len(PREFIX) :]][...] = value
    return model
