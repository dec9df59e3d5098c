"""What a run's loss curves say about it: still learning, or learning its training windows by heart.

The Train page's advice rests on these readings of the validation and training losses, so
they are made once, here, and only from the model now trained: points from before weights
were loaded belong to another model.
"""

from __future__ import annotations

import math
from typing import NamedTuple

import numpy as np

from rnn_core.wording import tenths

from .job import Snapshot

# Overfitting, as a student sees it on the loss chart: the validation loss ended this many
# times above its best while the training loss fell this many times below where it was then.
# Seattle weather's default run: validation 0.13 → 0.26 while training went 0.13 → 0.04.
OVERFIT_RATIO = 1.5
MIN_POINTS = 4  # validation points before a curve's shape says anything


def since_load(snap: Snapshot) -> dict[str, np.ndarray]:
    """The validation history of the model now trained: after weights were last loaded.

    Loading adds no point, so the point at the load step is the old model's.
    """
    val = snap.val_history
    if snap.weights_loaded_at is None or not len(val.get("step", ())):
        return val
    after = val["step"] > snap.weights_loaded_at  # (points,)
    return {"step": val["step"][after], "val_loss": val["val_loss"][after]}


def still_improving(snap: Snapshot) -> bool:
    """Whether the run is short of training: its validation loss still fell in its second half.

    Not a run that ended far above its best (``OVERFIT_RATIO``): more epochs took it there.
    A run too short to tell (fewer than ``MIN_POINTS`` validation points) counts as short of
    training too.
    """
    val = since_load(snap).get("val_loss", ())
    if len(val) < MIN_POINTS:
        return True
    return val[-1] < val[len(val) // 2] and not val[-1] >= OVERFIT_RATIO * np.min(val)


class Overfit(NamedTuple):
    """The two curves parting: validation up from its best while training went on down."""

    best: float  # lowest validation loss, as a running median
    best_step: int  # the step it was reached at
    last: float  # validation loss at the end, as a running median
    train_then: float  # typical minibatch loss around ``best_step``
    train_now: float  # typical minibatch loss at the end


# Minibatch losses are noisy: each side of the comparison is the median of this many
# training points, the nearest to the step it describes. Points, not steps: a long run's
# history keeps one step in 16 or more, fewer than one per validation interval.
TYPICAL_POINTS = 7
SMOOTHING = 5  # validation points in each running median
# A validation loss that moves by more than ×2 from one point to the next (median) leaps; an
# overfit's rises by a few percent a point (Seattle weather: 0.13 to 0.26 over 60 points).
JUMPY = np.log10(2)


def overfitting(snap: Snapshot) -> Overfit | None:
    """The overfit the curves show, or None.

    Three things together: the validation loss (as a running median, and its last point)
    ended ``OVERFIT_RATIO`` above its best, at least ``SMOOTHING`` points after it; the
    training loss fell as much since then; and it ended that far below the validation loss.
    A validation loss that leaps (``JUMPY``), or rose while the training loss stalled, is a
    step too large (``run_advice.past_its_best`` says that), and one lucky low validation
    point under a training loss no lower is no memorising either.
    """
    val = since_load(snap)
    raw, steps = val.get("val_loss", np.array([])), val.get("step", np.array([]))  # (points,)
    if len(raw) < MIN_POINTS or not np.all(np.isfinite(raw)):
        return None
    losses = _smoothed(raw)  # (points,) a jumpy run's lucky lows are not its level
    best = int(np.argmin(losses))
    # Well above the best at the end, as a median and as the last point the page shows (a
    # noisy run that ends on its lowest point has not overfit), over several points.
    ended_above = min(losses[-1], raw[-1]) >= OVERFIT_RATIO * losses[best]
    if not (losses[best] > 0 and ended_above and len(raw) - 1 - best >= SMOOTHING):
        return None
    rise = raw[best:]  # (≥ 2,) the smoothed best is never the last point: the end is above it
    if not np.all(rise > 0) or np.median(np.abs(np.diff(np.log10(rise)))) > JUMPY:
        return None  # leaps, not a rise: too large a step, not memorising
    if (now := _training_loss_now(snap)) is None:
        return None
    train_steps, train = snap.history["step"], snap.history["loss"]  # (points,) each
    nearest = np.argsort(np.abs(train_steps - steps[best]), kind="stable")[:TYPICAL_POINTS]
    then = float(np.median(train[nearest]))
    apart = OVERFIT_RATIO * now
    if not (now > 0 and then >= apart and losses[-1] >= apart):  # NaN compares False
        return None
    return Overfit(float(losses[best]), int(steps[best]), float(losses[-1]), then, now)


def _training_loss_now(snap: Snapshot) -> float | None:
    """The typical minibatch loss at the end: the median of the last TYPICAL_POINTS, or None."""
    train = snap.history.get("loss", np.array([]))  # (points,)
    return float(np.median(train[-TYPICAL_POINTS:])) if len(train) >= TYPICAL_POINTS else None


def _smoothed(values: np.ndarray) -> np.ndarray:
    """(points,) Running median of ``values`` over SMOOTHING points, fewer at the ends.

    A run whose validation loss leaps between 0.002 and 16 has a lowest point far below
    where it sits: against it, any end looks like a rise.
    """
    half = SMOOTHING // 2
    padded = np.pad(values.astype(float), half, constant_values=np.nan)  # (points + 2·half,)
    windows = np.lib.stride_tricks.sliding_window_view(padded, SMOOTHING)  # (points, SMOOTHING)
    return np.nanmedian(windows, axis=1)


def overfit_finding(fit: Overfit, snap: Snapshot, samples: str) -> str:
    """The overfit in words, with when the model was best (what "fewer epochs" means).

    ``samples``: what the data's samples are called, "windows" or "sequences". Typical
    values are "about" (medians); the last validation loss is the one the page shows.
    """
    when = (
        "before training"
        if fit.best_step == 0
        else f"after {count_epochs(fit.best_step * _epochs_per_step(snap))}"
    )
    return (
        f"It learned its training {samples} by heart (overfitting): the training loss fell from "
        f"about {fit.train_then:.3g} to about {fit.train_now:.3g}, while the validation loss "
        f"rose from about {fit.best:.3g} at its best {when} to {snap.last_val_loss:.4g}. "
    )


def _epochs_per_step(snap: Snapshot) -> float:
    return snap.epoch / snap.step if snap.step else 0.0


def count_epochs(epochs: float) -> str:
    """Epochs to a tenth, as bests fall on them: validation runs every half epoch or so."""
    shown = tenths(epochs)
    return f"{shown} epoch" if shown == "1" else f"{shown} epochs"


def fewer(fit: Overfit, snap: Snapshot) -> list[str]:
    """What makes the network memorise less: a shorter run, and a smaller model if it has one.

    A shorter run only if the model was best after some training: best untrained, it needs
    a smaller model (or more data), not fewer epochs.
    """
    tips = []
    if fit.best_step:
        enough = max(1, math.ceil(fit.best_step * _epochs_per_step(snap) - 1e-9))
        tips.append(f"fewer epochs ({enough:,} would stop at its best)")
    return [*tips, *smaller(snap)] or [more_data(snap)]  # one unit, best untrained: no cut


def more_data(snap: Snapshot) -> str:
    """More of what the network learns from: in the sidebar's own terms where it has them."""
    sequences = snap.config.dataset_options.get("n_samples")
    return f"more sequences (now {sequences:,})" if sequences else "more training data"


def smaller(snap: Snapshot) -> list[str]:
    """A smaller model than the run's, if it has room to shrink: fewer layers, fewer units."""
    config, tips = snap.config, []
    if config.num_layers > 1:
        tips.append(f"fewer layers (now {config.num_layers})")
    if config.hidden_size > 1:
        tips.append(f"fewer hidden units (now {config.hidden_size})")
    return tips


# At the end, a typical training loss this many times below the validation loss: the network
# fits what it trained on and not new data, whether or not validation ever rose (200 adding
# sequences: training 0.00016, validation 0.19, level with the guesses all along).
MEMORISED_GAP = 10


def memorised(snap: Snapshot) -> tuple[float, float] | None:
    """(typical training loss, validation loss) at the end, when MEMORISED_GAP apart; else None."""
    now, last = _training_loss_now(snap), snap.last_val_loss
    if now is None or last is None:
        return None
    return (now, last) if now > 0 and last >= MEMORISED_GAP * now else None  # NaN: None


def memorised_finding(train: float, val: float, samples: str) -> str:
    """The gap in words: what was learned is the training data, not the rule behind it."""
    return (
        f"It fits its training {samples} (training loss about {train:.3g}) but not new ones "
        f"(validation {val:.4g}): it learned them by heart (overfitting), not the rule behind "
        "them. "
    )
