"""Train-page runs findable by an id in the URL, so that reloading the tab gives the run back.

A reload starts a new Streamlit session with an empty ``st.session_state``: without this, the
run would vanish from the page while its thread trained on unseen until the reaper stopped
it. The Train page keeps ``?run=<id>`` in the URL; a new session may claim that run only when
the session that owned it is not connected (a reload, a closed tab, a dropped connection), so
a link copied from the address bar of a connected tab does not hand its run over. The
registry is the authority on who owns a run: a session whose run was claimed elsewhere lets
it go (``owns``), so two tabs never drive one run.
"""

from __future__ import annotations

import secrets
import threading
import time
from typing import NamedTuple

from streamlit.runtime import Runtime

from .job import TrainingJob, after_reap

OWNER_GRACE = 1.0  # seconds a reload's old session gets to disconnect
POLL_SECONDS = 0.05


class Owner(NamedTuple):
    """A browser session as the registry knows it.

    ``token`` is the session's own random token (kept in its session state): Streamlit's
    session id alone cannot tell sessions apart everywhere (every AppTest session has the
    same one). ``streamlit_id`` is what the runtime answers "still connected?" about.
    """

    token: str
    streamlit_id: str


_runs: dict[str, tuple[TrainingJob, Owner]] = {}  # run id -> (job, owning session)
_lock = threading.Lock()


def _session_is_open(owner: Owner) -> bool:
    """Whether the browser session is still connected.

    Only a definite True counts: a runtime that cannot say (AppTest mocks it) means gone.
    """
    return Runtime.exists() and Runtime.instance().is_active_session(owner.streamlit_id) is True


def _forget_stopped() -> None:
    """Drop runs the reaper or a Reset stopped (called with the lock held)."""
    for run_id in [k for k, (job, _) in _runs.items() if job.stopped]:
        del _runs[run_id]


def forget_stopped() -> None:
    """Let go of stopped runs' jobs (data, trainer, history): the reaper calls this."""
    with _lock:
        _forget_stopped()


after_reap(forget_stopped)


def owns(run_id: str, session: Owner) -> bool:
    """False only when the run was claimed by another session since this one had it."""
    with _lock:
        entry = _runs.get(run_id)
    return entry is None or entry[1] == session


def register(job: TrainingJob, session: Owner) -> str:
    """Make ``job`` findable; returns its new run id."""
    run_id = secrets.token_urlsafe(9)
    with _lock:
        _forget_stopped()
        _runs[run_id] = (job, session)
    return run_id


def claim(run_id: str, session: Owner, wait: float = OWNER_GRACE) -> TrainingJob | None:
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
    while owner != session and _session_is_open(owner):
        if time.monotonic() >= deadline:
            return None
        time.sleep(POLL_SECONDS)
    with _lock:
        if job.stopped or _runs.get(run_id) != entry:  # stopped or claimed meanwhile
            return None
        _runs[run_id] = (job, session)
    return job
