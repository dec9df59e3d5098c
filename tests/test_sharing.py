"""Shareable links: RunConfig -> query params -> RunConfig is the identity, bit for bit."""

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from dashboard.config import (
    DATASET_OPTIONS,
    NUMBER_LIMITS,
    ConfigError,
    RunConfig,
    build_trainer,
    load_data,
)
from dashboard.sharing import from_query_params, to_query_params, unused_keys, usable_config
from rnn_core import ACTIVATIONS, INITS
from rnn_core.optim import OPTIMIZERS


def dataset_options(name):
    strategies = {}
    for spec in DATASET_OPTIONS[name]:
        if isinstance(spec.default, bool):
            strategies[spec.name] = st.booleans()
        elif isinstance(spec.default, int):
            strategies[spec.name] = st.integers(int(spec.low), int(spec.high))
        else:
            strategies[spec.name] = st.floats(spec.low, spec.high)
    return st.fixed_dictionaries(strategies)


def in_limits(field):
    """Any value the control for ``field`` (and so a link) may hold."""
    low, high = NUMBER_LIMITS[field].low, NUMBER_LIMITS[field].high
    return st.integers(low, high) if isinstance(low, int) else st.floats(low, high)


configs = st.sampled_from(sorted(DATASET_OPTIONS)).flatmap(
    lambda name: st.builds(
        RunConfig,
        dataset=st.just(name),
        dataset_options=dataset_options(name),
        activation=st.sampled_from(list(ACTIVATIONS)),
        init=st.sampled_from(INITS),
        spectral_radius=st.none() | in_limits("spectral_radius"),
        hidden_size=in_limits("hidden_size"),
        num_layers=in_limits("num_layers"),
        learn_h0=st.booleans(),
        optimizer=st.sampled_from(OPTIMIZERS),
        lr=in_limits("lr"),
        batch_size=in_limits("batch_size"),
        clip=st.sampled_from(("none", "norm", "value")),
        clip_threshold=in_limits("clip_threshold"),
        bptt_window=in_limits("bptt_window"),
        epochs=in_limits("epochs"),
        seed=in_limits("seed"),
    )
)


@settings(max_examples=300, deadline=None)
@given(configs)
def test_round_trip_is_identity_for_every_field(config):
    params = to_query_params(config)
    assert all(isinstance(v, str) for v in params.values())
    assert from_query_params(params) == config


def test_every_field_is_in_the_link():
    config = RunConfig(spectral_radius=0.9)
    params = to_query_params(config)
    assert set(params) >= {
        "dataset",
        "act",
        "init",
        "rho",
        "hidden",
        "layers",
        "opt",
        "lr",
        "batch",
        "clip",
        "clip_at",
        "bptt",
        "epochs",
        "seed",
        "d_window",
    }


def test_same_link_and_seed_give_bit_identical_histories():
    link = to_query_params(RunConfig(dataset="sincos", epochs=3, seed=7))
    histories = []
    for _ in range(2):
        config = from_query_params(dict(link))
        trainer = build_trainer(config, load_data(config))
        trainer.step(40)
        histories.append(trainer.history.as_dict())
    assert all(np.array_equal(histories[0][k], histories[1][k]) for k in histories[0])


def test_keys_no_setting_reads_are_named():
    assert unused_keys(to_query_params(RunConfig(dataset="sincos"))) == []
    # A typo, and the sine's window option on a dataset that has no window.
    assert unused_keys({"dataset": "sum", "hiden": "8", "d_window": "9"}) == ["hiden", "d_window"]


def test_a_bad_value_leaves_the_rest_of_the_link_usable():
    config, problems = usable_config({"lr": "nan", "hidden": "32", "dataset": "weather"})
    assert (config.hidden_size, config.dataset, config.lr) == (32, "weather", RunConfig.lr)
    assert len(problems) == 1 and "Learning rate" in problems[0]
    config, problems = usable_config({"dataset": "mnist" * 4000, "hidden": "8"})
    assert (config.dataset, config.hidden_size) == (RunConfig.dataset, 8)
    assert len(problems[0]) < 150  # a 20,000-character value is not echoed whole
    assert usable_config(to_query_params(RunConfig(lr=0.5))) == (RunConfig(lr=0.5), [])


def test_missing_keys_take_defaults():
    assert from_query_params({}) == RunConfig()


@pytest.mark.parametrize(
    ("params", "fragment"),
    [
        ({"dataset": "mnist"}, "dataset 'mnist' is not one of"),
        ({"hidden": "many"}, "the link's hidden must be a whole number"),
        ({"lr": "-1"}, "Learning rate must be a number from"),
        ({"act": "gelu"}, "activation must be one of"),
        ({"d_many_to_many": "yes"}, "many_to_many must be 0 or 1"),
        # Values the sidebar's controls cannot show are refused, not silently clamped.
        ({"rho": "2.5"}, "Spectral radius ρ must be a number from 0.1 to 2"),
        ({"lr": "5e-08"}, "Learning rate must be a number from 1e-06"),
        ({"clip_at": "50000"}, "Clipping threshold must be a number from 0.0001 to 10000"),
        (
            {"bptt": "5000"},
            r"Truncated BPTT window \(0 = full BPTT\) must be a whole number from 0 to 1,000",
        ),
        ({"d_window": "9999"}, "Window length T must be a whole number from 2 to 149"),
        ({"d_noise": "5"}, "Noise σ must be a number from 0 to 1"),
    ],
)
def test_bad_links_say_what_is_wrong(params, fragment):
    with pytest.raises(ConfigError, match=fragment):
        from_query_params(params)
