"""Shared links on the Train page: they set the controls, and what they cannot carry is said."""

import pytest
from conftest import APP, button
from streamlit.testing.v1 import AppTest


def test_shared_link_sets_the_controls_and_the_url_follows_them(monkeypatch):
    from dashboard.config import RunConfig
    from dashboard.sharing import to_query_params

    monkeypatch.setenv("RNNLAB_INLINE_TRAINING", "1")
    linked = RunConfig(
        dataset="sum",
        dataset_options={"length": 12},
        activation="relu",
        hidden_size=24,
        lr=0.02,
        clip="value",
        spectral_radius=0.8,
        learn_h0=True,
        seed=5,
    )
    at = AppTest.from_file(APP, default_timeout=60)
    at.query_params.update(to_query_params(linked))
    at.run()
    at.switch_page("pages/train.py").run()
    assert not at.exception
    assert at.selectbox(key="dataset").value == "sum"
    assert at.number_input(key="opt_sum_length").value == 12
    assert at.selectbox(key="activation").value == "relu"
    assert at.number_input(key="hidden_size").value == 24
    assert at.slider(key="spectral_radius").value == 0.8
    assert at.radio(key="clip").value == "value"
    assert at.checkbox(key="learn_h0").value is True
    at.number_input(key="hidden_size").set_value(30).run()
    assert at.query_params["hidden"] == "30"


@pytest.mark.parametrize(
    "params",
    [
        {"hidden": "lots"},
        {"act": "linear", "rho": "2.5"},  # beyond the ρ slider: once crashed the page
        {"d_window": "9999"},
        {"clip": "value", "clip_at": "50000"},
    ],
)
def test_a_broken_link_warns_and_keeps_the_rest(monkeypatch, params):
    monkeypatch.setenv("RNNLAB_INLINE_TRAINING", "1")
    at = AppTest.from_file(APP, default_timeout=60)
    at.query_params.update({**params, "layers": "2"})
    at.run()
    at.switch_page("pages/train.py").run()
    assert not at.exception
    assert "could not be used" in at.warning[0].value
    assert at.number_input(key="hidden_size").value == 16
    assert at.number_input(key="num_layers").value == 2  # one bad value spoils no other


@pytest.mark.parametrize(
    ("params", "warning"),
    [
        ({"dataset": "uploaded", "hidden": "24"}, "a link cannot carry"),  # asks for the file
        ({"window": "50", "hidden": "24"}, "'window' was left out"),  # a typo in an edited link
        # A refused dataset is named once, not again through each of its options.
        ({"dataset": "mnist", "d_digits": "10", "hidden": "24"}, "dataset 'mnist' is not one of"),
    ],
)
def test_a_link_says_what_it_cannot_use_and_keeps_the_rest(monkeypatch, params, warning):
    monkeypatch.setenv("RNNLAB_INLINE_TRAINING", "1")
    at = AppTest.from_file(APP, default_timeout=60)
    at.query_params.update(params)
    at.run()
    at.switch_page("pages/train.py").run()
    assert not at.exception
    assert warning in at.warning[0].value and len(at.warning) == 1
    assert at.number_input(key="hidden_size").value == 24  # the rest of the link is kept


def test_a_csv_link_keeps_asking_for_its_file_until_something_trains(monkeypatch):
    """Said once, the warning was gone after a click, and Train trained sine unannounced."""
    monkeypatch.setenv("RNNLAB_INLINE_TRAINING", "1")
    at = AppTest.from_file(APP, default_timeout=60)
    at.query_params.update({"dataset": "uploaded", "hidden": "24"})
    at.run()
    at.switch_page("pages/train.py").run()
    at.number_input(key="num_layers").set_value(2).run()  # any click: the page runs again
    assert any("a link cannot carry" in w.value for w in at.warning)
    button(at, "Step").click().run()
    assert not any("a link cannot carry" in w.value for w in at.warning)
    button(at, "Reset").click().run()  # the user chose to train without the file: said once
    assert not any("a link cannot carry" in w.value for w in at.warning)
