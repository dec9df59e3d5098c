"""The Train page's live charts, all drawn from one snapshot so that they agree.

Loss, hidden state, gradients through time and per parameter, predictions against the truth.
"""

from __future__ import annotations

import numpy as np
import streamlit as st

from rnn_core.wording import count

from . import evaluate, figures
from .job import PREDICTION_SAMPLES, Snapshot, TrainingJob
from .loss_chart import loss_figure
from .prediction_chart import dates_are, prediction_figure, quantity

# A many-to-many run's loss and charts read differently from the default run's: said, not left
# for a student to puzzle over (a sine run's loss sat 300× above the many-to-one run's: one
# value does not say whether the wave rises or falls).
MANY_TO_MANY_NOTE = (
    "Predicting at every step (many-to-many): the chart shows each window's last step, while "
    "the loss averages over all its steps, and the early ones have seen only a few inputs, "
    "so the loss need not match a many-to-one run's."
)
NO_ROLLOUT_NOTE = (
    " No free-running forecast: feeding predictions back in needs a model that predicts one "
    "next value per window."
)


def draw(snap: Snapshot, job: TrainingJob) -> None:
    """The five live charts of one snapshot, and what a many-to-many run's charts mean.

    What the network gets right comes first, beside the loss: a class watching it learn saw
    only the loss and the hidden state without scrolling, and the prediction three screens
    down on a projector. What happens inside (hidden state, gradients) follows.
    """
    data, model = job.data, snap.model
    left, right = st.columns(2)
    left.plotly_chart(
        loss_figure(snap.history, snap.val_history, data.loss_units, job.baselines),
        key="loss_chart",
    )
    rollout = evaluate.free_rollout(model, data) if evaluate.can_roll_out(model, data) else None
    right.plotly_chart(
        prediction_figure(
            evaluate.validation_predictions(model, data, PREDICTION_SAMPLES),
            quantity(data),
            rollout,
            independent=data.independent,
            total=len(data.X_val),
            dates=data.target_dates("val"),
            dates_are=dates_are(data),
        ),
        key="prediction_chart",
    )
    if data.many_to_many:
        right.caption(
            MANY_TO_MANY_NOTE + (NO_ROLLOUT_NOTE if data.last_value_feature is not None else "")
        )
    left, right = st.columns(2)
    sample = int(
        left.number_input(
            "Validation sample for the heatmap", 0, len(data.X_val) - 1, 0, key="heatmap_sample"
        )
    )
    left.plotly_chart(
        figures.hidden_heatmap(evaluate.hidden_states(model, data, sample), sample),
        key="hidden_chart",
    )
    if snap.dh_norms:
        blew_up = snap.dh_step if snap.diverged is not None else None
        right.plotly_chart(
            figures.gradient_through_time_figure(snap.dh_norms, blew_up), key="dh_chart"
        )
        right.caption(reach_caption(snap.dh_norms, data.many_to_many))
    elif snap.diverged is not None:
        right.info(
            "The gradient reaching each step is not drawn: the run blew up within its first "
            "steps, before a gradient with numbers in it was kept."
        )
    st.plotly_chart(
        figures.parameter_gradient_figure(
            snap.history, tuple(model.params), snap.config.clip != "none"
        ),
        key="param_grad_chart",
    )


def reach_caption(dh_norms: dict[str, np.ndarray], many_to_many: bool) -> str:
    """The ‖∂L/∂hₜ‖ chart in one sentence: how much gradient crosses the sequence.

    The number a student should take from the chart, and the chart's text for a screen
    reader, which reads none of the plot.
    """
    reach = evaluate.gradient_reach(dh_norms)
    back = len(dh_norms["layer0"]) - 1  # the chart's x axis: steps back from the last
    if reach is None or not np.isfinite(reach) or back < 1:
        return ""  # a blow-up (the chart's subtitle says which steps overflowed), or T = 1
    said = (
        f"{count(back, 'step')} back, at the first step, the gradient is {reach:.2g} × its "
        "size at the last"
    )
    if many_to_many:
        return f"{said} (every step adds the gradient of its own loss)."
    if reach < evaluate.VANISHED:
        return f"{said}: it has vanished, so the first inputs teach the network nothing."
    if reach > 1 / evaluate.VANISHED:
        return f"{said}: it grows on its way back through time (exploding)."
    return f"{said}."
