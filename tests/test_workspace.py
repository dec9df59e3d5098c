"""Reused memory: workspaces, flat parameter and gradient vectors, flat optimizer updates."""

import numpy as np
import pytest
from conftest import random_problem

from rnn_core import RNN, SGD, Trainer, flat, make_optimizer
from rnn_core.config import parameter_shapes
from rnn_core.optim import OPTIMIZERS

ARCHITECTURES = [
    {},
    {"many_to_many": True},
    {"num_layers": 2, "bidirectional": True, "learn_h0": True},
    {"num_layers": 2, "many_to_many": True, "bidirectional": True},
]


@pytest.mark.parametrize("arch", ARCHITECTURES)
def test_a_reused_workspace_gives_exactly_what_fresh_memory_gives(rng, arch):
    model = RNN(3, 5, 2, seed=3, **arch)
    ws = model.workspace(4, 6)
    for _ in range(3):  # every reuse overwrites all of it: no state leaks between calls
        X, Y = random_problem(rng, model)
        fresh = model.loss_and_grads(X, Y)
        reused = model.loss_and_grads(X, Y, workspace=ws)
        assert reused.loss == fresh.loss
        for name in model.params:
            np.testing.assert_array_equal(reused.grads[name], fresh.grads[name])
        for key in fresh.dh_norms:
            np.testing.assert_array_equal(reused.dh_norms[key], fresh.dh_norms[key])
            np.testing.assert_array_equal(reused.hidden[key], fresh.hidden[key])


def test_a_zero_start_after_a_given_start_is_zero_again(rng):
    """A reused cache skips re-zeroing its start state only while nothing else was written.

    The forward pass from zero skips h_{-1} @ W_hh, so a stale start would show only in the
    gradients, through dW_hh = Σ h_{t-1}ᵀ dz_t: they are what is compared.
    """
    model = RNN(3, 5, 2, seed=1)
    ws = model.workspace(4, 6)
    X, Y = random_problem(rng, model)
    fresh = model.loss_and_grads(X, Y).grads["W_hh"].copy()
    model.forward(X, workspace=ws)  # the cache starts at zero
    given = {"layer0": rng.standard_normal((4, 5))}  # (B, H)
    model.forward(X, initial_states=given, workspace=ws)
    for _ in range(2):
        np.testing.assert_array_equal(model.loss_and_grads(X, Y, workspace=ws).grads["W_hh"], fresh)


def test_a_workspace_of_the_wrong_shape_is_refused_with_both_shapes(rng):
    model = RNN(3, 5, 2)
    X, Y = random_problem(rng, model, batch=4, steps=6)
    with pytest.raises(ValueError, match=r"\(8, 6\).*\(4, 6\)"):
        model.loss_and_grads(X, Y, workspace=model.workspace(8, 6))
    with pytest.raises(ValueError, match=r"\(4, 7\).*\(4, 6\)"):
        model.forward(X, workspace=model.workspace(4, 7))


def test_gradients_are_views_into_the_gradient_vector(rng):
    model = RNN(3, 5, 2, num_layers=2)
    res = model.loss_and_grads(*random_problem(rng, model))
    joined = np.concatenate([g.ravel() for g in res.grads.values()])
    np.testing.assert_array_equal(res.grad_vector, joined)
    res.grad_vector[:] = 7.0
    assert all((g == 7.0).all() for g in res.grads.values())


def test_params_are_views_into_the_parameter_vector():
    model = RNN(3, 5, 2)
    vector = model.parameter_vector()
    vector[:] = 0.5
    assert all((p == 0.5).all() for p in model.params.values())
    twin = model.copy()
    twin.parameter_vector()[:] = 1.0
    assert (model.parameter_vector() == 0.5).all(), "a copy must not share memory"


def test_a_replaced_parameter_is_used_and_repacked(rng):
    model = RNN(3, 5, 2)
    X, _ = random_problem(rng, model)
    model.params["W_hh"] = np.zeros((5, 5))  # replaced, not written in place
    expected = RNN(3, 5, 2)
    expected.params["W_hh"][...] = 0.0
    np.testing.assert_array_equal(model.predict(X), expected.predict(X))
    vector = model.parameter_vector()
    assert np.shares_memory(model.params["W_hh"], vector)
    np.testing.assert_array_equal(vector, expected.parameter_vector())


def test_input_map_is_the_weights_with_the_bias_as_last_row():
    model = RNN(3, 5, 2)
    shapes = parameter_shapes(model.config)
    W_in = flat.stacked(model.parameter_vector(), shapes, "W_xh", "b_h")
    np.testing.assert_array_equal(W_in[:3], model.params["W_xh"])
    np.testing.assert_array_equal(W_in[3], model.params["b_h"])
    with pytest.raises(ValueError, match="not stored right after"):
        flat.stacked(model.parameter_vector(), shapes, "W_xh", "W_hy")


@pytest.mark.parametrize("name", OPTIMIZERS)
def test_a_flat_update_equals_the_per_parameter_step(rng, name):
    model = RNN(3, 5, 2, num_layers=2)
    twin = model.copy()
    by_name = make_optimizer(name, 0.01, weight_decay=0.1)
    flat_opt = make_optimizer(name, 0.01, weight_decay=0.1)
    for _ in range(3):
        res = model.loss_and_grads(*random_problem(rng, model))
        grads = {k: g.copy() for k, g in res.grads.items()}
        vector = np.concatenate([g.ravel() for g in grads.values()])
        by_name.step(model.params, grads)
        flat_opt.update(twin.parameter_vector(), vector)
        np.testing.assert_array_equal(twin.parameter_vector(), model.parameter_vector())


def test_trainer_keeps_one_workspace_per_batch_size():
    X = np.random.default_rng(0).standard_normal((70, 5, 1))  # 32 + 32 + 6
    trainer = Trainer(RNN(1, 4, 1), SGD(0.01), X, X[:, -1], batch_size=32)
    trainer.step(6)  # two epochs
    assert sorted(trainer._workspaces) == [6, 32]
    assert trainer.epochs_done == 1
