"""The Train page's moving parts: its controls, the live charts and the exports.

Links and presets, which set the controls, are ``train_settings``. The session's job is kept
by ``session_run`` (per browser session, and across reloads). Buttons are callbacks that flip
the job's state; fragments poll ``job.snapshot()`` and redraw while it trains, and a slow
always-on fragment keeps the job's heartbeat alive.
"""

from __future__ import annotations

import os
from pathlib import Path

import streamlit as st

from rnn_core import CheckpointError
from rnn_core.datasets import DatasetError
from rnn_core.wording import count, tenths

from . import (
    csv_choices,
    exports,
    run_advice,
    runs,
    session_run,
    setting_labels,
    train_charts,
)
from .config import UPLOADED, ConfigError, RunConfig, build_trainer, load_data
from .job import Snapshot, TrainingJob
from .live_controls import chosen_pace
from .loss_chart import loss_figure
from .markdown_text import literal
from .session_run import current_job
from .widgets import SETTINGS_ERROR_KEY, UPLOADED_KEY

ERROR_KEY = "train_error"
WEIGHTS_ERROR_KEY = "weights_error"
REFRESH_SECONDS = 0.5
STEP_BUTTON_STEPS = 10


def inline_training() -> bool:
    """AppTest cannot run ``run_every``: tests set RNNLAB_INLINE_TRAINING=1 to tick inline."""
    return os.environ.get("RNNLAB_INLINE_TRAINING") == "1"


def _new_job(config: RunConfig) -> TrainingJob | None:
    """A job for ``config`` that is not yet this session's run (None if it cannot start)."""
    try:
        data = load_data(config, st.session_state.get(UPLOADED_KEY))
        trainer = build_trainer(config, data)
    except (DatasetError, ConfigError, ValueError) as err:
        st.session_state[ERROR_KEY] = str(err)
        return None
    st.session_state.pop(ERROR_KEY, None)
    job = TrainingJob(config, data, trainer, inline=inline_training())
    job.pace = chosen_pace()  # before its first step: no burst at full speed
    return job


def _start_job(config: RunConfig) -> TrainingJob | None:
    if job := _new_job(config):
        session_run.adopt(job)
    return job


def _this_or_new_job(config: RunConfig | None) -> TrainingJob | None:
    """The session's run, or a new one from ``config`` (None if it cannot start)."""
    return current_job() or (config and _start_job(config)) or None


def _on_train(config: RunConfig | None) -> None:
    if job := _this_or_new_job(config):
        job.train_longer()  # a finished run goes on from its weights
        job.play()


def _on_pause() -> None:
    if job := current_job():
        job.pause()


def _on_step(config: RunConfig | None) -> None:
    if job := _this_or_new_job(config):
        job.train_longer()  # a finished run steps on, as Train would go on
        job.step_once(STEP_BUTTON_STEPS)


def _on_reset() -> None:
    if job := session_run.let_go():
        job.stop()
        if runs.archive(job):
            st.toast(f"Run #{job.run_number} is kept on the Compare page.")
    st.session_state.pop(ERROR_KEY, None)
    st.session_state.pop(WEIGHTS_ERROR_KEY, None)


def _changed_settings(job: TrainingJob | None, config: RunConfig | None) -> list[str]:
    """What a new run from the sidebar would change: its settings, and a CSV run's file."""
    if not (job and config):
        return []
    changed = setting_labels.changes(job.config, config)
    if config.dataset == job.config.dataset == UPLOADED:
        changed += csv_choices.changes(job.data, st.session_state.get(UPLOADED_KEY))
    return changed


def controls(config: RunConfig | None) -> None:
    """Train (Pause while training) / Step / Reset, as in TensorFlow Playground."""
    job = current_job()
    playing = bool(job and job.playing)
    diverged = bool(job and job.done and not job.finished)
    # Changed settings apply after Reset: it becomes the button to press, not Train (which
    # would go on with the run's own settings).
    changed = _changed_settings(job, config)
    # A row that stays a row on a phone (columns stack there: three full-width rows of
    # buttons pushed the charts a further 100 px down).
    row = st.container(horizontal=True)
    # One button that is Train or Pause, as TensorFlow Playground's play/pause: a pressed
    # button that became disabled (Train while training, Pause after it) dropped the keyboard
    # focus to the page, where arrow keys and Page Down no longer scroll to the charts.
    row.button(
        "Pause" if playing else "Train",
        key="train_or_pause",
        type="secondary" if changed else "primary",
        on_click=_on_pause if playing else _on_train,
        args=() if playing else (config,),
        disabled=not playing and (diverged or (config is None and job is None)),
        width="stretch",
        help=(
            "Stop here and validate the model the run stops at; Train goes on from it."
            if playing
            else "Start training, resume after a pause, or train a finished run for longer."
        ),
    )
    row.button(
        "Step",
        on_click=_on_step,
        args=(config,),
        disabled=playing or diverged or (config is None and job is None),
        width="stretch",
        help=f"Train {STEP_BUTTON_STEPS} minibatches, then stop.",
    )
    row.button(
        "Reset",
        type="primary" if changed else "secondary",
        on_click=_on_reset,
        width="stretch",
        help=(
            "End this run (it stays on the Compare page); the next Train starts a new run with "
            "the sidebar's settings."
        ),
    )
    if config is None and (wrong := st.session_state.get(SETTINGS_ERROR_KEY)):
        if job is None:
            st.error(f"Train waits for a setting in the sidebar to be fixed: {wrong}.")
        else:  # the run has settings of its own to go on with
            st.error(
                f"A setting in the sidebar is out of range: {wrong}. **Train** and **Step** go "
                "on with the run's own settings; fix it before **Reset** starts a new run."
            )
    if error := st.session_state.get(ERROR_KEY):
        st.error(f"Cannot start training: {literal(error)}.")
    if session_run.was_taken_elsewhere():
        st.warning(
            "Your run moved to another tab opened with this page's address while this one "
            "was disconnected, so it left this tab. Press **Train** to start a new run here."
        )
    if changed:
        st.warning(
            f"The sidebar's settings differ from this run's: {literal('; '.join(changed[:4]))}"
            f"{'; …' if len(changed) > 4 else ''}. **Train** goes on with the run's own "
            "settings; press **Reset** to start a new run with the sidebar's."
        )


def _load_uploaded_weights(config: RunConfig | None) -> None:
    """Put the uploaded weights into this session's run, starting one if there is none.

    A run started for the file becomes the session's only once the file loads: a refused
    file leaves no run behind, so the sidebar's settings still apply to the next Train.
    """
    upload = st.session_state.get("weights_upload")
    if upload is None:  # the file was removed: so is what was said about it
        st.session_state.pop(WEIGHTS_ERROR_KEY, None)
        return
    current = current_job()
    if current is not None and current.trainer.diverged is not None:
        # Only Reset is left to a run that blew up: loading into it would offer a Train that
        # cannot start.
        st.session_state[WEIGHTS_ERROR_KEY] = (
            "this run blew up, and only Reset is left to it; press Reset, then load the file again"
        )
        return
    job = current or (config and _new_job(config))
    if not job:
        return  # the run could not start; controls() shows why
    try:
        job.replace_weights(lambda model: exports.load_weights_into(model, upload))
    except CheckpointError as err:
        st.session_state[WEIGHTS_ERROR_KEY] = str(err)
        if job is not current:
            job.stop()
    else:
        st.session_state.pop(WEIGHTS_ERROR_KEY, None)
        if job is not current:
            session_run.adopt(job)
        st.toast("Weights loaded: press Train to continue from them, or inspect the charts.")


def _downloads(job: TrainingJob) -> None:
    snap = job.snapshot()
    # Named after the run as Compare lists it, so a class's downloads of several runs differ.
    stem = f"rnnlab_run{runs.number_of(job)}_{Path(job.data.name).stem}"
    downloads = (
        (
            "History (CSV)",
            exports.history_csv(snap.history, snap.val_history),
            f"{stem}_history.csv",
            "text/csv",
        ),
        (
            "Weights (.npz)",
            exports.weights_npz(snap.model),
            f"{stem}_weights.npz",
            "application/octet-stream",
        ),
        (
            "Settings (JSON)",
            exports.config_json(job.config, job.data),
            f"{stem}_settings.json",
            "application/json",
        ),
    )
    for col, (label, data, name, mime) in zip(st.columns(3), downloads, strict=True):
        col.download_button(label, data, file_name=name, mime=mime, width="stretch")
    st.caption("Each chart's toolbar also downloads it as PNG (camera icon) while paused.")


def exports_panel(config: RunConfig | None) -> None:
    """Download the run (history, weights, config); load weights saved earlier.

    Weights can be loaded before the first Train: the run is then made from the sidebar's
    settings and starts from the file's weights.
    """
    job = current_job()
    if job is None and config is None:
        return
    with st.expander("Export and import"):
        if job and job.playing and not job.inline:
            st.caption("Pause training to export this run or load weights into it.")
            return
        if job:
            _downloads(job)
        st.file_uploader(
            "Load weights (.npz) saved from a model with these settings",
            type=["npz"],
            key="weights_upload",
            on_change=_load_uploaded_weights,
            args=(config,),
        )
    # Outside the expander, which Streamlit may close on the rerun that follows an upload.
    if error := st.session_state.get(WEIGHTS_ERROR_KEY):
        st.error(f"The weights file was not loaded: {literal(error)}")


def _loss_text(loss: float | None) -> str:
    """A loss short enough for a metric box: 0.0123, 3.12e-04, 40,912 or 6e+284.

    ``:.3g`` writes 0.000312 in full, which a 130 px box at 1366 px cuts to "0.000…", and
    40912 as 4.09e+04, cut to "4.09e+…" (a "+" is wider than a "-").
    """
    if loss is None:
        return "–"
    if abs(loss) >= 1e5:
        return f"{loss:.0e}"
    if abs(loss) >= 1e3:
        return f"{loss:,.0f}"
    return f"{loss:.3g}" if abs(loss) >= 1e-3 or loss == 0 else f"{loss:.2e}"


# Metric box widths (px) that fit their longest values ("diverged", "1000.0", "123,456",
# "1.23e-05", "1,441.7"): the row wraps on a narrow window instead of cutting them to "fi…".
METRIC_WIDTHS = {"status": 145, "epoch": 118, "step": 130, "speed": 100, "loss": 134}
# Half a rem between them: a whole rem made the row 841 px, more than the 820 px a 1280 px
# window leaves beside the sidebar, and the validation loss wrapped to a second row.
METRIC_GAP = "xsmall"


def _metrics(snap: Snapshot, job: TrainingJob) -> None:
    w = METRIC_WIDTHS
    with st.container(horizontal=True, wrap=True, gap=METRIC_GAP):
        st.metric("Status", snap.status, width=w["status"])
        st.metric("Epoch", tenths(snap.epoch), width=w["epoch"])
        st.metric("Step", f"{snap.step:,}", width=w["step"])
        speed = f"{snap.steps_per_second:,.0f}" if snap.status == "training" else "–"
        st.metric("Steps/s", speed, width=w["speed"])  # a rate only while it trains
        st.metric("Train loss", _loss_text(snap.last_train_loss), width=w["loss"])
        st.metric("Validation loss", _loss_text(snap.last_val_loss), width=w["loss"])
    st.progress(
        min(1.0, snap.step / job.max_steps), text=f"{snap.step:,} of {job.max_steps:,} steps"
    )


def live_view(chart_seconds: float) -> None:
    """Metrics and charts, redrawn while the job trains.

    Every redraw costs training time: the script shares Python's GIL with the training thread,
    and on a small machine the browser redrawing charts shares the cores (measured in
    benchmarks/RESULTS.md), mostly on the charts: Streamlit draws every updated Plotly chart
    from scratch. So the metrics refresh every REFRESH_SECONDS and the charts every
    ``chart_seconds`` (the user's choice, ``live_controls.chart_refresh_control``).
    """
    job = current_job()
    if job is not None:
        job.pace = chosen_pace()  # a display choice: it applies to the running job at once
    playing = bool(job and job.playing and not job.inline)

    @st.fragment(run_every=REFRESH_SECONDS if playing else None)
    def _status() -> None:
        job = current_job()
        if job is None:
            if not st.session_state.get(SETTINGS_ERROR_KEY):  # else the error says what to do
                st.info("Choose a dataset and settings in the sidebar, then press **Train**.")
            return
        job.tick()
        snap = job.snapshot()
        _metrics(snap, job)
        if note := run_advice.few_validation_windows(job.data):
            st.warning(note)
        if snap.failure is not None:
            st.error(f"Training stopped: {literal(snap.failure)}.")
        elif snap.diverged is not None:
            run_advice.blow_up(snap)
        elif run_advice.loaded_weights_overflow(snap):
            st.warning(
                f"The loaded weights overflow on this data (validation loss "
                f"{snap.last_val_loss:.3g}): training from them would blow up at once. Load "
                "weights saved from a run like this one, or press **Reset**."
            )
        elif snap.weights_loaded_at == snap.step and snap.status != "training":
            # Said until training goes on: the toast that confirmed it is gone in seconds.
            st.info(
                "Weights loaded from the file: the charts show that model. **Train** or "
                "**Step** trains on from them."
            )
        elif snap.status == "finished":
            run_advice.worse_than_a_guess(snap, job)
            st.success(
                f"Done: {count(round(snap.epoch), 'epoch')} trained. "
                f"{run_advice.how_good(snap, job)} **Train** goes on for "
                f"{count(snap.config.epochs, 'more epoch')} from here; **Reset** starts over."
            )
            note = (
                run_advice.overfit_note(snap, job)
                or run_advice.past_its_best(snap, job)
                or run_advice.jumps_near_a_perfect_fit(snap, job)
            )
            if note:
                st.info(note)
        if playing and not job.playing:
            st.rerun()  # training ended: redraw everything once more and stop polling

    @st.fragment(run_every=chart_seconds if playing else None)
    def _live_charts() -> None:
        if job := current_job():
            train_charts.draw(job.snapshot(), job)
        else:  # an empty chart loads Plotly's script with the page, not on the first Train
            st.plotly_chart(loss_figure({}, {}), key="loss_chart")

    _status()
    _live_charts()
