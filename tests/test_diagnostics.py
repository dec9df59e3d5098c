"""Teaching diagnostics: Jacobians, bounds, connectivity, saturation, spectrum, rollout."""

import numpy as np
import pytest

from rnn_core import RNN, get_activation
from rnn_core.diagnostics import (
    connectivity,
    jacobian_norms,
    recurrent_spectrum,
    rollout,
    saturation_fraction,
    step_jacobian,
)


def non_symmetric_model(rng, hidden=5, activation="tanh"):
    model = RNN(2, hidden, 1, activation=activation, init="xavier", seed=0)
    model.params["W_hh"][...] = rng.standard_normal((hidden, hidden))
    assert not np.allclose(model.params["W_hh"], model.params["W_hh"].T)
    return model


@pytest.mark.parametrize("activation", ["tanh", "sigmoid", "swish"])
def test_one_step_jacobian_matches_finite_differences_in_column_form(rng, activation):
    model = non_symmetric_model(rng, activation=activation)
    p, act = model.params, model.activation
    x, h_prev = rng.standard_normal((1, 2)), rng.standard_normal((1, 5))

    def step(h):
        return act(x @ p["W_xh"] + p["b_h"] + h @ p["W_hh"])[0]

    eps = 1e-6
    numeric = np.stack(
        [(step(h_prev + eps * e) - step(h_prev - eps * e)) / (2 * eps) for e in np.eye(5)], axis=1
    )  # numeric[i, j] = ∂h_t[i]/∂h_{t-1}[j]
    z = x @ p["W_xh"] + p["b_h"] + h_prev @ p["W_hh"]
    J = step_jacobian(p["W_hh"], act.derivative(z))[0]
    np.testing.assert_allclose(J, numeric, atol=1e-8)
    np.testing.assert_allclose(J, np.diag(act.derivative(z)[0]) @ p["W_hh"].T)
    assert not np.allclose(J, np.diag(act.derivative(z)[0]) @ p["W_hh"], atol=1e-3)


def test_jacobian_norms_equal_the_explicit_product(rng):
    model = non_symmetric_model(rng)
    X = rng.standard_normal((2, 6, 2))
    cache = model.forward(X).caches["layer0"]
    fprime = model.activation.derivative(cache.preacts)  # (T, B, H)
    norms = jacobian_norms(model, X)
    for b in range(2):
        product = np.eye(5)
        for t in range(5, -1, -1):
            product = product @ step_jacobian(model.params["W_hh"], fprime[t])[b]
            assert norms[b, t] == pytest.approx(np.linalg.norm(product, 2), rel=1e-12)
    np.testing.assert_array_equal(norms[:, -1], 1.0)


def test_tanh_with_sigma_max_half_obeys_the_bound_at_every_step(rng):
    T = 50
    model = non_symmetric_model(rng, hidden=16)
    W = model.params["W_hh"]
    W *= 0.5 / np.linalg.norm(W, 2)
    assert recurrent_spectrum(model).sigma_max == pytest.approx(0.5)
    norms = jacobian_norms(model, rng.standard_normal((4, T, 2)))  # (B, T+1)
    bound = 0.5 ** (T - np.arange(T + 1))
    assert np.all(norms[:, 0] <= 0.5**50)
    assert np.all(norms <= bound * (1 + 1e-12))
    assert np.all(norms[:, 0] > 0)


def test_connectivity_matches_finite_differences(rng):
    model = non_symmetric_model(rng)
    X = rng.standard_normal((3, 7, 2))
    eps = 1e-6
    fd = np.zeros((3, 7))
    for t in range(7):
        for d in range(2):
            dX = np.zeros_like(X)
            dX[:, t, d] = eps
            fd[:, t] += ((model.predict(X + dX) - model.predict(X - dX))[:, 0] / (2 * eps)) ** 2
    np.testing.assert_allclose(connectivity(model, X), np.sqrt(fd).mean(axis=0), rtol=1e-6)


def test_connectivity_of_many_to_many_uses_the_last_output(rng):
    model = RNN(2, 4, 1, many_to_many=True, seed=1)
    X = rng.standard_normal((2, 5, 2))
    c = connectivity(model, X)
    assert c.shape == (5,) and np.all(c > 0) and c[-1] > c[0]


def test_saturation_fraction():
    tanh = get_activation("tanh")
    assert saturation_fraction(np.zeros((4, 5)), tanh) == 0.0
    assert saturation_fraction(np.full((4, 5), 10.0), tanh) == 1.0
    assert saturation_fraction(np.array([0.0, 3.0]), tanh) == 0.5  # tanh'(3) ≈ 0.0099


def test_spectrum_of_a_rotation():
    model = RNN(1, 2, 1)
    c, s = np.cos(0.3), np.sin(0.3)
    model.params["W_hh"][...] = 1.1 * np.array([[c, -s], [s, c]])
    spec = recurrent_spectrum(model)
    np.testing.assert_allclose(sorted(spec.eigenvalues.imag), [-1.1 * s, 1.1 * s])
    assert spec.spectral_radius == pytest.approx(1.1)
    np.testing.assert_allclose(spec.singular_values, [1.1, 1.1])


def test_rollout_feeds_predictions_back(rng):
    model = RNN(1, 6, 1, seed=3)
    window = rng.standard_normal((2, 5, 1))
    out = rollout(model, window, 3)
    assert out.shape == (2, 3, 1)
    first = model.predict(window)
    np.testing.assert_allclose(out[:, 0], first)
    shifted = np.concatenate([window[:, 1:], first[:, None]], axis=1)
    np.testing.assert_allclose(out[:, 1], model.predict(shifted))


def test_rollout_needs_a_model_that_predicts_its_own_input():
    with pytest.raises(ValueError, match="input_size == output_size"):
        rollout(RNN(3, 4, 1), np.zeros((1, 5, 3)), 2)
