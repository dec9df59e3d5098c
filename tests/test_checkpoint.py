"""Checkpoints round-trip exactly and tampered files are refused with a message."""

import io
import json
import zipfile

import numpy as np
import pytest

from rnn_core import RNN, CheckpointError, load_checkpoint, save_checkpoint


def saved(model):
    buf = io.BytesIO()
    save_checkpoint(model, buf)
    buf.seek(0)
    return buf


def arrays_of(buf):
    with np.load(buf, allow_pickle=False) as z:
        return {k: z[k] for k in z.files}


def rewritten(arrays, **kwargs):
    buf = io.BytesIO()
    np.savez(buf, **arrays, **kwargs)
    buf.seek(0)
    return buf


@pytest.mark.parametrize("dtype", ["float64", "float32"])
def test_round_trip_gives_identical_predictions(tmp_path, dtype):
    model = RNN(
        3,
        6,
        2,
        num_layers=2,
        bidirectional=True,
        learn_h0=True,
        many_to_many=True,
        dtype=dtype,
        seed=5,
    )
    for p in model.params.values():
        p += 0.01
    path = tmp_path / "model.npz"
    save_checkpoint(model, path)
    loaded = load_checkpoint(path)
    assert loaded.config == model.config
    X = np.random.default_rng(0).standard_normal((4, 5, 3))
    np.testing.assert_array_equal(loaded.predict(X), model.predict(X))


def test_missing_key_is_rejected():
    arrays = arrays_of(saved(RNN(2, 3, 1)))
    del arrays["param/W_hh"]
    with pytest.raises(CheckpointError, match=r"missing param/W_hh, unexpected none"):
        load_checkpoint(rewritten(arrays))


def test_extra_key_is_rejected():
    arrays = arrays_of(saved(RNN(2, 3, 1)))
    with pytest.raises(CheckpointError, match=r"missing none, unexpected param/evil$"):
        load_checkpoint(rewritten(arrays, **{"param/evil": np.zeros(2)}))


def test_a_forged_config_is_refused_before_anything_is_allocated():
    """A small file whose config claims a huge model must not build (allocate) that model."""
    arrays = arrays_of(saved(RNN(2, 3, 1)))
    config = json.loads(str(arrays["config"]))
    arrays["config"] = np.array(json.dumps({**config, "hidden_size": 200_000}))  # 320 GB
    with pytest.raises(CheckpointError, match=r"param/W_xh must be a float array of shape"):
        load_checkpoint(rewritten(arrays))
    arrays["config"] = np.array(json.dumps({**config, "num_layers": 4}))
    with pytest.raises(CheckpointError, match=r"and 4 more, unexpected none$"):
        load_checkpoint(rewritten(arrays))  # 9 missing names: five are listed
    # A million layers' names alone would take gigabytes and seconds: refused by the count.
    arrays["config"] = np.array(json.dumps({**config, "num_layers": 10**6}))
    with pytest.raises(CheckpointError, match=r"names 1,000,000 layers, but the file holds only 6"):
        load_checkpoint(rewritten(arrays))


def test_a_directory_claiming_more_than_the_file_holds_is_refused_unread():
    """A 3 kB file whose zip directory and config agree on an 80 GB entry."""
    config = {**RNN(1, 4, 1).config.to_dict(), "hidden_size": 10**10}
    header = io.BytesIO()
    np.lib.format.write_array_header_1_0(
        header, {"descr": "<f8", "fortran_order": False, "shape": (1, 10**10)}
    )
    buf = io.BytesIO()
    with zipfile.ZipFile(buf, "w") as archive:
        archive.writestr("config.npy", npy(np.array(json.dumps(config))))
        archive.writestr("param/W_xh.npy", header.getvalue() + bytes(800))
        for name in ("W_hh", "b_h", "W_hy", "b_y"):
            archive.writestr(f"param/{name}.npy", b"")
        claimed = archive.getinfo("param/W_xh.npy")
        claimed.file_size = claimed.compress_size = 8 * 10**10 + 128  # written on close
    buf.seek(0)
    with pytest.raises(CheckpointError, match="param/W_xh cannot be read; the file is damaged"):
        load_checkpoint(buf)


def test_an_entry_marked_encrypted_is_refused_not_a_traceback():
    raw = bytearray(saved(RNN(2, 3, 1)).getvalue())
    for signature, flags in ((b"PK\x03\x04", 6), (b"PK\x01\x02", 8)):  # local, central
        at = raw.find(signature)
        while at >= 0:
            raw[at + flags] |= 1  # the "encrypted" bit of the entry's flags
            at = raw.find(signature, at + 4)
    with pytest.raises(CheckpointError, match="config is compressed or encrypted"):
        load_checkpoint(io.BytesIO(bytes(raw)))


def test_a_header_claiming_more_than_memory_is_refused_unread():
    """np.load would try to allocate what the header claims (8 TB here) before reading."""
    header = io.BytesIO()
    np.lib.format.write_array_header_1_0(
        header, {"descr": "<f8", "fortran_order": False, "shape": (10**12,)}
    )
    buf = io.BytesIO()
    with zipfile.ZipFile(buf, "w") as archive:
        for key, value in arrays_of(saved(RNN(2, 3, 1))).items():
            entry = io.BytesIO()
            np.save(entry, value)
            forged = header.getvalue()  # the magic string and a header, and no data
            archive.writestr(key + ".npy", forged if key == "param/W_hh" else entry.getvalue())
    buf.seek(0)
    with pytest.raises(CheckpointError, match=r"shape \(3, 3\); got float64 \(1000000000000,\)"):
        load_checkpoint(buf)


@pytest.mark.parametrize("cut", [0.5, 0.9])
def test_a_file_cut_short_is_refused(cut):
    buf = io.BytesIO()
    save_checkpoint(RNN(2, 3, 1), buf)
    raw = buf.getvalue()
    with pytest.raises(CheckpointError, match=r"damaged|not an \.npz archive"):
        load_checkpoint(io.BytesIO(raw[: int(len(raw) * cut)]))


def test_wrong_shape_is_rejected():
    arrays = arrays_of(saved(RNN(2, 3, 1)))
    arrays["param/W_hh"] = np.zeros((4, 4))
    with pytest.raises(
        CheckpointError, match=r"param/W_hh must be a float array of shape \(3, 3\)"
    ):
        load_checkpoint(rewritten(arrays))


@pytest.mark.parametrize("key", ["param/b_y", "config"])
def test_object_array_is_refused_without_unpickling(key):
    arrays = arrays_of(saved(RNN(2, 3, 1)))
    arrays[key] = np.array([object()], dtype=object)
    buf = io.BytesIO()
    np.savez(buf, **arrays)  # numpy pickles object arrays when saving
    buf.seek(0)
    with pytest.raises(CheckpointError, match=f"{key} holds Python objects"):
        load_checkpoint(buf)


def test_non_finite_values_are_rejected():
    arrays = arrays_of(saved(RNN(2, 3, 1)))
    arrays["param/b_h"] = np.array([0.0, np.nan, 0.0])
    with pytest.raises(CheckpointError, match="param/b_h contains inf or NaN"):
        load_checkpoint(rewritten(arrays))


@pytest.mark.parametrize(
    ("config", "fragment"),
    [
        (None, "the 'config' entry is missing"),
        (np.array("{not json"), "config is not valid JSON"),
        (np.array("[" * 100_000 + "]" * 100_000), "config is not valid JSON"),  # too deep
        (np.array("[1, 2]"), "must be a JSON object of the model's settings, got a list"),
        (
            np.array(json.dumps({"input_size": 2, "hidden_size": 3, "output_size": 1, "evil": 1})),
            "unknown RNN config fields: evil",
        ),
        (
            np.array(json.dumps({"input_size": 2, "hidden_size": -3, "output_size": 1})),
            "hidden_size must be a positive integer",
        ),
        (np.zeros(3), "must be a single JSON string"),
    ],
)
def test_bad_config_is_rejected(config, fragment):
    arrays = arrays_of(saved(RNN(2, 3, 1)))
    del arrays["config"]
    if config is not None:
        arrays["config"] = config
    with pytest.raises(CheckpointError, match=fragment):
        load_checkpoint(rewritten(arrays))


def test_garbage_bytes_are_rejected_without_talk_of_pickle():
    with pytest.raises(CheckpointError, match=r"not an \.npz archive") as caught:
        load_checkpoint(io.BytesIO(b"definitely not a zip file"))
    assert "pickle" not in str(caught.value)


def test_single_npy_array_is_rejected():
    buf = io.BytesIO()
    np.save(buf, np.zeros(3))
    buf.seek(0)
    with pytest.raises(CheckpointError, match=r"expected an \.npz archive"):
        load_checkpoint(buf)


def forged_archive(entries: dict[str, bytes], compression=zipfile.ZIP_STORED) -> io.BytesIO:
    """A zip of raw members, written as a forger would."""
    buf = io.BytesIO()
    with zipfile.ZipFile(buf, "w", compression=compression) as archive:
        for name, content in entries.items():
            archive.writestr(name, content)
    buf.seek(0)
    return buf


def npy(value) -> bytes:
    entry = io.BytesIO()
    np.save(entry, value)
    return entry.getvalue()


def test_a_compressed_file_is_refused_before_it_can_unpack_to_gigabytes():
    """Config and headers agree on a 2,000-unit model whose zeros compress to almost nothing."""
    big = RNN(2, 2000, 1, init="small_normal")
    big.parameter_vector()[:] = 0.0
    buf = io.BytesIO()
    np.savez_compressed(
        buf,
        config=np.array(json.dumps(big.config.to_dict())),
        **{f"param/{name}": p for name, p in big.params.items()},
    )
    assert buf.tell() < 100_000  # 32 MB of weights in a file of a few kB
    buf.seek(0)
    with pytest.raises(CheckpointError, match="is compressed"):
        load_checkpoint(buf)


def test_an_entry_holding_less_than_its_header_claims_is_refused():
    arrays = arrays_of(saved(RNN(2, 3, 1)))
    entries = {f"{key}.npy": npy(value) for key, value in arrays.items()}
    entries["param/W_hh.npy"] = entries["param/W_hh.npy"][:-16]  # two of nine numbers missing
    with pytest.raises(CheckpointError, match="param/W_hh cannot be read; the file is damaged"):
        load_checkpoint(forged_archive(entries))


def test_a_member_not_stored_as_npy_is_refused_not_a_traceback():
    arrays = arrays_of(saved(RNN(2, 3, 1)))
    entries = {f"{key}.npy": npy(value) for key, value in arrays.items() if key != "config"}
    entries["config"] = npy(arrays["config"])  # listed as "config", but not "config.npy"
    with pytest.raises(CheckpointError):
        load_checkpoint(forged_archive(entries))
