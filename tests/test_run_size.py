"""A run too big for the machine is refused before allocation, with the batch that fits."""

import re

import pytest
from conftest import APP, button
from streamlit.testing.v1 import AppTest

from dashboard.config import ConfigError, RunConfig, build_trainer, load_data
from dashboard.run_size import RUN_MEMORY_LIMIT, too_big
from dashboard.sharing import to_query_params
from rnn_core.memory import training_bytes

HUGE = RunConfig(
    dataset="adding",
    dataset_options={"length": 400, "n_samples": 20_000, "seed": 0},
    hidden_size=512,
    num_layers=4,
    batch_size=4096,
)


def test_a_huge_run_is_refused_and_the_batch_it_names_fits():
    data = load_data(HUGE)
    with pytest.raises(ConfigError, match=r"would need about \d+\.\d GB of memory") as refused:
        build_trainer(HUGE, data)
    fits = int(re.search(r"a batch size of ([\d,]+) fits", str(refused.value))[1].replace(",", ""))
    model = build_trainer(RunConfig(**{**HUGE.to_dict(), "batch_size": fits}), data).model
    sizes = {"length": 400, "n_train": len(data.X_train), "n_val": len(data.X_val)}
    assert training_bytes(model.config, batch=fits, **sizes) <= RUN_MEMORY_LIMIT
    assert training_bytes(model.config, batch=fits + 1, **sizes) > RUN_MEMORY_LIMIT


def test_the_default_run_fits():
    config = RunConfig()
    data = load_data(config)
    assert too_big(build_trainer(config, data).model.config, config.batch_size, data) is None


def test_the_train_page_says_why_a_huge_run_cannot_start(monkeypatch):
    monkeypatch.setenv("RNNLAB_INLINE_TRAINING", "1")
    at = AppTest.from_file(APP, default_timeout=60)
    at.query_params.update(to_query_params(HUGE))
    at.run()
    at.switch_page("pages/train.py").run()
    button(at, "Train").click().run()
    assert not at.exception
    assert any("Cannot start training: this run would need" in e.value for e in at.error)
