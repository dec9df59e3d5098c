"""Analytic gradients against central finite differences (float64, relative error < 1e-6)."""

import numpy as np
import pytest
from conftest import random_problem

from rnn_core import ACTIVATIONS, RNN, recurrence
from rnn_core.gradcheck import check_gradients, relative_error

TOLERANCE = 1e-6

ARCHITECTURES = {
    "1 layer many-to-one": {},
    "1 layer many-to-many": {"many_to_many": True},
    "2 layers many-to-one": {"num_layers": 2},
    "2 layers many-to-many": {"num_layers": 2, "many_to_many": True},
    "bidirectional many-to-one": {"bidirectional": True},
    "bidirectional 2 layers many-to-many": {
        "bidirectional": True,
        "num_layers": 2,
        "many_to_many": True,
    },
    "learnable h0": {"learn_h0": True},
    "learnable h0, 2 layers, bidirectional": {
        "learn_h0": True,
        "num_layers": 2,
        "bidirectional": True,
    },
}


def assert_gradients_match(errors):
    worst = max(errors, key=errors.get)
    assert errors[worst] < TOLERANCE, f"{worst}: relative error {errors[worst]:.2e}"


@pytest.mark.parametrize("activation", sorted(ACTIVATIONS))
@pytest.mark.parametrize("arch", sorted(ARCHITECTURES))
def test_gradients_match_finite_differences(rng, activation, arch):
    model = RNN(3, 5, 2, activation=activation, init="xavier", seed=7, **ARCHITECTURES[arch])
    for p in model.params.values():  # non-zero biases and h0 so every path is exercised
        p += 0.1 * rng.standard_normal(p.shape)
    X, Y = problem_away_from_kinks(rng, model)
    assert_gradients_match(check_gradients(model, X, Y))


def problem_away_from_kinks(rng, model, margin=1e-3):
    """A random problem whose pre-activations all stay ``margin`` away from 0.

    relu and leaky_relu have a kink at 0: a central difference that straddles it measures a
    one-sided slope, so finite differences are only a check where every |z| > ε.
    """
    for _ in range(50):
        X, Y = random_problem(rng, model)
        caches = model.forward(X).caches.values()
        if min(np.abs(c.preacts).min() for c in caches) > margin:
            return X, Y
    raise AssertionError("no kink-free problem in 50 draws")


@pytest.mark.parametrize("many_to_many", [False, True])
@pytest.mark.parametrize("num_layers", [1, 2])
@pytest.mark.parametrize("window", [1, 3, 4])
def test_truncated_bptt_is_the_exact_gradient_of_the_detached_loss(
    rng, many_to_many, num_layers, window
):
    model = RNN(
        2,
        4,
        1,
        num_layers=num_layers,
        many_to_many=many_to_many,
        learn_h0=True,
        init="xavier",
        seed=2,
    )
    X, Y = random_problem(rng, model, steps=10)
    assert_gradients_match(check_gradients(model, X, Y, bptt_window=window))


def test_truncation_really_changes_the_gradient(rng):
    model = RNN(2, 4, 1, init="orthogonal", seed=2)
    X, Y = random_problem(rng, model, steps=12)
    full = model.loss_and_grads(X, Y).grads["W_hh"]
    cut = model.loss_and_grads(X, Y, bptt_window=3).grads["W_hh"]
    assert relative_error(full, cut) > 1e-3
    # A window at least as long as the sequence is plain BPTT.
    np.testing.assert_array_equal(model.loss_and_grads(X, Y, bptt_window=12).grads["W_hh"], full)


def test_truncated_many_to_one_gradient_reaches_exactly_window_steps(rng):
    model = RNN(2, 4, 1, seed=2)
    X, Y = random_problem(rng, model, steps=12)
    norms = model.loss_and_grads(X, Y, bptt_window=5).dh_norms["layer0"]
    assert np.all(norms[-5:] > 0)
    assert np.all(norms[:-5] == 0)


def test_truncation_is_refused_for_bidirectional_models(rng):
    model = RNN(2, 3, 1, bidirectional=True)
    X, Y = random_problem(rng, model)
    with pytest.raises(ValueError, match="truncated BPTT needs a unidirectional RNN"):
        model.loss_and_grads(X, Y, bptt_window=2)


def test_gradient_check_detects_a_wrong_gradient(rng):
    """The checker itself must fail loudly on a broken backward pass."""
    model = RNN(2, 3, 1, seed=0)
    X, Y = random_problem(rng, model)
    original = model.loss_and_grads

    def broken(*args, **kwargs):
        res = original(*args, **kwargs)
        res.grads["W_hh"] = res.grads["W_hh"].T  # the classic transposed-Jacobian bug
        return res

    model.loss_and_grads = broken
    assert check_gradients(model, X, Y)["W_hh"] > 1e-3


def test_diagnostics_returned_with_the_loss(rng):
    model = RNN(3, 5, 2, num_layers=2, bidirectional=True, seed=0)
    X, Y = random_problem(rng, model, batch=4, steps=6)
    res = model.loss_and_grads(X, Y)
    assert set(res.hidden) == {"layer0", "layer0_rev", "layer1", "layer1_rev"}
    for key in res.hidden:
        assert res.hidden[key].shape == (4, 6, 5)
        np.testing.assert_allclose(res.hidden[key], np.tanh(res.preacts[key]))
        assert res.dh_norms[key].shape == (6,)
    assert res.grad_norms == pytest.approx({k: np.linalg.norm(g) for k, g in res.grads.items()})
    # The reverse direction's first processed step is the last time step: h at t=T-1 of the
    # reverse direction has seen only x_{T-1}.
    only_last = model.forward(X[:, -1:]).caches["layer0_rev"].states[0]
    np.testing.assert_allclose(res.hidden["layer0_rev"][:, -1], only_last)


@pytest.mark.parametrize("arch", sorted(ARCHITECTURES))
def test_every_way_in_computes_the_same_gradients(rng, arch):
    """``forward`` + ``backward`` and the trainer's time-major path equal ``loss_and_grads``
    (which the finite-difference checks cover), with and without a workspace."""
    model = RNN(3, 5, 2, seed=2, **ARCHITECTURES[arch])
    X, Y = random_problem(rng, model)
    want = model.loss_and_grads(X, Y)
    fp = model.forward(X)
    by_hand, _, dX = model.backward(fp, 2 * (fp.y_hat - Y) / Y.size, input_grads=True)
    assert dX.shape == X.shape
    ws = model.workspace(*X.shape[:2])
    inputs_1 = recurrence.with_ones(X.transpose(1, 0, 2))  # (T, B, D+1)
    Y_time_major = Y.transpose(1, 0, 2) if Y.ndim == 3 else Y
    staged = model._loss_and_grads_time_major(inputs_1, Y_time_major, None, ws)
    assert staged.loss == pytest.approx(want.loss, rel=1e-14)
    for name, g in want.grads.items():
        np.testing.assert_allclose(by_hand[name], g, rtol=1e-12, atol=1e-15)
        np.testing.assert_allclose(staged.grads[name], g, rtol=1e-12, atol=1e-15)


def test_the_recurrence_reads_x_1_rows_as_it_reads_inputs(rng):
    """``inputs_1`` (a trainer's staged rows) and plain inputs run the same recurrence."""
    model = RNN(3, 5, 1, seed=0)
    X = rng.standard_normal((6, 4, 3))  # (T, B, D) time-major
    W_in, W_hh = model._input_maps["layer0"], model.params["W_hh"]
    plain = recurrence.forward(X, W_in, W_hh, None, model.activation)
    rows = recurrence.forward(
        None, W_in, W_hh, None, model.activation, None, recurrence.with_ones(X)
    )
    np.testing.assert_array_equal(rows.states, plain.states)


def test_backward_takes_a_float64_gradient_for_a_float32_model_and_names_a_wrong_shape(rng):
    model = RNN(3, 5, 2, seed=0, dtype="float32")
    X, Y = random_problem(rng, model)
    fp = model.forward(X)
    dy = 2 * (fp.y_hat.astype(np.float64) - Y) / Y.size  # float64, as a user computes it
    grads = model.backward(fp, dy)[0]
    want = model.loss_and_grads(X, Y).grads
    for name, g in want.items():
        assert grads[name].dtype == np.float32
        np.testing.assert_allclose(grads[name], g, rtol=1e-4, atol=1e-6)
    with pytest.raises(ValueError, match=r"dy_hat must have the shape of fp.y_hat"):
        model.backward(fp, dy[:, :1])
