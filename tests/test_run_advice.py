"""What the Train page advises when a run goes wrong, or how well it did: only what fits it."""

from types import SimpleNamespace

import numpy as np

from dashboard import run_advice
from dashboard.config import RunConfig


def test_advice_for_a_useless_model_leaves_out_what_the_run_already_does():
    def advice(falling: bool, n_train: int = 700, **settings) -> str:
        val = [5.0, 4.0, 3.0, 2.0] if falling else [1.0, 2.0, 3.0, 4.0]
        snap = SimpleNamespace(config=RunConfig(**settings), val_history={"val_loss": val})
        return run_advice.what_to_try(snap, n_train)

    assert advice(False, lr=100.0, clip="none") == (
        "Try a smaller learning rate (now 100) or gradient clipping."
    )
    assert advice(False, lr=100.0, clip="norm") == "Try a smaller learning rate (now 100)."
    assert advice(True, lr=0.5, clip="norm") == (
        "Try a smaller learning rate (now 0.5) or more epochs."
    )
    # One batch holds all 140 windows: one update per epoch, so not a smaller learning rate.
    assert advice(True, n_train=140, batch_size=4096, clip="none") == (
        "Try a batch size below the 140 training windows (now 4,096, so each epoch makes a "
        "single update) or more epochs."
    )


def test_a_finished_run_is_measured_against_the_best_guess_and_its_own_best():

    job = SimpleNamespace(
        baselines={"predict the training mean": 0.5, "repeat the last value": 0.03}
    )
    history = {"step": np.array([0, 4000, 8000]), "val_loss": np.array([1.0, 2.4e-7, 1.5e-4])}
    snap = SimpleNamespace(config=RunConfig(lr=0.005), val_history=history, last_val_loss=1.5e-4)
    assert run_advice.how_good(snap, job) == (
        "Validation MSE 0.00015: 200× below the best simple guess (repeat the last value, 0.03)."
    )
    assert run_advice.past_its_best(snap, 0.03).startswith(
        "The validation loss ended 625× above its best (2.4e-07 at step 4,000)"
    )
    settled = SimpleNamespace(**{**vars(snap), "last_val_loss": 3e-7})
    assert run_advice.past_its_best(settled, 0.03) == ""
    # 1e-5 is 42× above its best but 3,000× below the best guess: a near-perfect fit either way
    tiny = SimpleNamespace(**{**vars(snap), "last_val_loss": 1e-5})
    assert run_advice.past_its_best(tiny, 0.03) == ""
    useless = SimpleNamespace(**{**vars(snap), "last_val_loss": 0.9})
    assert run_advice.how_good(useless, job) == ""  # worse_than_a_guess says it
    perfect = SimpleNamespace(**{**vars(snap), "last_val_loss": 1e-25})
    assert "over a million times below" in run_advice.how_good(perfect, job)  # no 22-digit count
