"""The session's runs, kept for comparison: each paused, finished or reset run's record.

A record is a snapshot's history and config (no model, no data), so keeping ``MAX_RUNS`` of
them costs little memory; the oldest is dropped first. The session's list of records is kept
in its slot in ``run_registry`` too, so a reload gets the earlier runs back (``take_back``).
"""

from __future__ import annotations

from dataclasses import dataclass, field

import numpy as np
import streamlit as st

from .config import RunConfig
from .job import TrainingJob

ARCHIVE_KEY = "run_archive"
COUNTER_KEY = "run_counter"
MAX_RUNS = 12


@dataclass(frozen=True)
class RunRecord:
    """What the Compare page needs from one run."""

    label: str
    number: int  # the session's run number, #1, #2, … in the label
    config: RunConfig
    steps: int
    history: dict[str, np.ndarray]
    val_history: dict[str, np.ndarray]
    data_name: str | None = None  # the data's own name: for a CSV run, the file's
    data_options: dict = field(default_factory=dict)  # a CSV run's choices (csv_choices)
    blew_up: bool = False  # stopped by the divergence guard: its curve is no scale to keep
    status: str = ""  # the job's status when recorded: "finished", "paused", "failed", …


# The settings a run's label names, in ``_label``'s order (Compare names the others).
LABEL_FIELDS = ("dataset", "activation", "hidden_size", "optimizer", "lr", "seed")


def _label(number: int, config: RunConfig, data_name: str, data_options: dict) -> str:
    if target := data_options.get("target"):  # a CSV run: which of its columns it predicts
        data_name = f"{data_name} → {target}"
    return (
        f"#{number} {data_name} · {config.activation} · H={config.hidden_size} · "
        f"{config.optimizer} lr={config.lr:g} · seed {config.seed}"
    )


def take_back(earlier: list[RunRecord], job: TrainingJob | None) -> None:
    """After a reload: the runs archived before it, numbering on after all of them."""
    st.session_state[ARCHIVE_KEY] = earlier
    numbers = [getattr(job, "run_number", 0), *(record.number for record in earlier)]
    st.session_state[COUNTER_KEY] = max(st.session_state.get(COUNTER_KEY, 0), *numbers)


def number_of(job: TrainingJob) -> int:
    """The job's run number in this session (#1, #2, …), given when first asked for."""
    if not hasattr(job, "run_number"):
        st.session_state[COUNTER_KEY] = job.run_number = st.session_state.get(COUNTER_KEY, 0) + 1
    return job.run_number


def record_of(job: TrainingJob) -> RunRecord:
    """A comparable record of a job as it is now."""
    number_of(job)
    snap = job.snapshot()
    options = dict(job.data.source_options)
    return RunRecord(
        _label(job.run_number, job.config, job.data.name, options),
        job.run_number,
        job.config,
        snap.step,
        snap.history,
        snap.val_history,
        job.data.name,
        options,
        snap.diverged is not None,
        snap.status,
    )


def archive(job: TrainingJob) -> bool:
    """Keep a run that is being reset, if it trained at all; whether it was kept.

    A run that blew up at its first step kept no step, but it is a result a class compares.
    """
    if not _has_a_result(job):
        return False
    runs = st.session_state.setdefault(ARCHIVE_KEY, [])
    runs.append(record_of(job))
    del runs[:-MAX_RUNS]
    return True


def _has_a_result(job: TrainingJob) -> bool:
    """Whether the run trained, or blew up trying: either way something to compare."""
    return job.trainer.step_count > 0 or job.trainer.diverged is not None


def session_runs(current: TrainingJob | None) -> list[RunRecord]:
    """Archived runs, then the current one if it has trained and is not training now."""
    runs = list(st.session_state.get(ARCHIVE_KEY, []))
    if current is not None and _has_a_result(current) and not current.playing:
        runs.append(record_of(current))
    return runs[-MAX_RUNS:]
