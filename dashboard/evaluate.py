"""What the charts show besides the history: the model evaluated on validation data.

Pure NumPy on a snapshot's model copy, so it runs outside the training lock. Values come back
in real units (the dataset's target scaler inverted) so the weather chart reads in °C. A
diverged model may overflow here; that is expected and shows as gaps, so it is not warned about.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from rnn_core import RNN
from rnn_core.datasets import SequenceData
from rnn_core.diagnostics import rollout

ROLLOUT_STEPS = 60


@dataclass(frozen=True)
class Predictions:
    """Truth and prediction per validation window (the last step for many-to-many)."""

    truth: np.ndarray  # (N,) real units
    predicted: np.ndarray  # (N,)


def _last_step(y: np.ndarray, many_to_many: bool) -> np.ndarray:
    return (y[:, -1] if many_to_many else y)[:, 0]  # (N,) first target, last step


@np.errstate(all="ignore")
def validation_predictions(model: RNN, data: SequenceData, limit: int) -> Predictions:
    """The first ``limit`` validation windows, in time order for series datasets."""
    X, y = data.X_val[:limit], data.y_val[:limit]
    predicted = data.y_scaler.inverse(_last_step(model.predict(X), data.many_to_many)[:, None])
    truth = data.y_scaler.inverse(_last_step(y, data.many_to_many)[:, None])
    return Predictions(truth=truth[:, 0], predicted=predicted[:, 0])


@np.errstate(all="ignore")
def hidden_states(model: RNN, data: SequenceData, index: int) -> np.ndarray:
    """h_t of the first layer for one validation window: (T, H)."""
    cache = model.forward(data.X_val[index : index + 1]).caches["layer0"]
    return cache.states[:, 0, :]


def can_roll_out(model: RNN, data: SequenceData) -> bool:
    """Free-running forecasts need a model that predicts its own next input.

    They also need a validation series of two windows or more: the forecast starts from the
    first window and is compared with the windows after it.
    """
    cfg = model.config
    return (
        data.last_value_feature is not None
        and len(data.X_val) >= 2
        and not cfg.many_to_many
        and cfg.input_size == cfg.output_size == 1
    )


@np.errstate(all="ignore")
def free_rollout(model: RNN, data: SequenceData, steps: int = ROLLOUT_STEPS) -> Predictions:
    """Feed predictions back in from the first validation window; compare with what happened."""
    steps = min(steps, len(data.X_val) - 1)
    forecast = rollout(model, data.X_val[:1], steps)[0]  # (steps, 1)
    truth = data.y_val[:steps]  # (steps, 1): the windows slide one step at a time
    return Predictions(
        truth=data.y_scaler.inverse(truth)[:, 0], predicted=data.y_scaler.inverse(forecast)[:, 0]
    )


def drawable_on_a_log_axis(curves: dict[str, np.ndarray]) -> bool:
    """Whether any curve has a finite positive value: all a log axis can draw."""
    return any((np.isfinite(c) & (c > 0)).any() for c in curves.values())


# ‖∂L/∂h_1‖ / ‖∂L/∂h_T‖ below this: the first inputs teach the weights nothing.
VANISHED = 1e-6


def gradient_reach(dh_norms: dict[str, np.ndarray] | None) -> float | None:
    """‖∂L/∂h_1‖ / ‖∂L/∂h_T‖ of the first layer: how much gradient crosses the sequence."""
    if not dh_norms:
        return None
    norms = dh_norms["layer0"]
    return float(norms[0] / norms[-1]) if norms[-1] > 0 else None
