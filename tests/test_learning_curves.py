"""Reading a run's loss curves: overfitting is named, with cures that fit it."""

from types import SimpleNamespace

import numpy as np

from dashboard import learning_curves, run_advice
from dashboard.config import RunConfig, build_trainer, load_data
from dashboard.job import TrainingJob

VAL_STEPS = np.arange(0, 1100, 100)  # (11,) a validation point every 100 steps


def curves(val, train, **settings):
    """A finished run's snapshot with these validation points and a training loss per step."""
    steps = np.arange(1, 1001)  # (1000,)
    return SimpleNamespace(
        config=RunConfig(**settings),
        val_history={"step": VAL_STEPS, "val_loss": np.asarray(val, dtype=float)},
        history={"step": steps, "loss": train(steps)},
        last_val_loss=float(val[-1]),
        weights_loaded_at=None,
        step=1000,
        epoch=100.0,
    )


RISING = [1.0, 0.3, 0.1, 0.12, 0.14, 0.16, 0.18, 0.2, 0.22, 0.24, 0.25]  # best at step 200


def test_validation_rising_while_training_falls_is_overfitting():
    snap = curves(RISING, lambda s: 1.0 / s**0.5, hidden_size=32, num_layers=2)
    fit = learning_curves.overfitting(snap)
    assert fit.best == 0.1 and fit.best_step == 200 and fit.last == 0.25
    assert fit.train_then > 1.5 * fit.train_now  # the medians around step 200 and since 900
    assert learning_curves.overfit_finding(fit, snap) == (
        "It learned its training windows by heart (overfitting): the training loss fell from "
        f"{fit.train_then:.3g} to {fit.train_now:.3g}, while the validation loss rose from its "
        "best, 0.1 at epoch 20, to 0.25. "
    )
    assert learning_curves.fewer(fit, snap) == [
        "fewer epochs (its best was at epoch 20)",
        "fewer layers (now 2)",
        "fewer hidden units (now 32)",
    ]
    assert not learning_curves.still_improving(snap)  # more epochs took it there


def test_a_rise_without_the_training_loss_falling_is_not_overfitting():
    flat = curves(RISING, lambda s: np.full(s.shape, 0.1))  # a step too large, not memorising
    assert learning_curves.overfitting(flat) is None
    settled = curves([1.0, 0.3, *[0.1] * 9], lambda s: 1.0 / s)  # training on, validation flat
    assert learning_curves.overfitting(settled) is None
    before_the_load = curves(RISING, lambda s: 1.0 / s)
    before_the_load.weights_loaded_at = 600  # the best (step 200) was another model's
    assert learning_curves.overfitting(before_the_load) is None


def test_an_overfit_run_that_beats_the_guesses_is_told_how_to_generalise_better():
    snap = curves(RISING, lambda s: 1.0 / s**0.5, hidden_size=1)
    job = SimpleNamespace(baselines={"predict the training mean": 1.0})
    assert run_advice.overfit_note(snap, job).endswith(
        "For a model that generalises better, try fewer epochs (its best was at epoch 20)."
    )
    useless = SimpleNamespace(baselines={"repeat the last value": 0.2})  # its warning says it
    assert run_advice.overfit_note(snap, useless) == ""


def test_seattle_weathers_default_run_is_told_it_overfits_not_to_train_harder():
    """A built-in dataset on default settings: a student's first weather run ends here."""
    config = RunConfig(dataset="weather", epochs=200)
    data = load_data(config)
    job = TrainingJob(config, data, build_trainer(config, data), inline=True)
    job.step_once(job.max_steps)
    snap = job.snapshot()
    assert run_advice.no_better_than_a_guess(snap, job)  # it ends worse than "repeat the last"
    finding, remedies = run_advice.diagnosis(snap, data)
    assert finding.startswith("It learned its training windows by heart (overfitting)")
    advice = run_advice.what_to_try(snap, len(data.X_train), remedies)
    assert advice.startswith("Try fewer epochs (its best was at epoch ")
    assert "more epochs" not in advice and "larger learning rate" not in advice
    job.stop()
