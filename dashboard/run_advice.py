"""What the Train page says when a run goes wrong: it blew up, or it learned nothing useful.

Advice names only what can help this run: a blow-up before any update is not the learning
rate's fault, and a batch that holds every window needs more updates, not smaller ones.
"""

from __future__ import annotations

import numpy as np
import streamlit as st

from rnn_core.datasets.core import MEAN_BASELINE

from .job import Snapshot, TrainingJob


def blow_up(snap: Snapshot) -> None:
    """What stopped the run, and why a run can blow up at all."""
    report = snap.diverged
    st.error(f"**Training stopped: the loss blew up.** {report.message}")
    if snap.weights_loaded_at == report.step - 1 and report.quantity != "parameter":
        why = (
            "Why: the weights loaded from the file overflow on this data before any update: "
            "they were saved from a run on other data, or changed since. The charts below show "
            "the loaded model. Load weights saved from a run like this one, or"
        )
        st.markdown(f"{why} press **Reset**, then **Train**.")
        return
    if report.step == 1 and report.quantity != "parameter":  # no update is to blame
        why = (
            "Why: every time step multiplies the hidden state by W_hh going forward, and the "
            "gradient by it going back; with a spectral radius above 1 and an activation that "
            "does not saturate (ReLU, linear) they grow geometrically along the sequence and "
            "overflow before any training. The charts below show this untrained model."
        )
    else:
        why = (
            "Why: each step back in time multiplies the gradient by the recurrent weights W_hh "
            "(and the activation's slopes), so a large learning rate or a W_hh with spectral "
            "radius above 1 can make updates grow without bound. The charts below show the last "
            "finite model."
        )
    st.markdown(f"{why} Change a setting, press **Reset**, then **Train**.")


def worse_than_a_guess(snap: Snapshot, job: TrainingJob) -> None:
    """Warn when the trained network predicts worse than a trivial guess.

    The divergence guard only catches inf and NaN; a learning rate that is merely far too
    large ends with finite weights and a useless model, and a green "Done" alone would hide it.
    """
    level = job.baselines[MEAN_BASELINE]
    if snap.last_val_loss is not None and snap.last_val_loss > level:
        st.warning(
            f"The network predicts worse than a guess: validation MSE {snap.last_val_loss:.4g}, "
            f"but always predicting the training mean scores {level:.4g} (a dotted line on the "
            f"loss chart). {what_to_try(snap, len(job.data.X_train))}"
        )


def what_to_try(snap: Snapshot, n_train: int) -> str:
    """Advice for a useless model that fits this run: nothing it already does.

    A batch holding every training window makes one update per epoch: the model has had too
    few steps, not too large ones, and a smaller learning rate would make that worse.
    """
    config = snap.config
    if config.batch_size >= n_train:
        tips = [
            f"a batch size below the {n_train:,} training windows (now {config.batch_size:,}, "
            "so each epoch makes a single update)"
        ]
    else:
        tips = [f"a smaller learning rate (now {config.lr:g})"]
        if config.clip == "none":
            tips.append("gradient clipping")
    val = snap.val_history.get("val_loss", ())
    if len(val) >= 4 and val[-1] < val[len(val) // 2]:  # still improving in its second half
        tips.append("more epochs")
    return "Try " + ", ".join(tips[:-1]) + (" or " if len(tips) > 1 else "") + tips[-1] + "."


def how_good(snap: Snapshot, job: TrainingJob) -> str:
    """The finished run's validation loss against the best trivial guess, in one sentence.

    A loss of 9e-06 means nothing on its own; "3,500× below repeating the last value" does.
    Empty when the run is worse than every guess (``worse_than_a_guess`` says that).
    """
    loss = snap.last_val_loss
    name, level = min(job.baselines.items(), key=lambda item: item[1])
    if loss is None or not loss < level:
        return ""
    ratio = level / loss
    if ratio >= 1e6:  # a loss near 0 (or a near-constant series) makes any count absurd
        times = "over a million times"
    else:
        times = f"{ratio:,.0f}×" if ratio >= 10 else f"{ratio:.1f}×"
    return f"Validation MSE {loss:.3g}: {times} below the best simple guess ({name}, {level:.3g})."


# A run that ends this many times above its best validation loss has gone past its best,
# unless it ended this many times below the best simple guess: then both are near-perfect
# fits (the default sine run jumps between 1e-7 and 1e-5 against a guess's 0.03).
PAST_ITS_BEST = 10
NEGLIGIBLE = 1000


def past_its_best(snap: Snapshot, best_guess: float) -> str:
    """A note when the finished run ended far above its best validation loss, else "".

    More epochs do not always help: with too large a step the loss jumps around its minimum,
    and a cheerful "Done" would hide that the model was much better earlier.
    """
    val = snap.val_history
    last = snap.last_val_loss
    if last is None or not len(val.get("val_loss", ())) or last < best_guess / NEGLIGIBLE:
        return ""
    best = int(np.argmin(val["val_loss"]))
    low = float(val["val_loss"][best])
    if not (low > 0 and last > PAST_ITS_BEST * low):
        return ""
    return (
        f"The validation loss ended {snap.last_val_loss / low:,.0f}× above its best "
        f"({low:.3g} at step {int(val['step'][best]):,}): training went past its best point, "
        f"jumping around it. A smaller learning rate (now {snap.config.lr:g}) lets it settle; "
        "fewer epochs stop nearer the best."
    )


def loaded_weights_overflow(snap: Snapshot) -> bool:
    """Whether the weights just loaded from a file predict inf or NaN on this run's data."""
    loss = snap.last_val_loss
    return snap.weights_loaded_at == snap.step and loss is not None and not np.isfinite(loss)
