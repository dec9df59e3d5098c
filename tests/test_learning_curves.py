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
        val_history={"step": VAL_STEPS[: len(val)], "val_loss": np.asarray(val, dtype=float)},
        history={"step": steps, "loss": train(steps)},
        last_val_loss=float(val[-1]),
        weights_loaded_at=None,
        step=1000,
        epoch=100.0,
    )


# Best at step 200: 0.14 as a running median of five points, then up to 0.24.
RISING = [1.0, 0.3, 0.1, 0.12, 0.14, 0.16, 0.18, 0.2, 0.22, 0.24, 0.25]


def test_validation_rising_while_training_falls_is_overfitting():
    snap = curves(RISING, lambda s: 1.0 / s**0.5, hidden_size=32, num_layers=2)
    fit = learning_curves.overfitting(snap)
    assert fit.best == 0.14 and fit.best_step == 200 and fit.last == 0.24
    assert fit.train_then > 1.5 * fit.train_now  # the medians around step 200 and at the end
    assert learning_curves.overfit_finding(fit, snap, "windows") == (
        "It learned its training windows by heart (overfitting): the training loss fell from "
        f"about {fit.train_then:.3g} to about {fit.train_now:.3g}, while the validation loss "
        "rose from about 0.14 at its best after 20 epochs to 0.25. "  # 0.25: the page's last
    )
    assert learning_curves.fewer(fit, snap) == [
        "fewer epochs (20 would stop at its best)",
        "fewer layers (now 2)",
        "fewer hidden units (now 32)",
    ]


def test_a_best_between_epochs_is_said_to_a_tenth_and_rounded_up_for_the_budget():
    snap = curves(RISING, lambda s: 1.0 / s**0.5)
    snap.epoch = 31.25  # 0.03125 epochs per step: the best, at step 200, is after 6.25
    fit = learning_curves.overfitting(snap)
    assert "about 0.14 at its best after 6.2 epochs to" in learning_curves.overfit_finding(
        fit, snap, ""
    )
    assert learning_curves.fewer(fit, snap)[0] == "fewer epochs (7 would stop at its best)"
    rising_from_the_start = [0.1, 0.11, 0.12, 0.15, 0.2, 0.25, 0.3, 0.35, 0.4, 0.45, 0.5]
    first = curves(rising_from_the_start, lambda s: 1.0 / s**0.5, hidden_size=1)
    fit = learning_curves.overfitting(first)  # best untrained: fewer epochs cannot help
    assert "at its best before training to" in learning_curves.overfit_finding(fit, first, "")
    assert learning_curves.fewer(fit, first) == ["more training data"]


def test_a_rise_without_the_training_loss_falling_below_it_is_not_overfitting():
    flat = curves(RISING, lambda s: np.full(s.shape, 0.1))  # a step too large, not memorising
    assert learning_curves.overfitting(flat) is None
    settled = curves([1.0, 0.3, *[0.1] * 9], lambda s: 1.0 / s)  # training on, validation flat
    assert learning_curves.overfitting(settled) is None
    # One lucky low validation point under a training loss that never got below validation.
    lucky = curves([1.0, 0.3, 0.01, *[0.2] * 8], lambda s: 0.4 / s**0.1)
    assert learning_curves.overfitting(lucky) is None
    # Leaps by ×10 from point to point: too large a step, not memorising (SGD on the sum).
    leaps = curves([1.0, 0.3, 0.02, 0.4, 0.03, 0.5, 0.04, 0.6, 0.05, 0.7, 0.5], lambda s: 1 / s)
    assert learning_curves.overfitting(leaps) is None
    # Jittering up, but ending on a low point: the page's last validation loss is no rise.
    ends_low = curves([*RISING[:-1], 0.12], lambda s: 1.0 / s**0.5)
    assert learning_curves.overfitting(ends_low) is None
    # Up only in the last few points: noise around a best near the end, not a trend.
    late = curves([1.0, 0.8, 0.6, 0.5, 0.4, 0.3, 0.2, 0.15, 0.1, 0.5, 0.6], lambda s: 1 / s)
    assert learning_curves.overfitting(late) is None
    before_the_load = curves(RISING, lambda s: 1.0 / s)
    before_the_load.weights_loaded_at = 600  # the best (step 200) was another model's
    assert learning_curves.overfitting(before_the_load) is None


def test_a_long_runs_thinned_history_still_shows_its_overfit():
    """History keeps one step in 16 or more, fewer than one per validation interval."""
    snap = curves(RISING, lambda s: 1.0 / s**0.5)
    val_steps = np.arange(0, 1001, 10)  # (101,) validation every 10 steps, as often as training
    snap.val_history = {"step": val_steps, "val_loss": 0.1 + 1e-4 * np.abs(val_steps - 200)}
    snap.last_val_loss = snap.val_history["val_loss"][-1]  # 0.18, from 0.1 at step 200
    snap.history = {k: v[15::16] for k, v in snap.history.items()}  # every 16th step kept
    fit = learning_curves.overfitting(snap)
    assert fit is not None and abs(fit.best_step - 200) <= 20


def test_a_run_that_ended_far_above_its_best_is_not_still_improving():
    # Falling in its second half, but more epochs took it 3× above its best.
    snap = curves([1.0, 0.1, 0.5, 0.4, 0.3], lambda s: 1.0 / s)
    assert not learning_curves.still_improving(snap)
    snap.val_history["val_loss"] = np.array([1.0, 0.5, 0.4, 0.3, 0.2])  # falling to its best
    assert learning_curves.still_improving(snap)


def test_an_overfit_run_that_beats_the_guesses_is_told_how_to_generalise_better():
    snap = curves(RISING, lambda s: 1.0 / s**0.5, hidden_size=1)
    job = SimpleNamespace(
        baselines={"predict the training mean": 1.0}, data=SimpleNamespace(independent=True)
    )
    assert run_advice.overfit_note(snap, job) == (
        "It learned its training sequences by heart (overfitting): the training loss fell from "
        f"about {learning_curves.overfitting(snap).train_then:.3g} to about "
        f"{learning_curves.overfitting(snap).train_now:.3g}, while the validation loss rose "
        "from about 0.14 at its best after 20 epochs to 0.25. For a model that generalises "
        "better, try fewer epochs (20 would stop at its best)."
    )
    useless = SimpleNamespace(baselines={"repeat the last value": 0.2}, data=job.data)
    assert run_advice.overfit_note(snap, useless) == ""  # its warning says it
    # 0.25 is 4,000× below this guess: a near-perfect fit, whose jumps have their own note.
    perfect = SimpleNamespace(baselines={"predict the training mean": 1000.0}, data=job.data)
    assert run_advice.overfit_note(snap, perfect) == ""


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
    assert advice.startswith("Try fewer epochs (") and "would stop at its best" in advice
    assert "more epochs" not in advice and "larger learning rate" not in advice
    job.stop()


def test_a_network_that_fits_its_training_data_and_nothing_else_is_told_so():
    """200 adding sequences: validation level with the guesses all along, training 1,000× lower."""
    flat = [2.6, *[0.19] * 10]  # never rose: no overfit by the curves' shape
    snap = curves(flat, lambda s: np.full(s.shape, 1.6e-4), hidden_size=64)
    snap.model = None  # the diagnosis names the gap before it looks inside the model
    assert learning_curves.overfitting(snap) is None
    assert learning_curves.memorised(snap) == (1.6e-4, 0.19)
    data = SimpleNamespace(independent=True, many_to_many=False, X_val=np.zeros((0, 5, 2)))
    finding, remedies = run_advice.diagnosis(snap, data)
    assert finding == (
        "It fits its training sequences (training loss about 0.00016) but not new ones "
        "(validation 0.19): it learned them by heart (overfitting), not the rule behind them. "
    )
    assert remedies == ["fewer hidden units (now 64)", "more training data"]
    adding = curves(flat, lambda s: s, dataset="adding", dataset_options={"n_samples": 200})
    assert learning_curves.more_data(adding) == "more sequences (now 200)"  # the sidebar's term
    close = curves(flat, lambda s: np.full(s.shape, 0.05))  # 4× below: not memorising
    assert learning_curves.memorised(close) is None
