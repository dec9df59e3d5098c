"""The session's runs, kept for comparison: each paused, finished or reset run's record.

A record is a snapshot's history and config (no model, no data), so keeping ``MAX_RUNS`` of
them costs little memory; the oldest is dropped first. The session's list of records travels
with its current run (``travel_with``), so a reload that takes the run back (``session_run``)
gets the earlier runs back too.
"""

from __future__ import annotations

from dataclasses import dataclass

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


def _label(number: int, config: RunConfig, data_name: str) -> str:
    return (
        f"#{number} {data_name} · {config.activation} · H={config.hidden_size} · "
        f"{config.optimizer} lr={config.lr:g} · seed {config.seed}"
    )


def travel_with(job: TrainingJob) -> None:
    """Let the session's run records go wherever ``job`` goes (a new session after a reload).

    The job holds the session's list itself, not a copy, so runs archived later travel too.
    """
    job.earlier_runs = st.session_state.setdefault(ARCHIVE_KEY, [])


def take_back(job: TrainingJob) -> None:
    """After a reload: the runs archived before it, numbering on after all of them.

    The new session gets its own list: the tab the run left keeps the old one, so runs it
    archives from now on never show up here.
    """
    earlier = list(getattr(job, "earlier_runs", []))
    st.session_state[ARCHIVE_KEY] = job.earlier_runs = earlier
    numbers = [getattr(job, "run_number", 0), *(record.number for record in earlier)]
    st.session_state[COUNTER_KEY] = max(st.session_state.get(COUNTER_KEY, 0), *numbers)


def record_of(job: TrainingJob) -> RunRecord:
    """A comparable record of a job as it is now."""
    if not hasattr(job, "run_number"):
        st.session_state[COUNTER_KEY] = job.run_number = st.session_state.get(COUNTER_KEY, 0) + 1
    snap = job.snapshot()
    return RunRecord(
        _label(job.run_number, job.config, job.data.name),
        job.run_number,
        job.config,
        snap.step,
        snap.history,
        snap.val_history,
        job.data.name,
    )


def archive(job: TrainingJob) -> None:
    """Keep a run that is being reset (if it trained at all)."""
    if job.trainer.step_count == 0:
        return
    runs = st.session_state.setdefault(ARCHIVE_KEY, [])
    runs.append(record_of(job))
    del runs[:-MAX_RUNS]


def session_runs(current: TrainingJob | None) -> list[RunRecord]:
    """Archived runs, then the current one if it has trained and is not training now."""
    runs = list(st.session_state.get(ARCHIVE_KEY, []))
    if current is not None and current.trainer.step_count and not current.playing:
        runs.append(record_of(current))
    return runs[-MAX_RUNS:]
