"""Train-page runs findable by an id in the URL, so that reloading the tab gives the run back.

A reload starts a new Streamlit session with an empty ``st.session_state``: without this, the
run would vanish from the page while its thread trained on unseen until the reaper stopped
it. The page keeps ``?run=<id>`` in the URL; a new session may claim that run only once the
session that owned it has gone (a reload or a closed tab), so a link copied from the address
bar of a tab that is still open never hands its run to someone else.
"""

from __future__ import annotations

import secrets
import threading
import time

from streamlit.runtime import Runtime

from .job import TrainingJob

OWNER_GRACE = 1.0  # seconds a reload's old session gets to disconnect
POLL_SECONDS = 0.05
_runs: dict[str, tuple[TrainingJob, str]] = {}  # run id -> (job, owning session id)
_lock = threading.Lock()


def _session_is_open(session_id: str) -> bool:
    """Whether the browser session is still connected.

    Only a definite True counts: a runtime that cannot say (AppTest mocks it) means gone.
    """
    return Runtime.exists() and Runtime.instance().is_active_session(session_id) is True


def _forget_stopped() -> None:
    """Drop runs the reaper or a Reset stopped (called with the lock held)."""
    for run_id in [k for k, (job, _) in _runs.items() if job.stopped]:
        del _runs[run_id]


def register(job: TrainingJob, session_id: str) -> str:
    """Make ``job`` findable; returns its new run id."""
    run_id = secrets.token_urlsafe(9)
    with _lock:
        _forget_stopped()
        _runs[run_id] = (job, session_id)
    return run_id


def claim(run_id: str, session_id: str, wait: float = OWNER_GRACE) -> TrainingJob | None:
    """The run with this id for this session, if its owner has gone (or is this session).

    A reloading browser closes its old connection as it opens the new one; the server may
    see the new session first, so an owner still connected gets ``wait`` seconds to go.
    """
    with _lock:
        _forget_stopped()
        entry = _runs.get(run_id)
    if entry is None:
        return None
    job, owner = entry
    deadline = time.monotonic() + wait
    while owner != session_id and _session_is_open(owner):
        if time.monotonic() >= deadline:
            return None
        time.sleep(POLL_SECONDS)
    with _lock:
        if _runs.get(run_id) != entry:  # claimed or stopped meanwhile
            return None
        _runs[run_id] = (job, session_id)
    return job
