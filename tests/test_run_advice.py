"""What the Train page advises when a run goes wrong, or how well it did: only what fits it."""

from types import SimpleNamespace

import numpy as np

from dashboard import learning_curves, run_advice
from dashboard.config import RunConfig
from rnn_core import RNN, datasets


def test_advice_for_a_useless_model_leaves_out_what_the_run_already_does():
    def advice(falling: bool, n_train: int = 700, remedies=None, **settings) -> str:
        val = [5.0, 4.0, 3.0, 2.0] if falling else [1.0, 2.0, 3.0, 4.0]
        snap = SimpleNamespace(
            weights_loaded_at=None, config=RunConfig(**settings), val_history={"val_loss": val}
        )
        return run_advice.what_to_try(snap, n_train, remedies)

    assert advice(False, lr=100.0, clip="none") == (
        "Try a smaller learning rate (now 100) or gradient clipping."
    )
    assert advice(False, lr=100.0, clip="norm") == "Try a smaller learning rate (now 100)."
    # Still falling: short of training, so a larger step, not a smaller one.
    assert advice(True, lr=0.5, clip="norm") == (
        "Try a larger learning rate (now 0.5) or more epochs."
    )
    # At the box's lowest learning rate there is no smaller one to try.
    assert advice(False, lr=1e-6, clip="norm") == "Try a larger learning rate (now 1e-06)."
    # One batch holds all 140 windows: one update per epoch, so not a smaller learning rate.
    assert advice(True, n_train=140, batch_size=4096, clip="none") == (
        "Try a batch size below the 140 training windows (now 4,096, so each epoch makes a "
        "single update) or more epochs."
    )
    # Saturated units: their cures, and not "more epochs" however the loss moves.
    cures = ["a smaller learning rate (now 100)", "an activation that does not saturate"]
    assert advice(True, lr=100.0, remedies=cures) == (
        "Try a smaller learning rate (now 100) or an activation that does not saturate."
    )


def test_a_finished_run_is_measured_against_the_best_guess_and_its_own_best():

    job = SimpleNamespace(
        baselines={"predict the training mean": 0.5, "repeat the last value": 0.03}
    )
    history = {"step": np.array([0, 4000, 8000]), "val_loss": np.array([1.0, 2.4e-7, 1.5e-4])}
    snap = SimpleNamespace(
        weights_loaded_at=None,
        config=RunConfig(lr=0.005),
        val_history=history,
        last_val_loss=1.5e-4,
    )
    assert run_advice.how_good(snap, job) == (
        "Validation MSE 0.00015: 200× below the best simple guess (repeat the last value, 0.03)."
    )
    assert run_advice.past_its_best(snap, job).startswith(
        "The validation loss ended 625× above its best (2.4e-07 at step 4,000)"
    )
    settled = SimpleNamespace(**{**vars(snap), "last_val_loss": 3e-7})
    assert run_advice.past_its_best(settled, job) == ""
    # 1e-5 is 42× above its best but 3,000× below the best guess: a near-perfect fit either way
    tiny = SimpleNamespace(**{**vars(snap), "last_val_loss": 1e-5})
    assert run_advice.past_its_best(tiny, job) == ""
    useless = SimpleNamespace(**{**vars(snap), "last_val_loss": 0.9})
    assert run_advice.how_good(useless, job) == ""  # worse_than_a_guess says it
    perfect = SimpleNamespace(**{**vars(snap), "last_val_loss": 1e-25})
    assert "over a million times below" in run_advice.how_good(perfect, job)  # no 22-digit count


def _advice_for(config, data, model, dh_norms=None, val_loss=(1.0, 1.0, 1.0, 1.0)):
    """The diagnosis of a finished run; by default one whose loss stopped improving."""
    val_history = {"val_loss": np.array(val_loss)}
    snap = SimpleNamespace(
        weights_loaded_at=None,
        config=config,
        model=model,
        dh_norms=dh_norms,
        val_history=val_history,
        history={"loss": np.full(10, val_loss[-1])},  # no gap between training and validation
        last_val_loss=val_loss[-1],
    )
    return run_advice.diagnosis(snap, data)


def test_dead_relu_units_are_named_with_what_revives_them():
    """ReLU after too large a step: units output 0 everywhere, and the advice says so."""
    data = datasets.load("sine", window=10)
    config = RunConfig(activation="relu", hidden_size=16, lr=0.5)
    model = RNN(1, 16, 1, activation="relu", seed=0)
    model.params["b_h"][:12] = -1e3  # 12 of 16 units can never switch on
    finding, remedies = _advice_for(config, data, model)
    assert finding.startswith("12 of the first layer's 16 hidden units never switch on")
    assert remedies == ["a smaller learning rate (now 0.5)", "leaky ReLU"]
    model.params["b_h"][:] = 0.0  # alive again: no finding, the usual advice instead
    assert _advice_for(config, data, model) == ("", [])


def test_saturated_units_are_named_before_the_gradient_they_make_vanish():
    """After lr = 100 tanh sits at ±1: the gradient vanishes too, but saturation is the cause."""
    data = datasets.load("sine", window=10)
    config = RunConfig(lr=100.0, clip="none")
    model = RNN(1, 16, 1, seed=0)
    model.params["W_xh"][:] = 1e3  # every pre-activation far from 0
    dh = model.loss_and_grads(data.X_val[:32], data.y_val[:32]).dh_norms
    finding, remedies = _advice_for(config, data, model, dh)
    assert finding.startswith("The hidden units are saturated: ")
    # The step, or a task whose states must grow large (a long sum): both cures named.
    assert remedies == [
        "a smaller learning rate (now 100)",
        "an activation that does not saturate (relu, linear)",
    ]


def test_a_vanished_gradient_is_named_with_the_initialisation_that_keeps_it():
    data = datasets.load("adding", length=50)
    config = RunConfig(dataset="adding", init="small_normal")
    model = RNN(2, 16, 1, init="small_normal", seed=0)
    dh = model.loss_and_grads(data.X_val[:32], data.y_val[:32]).dh_norms
    finding, remedies = _advice_for(config, data, model, dh)
    assert "(the ‖∂L/∂hₜ‖ chart): it vanishes" in finding and "e-" in finding
    assert remedies == ["the orthogonal or identity initialisation"]
    orthogonal = RunConfig(dataset="adding", init="orthogonal")  # vanished all the same
    assert _advice_for(orthogonal, data, model, dh)[1] == [
        "ReLU with the identity initialisation (the IRNN)"
    ]
    kept = RNN(2, 16, 1, init="orthogonal", activation="linear", seed=0)
    dh = kept.loss_and_grads(data.X_val[:32], data.y_val[:32]).dh_norms
    assert _advice_for(config, data, kept, dh) == ("", [])  # ρ = 1, linear: nothing vanishes


def test_a_run_worse_than_the_best_guess_is_warned_about_naming_that_guess(monkeypatch):
    """Far below the mean guess but above "repeat the last value" has learned nothing useful."""
    said = []
    monkeypatch.setattr(run_advice.st, "warning", said.append)
    data = datasets.load("sine", window=10)
    job = SimpleNamespace(
        baselines={"predict the training mean": 0.5, "repeat the last value": 0.03}, data=data
    )
    config = RunConfig()
    model = RNN(1, 8, 1, seed=0)
    snap = SimpleNamespace(
        config=config,
        model=model,
        dh_norms=None,
        val_history={},
        history={},
        last_val_loss=0.05,
        weights_loaded_at=None,
        step=100,
    )
    run_advice.worse_than_a_guess(snap, job)
    (warning,) = said
    assert "worse than a guess: validation MSE 0.05, and the guess “repeat the last value” " in (
        warning
    )
    hardly = SimpleNamespace(**{**vars(snap), "last_val_loss": 0.0295})  # 1.02× below: no gain
    run_advice.worse_than_a_guess(hardly, job)
    assert said[-1].startswith("The network predicts hardly better than a guess: ")
    assert run_advice.how_good(hardly, job) == ""  # no green "1.0× below the best guess"
    gain = SimpleNamespace(**{**vars(snap), "last_val_loss": 0.027})
    run_advice.worse_than_a_guess(gain, job)
    assert len(said) == 2  # 1.1× below every guess: a gain, no warning
    # A small gain in percent ("1.1× below" read oddly); a large one in times.
    assert run_advice.how_good(gain, job).startswith("Validation MSE 0.027: 10% below the best")


def test_a_validation_loss_from_a_few_windows_is_flagged():
    """Sine's longest window leaves one validation window: the verdict would rest on it."""
    note = run_advice.few_validation_windows(datasets.load("sine", window=149))
    assert note.startswith("Only 1 validation window: ")
    assert "Shorten the window" in note
    assert run_advice.few_validation_windows(datasets.load("sine", window=20)) == ""


def test_truncated_bptt_is_named_when_it_is_what_stops_the_gradient():
    """With a truncation window the first steps get no gradient by design: not an init issue."""
    data = datasets.load("adding", length=50)
    config = RunConfig(dataset="adding", init="torch_uniform", bptt_window=10)
    model = RNN(2, 16, 1, init="torch_uniform", seed=0)
    dh = model.loss_and_grads(data.X_val[:32], data.y_val[:32], bptt_window=10).dh_norms
    finding, remedies = _advice_for(config, data, model, dh)
    assert finding.startswith("Truncated BPTT cuts the gradient 10 steps back, so the first 40 ")
    assert remedies == ["a longer truncation window (or none)"]


def test_dead_units_are_counted_in_both_directions_of_a_bidirectional_layer():
    data = datasets.load("sine", window=10)
    config = RunConfig(activation="relu", hidden_size=8)  # the model below is bidirectional
    model = RNN(1, 8, 1, activation="relu", bidirectional=True, seed=0)
    model.params["b_h"][:] = -1e3  # the forward direction dead, the reverse one alive
    finding, _ = _advice_for(config, data, model)
    assert finding.startswith("8 of the first layer's 16 hidden units never switch on")


def test_a_run_no_better_than_a_guess_is_not_told_to_stop_earlier():
    """Its warning says what to change; "fewer epochs" beside "more epochs" contradicted it."""
    job = SimpleNamespace(baselines={"predict the training mean": 0.5})
    history = {"step": np.array([0, 100, 200]), "val_loss": np.array([727.0, 3e3, 2e61])}
    snap = SimpleNamespace(
        weights_loaded_at=None, config=RunConfig(lr=0.1), val_history=history, last_val_loss=2e61
    )
    assert run_advice.past_its_best(snap, job) == ""
    better = {"step": np.array([0, 100, 200]), "val_loss": np.array([0.4, 1e-9, 1e-2])}
    snap = SimpleNamespace(
        weights_loaded_at=None, config=RunConfig(lr=0.1), val_history=better, last_val_loss=1e-2
    )
    assert "over a million times above its best" in run_advice.past_its_best(snap, job)


def test_a_vanished_gradient_is_not_blamed_while_the_loss_still_falls():
    """Short of training first: the gradient's reach is named only once the loss stalls."""
    data = datasets.load("adding", length=50)
    config = RunConfig(dataset="adding", init="small_normal")
    model = RNN(2, 16, 1, init="small_normal", seed=0)
    dh = model.loss_and_grads(data.X_val[:32], data.y_val[:32]).dh_norms
    falling = (1.0, 0.9, 0.8, 0.7)
    assert _advice_for(config, data, model, dh, val_loss=falling) == ("", [])


def test_loaded_weights_are_judged_as_the_files_not_as_training(monkeypatch):
    """A file's weights loaded into a finished run: no "training went past its best"."""
    said = []
    monkeypatch.setattr(run_advice.st, "warning", said.append)
    job = SimpleNamespace(baselines={"repeat the last value": 0.03}, data=None)
    # The point at the load step (1e-6) is the old model's: loading adds none.
    history = {"step": np.array([0, 100, 200, 300]), "val_loss": np.array([1.0, 2e-6, 1e-6, 0.5])}
    snap = SimpleNamespace(
        config=RunConfig(), val_history=history, last_val_loss=0.5, weights_loaded_at=300, step=300
    )
    run_advice.worse_than_a_guess(snap, job)
    assert said[-1].startswith("The loaded weights predict worse than a guess: ")
    better = SimpleNamespace(**{**vars(snap), "last_val_loss": 0.01})
    assert run_advice.past_its_best(better, job) == ""  # the 1e-6 was another model's
    # Trained on from the load at step 400: only the points since count, and they still fall;
    # against the whole history (its middle is the old model's 0) the run looks stalled.
    losses = np.array([1.0, 0, 0, 0, 0, 0.5, 0.4, 0.3, 0.2])
    after = {"step": np.arange(0, 900, 100), "val_loss": losses}
    trained_on = SimpleNamespace(
        **{**vars(snap), "val_history": after, "step": 800, "weights_loaded_at": 400}
    )
    assert learning_curves.still_improving(trained_on)
    never_loaded = SimpleNamespace(**{**vars(trained_on), "weights_loaded_at": None})
    assert not learning_curves.still_improving(never_loaded)


def test_the_lowest_learning_rate_is_never_told_to_shrink():
    data = datasets.load("sine", window=10)
    model = RNN(1, 16, 1, activation="relu", seed=0)
    model.params["b_h"][:] = -1e3  # dead: the diagnosis names its cures
    _, remedies = _advice_for(RunConfig(activation="relu", lr=1e-6), data, model)
    assert remedies == ["leaky ReLU"]
    history = {"step": np.array([0, 100, 200]), "val_loss": np.array([0.4, 1e-9, 1e-2])}
    snap = SimpleNamespace(
        weights_loaded_at=None, config=RunConfig(lr=1e-6), val_history=history, last_val_loss=1e-2
    )
    note = run_advice.past_its_best(snap, SimpleNamespace(baselines={"mean": 0.5}))
    assert "smaller learning rate" not in note and note.endswith(
        "Fewer epochs stop nearer the best."
    )


def test_a_near_perfect_fit_that_jumps_is_explained_not_flagged():
    """The default sine run's loss leaps between 1e-8 and 1e-4 on its log chart: why, said."""
    job = SimpleNamespace(baselines={"repeat the last value": 0.03})
    jumpy = {"step": np.arange(6) * 100, "val_loss": np.array([0.5, 1e-4, 4e-9, 2e-4, 1e-8, 5e-6])}
    snap = SimpleNamespace(
        weights_loaded_at=None, config=RunConfig(), val_history=jumpy, last_val_loss=5e-6
    )
    assert run_advice.jumps_near_a_perfect_fit(snap, job) == (
        "Near a perfect fit the validation loss jumps between 4e-09 and 2e-04: the steps of a "
        "constant learning rate (0.005) stay long next to what is left to learn (Adam divides "
        "each step by the gradient's recent size, so its steps do not shrink as the gradient "
        "does). It ended at 5e-06, far below the best guess (0.03), so the model is good. A "
        "smaller learning rate would smooth it."
    )
    # The way down to a near-perfect fit is no jump: only points far above the best so far.
    descent = {**jumpy, "val_loss": np.array([0.5, 2.9e-5, 1e-9, 2e-7, 1e-9, 2e-9])}
    down = SimpleNamespace(**{**vars(snap), "val_history": descent, "last_val_loss": 2e-9})
    assert "jumps between 1e-09 and 2e-07:" in run_advice.jumps_near_a_perfect_fit(down, job)
    assert run_advice.past_its_best(snap, job) == ""  # not "gone past its best"
    steady = {**jumpy, "val_loss": np.array([0.5, 1e-4, 4e-6, 2e-6, 1e-6, 5e-7])}
    calm = SimpleNamespace(**{**vars(snap), "val_history": steady, "last_val_loss": 5e-7})
    assert run_advice.jumps_near_a_perfect_fit(calm, job) == ""
    sgd = SimpleNamespace(**{**vars(snap), "config": RunConfig(optimizer="sgd", lr=0.05)})
    assert "(Adam" not in run_advice.jumps_near_a_perfect_fit(sgd, job)
    far = SimpleNamespace(**{**vars(snap), "last_val_loss": 2e-4})  # ends 150x under: no
    assert run_advice.jumps_near_a_perfect_fit(far, job) == ""
