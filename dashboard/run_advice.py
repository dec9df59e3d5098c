"""What the Train page says when a run goes wrong: it blew up, or it learned nothing useful.

Advice names only what can help this run: a blow-up before any update is not the learning
rate's fault, and a batch that holds every window needs more updates, not smaller ones.
"""

from __future__ import annotations

import numpy as np
import streamlit as st

from rnn_core import RNN
from rnn_core.datasets import SequenceData
from rnn_core.diagnostics import SATURATION_THRESHOLD, saturation_fraction
from rnn_core.trainer import READ_OUT
from rnn_core.wording import count, either, samples

from .config import NUMBER_LIMITS
from .evaluate import VANISHED, gradient_reach
from .job import Snapshot, TrainingJob
from .learning_curves import (
    fewer,
    memorised,
    memorised_finding,
    more_data,
    overfit_finding,
    overfitting,
    since_load,
    smaller,
    still_improving,
)

# Half the layer or more passing no gradient is the failure to name, not one unit of sixteen.
DEAD_SHARE = 0.5
SATURATED_SHARE = 0.8  # of unit-steps, for bounded activations: flat almost everywhere
BOUNDED = ("tanh", "sigmoid")  # the activations that saturate
DIAGNOSIS_WINDOWS = 256  # validation windows the model is looked at on
LOWEST_LR = NUMBER_LIMITS["lr"].low  # the learning rate box's floor: nothing smaller to try


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
            "gradient by it going back; with a large enough spectral radius (above 1 for a "
            "linear RNN, around √2 for ReLU with a mixing W_hh) and an activation that does "
            "not saturate, they grow geometrically along the sequence and overflow before any "
            "training. The charts below show this untrained model."
        )
    elif report.parameter in READ_OUT:
        why = (
            f"Why: the read-out {report.parameter} overflowed, not the recurrence: with a "
            f"learning rate of {snap.config.lr:g}, each update overshot the best value by more "
            "than the one before, so the weights grew until they overflowed. The charts below "
            "show the model from before the blow-up."
        )
    else:
        why = (
            "Why: each step back in time multiplies the gradient by the recurrent weights W_hh "
            "(and the activation's slopes), so a large learning rate or a W_hh with spectral "
            "radius above 1 can make updates grow without bound. The charts below show the "
            "model from before the blow-up."
        )
    st.markdown(f"{why} Change a setting, press **Reset**, then **Train**.")


# Fewer validation windows than this, and the validation loss is one noisy number.
MIN_VALIDATION_WINDOWS = 10


def few_validation_windows(data: SequenceData) -> str:
    """A note when the validation loss rests on a few windows, else "".

    A 149-step sine window leaves one, and "Done: 1.5× below the best guess" would then
    grade the run on a single number.
    """
    n = len(data.X_val)
    if n >= MIN_VALIDATION_WINDOWS:
        return ""
    more = " or use a longer file" if data.source_options else ""  # a CSV: the user's data
    return (
        f"Only {count(n, 'validation window')}: the validation loss, the verdict and the "
        f"prediction chart rest on so few that they say little. Shorten the window{more}: "
        "the validation part is 15 % of the data, and every window must fit inside it."
    )


def best_guess(baselines: dict[str, float]) -> tuple[str, float]:
    """The trivial predictor with the lowest validation MSE: the one a network must beat."""
    return min(baselines.items(), key=lambda item: item[1])


# Less than this many times below the best guess is no real gain: "1.0× below" on a green
# "Done" would pass a useless model as a success. Only 5 %: a weather forecast that beats
# "tomorrow is like today" by 7 % is a real, typical gain (preset 002 on Seattle data).
CLEAR_GAIN = 1.05


def no_better_than_a_guess(snap: Snapshot, job: TrainingJob) -> bool:
    """Whether the finished run fails to beat the best trivial guess clearly (CLEAR_GAIN)."""
    loss, (_, level) = snap.last_val_loss, best_guess(job.baselines)
    return loss is not None and not loss * CLEAR_GAIN < level


def worse_than_a_guess(snap: Snapshot, job: TrainingJob) -> None:
    """Warn when the trained network predicts no better than the best trivial guess.

    The divergence guard only catches inf and NaN; a learning rate that is merely far too
    large ends with finite weights and a useless model, and a green "Done" alone would hide it.
    The best guess, not the mean: a forecast worse than "repeat the last value" has learned
    less than "tomorrow is like today", however far below the mean it is.
    """
    if not no_better_than_a_guess(snap, job):
        return
    loss, (name, level) = snap.last_val_loss, best_guess(job.baselines)
    how = "worse than" if loss > level else "hardly better than"
    if snap.weights_loaded_at == snap.step:  # not trained since: the file's weights, not the run's
        st.warning(
            f"The loaded weights predict {how} a guess: validation MSE {loss:.4g}, and the "
            f"guess “{name}” scores {level:.4g}. They were saved from a run on other data or "
            "settings, or trained too little; **Train** trains on from them."
        )
        return
    finding, remedies = diagnosis(snap, job.data)
    st.warning(
        f"The network predicts {how} a guess: validation MSE {loss:.4g}, and the guess "
        f"“{name}” scores {level:.4g} (a dotted line on the loss chart). {finding}"
        f"{what_to_try(snap, len(job.data.X_train), remedies)}"
    )


def diagnosis(snap: Snapshot, data: SequenceData) -> tuple[str, list[str]]:
    """What the model shows went wrong, and what helps that: ("", []) when nothing stands out.

    A learning rate is the usual suspect, but in a lab about recurrent networks the failures
    to name are units that died or saturated, where no gradient passes, and gradients that
    vanished along the sequence, which a smaller step does not cure. Looked for in that
    order: dead or saturated units make the gradient vanish too, and then they are the cause.
    A run whose loss was still falling is short of training first: the gradient's reach is
    named only for a run that stopped improving. Before all of them, overfitting: a training
    loss that fell far while the validation loss rose is no failure to learn, and "a larger
    learning rate or more epochs" would make it worse.
    """
    config, model = snap.config, snap.model
    if fit := overfitting(snap):
        return overfit_finding(fit, snap, samples(data.independent)), fewer(fit, snap)
    if gap := memorised(snap):
        return memorised_finding(*gap, samples(data.independent)), [*smaller(snap), more_data(snap)]
    X = data.X_val[:DIAGNOSIS_WINDOWS]  # (B, T, D)
    # Nothing smaller to offer at the box's floor.
    smaller_step = [f"a smaller learning rate (now {config.lr:g})"] if config.lr > LOWEST_LR else []
    if len(X) and config.activation == "relu":
        states, _ = _first_layer(model, X)
        dead = np.all(states == 0, axis=(0, 1))  # (H · directions,) never on, in any window
        if dead.mean() >= DEAD_SHARE:
            return (
                f"{dead.sum()} of the first layer's {dead.size} hidden units never switch on: "
                "they output 0 on every validation window, so no gradient passes through "
                "them (dying ReLU, most often after too large a step). ",
                [*smaller_step, "leaky ReLU"],
            )
    if len(X) and config.activation in BOUNDED:
        flat = saturation_fraction(_first_layer(model, X)[1], model.activation)
        if flat >= SATURATED_SHARE:  # by the step, or by a task that needs large states
            return (
                f"The hidden units are saturated: {flat:.0%} of their slopes are below "
                f"{SATURATION_THRESHOLD} on the validation windows, where {config.activation} "
                "is flat and passes almost no gradient. Too large a step pushes units there, "
                "and so does a task whose states must grow large (a long sum). ",
                [*smaller_step, "an activation that does not saturate (relu, linear)"],
            )
    reach = gradient_reach(snap.dh_norms)
    if data.many_to_many or reach is None or not reach < VANISHED or still_improving(snap):
        return "", []
    k, T = config.bptt_window, X.shape[1]
    if 0 < k < T:  # the gradient stops there by design: no initialisation brings it back
        return (
            f"Truncated BPTT cuts the gradient {count(k, 'step')} back, so the first "
            f"{count(T - k, 'time step')} of each window teach the network nothing. ",
            ["a longer truncation window (or none)"],
        )
    if config.init not in ("orthogonal", "identity"):
        cure = "the orthogonal or identity initialisation"
    elif (config.activation, config.init) != ("relu", "identity"):
        cure = "ReLU with the identity initialisation (the IRNN)"
    else:
        cure = "shorter sequences (a smaller T)"
    return (
        f"The gradient reaching the first time step is {reach:.0e} of the last step's "
        "(the ‖∂L/∂hₜ‖ chart): it vanishes, so the early inputs teach the network "
        "nothing. ",
        [cure],
    )


def _first_layer(model: RNN, X: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """States and pre-activations of the first layer, both directions: (T, B, H · directions)."""
    first = [c for key, c in model.forward(X).caches.items() if key.startswith("layer0")]
    return (
        np.concatenate([c.states for c in first], axis=2),
        np.concatenate([c.preacts for c in first], axis=2),
    )


def what_to_try(snap: Snapshot, n_train: int, remedies: list[str] | None = None) -> str:
    """Advice for a useless model that fits this run: nothing it already does.

    ``remedies`` are what a diagnosis found would help; without one, the usual suspects. A
    batch holding every training window makes one update per epoch: the model has had too
    few steps, not too large ones, and a smaller learning rate would make that worse. Nor is
    a smaller step the usual suspects' advice for a loss still falling (too slow, not too fast)
    or a learning rate at its lowest. Dead or saturated units keep their own cures however the
    loss moves: training longer does not revive them.
    """
    config = snap.config
    improving = still_improving(snap)
    if remedies:
        tips = list(remedies)
    elif config.batch_size >= n_train:
        tips = [
            f"a batch size below the {n_train:,} training windows (now {config.batch_size:,}, "
            "so each epoch makes a single update)"
        ]
    elif improving or config.lr <= LOWEST_LR:
        tips = [f"a larger learning rate (now {config.lr:g})"]
    else:
        tips = [f"a smaller learning rate (now {config.lr:g})"]
        if config.clip == "none":
            tips.append("gradient clipping")
    if improving and not remedies:  # longer training revives no dead or saturated unit
        tips.append("more epochs")
    return f"Try {either(tips)}."


def how_good(snap: Snapshot, job: TrainingJob) -> str:
    """The finished run's validation loss against the best trivial guess, in one sentence.

    A loss of 9e-06 means nothing on its own; "3,500× below repeating the last value" does.
    Empty when the run does not clearly beat every guess (``worse_than_a_guess`` says that).
    """
    if no_better_than_a_guess(snap, job):
        return ""
    loss, (name, level) = snap.last_val_loss, best_guess(job.baselines)
    ratio = level / loss
    if ratio >= 1e6:  # a loss near 0 (or a near-constant series) makes any count absurd
        times = "over a million times"
    elif ratio >= 2:
        times = f"{ratio:,.0f}×" if ratio >= 10 else f"{ratio:.1f}×"
    else:  # "1.1× below" read oddly: a small gain in percent
        times = f"{1 - 1 / ratio:.0%}"
    return f"Validation MSE {loss:.3g}: {times} below the best simple guess ({name}, {level:.3g})."


# A run that ends this many times above its best validation loss has gone past its best,
# unless it ended this many times below the best simple guess: then both are near-perfect
# fits (the default sine run jumps between 1e-7 and 1e-5 against a guess's 0.03).
PAST_ITS_BEST = 10
NEGLIGIBLE = 1000


def overfit_note(snap: Snapshot, job: TrainingJob) -> str:
    """A note when a finished run that beats the guesses overfits, else "".

    Its model is good, but was better earlier: the place to meet overfitting, where the two
    loss curves part. A run no better than a guess has it in its warning instead.
    """
    fit = overfitting(snap)
    _, level = best_guess(job.baselines)
    # A near-perfect fit is good whatever its wobbles: jumps_near_a_perfect_fit explains them.
    if fit is None or no_better_than_a_guess(snap, job) or fit.last < level / NEGLIGIBLE:
        return ""
    better = either(fewer(fit, snap))
    finding = overfit_finding(fit, snap, samples(job.data.independent))
    return f"{finding}For a model that generalises better, try {better}."


def past_its_best(snap: Snapshot, job: TrainingJob) -> str:
    """A note when the finished run ended far above its best validation loss, else "".

    More epochs do not always help: with too large a step the loss jumps around its minimum,
    and a cheerful "Done" would hide that the model was much better earlier. Not for a run
    that ends no better than a guess: its warning says what to change, and "fewer epochs"
    beside its "more epochs" would contradict it. Only the points since weights were last
    loaded count: before them, another model was trained.
    """
    val = since_load(snap)
    last = snap.last_val_loss
    _, level = best_guess(job.baselines)
    if (
        last is None
        or not len(val.get("val_loss", ()))
        or last < level / NEGLIGIBLE
        or no_better_than_a_guess(snap, job)
    ):
        return ""
    best = int(np.argmin(val["val_loss"]))
    low = float(val["val_loss"][best])
    if not (low > 0 and last > PAST_ITS_BEST * low):
        return ""
    ratio = last / low
    times = "over a million times" if ratio >= 1e6 else f"{ratio:,.0f}×"
    settle = (
        f"A smaller learning rate (now {snap.config.lr:g}) lets it settle; "
        if snap.config.lr > LOWEST_LR
        else ""
    )
    return (
        f"The validation loss ended {times} above its best "
        f"({low:.3g} at step {int(val['step'][best]):,}): training went past its best point, "
        f"jumping around it. {settle}{'f' if settle else 'F'}ewer epochs stop nearer the best."
    )


# Near a perfect fit, a validation loss this many times above its lowest so far is a jump.
JUMP = 100
ADAPTIVE = {"adam": "Adam", "rmsprop": "RMSprop"}  # steps scaled by the gradient's own size


def jumps_near_a_perfect_fit(snap: Snapshot, job: TrainingJob) -> str:
    """Why a loss already far below every guess jumps by orders of magnitude, else "".

    The default sine run ends with its loss leaping between 1e-8 and 1e-4 on a log chart:
    a student reads that as something broken. It is the constant learning rate: steps stay
    long next to what is left to learn. ``past_its_best`` stays quiet for such fits.
    """
    val = since_load(snap).get("val_loss", np.array([]))  # (points,)
    _, level = best_guess(job.baselines)
    near = np.flatnonzero(val < level / NEGLIGIBLE)  # points within a near-perfect fit
    last = snap.last_val_loss
    if not near.size or last is None or not last < level / NEGLIGIBLE:
        return ""
    fit = val[near[0] :]  # (points,) from the first near-perfect point on
    if not np.all(fit > 0):
        return ""
    jumps = fit[fit >= JUMP * np.minimum.accumulate(fit)]  # (points,) far above the best yet
    if not jumps.size:
        return ""
    optimizer = ADAPTIVE.get(snap.config.optimizer)
    why = (
        f" ({optimizer} divides each step by the gradient's recent size, so its steps do not "
        "shrink as the gradient does)"
    )
    smoother = " A smaller learning rate would smooth it." if snap.config.lr > LOWEST_LR else ""
    return (
        f"Near a perfect fit the validation loss jumps between {fit.min():.0e} and "
        f"{jumps.max():.0e}: the steps of a constant learning rate ({snap.config.lr:g}) stay long "
        f"next to what is left to learn{why if optimizer else ''}. It ended at {last:.0e}, far "
        f"below the best guess ({level:.2g}), so the model is good.{smoother}"
    )


def loaded_weights_overflow(snap: Snapshot) -> bool:
    """Whether the weights just loaded from a file predict inf or NaN on this run's data."""
    loss = snap.last_val_loss
    return snap.weights_loaded_at == snap.step and loss is not None and not np.isfinite(loss)
