"""What every page does first: go through ``app.py``, keep the controls' values and the run.

A direct link to a page (``/train``) must work on a freshly started server.

Streamlit treats an app with a ``pages/`` folder as an old-style (v1) multipage app until
``st.navigation`` has run once in the process; until then a first visit to ``/train`` runs
``pages/train.py`` on its own, skipping ``app.py`` (no page config, a second menu). Pages call
``enter_page()``: it switches the process to ``st.navigation`` routing and, if this session
has not run ``app.py`` yet, reruns so that it does. ``PagesManager`` is Streamlit's internal
switch for this; if a future Streamlit moves it, the fallback is only the cosmetic v1 menu.
"""

from __future__ import annotations

import streamlit as st

from .persist import keep_control_values
from .session_run import keep_jobs_alive, keep_run_across_reloads

APP_RAN = "_rnnlab_entered_through_app"


def _use_navigation_routing() -> None:
    try:
        from streamlit.runtime.pages_manager import PagesManager
    except ImportError:
        return
    PagesManager.uses_pages_directory = False


def mark_app_ran() -> None:
    """Called by ``app.py`` on every run."""
    st.session_state[APP_RAN] = True


def require_app() -> None:
    """Rerun through ``app.py`` when a page was started without it."""
    _use_navigation_routing()
    if not st.session_state.get(APP_RAN):
        st.rerun()


def enter_page() -> None:
    """Start a page: through ``app.py``, keeping the controls' values and the tab's run.

    This is done here rather than in ``app.py`` because Streamlit's ``AppTest`` runs a page
    on its own after ``switch_page``; here it runs for the browser and tests alike.
    """
    require_app()
    keep_run_across_reloads()  # first: a run taken back sets controls, which are then kept
    keep_control_values()
    keep_jobs_alive()
