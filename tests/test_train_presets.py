"""The sidebar's seed-notebook presets: each sets the controls, says so, and trains."""

import pytest
from conftest import button, metric

from dashboard.presets import SEED_PRESETS
from dashboard.widgets import option_key


@pytest.mark.parametrize("key", sorted(SEED_PRESETS))
def test_each_seed_preset_sets_the_controls_and_trains(page, key):
    preset = SEED_PRESETS[key]
    page.selectbox(key="preset").set_value(key).run()
    assert not page.exception
    assert page.selectbox(key="dataset").value == preset.config.dataset
    assert page.number_input(key="hidden_size").value == preset.config.hidden_size
    assert page.selectbox(key="optimizer").value == preset.config.optimizer
    assert page.checkbox(key="learn_h0").value == preset.config.learn_h0
    for name, value in preset.config.dataset_options.items():  # e.g. 002: every day's target
        assert page.session_state[option_key(preset.config.dataset, name)] == value
    assert any(preset.note in c.value for c in page.caption)
    button(page, "Step").click().run()
    assert not page.exception
    assert metric(page, "Step") == "10"
    assert metric(page, "Train loss") != "–"


def test_choosing_the_same_preset_again_applies_it_again(page):
    page.selectbox(key="preset").set_value("002").run()
    page.number_input(key="hidden_size").set_value(50).run()
    assert page.selectbox(key="preset").value is None  # ready to be chosen again
    # No longer what the preset set: the sidebar does not claim it is applied.
    said = [c.value for c in page.caption if "002" in c.value]
    assert said == [f"Started from **{SEED_PRESETS['002'].title}**; controls changed since."]
    page.selectbox(key="preset").set_value("002").run()
    assert page.number_input(key="hidden_size").value == SEED_PRESETS["002"].config.hidden_size
    assert any(c.value.startswith("Applied **") for c in page.caption)
