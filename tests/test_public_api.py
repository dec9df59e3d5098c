"""The engine's smallest public surface, exactly as the README's engine API shows it."""

import numpy as np
import pytest

import rnn_core
from rnn_core import RNN


def test_design_surface_exists_with_documented_names_and_shapes():
    model = RNN(
        input_size=3,
        hidden_size=16,
        output_size=1,
        num_layers=1,
        activation="tanh",
        init="orthogonal",
        many_to_many=False,
        seed=0,
        dtype="float64",
    )
    shapes = {k: v.shape for k, v in model.params.items()}
    assert shapes == {"W_xh": (3, 16), "W_hh": (16, 16), "b_h": (16,), "W_hy": (16, 1), "b_y": (1,)}
    X = np.random.default_rng(0).standard_normal((5, 7, 3))
    Y = np.zeros((5, 1))
    res = model.loss_and_grads(X, Y)
    assert isinstance(res.loss, float)
    assert res.grads.keys() == model.params.keys()
    assert all(res.grads[k].shape == model.params[k].shape for k in model.params)
    assert model.predict(X).shape == (5, 1)


def test_many_to_many_predicts_every_step():
    model = RNN(input_size=2, hidden_size=4, output_size=3, many_to_many=True)
    assert model.predict(np.zeros((2, 9, 2))).shape == (2, 9, 3)


def test_stacked_bidirectional_learnable_h0_parameter_names():
    model = RNN(2, 4, 1, num_layers=2, bidirectional=True, learn_h0=True)
    assert list(model.params) == [
        "W_xh",
        "b_h",
        "W_hh",
        "h0",
        "W_xh_rev",
        "b_h_rev",
        "W_hh_rev",
        "h0_rev",
        "W_xh.1",
        "b_h.1",
        "W_hh.1",
        "h0.1",
        "W_xh_rev.1",
        "b_h_rev.1",
        "W_hh_rev.1",
        "h0_rev.1",
        "W_hy",
        "b_y",
    ]
    assert model.params["W_xh.1"].shape == (8, 4)  # layer 1 reads both directions of layer 0
    assert model.params["W_hy"].shape == (8, 1)


def test_params_are_updated_in_place_and_used():
    model = RNN(1, 3, 1, seed=0)
    X = np.ones((1, 4, 1))
    before = model.predict(X).copy()
    model.params["b_y"] += 1.0
    np.testing.assert_allclose(model.predict(X), before + 1.0)


@pytest.mark.parametrize("dtype", ["float32", "float64"])
def test_dtype_is_kept_everywhere(dtype):
    model = RNN(2, 5, 1, dtype=dtype)
    X = np.ones((3, 4, 2))
    res = model.loss_and_grads(X, np.zeros((3, 1)))
    assert {p.dtype for p in model.params.values()} == {np.dtype(dtype)}
    assert {g.dtype for g in res.grads.values()} == {np.dtype(dtype)}
    assert res.y_hat.dtype == np.dtype(dtype)
    assert res.hidden["layer0"].dtype == np.dtype(dtype)


def test_same_seed_same_weights_different_seed_different():
    a, b, c = RNN(2, 8, 1, seed=3), RNN(2, 8, 1, seed=3), RNN(2, 8, 1, seed=4)
    assert all(np.array_equal(a.params[k], b.params[k]) for k in a.params)
    assert not np.array_equal(a.params["W_hh"], c.params["W_hh"])


@pytest.mark.parametrize(
    ("kwargs", "fragment"),
    [
        ({"hidden_size": 0}, "hidden_size must be a positive integer"),
        ({"hidden_size": 2.5}, "hidden_size must be a positive integer"),
        ({"num_layers": True}, "num_layers must be a positive integer"),
        ({"activation": "gelu"}, "activation must be one of tanh, sigmoid, relu"),
        ({"init": "he"}, "init must be one of small_normal"),
        ({"dtype": "float16"}, "dtype must be one of float64, float32"),
        ({"spectral_radius": -1.0}, "spectral_radius must be a number in (0, 100]"),
        ({"seed": -1}, "seed must be an integer"),
    ],
)
def test_bad_constructor_arguments_name_the_argument(kwargs, fragment):
    args = {"input_size": 1, "hidden_size": 4, "output_size": 1, **kwargs}
    with pytest.raises(ValueError, match=fragment.replace("(", r"\(").replace(")", r"\)")):
        RNN(**args)


def test_wrong_shapes_get_a_message_with_the_expected_shape():
    model = RNN(3, 4, 2)
    with pytest.raises(ValueError, match=r"X must have shape \(batch, time, 3\)"):
        model.predict(np.zeros((2, 5)))
    with pytest.raises(ValueError, match=r"Y must have shape \(2, 2\) for this many-to-one model"):
        model.loss_and_grads(np.zeros((2, 5, 3)), np.zeros((2, 5, 2)))


def test_engine_does_not_import_ui_libraries():
    import sys

    assert rnn_core.__name__ in sys.modules
    for path in __import__("pathlib").Path(rnn_core.__file__).parent.glob("*.py"):
        text = path.read_text()
        for lib in ("streamlit", "plotly"):
            assert f"import {lib}" not in text and f"from {lib}" not in text, path


def test_copy_is_independent_and_identical():
    model = RNN(2, 4, 1, seed=1)
    twin = model.copy()
    X = np.ones((1, 3, 2))
    np.testing.assert_array_equal(twin.predict(X), model.predict(X))
    twin.params["W_hh"] += 1.0
    assert not np.array_equal(twin.params["W_hh"], model.params["W_hh"])
