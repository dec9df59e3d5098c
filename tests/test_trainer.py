"""Trainer: reproducibility, budgets, early stop, bounded history and the divergence guard."""

import numpy as np
import pytest

from rnn_core import RNN, Clipping, Trainer, make_optimizer


def sum_task(n=256, T=8, seed=0):
    """Many-to-one: the target is the sum of the sequence (seed 000's task, done right)."""
    X = np.random.default_rng(seed).uniform(size=(n, T, 1))
    return X, X.sum(axis=1)


def make_trainer(*, seed=0, lr=0.01, optimizer="adam", n=256, **kwargs):
    X, y = sum_task(n)
    model = RNN(1, 8, 1, seed=seed)
    return Trainer(
        model,
        make_optimizer(optimizer, lr),
        X[:200],
        y[:200],
        X[200:],
        y[200:],
        seed=seed,
        **kwargs,
    )


def test_training_reduces_validation_loss():
    trainer = make_trainer(val_every=25)
    trainer.step(300)
    val = trainer.val_history.as_dict()["val_loss"]
    assert val[-1] < 0.05 * val[0]


def test_same_seed_gives_bit_identical_history_and_different_seed_does_not():
    runs = []
    for seed in (0, 0, 1):
        trainer = make_trainer(
            seed=seed, batch_size=16, clipping=Clipping("norm", 1.0), val_every=10
        )
        trainer.step(60)
        runs.append(
            (trainer.history.as_dict(), trainer.val_history.as_dict(), trainer.model.params)
        )
    for a, b in zip(runs[0], runs[1], strict=True):
        assert a.keys() == b.keys()
        assert all(np.array_equal(a[k], b[k]) for k in a)
    assert not np.array_equal(runs[0][0]["loss"], runs[2][0]["loss"])


def test_shuffling_alone_depends_on_the_trainer_seed():
    X, y = sum_task(64)
    losses = []
    for trainer_seed in (0, 1):
        t = Trainer(
            RNN(1, 4, 1, seed=0), make_optimizer("sgd", 0.01), X, y, batch_size=8, seed=trainer_seed
        )
        t.step(4)
        losses.append(t.history.as_dict()["loss"])
    assert not np.array_equal(*losses)


def test_history_records_clipping_before_and_after():
    trainer = make_trainer(lr=0.1, optimizer="sgd", clipping=Clipping("norm", 0.01))
    trainer.step(5)
    h = trainer.history.as_dict()
    assert np.all(h["grad_norm"] > 0.01)
    np.testing.assert_allclose(h["grad_norm_clipped"], 0.01, rtol=1e-3)
    assert np.all(h["clipped/W_hh"] <= h["norm/W_hh"])


def test_budgets_steps_and_epochs():
    trainer = make_trainer(batch_size=32)  # 200 samples -> 7 batches per epoch
    assert trainer.run(steps=5) == "steps" and trainer.step_count == 5
    assert trainer.run(epochs=2) == "epochs" and trainer.step_count == 5 + 14
    assert trainer.epoch == pytest.approx(19 / 7, abs=1 / 7)
    assert trainer.run(seconds=0.05) == "seconds"


def test_run_needs_a_budget():
    with pytest.raises(ValueError, match="run\\(\\) needs a budget"):
        make_trainer().run()


def test_early_stop_at_target_validation_loss():
    trainer = make_trainer(val_every=5, target_loss=0.5)
    assert trainer.run(steps=10_000) == "target"
    assert trainer.target_reached
    assert trainer.val_history.as_dict()["val_loss"][-1] <= 0.5
    assert trainer.step_count < 10_000


def test_steps_by_hand_end_with_the_validation_loss_of_the_model_they_leave():
    trainer = make_trainer(val_every=11)
    trainer.step(10)  # between two scheduled points: the last is the untrained model's
    assert list(trainer.val_history.as_dict()["step"]) == [0]
    trainer.step(10, validate_at_end=True)  # steps 11 (scheduled) … 20, and 20 by hand
    val = trainer.val_history.as_dict()
    assert list(val["step"]) == [0, 11, 20]
    assert val["val_loss"][-1] == trainer.evaluate(trainer.X_val, trainer.y_val)
    trainer.step(2, validate_at_end=True)  # ends at 22, on the schedule: no second point
    assert list(trainer.val_history.as_dict()["step"]) == [0, 11, 20, 22]
    # The point by hand decides a target like any other.
    trainer.target_loss = float(trainer.val_history.as_dict()["val_loss"][-1]) * 10
    trainer.step(3, validate_at_end=True)
    assert trainer.target_reached and trainer.val_history.as_dict()["step"][-1] == 25


def test_steps_by_hand_that_blow_up_validate_the_weights_kept():
    trainer = make_trainer(optimizer="sgd", lr=1e6, val_every=1000)
    applied = trainer.step(50, validate_at_end=True)
    assert trainer.diverged is not None and applied >= 1
    val = trainer.val_history.as_dict()
    assert val["step"][-1] == trainer.step_count  # the last finite model, not the untrained one
    assert val["val_loss"][-1] == trainer.evaluate(trainer.X_val, trainer.y_val)


def test_absurd_learning_rate_stops_with_a_report_and_finite_weights():
    X, y = sum_task(64)
    model = RNN(1, 8, 1, activation="relu", init="xavier", seed=0)
    trainer = Trainer(model, make_optimizer("sgd", 1e12), X, y, batch_size=16)
    done = trainer.step(100)
    report = trainer.diverged
    assert report is not None and done < 100
    assert report.step == done + 1
    assert report.parameter in model.params
    assert f"diverged at step {report.step}" in report.message
    assert "smaller learning rate" in report.message
    # The recurrence is suspected only where it stands between a parameter and the loss.
    read_out = report.parameter in ("W_hy", "b_y")
    assert ("smaller recurrent scale" in report.message) is not read_out
    assert all(np.isfinite(p).all() for p in model.params.values())
    before = {k: v.copy() for k, v in model.params.items()}
    assert trainer.step(10) == 0  # stays stopped
    assert all(np.array_equal(before[k], model.params[k]) for k in before)


def test_non_finite_gradient_is_caught_before_any_update():
    X, y = sum_task(32)
    model = RNN(1, 4, 1, activation="linear", seed=0)
    model.params["W_hh"][...] = 1e200 * np.eye(4)  # the forward pass overflows
    before = {k: v.copy() for k, v in model.params.items()}
    trainer = Trainer(model, make_optimizer("sgd", 0.01), X, y, batch_size=8)
    assert trainer.step(3) == 0
    assert trainer.diverged.step == 1
    assert trainer.diverged.quantity in ("loss", "gradient")
    assert all(np.array_equal(before[k], model.params[k]) for k in before)
    message = trainer.diverged.message  # no update was made: the learning rate is no culprit
    assert "the learning rate and clipping cannot help" in message
    assert "smaller learning rate" not in message
    assert "spectral radius below 1" in message


def test_history_memory_is_bounded_and_latest_point_exact():
    trainer = make_trainer(history_capacity=64, optimizer="sgd", lr=0.001, val_every=7)
    trainer.step(1000)
    h = trainer.history.as_dict()
    assert len(h["step"]) <= 64
    assert trainer.history.last["step"] == 1000
    assert h["step"][0] == 1 and np.all(np.diff(h["step"]) == h["step"][1] - h["step"][0])
    assert len(trainer.val_history) <= 64


@pytest.mark.parametrize(
    ("kwargs", "fragment"),
    [
        ({"batch_size": 0}, "batch_size"),
        ({"val_every": -3}, "val_every"),
        ({"bptt_window": 0}, "bptt_window"),
    ],
)
def test_bad_trainer_settings_are_named(kwargs, fragment):
    with pytest.raises(ValueError, match=f"{fragment} must be a positive integer"):
        make_trainer(**kwargs)


def test_truncated_bptt_trains():
    trainer = make_trainer(bptt_window=4, val_every=50)
    trainer.step(150)
    val = trainer.val_history.as_dict()["val_loss"]
    assert val[-1] < val[0]


def test_non_finite_data_is_refused_up_front():
    X, y = sum_task(32)
    X[3, 2, 0] = np.nan
    with pytest.raises(ValueError, match="X_train contains NaN or inf"):
        Trainer(RNN(1, 4, 1), make_optimizer("sgd", 0.1), X, y)


def test_a_first_update_that_overflows_is_blamed_on_the_update_not_the_network():
    X, y = sum_task(32)
    model = RNN(1, 4, 1, activation="linear", seed=0)
    trainer = Trainer(model, make_optimizer("sgd", 1e305), X, y, batch_size=8)
    assert trainer.step(3) == 0
    report = trainer.diverged
    assert report.step == 1 and report.quantity == "parameter"
    assert "smaller learning rate" in report.message  # the update overflowed: lr can help
    assert "cannot help" not in report.message


def test_weights_made_huge_between_calls_are_checked_before_the_next_update():
    """Plain SGD skips the weight check while a running bound proves no overflow is possible;
    weights changed between calls must not inherit that proof."""
    X, y = sum_task(32)
    X = np.concatenate([X, np.zeros_like(X)], axis=2)  # a second input that is always 0
    model = RNN(2, 4, 1, seed=0)
    trainer = Trainer(model, make_optimizer("sgd", 0.1), X, y, batch_size=8)
    assert trainer.step(3) == 3  # the bound now says the weights are small
    # Weights on the always-0 input change neither the loss nor the gradient, but ‖w‖² is
    # now too large to square: the next update must be checked and refused.
    model.params["W_xh"][1] = 1e200
    assert trainer.step(1) == 0
    assert trainer.diverged.quantity == "parameter"
    assert trainer.diverged.parameter == "W_xh"


def test_plain_sgd_bounds_its_step_and_other_optimizers_do_not():
    assert make_optimizer("sgd", 0.1).max_change(2.0) == pytest.approx(0.2)
    assert make_optimizer("sgd", 0.1, weight_decay=0.01).max_change(2.0) is None
    assert make_optimizer("momentum", 0.1).max_change(2.0) is None
    assert make_optimizer("adam", 0.1).max_change(2.0) is None


def test_the_weight_bound_keeps_up_with_weights_that_grow_within_one_call():
    """Skipped checks are sound only while the running bound stays above every |weight|:
    each unchecked step must add its largest possible move to it."""
    X, y = sum_task(64)
    model = RNN(1, 8, 1, init="small_normal", seed=0)  # weights start near 0.01
    trainer = Trainer(model, make_optimizer("sgd", 0.1), X, y, batch_size=8)
    start = np.abs(model.parameter_vector()).max()
    assert trainer.step(200) == 200  # one call: only its first update is checked
    largest = np.abs(model.parameter_vector()).max()
    assert largest > 10 * start  # the weights really grew past what that check saw
    assert trainer._weight_bound >= largest


@pytest.mark.parametrize("many_to_many", [False, True])
def test_large_training_sets_train_exactly_as_small_ones(monkeypatch, many_to_many):
    """Above cost.STAGED_EPOCH_BYTES the epoch is kept batch-major: same batches, same maths."""
    X, y = sum_task(50)
    if many_to_many:
        y = np.cumsum(X, axis=1)  # (N, T, 1) the running sum
    runs = []
    for limit in (2**30, 0):  # time-major, then batch-major
        monkeypatch.setattr("rnn_core.cost.STAGED_EPOCH_BYTES", limit)
        model = RNN(1, 6, 1, many_to_many=many_to_many, seed=3)
        trainer = Trainer(model, make_optimizer("adam", 0.01), X, y, batch_size=16, seed=4)
        trainer.step(13)  # over three epochs, the last batch of each short
        runs.append((trainer, model))
    (staged, staged_model), (plain, plain_model) = runs
    assert staged._minibatches.time_major and not plain._minibatches.time_major
    assert staged.epochs_done == plain.epochs_done == 3
    for name, value in staged_model.params.items():
        np.testing.assert_array_equal(plain_model.params[name], value)
    for column, values in staged.history.as_dict().items():
        np.testing.assert_array_equal(plain.history.as_dict()[column], values)
