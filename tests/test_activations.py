"""Each activation's derivative is f' at the pre-activation, and γ is sup|f'|."""

import numpy as np
import pytest

from rnn_core import ACTIVATIONS, get_activation

Z = np.concatenate([np.linspace(-6, 6, 1201), [-0.3, 0.7, 2.4]])
Z = Z[np.abs(Z) > 1e-3]  # away from relu's kink


@pytest.mark.parametrize("name", sorted(ACTIVATIONS))
def test_derivative_matches_central_differences(name):
    act = get_activation(name)
    eps = 1e-6
    numeric = (act(Z + eps) - act(Z - eps)) / (2 * eps)
    np.testing.assert_allclose(act.derivative(Z), numeric, atol=1e-8)


@pytest.mark.parametrize("name", sorted(ACTIVATIONS))
def test_fast_derivative_from_output_equals_derivative(name):
    act = get_activation(name)
    np.testing.assert_allclose(act.derivative_from(Z, act(Z)), act.derivative(Z), atol=1e-12)


@pytest.mark.parametrize("name", sorted(ACTIVATIONS))
def test_gamma_is_the_supremum_of_the_derivative(name):
    act = get_activation(name)
    z = np.linspace(-20, 20, 400_001)
    assert act.gamma == pytest.approx(np.abs(act.derivative(z)).max(), rel=1e-6)


def test_documented_gammas():
    assert get_activation("tanh").gamma == 1.0
    assert get_activation("sigmoid").gamma == 0.25
    assert get_activation("relu").gamma == 1.0
    assert get_activation("swish").gamma == pytest.approx(1.0998, abs=1e-4)


def test_swish_derivative_is_taken_at_the_preactivation_not_the_output():
    swish = get_activation("swish")
    z = np.array([2.0])
    sig = 1 / (1 + np.exp(-2.0))
    assert swish.derivative(z)[0] == pytest.approx(sig + 2.0 * sig * (1 - sig))
    assert swish.derivative(z)[0] != pytest.approx(swish.derivative(swish(z))[0])


def test_sigmoid_does_not_overflow():
    with np.errstate(all="raise"):
        out = get_activation("sigmoid")(np.array([-1000.0, 1000.0]))
    np.testing.assert_allclose(out, [0.0, 1.0])


def test_unknown_activation_lists_valid_names():
    with pytest.raises(
        ValueError, match="activation must be one of tanh, sigmoid, relu, leaky_relu, swish, linear"
    ):
        get_activation("softplus")
