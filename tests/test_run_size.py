"""Runs too big or too slow for the machine are refused before anything is spent, saying why."""

import re

import pytest
from conftest import APP, button
from streamlit.testing.v1 import AppTest

from dashboard.config import ConfigError, RunConfig, build_trainer, load_data
from dashboard.run_size import RUN_MEMORY_LIMIT, too_big, too_slow
from dashboard.sharing import to_query_params
from rnn_core.cost import training_bytes

LONG_ADDING = {"length": 400, "n_samples": 20_000, "seed": 0}
# Small units, huge batches: quick steps, but gigabytes of per-step arrays.
BIG = RunConfig(dataset="adding", dataset_options=LONG_ADDING, hidden_size=32, batch_size=4096)
# Every value within its bounds; together, minutes per step.
HUGE = RunConfig(
    dataset="adding", dataset_options=LONG_ADDING, hidden_size=512, num_layers=4, batch_size=64
)


def test_a_run_too_big_for_memory_is_refused_and_the_batch_it_names_fits():
    data = load_data(BIG)
    with pytest.raises(ConfigError, match=r"would need about \d+\.\d GB of memory") as refused:
        build_trainer(BIG, data)
    fits = int(re.search(r"a batch size of ([\d,]+) fits", str(refused.value))[1].replace(",", ""))
    model = build_trainer(RunConfig(**{**BIG.to_dict(), "batch_size": fits}), data).model
    sizes = {"length": 400, "n_train": len(data.X_train), "n_val": len(data.X_val)}
    assert training_bytes(model.config, batch=fits, **sizes) <= RUN_MEMORY_LIMIT
    assert training_bytes(model.config, batch=fits + 1, **sizes) > RUN_MEMORY_LIMIT


def test_a_run_too_slow_to_watch_is_refused_with_what_makes_it_slow():
    with pytest.raises(ConfigError, match=r"one training step would take about [\d,]+ s"):
        build_trainer(HUGE, load_data(HUGE))
    # Quick steps, but thousands of long validation windows through 256 units.
    validating = RunConfig(
        dataset="adding", dataset_options={**LONG_ADDING, "n_samples": 50_000}, hidden_size=256
    )
    with pytest.raises(ConfigError, match=r"each validation pass over its 7,500 windows"):
        build_trainer(validating, load_data(validating))


@pytest.mark.parametrize("config", [RunConfig(), RunConfig(dataset="adding", hidden_size=512)])
def test_ordinary_runs_are_neither_too_big_nor_too_slow(config):
    data = load_data(config)
    model = build_trainer(config, data).model.config
    assert too_big(model, config.batch_size, data) is None
    assert too_slow(model, config.batch_size, data) is None


def test_the_train_page_says_why_a_huge_run_cannot_start(monkeypatch):
    monkeypatch.setenv("RNNLAB_INLINE_TRAINING", "1")
    at = AppTest.from_file(APP, default_timeout=60)
    at.query_params.update(to_query_params(HUGE))
    at.run()
    at.switch_page("pages/train.py").run()
    button(at, "Train").click().run()
    assert not at.exception
    assert any("Cannot start training: one training step would take" in e.value for e in at.error)
