"""What a run's loss curves say about it: still learning, or learning its training windows by heart.

The Train page's advice rests on these readings of the validation and training losses, so
they are made once, here, and only from the model now trained: points from before weights
were loaded belong to another model.
"""

from __future__ import annotations

from typing import NamedTuple

import numpy as np

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

    best: float  # lowest validation loss
    best_step: int  # the step it was reached at
    last: float  # validation loss at the end
    train_then: float  # typical minibatch loss around ``best_step``
    train_now: float  # typical minibatch loss since the last validation point but one


def overfitting(snap: Snapshot) -> Overfit | None:
    """The overfit the curves show, or None.

    A validation loss that rose while the training loss stalled or jumped is a step too large
    (``run_advice.past_its_best`` says that); only with the training loss falling on is the
    network learning its training windows by heart. Minibatch losses are noisy, so each side
    is the median of the points between the validation points around it.
    """
    val = since_load(snap)
    losses, steps = val.get("val_loss", np.array([])), val.get("step", np.array([]))  # (points,)
    if len(losses) < MIN_POINTS or not np.all(np.isfinite(losses)):
        return None
    best = int(np.argmin(losses))
    if not (losses[best] > 0 and losses[-1] >= OVERFIT_RATIO * losses[best]):
        return None
    train_steps, train = snap.history.get("step", ()), snap.history.get("loss", ())  # (points,)

    def typical(first: int, last: int) -> float:
        """Median minibatch loss over steps first..last (NaN when no point falls there)."""
        inside = (train_steps >= first) & (train_steps <= last)  # (points,)
        return float(np.median(train[inside])) if inside.any() else np.nan

    then = typical(steps[max(best - 1, 0)], steps[min(best + 1, len(steps) - 1)])
    now = typical(steps[-2], steps[-1])
    if not (now > 0 and then >= OVERFIT_RATIO * now):  # NaN compares False: no verdict
        return None
    return Overfit(float(losses[best]), int(steps[best]), float(losses[-1]), then, now)


def overfit_finding(fit: Overfit, snap: Snapshot) -> str:
    """The overfit in words, with the epoch of the best model (what "fewer epochs" means)."""
    return (
        f"It learned its training windows by heart (overfitting): the training loss fell from "
        f"{fit.train_then:.3g} to {fit.train_now:.3g}, while the validation loss rose from its "
        f"best, {fit.best:.3g} at epoch {best_epoch(fit, snap):,}, to {fit.last:.3g}. "
    )


def best_epoch(fit: Overfit, snap: Snapshot) -> int:
    """The epoch the best validation loss was reached in, counted from 1 as the page does."""
    per_step = snap.epoch / snap.step if snap.step else 0.0
    return max(1, round(fit.best_step * per_step))


def fewer(fit: Overfit, snap: Snapshot) -> list[str]:
    """What makes the network memorise less: a shorter run, and a smaller model if it has one."""
    config = snap.config
    tips = [f"fewer epochs (its best was at epoch {best_epoch(fit, snap):,})"]
    if config.num_layers > 1:
        tips.append(f"fewer layers (now {config.num_layers})")
    if config.hidden_size > 1:
        tips.append(f"fewer hidden units (now {config.hidden_size})")
    return tips
