"""Runs on the user's CSV say what they learned: file, target, inputs, window, horizon, gaps."""

import io
import json

import numpy as np
from conftest import button, shown

from dashboard import session_run
from dashboard.config import RunConfig
from dashboard.exports import config_json
from rnn_core.datasets import load_csv

WAVES = "t,a,b\n" + "".join(f"{i},{np.sin(i / 5):.4f},{np.cos(i / 7):.4f}\n" for i in range(200))


def train_on_csv(at, target, inputs, window):
    """Choose columns and window for WAVES on the Datasets page, train on it, press Step."""
    choose_csv(at, target, inputs, window)
    button(at, "Step").click().run()
    assert not at.exception


def choose_csv(at, target, inputs, window, every_row=False):
    """On the Datasets page, read WAVES with these choices and press Train on this data."""
    at.switch_page("pages/datasets.py").run()
    at.radio(key="ds_source").set_value("Your CSV").run()
    at.file_uploader(key="ds_upload").upload("waves.csv", WAVES.encode()).run()
    at.selectbox(key="ds_target").set_value(target)
    at.multiselect(key="ds_inputs").set_value(inputs)
    at.checkbox(key="ds_many").set_value(every_row)
    at.number_input(key="ds_window").set_value(window).run()
    at.button(key="ds_train_on").click().run()
    at.switch_page("pages/train.py").run()


def test_the_train_page_and_its_share_box_say_what_the_csv_run_learns(open_page):
    at = open_page("pages/train.py")
    train_on_csv(at, "b", ["a", "b"], 12)
    said = "waves.csv: b 1 row ahead, from a, b over 12 rows, gaps refused"
    captions = [shown(c.value) for c in at.sidebar.caption]
    assert any(c.startswith("From the Datasets page: " + said) for c in captions)
    assert any("Send the file along with the link" in c and said in c for c in captions)
    assert at.selectbox(key="dataset").value == "uploaded"


def test_a_csv_run_can_predict_at_every_row_and_says_so(open_page):
    """Seed 002 trained on a target for every day of its window: a CSV can be read that way."""
    at = open_page("pages/train.py")
    choose_csv(at, "b", ["a"], 5, every_row=True)
    button(at, "Step").click().run()
    assert not at.exception
    data = at.session_state[session_run.JOB_KEY].data
    assert data.many_to_many and data.y_train.shape[1:] == (5, 1)
    np.testing.assert_allclose(  # window 2's row-by-row targets: b one row after each row
        data.y_scaler.inverse(data.y_train[2])[:, 0],
        [np.cos(i / 7) for i in range(3, 8)],
        atol=1e-4,
    )
    said = "waves.csv: b 1 row ahead of every row, from a over 5 rows, gaps refused"
    assert any(
        shown(c.value).startswith("From the Datasets page: " + said) for c in at.sidebar.caption
    )


def test_two_runs_on_one_csv_are_told_apart_on_compare(open_page):
    at = open_page("pages/train.py")
    train_on_csv(at, "a", ["a"], 7)
    button(at, "Reset").click().run()
    train_on_csv(at, "b", ["a", "b"], 12)
    at.switch_page("pages/compare.py").run()
    labels = at.multiselect(key="compare_runs").options
    assert labels[0].startswith("#1 waves.csv → a · ")
    assert labels[1].startswith("#2 waves.csv → b · ")
    assert "learn different data" in at.warning[0].value
    job = at.session_state[session_run.JOB_KEY]
    assert job.data.source_options["window"] == 12


def test_another_csv_on_the_datasets_page_is_a_changed_setting(open_page):
    """The run goes on learning its own CSV; the page must say so, like for any setting."""
    at = open_page("pages/train.py")
    train_on_csv(at, "a", ["a"], 7)
    choose_csv(at, "b", ["a", "b"], 12)
    changed = next(shown(w.value) for w in at.warning if "settings differ" in w.value)
    assert "Your CSV waves.csv: a 1 row ahead, from a over 7 rows, gaps refused → " in changed
    assert "waves.csv: b 1 row ahead, from a, b over 12 rows" in changed
    assert button(at, "Reset").proto.type == "primary"


def test_the_settings_export_of_a_csv_run_names_its_file_and_choices():
    data = load_csv(io.BytesIO(WAVES.encode()), target="b", inputs=["a", "b"], window=12)
    config = RunConfig(dataset="uploaded")
    settings = json.loads(config_json(config, data))
    assert settings.pop("csv") == {
        "file": "csv",
        "target": "b",
        "inputs": ["a", "b"],
        "window": 12,
        "horizon": 1,
        "fill": "refuse",
        "many_to_many": False,
    }
    assert RunConfig(**settings) == config  # the rest is the run's settings, as before
