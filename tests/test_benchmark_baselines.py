"""The benchmarks' reference implementations compute what the engine computes.

A speed-up is only meaningful like for like: the seed-style loop (the numerator of every
speed-up) and the hand-written weather step (the ceiling the report quotes) must train the
same model the same way as ``rnn_core``.
"""

import numpy as np
import pytest

from benchmarks.lean_step import LeanWeatherStep
from benchmarks.seed_style import SEED_BATCH, SeedStyleRNN, check_baseline
from rnn_core import RNN


@pytest.fixture
def weather_batch():
    rng = np.random.default_rng(7)
    X = rng.uniform(-1.0, 1.0, (SEED_BATCH, 7, 3))  # (B, T, D)
    Y = rng.uniform(-1.0, 1.0, (SEED_BATCH, 7, 1))  # (B, T, O): seed 002 reads out every step
    return X, Y


def test_seed_style_baseline_matches_the_engine():
    check_baseline(np.random.default_rng(0))


@pytest.mark.parametrize("hidden, init", [(4, "orthogonal"), (8, "xavier")])
def test_lean_step_matches_the_engine(weather_batch, hidden, init):
    X, Y = weather_batch
    LeanWeatherStep.check(RNN(3, hidden, 1, init=init, seed=3, many_to_many=True), X, Y)


def test_lean_and_seed_style_steps_reach_the_same_weights(weather_batch):
    X, Y = weather_batch
    params = RNN(3, 4, 1, seed=5, many_to_many=True).params
    seed = SeedStyleRNN(params)
    lean = LeanWeatherStep(params, X, Y, lr=0.01)
    _, step = lean.compile()
    for _ in range(3):
        seed.sgd_epoch(X, Y, SEED_BATCH)
        step()
    lean_params = lean.weights()
    for name, value in seed.params.items():
        np.testing.assert_allclose(lean_params[name].reshape(value.shape), value, rtol=1e-10)


def test_the_lean_check_catches_a_wrong_gradient(weather_batch, monkeypatch):
    X, Y = weather_batch
    model = RNN(3, 4, 1, seed=0, many_to_many=True)
    monkeypatch.setattr(np, "tanh", np.sin)  # the lean step binds np.tanh when compiled
    with pytest.raises(AssertionError, match="differs"):
        LeanWeatherStep.check(model, X, Y)
