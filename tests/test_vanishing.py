"""The textbook vanishing/exploding law measured on the engine's own backward pass."""

import numpy as np
import pytest

from rnn_core import RNN
from rnn_core.diagnostics import jacobian_norms


def linear_scaled_orthogonal(rho, hidden=8, seed=0):
    return RNN(2, hidden, 1, activation="linear", init="orthogonal", spectral_radius=rho, seed=seed)


@pytest.mark.parametrize("rho", [0.8, 1.0, 1.2])
def test_loss_gradient_decays_exactly_as_rho_to_the_distance(rho):
    T = 40
    model = linear_scaled_orthogonal(rho)
    W = model.params["W_hh"]
    np.testing.assert_allclose(W.T @ W, rho**2 * np.eye(8), atol=1e-12)  # W_hh = ρ·Q
    rng = np.random.default_rng(0)
    X, Y = rng.standard_normal((16, T, 2)), rng.standard_normal((16, 1))
    norms = model.loss_and_grads(X, Y).dh_norms["layer0"]  # ‖∂L/∂h_t‖, t = 1..T
    measured = norms / norms[-1]
    theory = rho ** (T - 1 - np.arange(T))  # ρ^(T−t)
    np.testing.assert_allclose(measured, theory, rtol=1e-9, atol=0)


@pytest.mark.parametrize("rho", [0.8, 1.0, 1.2])
def test_state_jacobian_norm_is_rho_to_the_distance(rho):
    T = 40
    model = linear_scaled_orthogonal(rho)
    X = np.random.default_rng(1).standard_normal((3, T, 2))
    norms = jacobian_norms(model, X)  # (B, T+1): ‖∂h_T/∂h_t‖
    np.testing.assert_allclose(
        norms, np.broadcast_to(rho ** (T - np.arange(T + 1)), (3, T + 1)), rtol=1e-9
    )


def test_tanh_gradient_shrinks_faster_than_linear_at_the_same_radius():
    """Saturation (|tanh'| < 1) makes the decay strictly faster than ρ^(T−t)."""
    rng = np.random.default_rng(2)
    X, Y = 3 * rng.standard_normal((8, 30, 2)), rng.standard_normal((8, 1))
    linear = linear_scaled_orthogonal(1.0, seed=3)
    tanh = RNN(2, 8, 1, activation="tanh", init="orthogonal", spectral_radius=1.0, seed=3)
    ratio = {}
    for name, model in (("linear", linear), ("tanh", tanh)):
        n = model.loss_and_grads(X, Y).dh_norms["layer0"]
        ratio[name] = n[0] / n[-1]
    assert ratio["linear"] == pytest.approx(1.0, rel=1e-9)
    assert ratio["tanh"] < 1e-2
