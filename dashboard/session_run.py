"""The browser session's Train run and earlier runs: kept, and found again after a reload.

The job lives in ``st.session_state`` (so two browser sessions never share a run) and in the
session's slot in ``run_registry``, with the runs kept for Compare, under an id that every
page's address carries (``?run=``). A reload starts a new session with empty state, which
takes the slot back: the run, if there was one, and the earlier runs (``runs.take_back``).
The registry decides who owns a slot, so a tab whose slot moved to another tab lets it go.
"""

from __future__ import annotations

import hashlib
import secrets

import streamlit as st
from streamlit.runtime.scriptrunner import get_script_run_ctx

from . import run_registry, runs
from .config import UPLOADED
from .job import TrainingJob
from .widgets import UPLOADED_KEY, show_config

JOB_KEY = "train_job"
RUN_KEY = "train_run_id"  # the tab's slot id in run_registry, also in the URL as ?run=
RUN_PARAM = "run"
SESSION_TOKEN_KEY = "_session_token"
RECLAIM_TRIED_KEY = "_run_reclaim_tried"
TAKEN_KEY = "_run_taken_elsewhere"
HEARTBEAT_SECONDS = 20.0  # well inside the reaper's REAP_AFTER
KEPT_KEY = "_kept_across_reloads"  # the session-state keys this tab's slot keeps (``keep``)
XSRF_COOKIE = "_streamlit_xsrf"  # Streamlit's own cookie, one per browser (XSRF protection)


def _still_mine() -> None:
    """Let go of the slot (and its run) if another tab has claimed it since."""
    registered = st.session_state.get(RUN_KEY)
    if registered and not run_registry.owns(registered, _session()):
        del st.session_state[RUN_KEY]
        for key in st.session_state.pop(KEPT_KEY, ()):
            st.session_state.pop(key, None)  # the tab that took the slot has them now
        if st.session_state.pop(JOB_KEY, None) is not None:
            st.session_state[TAKEN_KEY] = True  # say so on the next full run (controls)


def current_job() -> TrainingJob | None:
    """The job of this browser session, if any (and if no other tab has claimed it since)."""
    _still_mine()
    return st.session_state.get(JOB_KEY)


def _browser() -> str | None:
    """Which browser runs this session (None where it cannot be told: AppTest, no XSRF)."""
    return browser_of(st.context.cookies.get(XSRF_COOKIE, ""))


def browser_of(cookie: str) -> str | None:
    """A browser's id: a digest of the token in its Streamlit XSRF cookie, or None.

    The token stays the same across a browser's reloads and differs from browser to browser;
    the cookie masks it afresh in every response (``2|mask|masked token|time``), so it is
    unmasked first.
    """
    parts = cookie.strip("\"'").split("|")
    if len(parts) != 4 or parts[0] != "2":
        return None
    try:
        mask, masked = bytes.fromhex(parts[1]), bytes.fromhex(parts[2])
    except ValueError:
        return None
    if not mask or not masked:
        return None
    token = bytes(b ^ mask[i % len(mask)] for i, b in enumerate(masked))
    return hashlib.sha256(token).hexdigest()[:16]


def _session() -> run_registry.Owner:
    """The browser session running this script, as the run registry knows it."""
    token = st.session_state.setdefault(SESSION_TOKEN_KEY, secrets.token_urlsafe(9))
    return run_registry.Owner(token, get_script_run_ctx().session_id, _browser())


def _reclaim(slot_id: str) -> bool:
    """Take back this tab's work after a reload (see ``run_registry``); whether a run came back.

    The runs kept for Compare come back even when there is no run (a Reset before the reload).
    """
    slot = run_registry.claim(slot_id, _session())
    if slot is None:
        return False
    st.session_state[RUN_KEY] = slot_id
    runs.take_back(slot.earlier_runs, slot.job)
    st.session_state.update(slot.keepsakes)
    st.session_state[KEPT_KEY] = set(slot.keepsakes)
    if (job := slot.job) is None:
        if slot.earlier_runs or slot.keepsakes:
            st.toast("Your work is back, as it was.")
        return False
    st.session_state[JOB_KEY] = job
    if job.config.dataset == UPLOADED:
        st.session_state[UPLOADED_KEY] = job.data  # the run carries its CSV's data
    job.heartbeat()
    st.toast("Your run is back, as it was.")
    return True


def keep_run_across_reloads() -> None:
    """On every page: take the tab's work back after a reload, and keep its id in the URL.

    Streamlit drops the query parameters when the page changes, so each page puts ``?run=``
    back; the Train page's URL also carries the settings (``share_link``).
    """
    if not st.session_state.get(RECLAIM_TRIED_KEY):  # only a new session (a reload) reclaims
        st.session_state[RECLAIM_TRIED_KEY] = True
        in_url = st.query_params.get(RUN_PARAM)
        reclaimed = in_url and RUN_KEY not in st.session_state and _reclaim(in_url)
        if reclaimed and not st.query_params.get("dataset"):
            show_config(current_job().config)  # reloaded away from Train: its controls too
    mine = run_id()
    if mine and st.query_params.get(RUN_PARAM) != mine:
        st.query_params[RUN_PARAM] = mine
    elif not mine and RUN_PARAM in st.query_params:
        del st.query_params[RUN_PARAM]  # not this tab's work (any more)


def _slot_id() -> str:
    """The id of this session's slot, opened now if it has none (or another tab took it)."""
    _still_mine()
    if RUN_KEY not in st.session_state:
        earlier = st.session_state.setdefault(runs.ARCHIVE_KEY, [])
        st.session_state[RUN_KEY] = run_registry.open_slot(_session(), earlier)
        # In the URL at once, not on the next rerun: a reload right after must find it.
        st.query_params[RUN_PARAM] = st.session_state[RUN_KEY]
    return st.session_state[RUN_KEY]


def adopt(job: TrainingJob) -> None:
    """Make a new job this session's run, findable after a reload with the earlier runs."""
    slot_id = _slot_id()
    st.session_state[JOB_KEY] = job
    run_registry.put_job(slot_id, job)


def keep(key: str, value: object) -> None:
    """Set ``st.session_state[key]`` and keep it across reloads."""
    slot_id = _slot_id()
    st.session_state[key] = value
    st.session_state.setdefault(KEPT_KEY, set()).add(key)
    run_registry.keep(slot_id, key, value)


def let_go() -> TrainingJob | None:
    """Stop calling any job this session's run (Reset); returns the job it was.

    The slot stays, so a reload before the next Train still gets the earlier runs back.
    """
    if slot_id := st.session_state.get(RUN_KEY):
        run_registry.put_job(slot_id, None)
    return st.session_state.pop(JOB_KEY, None)


def run_id() -> str | None:
    """The id of this session's slot, for the address bar; None without one."""
    _still_mine()
    return st.session_state.get(RUN_KEY)


def was_taken_elsewhere() -> bool:
    """Whether this session's run moved to another tab since last asked."""
    return st.session_state.pop(TAKEN_KEY, False)


def _tab_jobs() -> list[TrainingJob]:
    """The jobs this tab holds: its Train run, and those it keeps (the adding race)."""
    jobs = [job] if (job := current_job()) else []
    for key in st.session_state.get(KEPT_KEY, ()):
        kept = st.session_state.get(key)
        if isinstance(kept, dict):
            jobs += [value for value in kept.values() if isinstance(value, TrainingJob)]
    return jobs


def keep_jobs_alive() -> None:
    """A slow always-on fragment on every page: tells the reaper this tab is still open.

    On every page, not only the one that shows a job: a run trains on (or waits, paused)
    while its user reads another page, and only a closed tab may cost it.
    """

    @st.fragment(run_every=HEARTBEAT_SECONDS)
    def _beat() -> None:
        for job in _tab_jobs():
            job.heartbeat()

    _beat()
