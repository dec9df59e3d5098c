"""Built-in datasets: shapes, honest splits, train-only scaling, determinism, baselines."""

import io

import numpy as np
import pytest

from rnn_core import RNN, Trainer, make_optimizer
from rnn_core.datasets import DatasetError, adding_baselines, load, load_csv
from rnn_core.datasets.tabular import WEATHER_FILE

SPLITS = ("train", "val", "test")
NAMES = ("sum", "sine", "sincos", "weather", "adding")


def arrays(data):
    return [getattr(data, f"{k}_{s}") for s in SPLITS for k in ("X", "y")]


@pytest.mark.parametrize(
    ("name", "options", "x_shape", "y_shape"),
    [
        ("sum", {"length": 12}, (12, 1), (1,)),
        ("sum", {"length": 12, "many_to_many": True}, (12, 1), (12, 1)),
        ("sine", {"window": 25}, (25, 1), (1,)),
        ("sine", {"window": 25, "many_to_many": True}, (25, 1), (25, 1)),
        ("sincos", {"window": 20}, (20, 1), (1,)),
        ("weather", {"window": 7}, (7, 3), (1,)),
        ("adding", {"length": 30}, (30, 2), (1,)),
    ],
)
def test_shapes_and_split_sizes(name, options, x_shape, y_shape):
    data = load(name, **options)
    for split in SPLITS:
        X, y = getattr(data, f"X_{split}"), getattr(data, f"y_{split}")
        assert X.shape[1:] == x_shape and y.shape[1:] == y_shape and len(X) == len(y) > 0
    n = [len(getattr(data, f"X_{s}")) for s in SPLITS]
    assert n[0] > n[1] and n[0] > n[2]
    assert data.input_size == x_shape[-1] and data.window == x_shape[0]
    assert data.description and data.feature_names and data.target_names


def test_sum_targets_are_sums_and_running_sums():
    data = load("sum", length=5)
    np.testing.assert_allclose(data.y_train[:, 0], data.X_train.sum(axis=(1, 2)))
    m2m = load("sum", length=5, many_to_many=True)
    np.testing.assert_allclose(m2m.y_train[:, :, 0], np.cumsum(m2m.X_train[:, :, 0], axis=1))


def test_sine_target_is_the_next_value():
    data = load("sine", window=10)
    np.testing.assert_allclose(data.y_train[:-1, 0], data.X_train[1:, -1, 0])
    m2m = load("sine", window=10, many_to_many=True)
    np.testing.assert_allclose(m2m.y_train[:, :-1, 0], m2m.X_train[:, 1:, 0])


@pytest.mark.parametrize("name", ["sine", "sincos"])
def test_series_splits_share_no_time_step(name):
    """Windows are cut after the chronological split, so no (noisy, unique) value is in two."""
    data = load(name, noise=0.1)
    seen = {s: set(getattr(data, f"X_{s}")[..., 0].ravel()) for s in SPLITS}
    assert not seen["train"] & seen["val"]
    assert not seen["val"] & seen["test"]
    assert not seen["train"] & seen["test"]


def numbered_csv(n=200):
    rows = "\n".join(f"{i},{np.sin(i / 5):.6f},{i * 2}" for i in range(n))
    return io.BytesIO(f"row,value,double\n{rows}\n".encode())


def test_csv_windows_never_cross_splits():
    data = load_csv(numbered_csv(), target="value", inputs=["row", "value"], window=5, horizon=2)
    rows = {
        s: data.x_scaler.inverse(getattr(data, f"X_{s}"))[..., 0].round().astype(int)
        for s in SPLITS
    }
    spans = {s: (r.min(), r.max() + 2) for s, r in rows.items()}  # +horizon: the target row
    assert spans["train"][1] < spans["val"][0] and spans["val"][1] < spans["test"][0]
    # and within a split the target is exactly `horizon` rows after the window end
    target_rows = rows["val"][:, -1] + 2
    np.testing.assert_allclose(
        data.y_scaler.inverse(data.y_val)[:, 0], np.sin(target_rows / 5), atol=1e-6
    )


def test_scaler_is_fitted_on_the_training_rows_only():
    data = load_csv(numbered_csv(), target="double", inputs=["row"], window=4, horizon=1)
    train_rows = np.arange(140)  # 70 % of 200 rows
    assert data.x_scaler.mean[0] == pytest.approx(train_rows.mean())
    assert data.x_scaler.std[0] == pytest.approx(train_rows.std())
    assert data.y_scaler.mean[0] == pytest.approx(2 * train_rows.mean())
    assert data.X_val.mean() > 1.5  # later rows lie outside the training range: no leak


@pytest.mark.parametrize("name", NAMES)
def test_same_seed_same_data_and_different_seed_different(name):
    if name == "weather":
        a, b = load("weather"), load("weather")
        assert all(np.array_equal(x, y) for x, y in zip(arrays(a), arrays(b), strict=True))
        return
    a, b, c = load(name, seed=3), load(name, seed=3), load(name, seed=4)
    assert all(np.array_equal(x, y) for x, y in zip(arrays(a), arrays(b), strict=True))
    assert not np.array_equal(a.X_train, c.X_train)


def test_independent_samples_are_not_repeated_across_splits():
    for name in ("sum", "adding"):
        data = load(name)
        keys = {s: {x.tobytes() for x in getattr(data, f"X_{s}")} for s in SPLITS}
        assert not keys["train"] & keys["val"] and not keys["train"] & keys["test"]


def test_adding_problem_has_one_marker_in_each_half():
    data = load("adding", length=40, n_samples=500)
    markers = data.X_train[:, :, 1]
    np.testing.assert_array_equal(markers[:, :20].sum(axis=1), 1)
    np.testing.assert_array_equal(markers[:, 20:].sum(axis=1), 1)
    np.testing.assert_allclose(data.y_train[:, 0], (data.X_train[:, :, 0] * markers).sum(axis=1))


def test_adding_problem_baselines_are_one_sixth_and_one_twelfth():
    base = adding_baselines(load("adding", n_samples=100_000, length=20, fractions=(0.2, 0.6, 0.2)))
    assert base["predict 1"] == pytest.approx(1 / 6, abs=0.005)
    assert base["remember only the later number"] == pytest.approx(1 / 12, abs=0.005)


SEED_FORMAT = """,tmax,tmin,rain,tmax_tomorrow
1970-01-01,60.0,35.0,0.0,52.0
1970-01-02,52.0,39.0,0.0,52.0
1970-01-03,52.0,35.0,0.0,53.0
1970-01-04,53.0,36.0,0.0,52.0
1970-01-05,52.0,38.0,0.1,50.0
1970-01-06,50.0,,0.0,52.0
""" + "".join(
    f"1970-02-{d:02d},{50 + d % 7}.0,{35 + d % 5}.0,0.{d % 3},{50 + (d + 1) % 7}.0\n"
    for d in range(1, 29)
)


def test_seed_notebook_weather_format_gives_the_same_features_and_target():
    data = load_csv(
        io.BytesIO(SEED_FORMAT.encode()), target="tmax_tomorrow", inputs=["tmax", "tmin", "rain"],
        window=3, horizon=0, fill="ffill",
    )  # fmt: skip
    X = data.x_scaler.inverse(data.X_train)
    np.testing.assert_allclose(X[0], [[60, 35, 0], [52, 39, 0], [52, 35, 0]])
    np.testing.assert_allclose(X[3][-1], [50, 38, 0])  # 1970-01-06: tmin forward-filled
    np.testing.assert_allclose(data.y_scaler.inverse(data.y_train)[:4, 0], [53, 52, 50, 52])


def test_weather_many_to_many_targets_every_day_of_the_window_as_seed_002_did():
    """Seed 002 trained on seq_y = train_y[j:j+7]: each day's own tmax_tomorrow."""
    options = {"target": "tmax_tomorrow", "inputs": ["tmax", "tmin", "rain"], "window": 3}
    source = SEED_FORMAT.encode()
    once = load_csv(io.BytesIO(source), horizon=0, fill="ffill", **options)
    every = load_csv(io.BytesIO(source), horizon=0, fill="ffill", many_to_many=True, **options)
    assert every.many_to_many and every.y_train.shape == (len(once.y_train), 3, 1)
    days = every.y_scaler.inverse(every.y_train)[..., 0]  # (M, T) °F
    np.testing.assert_allclose(days[3], [52, 50, 52])  # rows 3, 4, 5 (1970-01-04 to 06)
    np.testing.assert_array_equal(every.y_train[:, -1], once.y_train)  # the last day: as before
    shipped = load("weather", many_to_many=True)
    assert "For each of the last 7 days" in shipped.description
    baselines = shipped.baselines()
    assert baselines["repeat the last value"] < baselines["predict the training mean"]


def test_shipped_weather_is_the_csv_loader_on_the_shipped_file():
    via_csv = load_csv(
        WEATHER_FILE, target="tmax_tomorrow", inputs=["tmax", "tmin", "rain"], window=7, horizon=0
    )
    built_in = load("weather")
    assert all(np.array_equal(x, y) for x, y in zip(arrays(via_csv), arrays(built_in), strict=True))
    assert built_in.target_unit == "°C"
    assert set(built_in.baselines()) == {"predict the training mean", "repeat the last value"}


@pytest.mark.parametrize(
    ("call", "fragment"),
    [
        (lambda: load("mnist"), "dataset must be one of sum, sine, sincos, weather, adding"),
        (
            lambda: load("sine", windw=5),
            "dataset 'sine' has no option 'windw'; its options are: n_points",
        ),
        (lambda: load("sine", window=0), "window must be a whole number from 1 to 1000"),
        (lambda: load("sine", frequency=2.0), "frequency must be a number from 0.0001 to 0.5"),
        (lambda: load("sum", n_samples=5), "n_samples must be a whole number from 20"),
        (lambda: load("adding", length=1), "length must be a whole number from 2"),
        (lambda: load("sine", n_points=40, window=25), "the series has 40 rows, but window 25"),
    ],
)
def test_bad_options_say_what_to_change(call, fragment):
    with pytest.raises(DatasetError, match=fragment.replace("(", r"\(")):
        call()


TRAINING = {
    "sum": ({"length": 8}, 4, 300),
    "sine": ({"window": 20}, 8, 300),
    "sincos": ({"window": 20}, 8, 300),
    "weather": ({}, 8, 300),
    "adding": ({"length": 10, "n_samples": 2000}, 16, 400),
}


@pytest.mark.parametrize("name", NAMES)
def test_a_short_training_run_beats_the_trivial_baselines(name):
    options, hidden, steps = TRAINING[name]
    data = load(name, **options)
    model = RNN(data.input_size, hidden, data.output_size, many_to_many=data.many_to_many, seed=0)
    trainer = Trainer(
        model,
        make_optimizer("adam", 0.01),
        data.X_train,
        data.y_train,
        data.X_val,
        data.y_val,
        seed=0,
    )
    trainer.step(steps)
    val = trainer.evaluate(data.X_val, data.y_val)
    best = min(data.baselines().values())
    assert val < best, f"validation MSE {val:.4f} vs best baseline {best:.4f}"


@pytest.mark.parametrize(
    ("name", "units"),
    [
        ("sine", "data's own units"),  # already around ±1
        ("sincos", "data's own units"),
        ("weather", "scaled units"),
        ("sum", "data's own units"),
        ("adding", "data's own units"),
        ("counting", "data's own units"),
    ],
)
def test_loss_units_say_whether_the_targets_were_scaled(name, units):
    data = load(name)
    assert data.loss_units == units
    assert data.y_scaler.is_identity == (units == "data's own units")


@pytest.mark.parametrize("name", ["weather", "sine"])
def test_a_description_states_the_split_it_was_made_with(name):
    """The page showed "70/15/15" whatever split the data was cut with."""
    described = load(name, fractions=(0.6, 0.2, 0.2)).description
    assert "60" in described and "70" not in described
