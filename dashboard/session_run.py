"""The browser session's Train run: kept in the session, and found again after a reload.

The job lives in ``st.session_state`` (so two browser sessions never share a run) and in
``run_registry`` under an id that every page's address carries (``?run=``): a reload starts
a new session with empty state, which takes its run back from the registry, and with it the
session's earlier runs for Compare (``runs.take_back``). The registry
decides who owns a run, so a tab whose run moved to another tab lets it go.
"""

from __future__ import annotations

import secrets

import streamlit as st
from streamlit.runtime.scriptrunner import get_script_run_ctx

from . import run_registry, runs
from .config import UPLOADED
from .job import TrainingJob
from .widgets import UPLOADED_KEY, show_config

JOB_KEY = "train_job"
RUN_KEY = "train_run_id"  # the job's id in run_registry, also in the URL as ?run=
RUN_PARAM = "run"
SESSION_TOKEN_KEY = "_session_token"
RECLAIM_TRIED_KEY = "_run_reclaim_tried"
TAKEN_KEY = "_run_taken_elsewhere"


def current_job() -> TrainingJob | None:
    """The job of this browser session, if any (and if no other tab has claimed it since)."""
    job = st.session_state.get(JOB_KEY)
    registered = st.session_state.get(RUN_KEY)
    if job is not None and registered and not run_registry.owns(registered, _session()):
        del st.session_state[JOB_KEY], st.session_state[RUN_KEY]
        st.session_state[TAKEN_KEY] = True  # say so on the next full run (controls)
        return None
    return job


def _session() -> run_registry.Owner:
    """The browser session running this script, as the run registry knows it."""
    token = st.session_state.setdefault(SESSION_TOKEN_KEY, secrets.token_urlsafe(9))
    return run_registry.Owner(token, get_script_run_ctx().session_id)


def _reclaim_run(claimed_id: str) -> bool:
    """Take back this tab's run after a reload (see ``run_registry``); whether it did."""
    job = run_registry.claim(claimed_id, _session())
    if job is None:
        return False
    st.session_state[JOB_KEY], st.session_state[RUN_KEY] = job, claimed_id
    if job.config.dataset == UPLOADED:
        st.session_state[UPLOADED_KEY] = job.data  # the run carries its CSV's data
    runs.take_back(job)
    job.heartbeat()
    st.toast("Your run is back, as it was.")
    return True


def keep_run_across_reloads() -> None:
    """On every page: take the tab's run back after a reload, and keep its id in the URL.

    Streamlit drops the query parameters when the page changes, so each page puts ``?run=``
    back; the Train page's URL also carries the settings (``share_link``).
    """
    if not st.session_state.get(RECLAIM_TRIED_KEY):  # only a new session (a reload) reclaims
        st.session_state[RECLAIM_TRIED_KEY] = True
        in_url = st.query_params.get(RUN_PARAM)
        reclaimed = in_url and current_job() is None and _reclaim_run(in_url)
        if reclaimed and not st.query_params.get("dataset"):
            show_config(current_job().config)  # reloaded away from Train: its controls too
    mine = run_id()
    if mine and st.query_params.get(RUN_PARAM) != mine:
        st.query_params[RUN_PARAM] = mine
    elif not mine and RUN_PARAM in st.query_params:
        del st.query_params[RUN_PARAM]  # not this tab's run (any more)


def adopt(job: TrainingJob) -> None:
    """Make a new job this session's run, findable after a reload."""
    st.session_state[JOB_KEY] = job
    st.session_state[RUN_KEY] = run_registry.register(job, _session())
    runs.travel_with(job)


def let_go() -> TrainingJob | None:
    """Stop calling any job this session's run (Reset); returns the job it was."""
    st.session_state.pop(RUN_KEY, None)
    return st.session_state.pop(JOB_KEY, None)


def run_id() -> str | None:
    """The id of this session's run, for the address bar; None without one."""
    return st.session_state.get(RUN_KEY) if current_job() else None


def was_taken_elsewhere() -> bool:
    """Whether this session's run moved to another tab since last asked."""
    return st.session_state.pop(TAKEN_KEY, False)
