"""Save and load a model as ``.npz``: plain arrays plus a JSON config, never pickle.

A checkpoint holds ``config`` (the ``RNNConfig`` as a JSON string) and one array per
parameter under ``param/<name>``. Loading validates everything before building the model:
the config, the exact set of keys, every shape and dtype (from the headers, before any data
is read; entries must be stored uncompressed and hold what their headers claim), and that all
values are finite, so a tampered or foreign file is rejected with a message instead of
crashing later or allocating more than it holds.
"""

from __future__ import annotations

import io
import json
import zipfile
from typing import IO

import numpy as np

from .config import RNNConfig, parameter_shapes
from .model import RNN
from .wording import SHOWN_CHARACTERS, quoted

PREFIX = "param/"
# A broken or foreign file (KeyError: a member not stored as ``<name>.npy``; RuntimeError:
# zipfile's refusal of a member it cannot read, as one marked encrypted).
UNREADABLE = (OSError, ValueError, EOFError, KeyError, RuntimeError, zipfile.BadZipFile)
LISTED = 5  # names listed in a mismatch message: a forged config can imply 100,000


class CheckpointError(ValueError):
    """The file is not a valid RNN Lab checkpoint; the message says what is wrong."""


def save_checkpoint(model: RNN, file: str | IO[bytes]) -> None:
    """Write ``model`` (config + parameters) to a path or binary file object."""
    arrays = {PREFIX + name: p for name, p in model.params.items()}
    np.savez(file, config=np.array(json.dumps(model.config.to_dict())), **arrays)


def _header(archive, key: str) -> tuple[tuple[int, ...], np.dtype, int]:
    """Shape and dtype an entry claims, and the bytes stored after its header, unloaded.

    Compressed entries are refused: ``save_checkpoint`` never compresses, and a compressed
    entry of a few kB can unpack to gigabytes that its header and config agree on. The size
    an entry claims counts only up to the size of the whole file: a forged directory can
    claim 80 GB for an entry of a 3 kB file.
    """
    info = archive.zip.getinfo(key + ".npy")
    if info.compress_type != zipfile.ZIP_STORED or info.flag_bits & ENCRYPTED:
        raise CheckpointError(
            f"{key} is compressed or encrypted; RNN Lab's weights files are not (a small "
            "compressed entry can unpack to gigabytes), so save the weights with RNN Lab's "
            "export"
        )
    with archive.zip.open(info) as f:
        version = np.lib.format.read_magic(f)
        if version == (1, 0):
            shape, _, dtype = np.lib.format.read_array_header_1_0(f)
        else:
            shape, _, dtype = np.lib.format.read_array_header_2_0(f)
        stored = min(info.file_size, _file_size(archive)) - f.tell()
    return shape, dtype, stored


ENCRYPTED = 0x1  # the zip format's flag bit for an encrypted entry


def _file_size(archive) -> int:
    """The archive's size in bytes, measured on the file itself rather than its directory."""
    handle = archive.zip.fp
    here = handle.tell()
    size = handle.seek(0, io.SEEK_END)
    handle.seek(here)
    return size


def _read_array(archive, key: str, kind: str, shape: tuple[int, ...], wanted: str) -> np.ndarray:
    """An entry of dtype kind ``kind`` and shape ``shape``, else ``CheckpointError(wanted)``.

    The header is checked before the data is read: a forged header could otherwise claim
    more memory than the machine has, and object arrays would need pickle, which is refused.
    """
    damaged = CheckpointError(f"{key} cannot be read; the file is damaged or cut short")
    try:
        got_shape, dtype, stored = _header(archive, key)
    except CheckpointError:
        raise  # already says what is wrong (a ValueError, which UNREADABLE would catch)
    except UNREADABLE:
        raise damaged from None
    if dtype.hasobject:
        raise CheckpointError(
            f"{key} holds Python objects, which can only be read with pickle (refused: "
            "a weights file must hold plain numbers)"
        )
    if dtype.kind != kind or got_shape != shape:
        raise CheckpointError(f"{wanted}; got {dtype} {got_shape}")
    if stored < int(np.prod(shape)) * dtype.itemsize:  # only what the file holds is allocated
        raise damaged
    try:
        return archive[key]
    except UNREADABLE:
        raise damaged from None


def _listed(names: list[str]) -> str:
    if not names:
        return "none"
    more = f" and {len(names) - LISTED:,} more" if len(names) > LISTED else ""
    # The file's own names, unbounded: each cut as messages quote values.
    return ", ".join(n if len(n) <= SHOWN_CHARACTERS else quoted(n) for n in names[:LISTED]) + more


def _read_config(archive) -> RNNConfig:
    if "config" not in archive.files:
        raise CheckpointError("not an RNN Lab checkpoint: the 'config' entry is missing")
    raw = _read_array(archive, "config", "U", (), "the 'config' entry must be a single JSON string")
    try:
        settings = json.loads(str(raw))
    except (json.JSONDecodeError, RecursionError):  # RecursionError: [[[[… nested too deep
        raise CheckpointError("the checkpoint's config is not valid JSON") from None
    if not isinstance(settings, dict):
        raise CheckpointError(
            "the checkpoint's config must be a JSON object of the model's settings, "
            f"got a {type(settings).__name__}"
        )
    try:
        return RNNConfig.from_dict(settings)
    except (TypeError, ValueError) as err:
        raise CheckpointError(f"the checkpoint's config is invalid: {err}") from None


def load_checkpoint(file: str | IO[bytes]) -> RNN:
    """Rebuild the model saved by ``save_checkpoint``; raises ``CheckpointError`` if invalid."""
    try:
        archive = np.load(file, allow_pickle=False)
    except UNREADABLE:
        # NumPy's own message for a file it cannot read talks about loading pickles, which
        # is both beside the point and advice never to follow for a file from elsewhere.
        raise CheckpointError(
            "not an .npz archive of arrays (is it the weights file exported by RNN Lab?)"
        ) from None
    if not hasattr(archive, "files"):
        raise CheckpointError("expected an .npz archive of named arrays, got a single array")
    with archive:
        config = _read_config(archive)
        # Every layer has arrays of its own: a forged config's million layers are refused
        # before their names (gigabytes of them) are made.
        if config.num_layers > len(archive.files):
            raise CheckpointError(
                f"the config names {config.num_layers:,} layers, but the file holds only "
                f"{len(archive.files):,} arrays"
            )
        expected = {PREFIX + n: s for n, s in parameter_shapes(config).items()}
        present = {k for k in archive.files if k != "config"}
        missing, extra = sorted(set(expected) - present), sorted(present - set(expected))
        if missing or extra:
            raise CheckpointError(
                f"parameters do not match the config: missing {_listed(missing)}, "
                f"unexpected {_listed(extra)}"
            )
        values = {
            key: _read_array(
                archive, key, "f", shape, f"{key} must be a float array of shape {shape}"
            )
            for key, shape in expected.items()
        }
    for key, value in values.items():
        if not np.isfinite(value).all():
            raise CheckpointError(f"{key} contains inf or NaN")
    # Only now, with every array checked against the config: a forged config cannot make
    # the model allocate more than the file itself holds.
    model = RNN.from_config(config)
    for key, value in values.items():
        model.params[key[len(PREFIX) :]][...] = value
    return model
