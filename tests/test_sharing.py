"""Shareable links: RunConfig -> query params -> RunConfig is the identity, bit for bit."""

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from dashboard.config import DATASET_OPTIONS, ConfigError, RunConfig, build_trainer, load_data
from dashboard.sharing import from_query_params, to_query_params
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


configs = st.sampled_from(sorted(DATASET_OPTIONS)).flatmap(
    lambda name: st.builds(
        RunConfig,
        dataset=st.just(name),
        dataset_options=dataset_options(name),
        activation=st.sampled_from(list(ACTIVATIONS)),
        init=st.sampled_from(INITS),
        spectral_radius=st.none() | st.floats(0.01, 10.0),
        hidden_size=st.integers(1, 512),
        num_layers=st.integers(1, 4),
        learn_h0=st.booleans(),
        optimizer=st.sampled_from(OPTIMIZERS),
        lr=st.floats(1e-8, 100.0),
        batch_size=st.integers(1, 4096),
        clip=st.sampled_from(("none", "norm", "value")),
        clip_threshold=st.floats(1e-6, 1e6),
        bptt_window=st.integers(0, 10_000),
        epochs=st.integers(1, 100_000),
        seed=st.integers(0, 2**31 - 1),
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


def test_missing_keys_take_defaults():
    assert from_query_params({}) == RunConfig()


@pytest.mark.parametrize(
    ("params", "fragment"),
    [
        ({"dataset": "mnist"}, "dataset 'mnist' is not one of"),
        ({"hidden": "many"}, "the link's hidden must be a int"),
        ({"lr": "-1"}, "learning rate must be a float from"),
        ({"act": "gelu"}, "activation must be one of"),
        ({"d_many_to_many": "yes"}, "many_to_many must be a bool"),
    ],
)
def test_bad_links_say_what_is_wrong(params, fragment):
    with pytest.raises(ConfigError, match=fragment):
        from_query_params(params)
