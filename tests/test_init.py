"""Initialisations have the spectra the teaching text claims."""

import numpy as np
import pytest

from rnn_core import INITS, RNN
from rnn_core.diagnostics import recurrent_spectrum


def radii(init, hidden=100, draws=20, **kwargs):
    return np.array(
        [
            recurrent_spectrum(RNN(1, hidden, 1, init=init, seed=s, **kwargs)).spectral_radius
            for s in range(draws)
        ]
    )


def test_torch_uniform_radius_is_about_0_6():
    assert radii("torch_uniform").mean() == pytest.approx(0.60, abs=0.05)


def test_small_normal_radius_is_tiny():
    assert radii("small_normal").max() < 0.15


def test_orthogonal_singular_values_are_all_one():
    for seed in range(20):
        s = recurrent_spectrum(RNN(1, 100, 1, init="orthogonal", seed=seed)).singular_values
        np.testing.assert_allclose(s, 1.0, atol=1e-12)


def test_identity_is_the_identity():
    model = RNN(1, 100, 1, init="identity", activation="relu")
    np.testing.assert_array_equal(model.params["W_hh"], np.eye(100))
    assert recurrent_spectrum(model).spectral_radius == pytest.approx(1.0)


@pytest.mark.parametrize("init", INITS)
def test_rescale_to_any_spectral_radius(init):
    r = radii(init, hidden=32, draws=3, spectral_radius=1.3)
    np.testing.assert_allclose(r, 1.3, rtol=1e-10)


def test_xavier_bound():
    W = RNN(1, 64, 1, init="xavier").params["W_hh"]
    assert np.abs(W).max() <= np.sqrt(6 / 128)
    assert np.abs(W).max() > 0.9 * np.sqrt(6 / 128)


def test_every_init_draws_input_and_output_matrices():
    for init in INITS:
        p = RNN(3, 16, 2, init=init, seed=0).params
        for name in ("W_xh", "W_hy"):
            assert np.std(p[name]) > 0, (init, name)
