"""Optimizers follow torch.optim's update rules; clipping follows torch.nn.utils."""

import numpy as np
import pytest

from rnn_core.optim import (
    SGD,
    Adam,
    Clipping,
    RMSprop,
    clip_grad_norm,
    clip_grad_value,
    global_norm,
    make_optimizer,
)


def grads_with_norm_5():
    return {"a": np.array([3.0, 0.0]), "b": np.array([[4.0]])}


def test_clip_norm_returns_pre_clip_norm_and_scales_by_max_over_norm_plus_eps():
    g = grads_with_norm_5()
    assert clip_grad_norm(g, 1.0) == 5.0
    coef = 1.0 / (5.0 + 1e-6)
    np.testing.assert_array_equal(g["a"], np.array([3.0, 0.0]) * coef)
    np.testing.assert_array_equal(g["b"], np.array([[4.0]]) * coef)
    assert global_norm(g) == pytest.approx(5.0 / (5.0 + 1e-6), rel=1e-12)


def test_clip_norm_leaves_small_gradients_alone():
    g = grads_with_norm_5()
    assert clip_grad_norm(g, 10.0) == 5.0
    np.testing.assert_array_equal(g["a"], [3.0, 0.0])


def test_clip_norm_at_exactly_the_threshold_still_scales_by_the_eps_factor():
    """PyTorch clamps max_norm/(norm + 1e-6) at 1, so norm == max_norm is scaled slightly."""
    g = grads_with_norm_5()
    clip_grad_norm(g, 5.0)
    assert g["b"][0, 0] == 4.0 * 5.0 / (5.0 + 1e-6)


def test_clip_norm_spreads_a_nan_to_every_gradient_like_pytorch():
    """A NaN norm gives a NaN factor that PyTorch applies: nothing looks usable afterwards."""
    g = {"a": np.array([np.nan, 1.0]), "b": np.array([[-2.0]])}
    assert np.isnan(clip_grad_norm(g, 1.0))
    assert np.isnan(g["a"]).all() and np.isnan(g["b"]).all()


def test_clip_norm_of_an_infinite_gradient_zeroes_the_finite_ones_like_pytorch():
    g = {"a": np.array([np.inf, 1.0, -2.0])}
    with np.errstate(invalid="ignore"):  # inf · 0 is NaN, as in PyTorch
        assert clip_grad_norm(g, 1.0) == np.inf
    assert np.isnan(g["a"][0]) and (g["a"][1:] == 0.0).all()


def test_clip_value_clamps_elementwise_and_reports_pre_clip_norm():
    g = {"a": np.array([-3.0, 0.5, 2.0])}
    assert clip_grad_value(g, 1.0) == pytest.approx(np.sqrt(9 + 0.25 + 4))
    np.testing.assert_array_equal(g["a"], [-1.0, 0.5, 1.0])


@pytest.mark.parametrize(("mode", "expected"), [("norm", 1.0 / (5 + 1e-6)), ("value", 1.0)])
def test_clipping_rule_dispatches(mode, expected):
    g = grads_with_norm_5()
    assert Clipping(mode, 1.0).apply(g) == 5.0
    assert g["b"][0, 0] == pytest.approx(4.0 * expected if mode == "norm" else expected)


@pytest.mark.parametrize(
    ("build", "fragment"),
    [
        (lambda: Clipping("max", 1.0), "clipping mode must be one of norm, value"),
        (lambda: Clipping("norm", 0.0), "clipping threshold must be a finite number > 0"),
        (lambda: SGD(lr=-1.0), "lr must be a finite number > 0"),
        (lambda: SGD(lr=float("nan")), "lr must be a finite number > 0"),
        (lambda: SGD(lr=0.1, momentum=1.5), r"momentum must be in \[0, 1\)"),
        (lambda: SGD(lr=0.1, nesterov=True), "nesterov momentum needs momentum > 0"),
        (lambda: Adam(betas=(0.9, 1.0)), r"betas\[1\] must be in \[0, 1\)"),
        (lambda: make_optimizer("lbfgs", 0.1), "optimizer must be one of sgd, momentum"),
    ],
)
def test_bad_hyperparameters_are_named(build, fragment):
    with pytest.raises(ValueError, match=fragment):
        build()


def one_param():
    return {"w": np.array([1.0, -2.0])}


def test_sgd_step():
    p = one_param()
    SGD(lr=0.1).step(p, {"w": np.array([1.0, 1.0])})
    np.testing.assert_allclose(p["w"], [0.9, -2.1])


def test_momentum_buffer_starts_at_first_gradient_like_pytorch():
    p, opt, g = one_param(), SGD(lr=0.1, momentum=0.9), {"w": np.array([1.0, 1.0])}
    opt.step(p, g)  # v = g
    np.testing.assert_allclose(p["w"], [0.9, -2.1])
    opt.step(p, g)  # v = 0.9 g + g
    np.testing.assert_allclose(p["w"], [0.9 - 0.19, -2.1 - 0.19])


def test_nesterov_uses_gradient_plus_momentum_times_buffer():
    p, opt = one_param(), SGD(lr=0.1, momentum=0.9, nesterov=True)
    opt.step(p, {"w": np.array([1.0, 1.0])})  # v = g; step g + 0.9 v = 1.9 g
    np.testing.assert_allclose(p["w"], [1.0 - 0.19, -2.0 - 0.19])


def test_weight_decay_adds_l2_gradient():
    p = one_param()
    SGD(lr=0.1, weight_decay=0.5).step(p, {"w": np.zeros(2)})
    np.testing.assert_allclose(p["w"], [1.0 - 0.05, -2.0 + 0.1])


def test_adam_first_step_has_length_lr_per_coordinate():
    p = one_param()
    Adam(lr=0.01).step(p, {"w": np.array([5.0, -0.001])})
    np.testing.assert_allclose(p["w"], [1.0 - 0.01, -2.0 + 0.01], rtol=1e-6)


def test_rmsprop_first_step():
    p = one_param()
    RMSprop(lr=0.01, alpha=0.99).step(p, {"w": np.array([2.0, -2.0])})
    step = 0.01 * 2.0 / (np.sqrt(0.01 * 4.0) + 1e-8)
    np.testing.assert_allclose(p["w"], [1.0 - step, -2.0 + step])


@pytest.mark.parametrize("name", ["sgd", "momentum", "nesterov", "rmsprop", "adam"])
def test_every_optimizer_minimises_a_quadratic(name):
    target = np.array([3.0, -1.0])
    p = {"w": np.zeros(2)}
    opt = make_optimizer(name, 0.05)
    for _ in range(500):
        opt.step(p, {"w": 2 * (p["w"] - target)})
    np.testing.assert_allclose(p["w"], target, atol=0.05)
