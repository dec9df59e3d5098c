"""Each tab's work findable by an id in the URL, so that reloading the tab gives it back.

A reload starts a new Streamlit session with an empty ``st.session_state``: without this, the
run would vanish from the page while its thread trained on unseen until the reaper stopped
it, and the runs kept for Compare would be gone. Every page keeps ``?run=<id>`` in the URL;
the id names the tab's *slot*: its current run (none between a Reset and the next Train),
its earlier runs and what else the tab keeps (the Gradient Lab's race). A new session may
claim a slot only when the session that owned it is not connected (a reload, a closed tab,
a dropped connection) and it runs in the same browser, so a link copied from the address
bar, even of a tab closed since, does not hand its work to someone else. The registry is the
authority on who owns a slot: a session whose slot was claimed elsewhere lets it go
(``owns``), so two tabs never drive one run.
"""

from __future__ import annotations

import secrets
import threading
import time
from dataclasses import dataclass, field
from typing import NamedTuple

from streamlit.runtime import Runtime

from .job import TrainingJob
from .reaper import REAP_AFTER, after_reap

OWNER_GRACE = 1.0  # seconds a reload's old session gets to disconnect
POLL_SECONDS = 0.05
ABANDONED_AFTER = REAP_AFTER  # a slot whose owner is gone this long is dropped, as jobs are


class Owner(NamedTuple):
    """A browser session as the registry knows it.

    ``token`` is the session's own random token (kept in its session state): Streamlit's
    session id alone cannot tell sessions apart everywhere (every AppTest session has the
    same one). ``streamlit_id`` is what the runtime answers "still connected?" about.
    ``browser`` names the browser the session runs in (None where it cannot be told).
    """

    token: str
    streamlit_id: str
    browser: str | None = None


@dataclass(eq=False)
class Slot:
    """One tab's work: its current run, if any, the runs it kept for Compare, and the rest."""

    owner: Owner
    earlier_runs: list = field(default_factory=list)  # runs.RunRecord, oldest first
    job: TrainingJob | None = None
    keepsakes: dict[str, object] = field(default_factory=dict)  # by session-state key
    gone_since: float | None = None  # when the owner was first seen disconnected


_slots: dict[str, Slot] = {}  # slot id -> slot
_lock = threading.Lock()


def _session_is_open(owner: Owner) -> bool:
    """Whether the browser session is still connected.

    Only a definite True counts: a runtime that cannot say (AppTest mocks it) means gone.
    """
    return Runtime.exists() and Runtime.instance().is_active_session(owner.streamlit_id) is True


def _let_go_of_stopped_jobs() -> None:
    """A stopped job (reaped or reset) is no longer anyone's run (called with the lock held)."""
    for slot in _slots.values():
        if slot.job is not None and slot.job.stopped:
            slot.job = None


def forget_abandoned(now: float | None = None) -> None:
    """Let go of stopped jobs, and of slots whose owner has been gone for a while.

    The reaper calls this: a closed tab's slot must not keep its runs' histories forever.
    """
    now = time.monotonic() if now is None else now
    with _lock:
        _let_go_of_stopped_jobs()
        for slot_id, slot in list(_slots.items()):
            if _session_is_open(slot.owner):
                slot.gone_since = None
            elif slot.gone_since is None:
                slot.gone_since = now
            elif now - slot.gone_since > ABANDONED_AFTER:
                del _slots[slot_id]


after_reap(forget_abandoned)


def owns(slot_id: str, session: Owner) -> bool:
    """False only when the slot was claimed by another session since this one had it."""
    with _lock:
        slot = _slots.get(slot_id)
    return slot is None or slot.owner == session


def open_slot(session: Owner, earlier_runs: list) -> str:
    """A new slot for this session's work, holding ``earlier_runs`` itself (not a copy).

    The list is the session's own: runs it archives later are in the slot too.
    """
    slot_id = secrets.token_urlsafe(9)
    with _lock:
        _slots[slot_id] = Slot(session, earlier_runs)
    return slot_id


def put_job(slot_id: str, job: TrainingJob | None) -> None:
    """Make ``job`` the slot's current run (None: it has none, after a Reset)."""
    with _lock:
        if slot := _slots.get(slot_id):
            slot.job = job


def keep(slot_id: str, key: str, value: object) -> None:
    """Keep ``value`` in the slot under ``key``."""
    with _lock:
        if slot := _slots.get(slot_id):
            slot.keepsakes[key] = value


def claim(slot_id: str, session: Owner, wait: float = OWNER_GRACE) -> Slot | None:
    """The slot with this id for this session, if its owner has gone (or is this session).

    Only the owner's own browser may take a slot over: a reload gives the work back, an
    address copied into another browser does not. A reloading browser closes its old
    connection as it opens the new one; the server may see the new session first, so an
    owner still connected gets ``wait`` seconds to go.
    A session that claims another's slot gets its own copy of the earlier runs: the tab it
    came from keeps its list, and what that tab archives from now on stays there.
    """
    with _lock:
        _let_go_of_stopped_jobs()
        slot = _slots.get(slot_id)
    if slot is None:
        return None
    owner = slot.owner
    if owner.browser is not None and owner.browser != session.browser:
        return None
    deadline = time.monotonic() + wait
    while owner != session and _session_is_open(owner):
        if time.monotonic() >= deadline:
            return None
        time.sleep(POLL_SECONDS)
    with _lock:
        if _slots.get(slot_id) is not slot or slot.owner != owner:  # claimed or dropped meanwhile
            return None
        _let_go_of_stopped_jobs()  # a run stopped while the claim waited is not handed over
        if owner != session:
            slot.owner, slot.earlier_runs, slot.gone_since = session, list(slot.earlier_runs), None
    return slot
