"""Exports: history CSV, weights .npz round trip into a run, config JSON; bad files refused."""

import io
import json

import numpy as np
import pytest

from dashboard.config import RunConfig, build_trainer, load_data
from dashboard.exports import config_json, history_csv, load_weights_into, weights_npz
from rnn_core import CheckpointError


@pytest.fixture
def trained():
    config = RunConfig(epochs=2, seed=3)
    data = load_data(config)
    trainer = build_trainer(config, data)
    trainer.step(30)
    return config, data, trainer


def test_npz_export_then_import_gives_identical_predictions(trained):
    config, data, trainer = trained
    blob = weights_npz(trainer.model)
    fresh = build_trainer(config, data).model
    assert not np.array_equal(fresh.predict(data.X_val), trainer.model.predict(data.X_val))
    load_weights_into(fresh, io.BytesIO(blob))
    np.testing.assert_array_equal(fresh.predict(data.X_val), trainer.model.predict(data.X_val))


def rewrite(blob, change):
    with np.load(io.BytesIO(blob), allow_pickle=False) as z:
        arrays = {k: z[k] for k in z.files}
    change(arrays)
    out = io.BytesIO()
    np.savez(out, **arrays)
    out.seek(0)
    return out


@pytest.mark.parametrize(
    ("change", "fragment"),
    [
        (lambda a: a.pop("param/W_hh"), "missing param/W_hh, unexpected none"),
        (
            lambda a: a.update({"param/W_hh": np.zeros((3, 3))}),
            "param/W_hh must be a float array of shape (16, 16)",
        ),
        (
            lambda a: a.update({"param/b_y": np.array([object()], dtype=object)}),
            "holds Python objects",
        ),
    ],
)
def test_tampered_npz_is_rejected_with_a_message(trained, change, fragment):
    _, _, trainer = trained
    with pytest.raises(CheckpointError) as err:
        load_weights_into(trainer.model, rewrite(weights_npz(trainer.model), change))
    assert fragment in str(err.value)


def test_weights_of_another_architecture_are_refused(trained):
    _, data, trainer = trained
    other = build_trainer(RunConfig(hidden_size=8), data).model
    with pytest.raises(CheckpointError, match="hidden units: file 8, this run 16"):
        load_weights_into(trainer.model, io.BytesIO(weights_npz(other)))


def test_every_architecture_field_is_compared_in_words():
    from dashboard.exports import ARCHITECTURE

    initialisation = {"seed", "init", "spectral_radius", "dtype"}  # need not match
    fields = set(build_trainer(RunConfig(), load_data(RunConfig())).model.config.to_dict())
    assert set(ARCHITECTURE) == fields - initialisation
    assert not any("_" in words for words in ARCHITECTURE.values())


def test_history_csv_has_a_row_per_step_and_validation_where_measured(trained):
    _, _, trainer = trained
    text = history_csv(trainer.history.as_dict(), trainer.val_history.as_dict())
    lines = text.strip().splitlines()
    header = lines[0].split(",")
    assert header[:3] == ["step", "epoch", "loss"] and header[-1] == "val_loss"
    rows = [dict(zip(header, line.split(","), strict=True)) for line in lines[1:]]
    val_steps = set(trainer.val_history.as_dict()["step"].tolist())
    assert 0 in val_steps  # measured before the first step
    assert len(rows) == 30 + 1  # 30 trained steps and the validation at step 0
    assert rows[0]["step"] == "0" and rows[0]["loss"] == "" and rows[0]["val_loss"] != ""
    assert float(rows[1]["loss"]) == trainer.history.as_dict()["loss"][0]
    assert all((r["val_loss"] != "") == (int(r["step"]) in val_steps) for r in rows)


def test_config_json_round_trips(trained):
    config, _, _ = trained
    assert RunConfig(**json.loads(config_json(config))) == config


def test_a_mismatch_reads_as_words_not_code(trained):
    _, data, trainer = trained
    other = build_trainer(RunConfig(learn_h0=True), data).model
    with pytest.raises(CheckpointError, match="learnable initial state h0: file yes, this run no"):
        load_weights_into(trainer.model, io.BytesIO(weights_npz(other)))
