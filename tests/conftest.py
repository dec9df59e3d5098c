"""Shared fixtures: small random problems with fixed seeds."""

import re
from pathlib import Path

import numpy as np
import pytest


@pytest.fixture
def rng():
    return np.random.default_rng(1234)


def random_problem(rng, model, batch=4, steps=6):
    """Random inputs and targets shaped for ``model``."""
    cfg = model.config
    X = rng.standard_normal((batch, steps, cfg.input_size))
    shape = (batch, steps, cfg.output_size) if cfg.many_to_many else (batch, cfg.output_size)
    return X, rng.standard_normal(shape)


APP = str(Path(__file__).resolve().parent.parent / "app.py")


@pytest.fixture
def open_page(monkeypatch):
    """Open a page of the app in AppTest with training driven inline (deterministic ticks)."""
    from streamlit.testing.v1 import AppTest

    monkeypatch.setenv("RNNLAB_INLINE_TRAINING", "1")

    def _open(path):
        at = AppTest.from_file(APP, default_timeout=120).run()
        at.switch_page(path).run()
        assert not at.exception
        return at

    return _open


@pytest.fixture
def widget_state_warnings(caplog):
    """Streamlit's warnings about a widget given a value *and* set through session state.

    Streamlit logs that warning on a logger that does not propagate (so ``caplog`` alone never
    sees it) and only once per process (so the flag is reset for each test).
    """
    import logging

    from streamlit.elements.lib import policies

    logger = logging.getLogger(policies.__name__)
    logger.addHandler(caplog.handler)
    policies._shown_default_value_warning = False
    yield lambda: [r.getMessage() for r in caplog.records if "Session State API" in r.getMessage()]
    logger.removeHandler(caplog.handler)


@pytest.fixture
def page(open_page):
    """The Train page, trained inline."""
    return open_page("pages/train.py")


def button(at, label):
    return next(b for b in at.button if b.label == label)


def metric(at, label):
    return next(m.value for m in at.metric if m.label == label)


def steps_done(at):
    """The Train page's Step metric as a number."""
    return int(metric(at, "Step").replace(",", ""))


def reload(at, page="pages/train.py"):
    """The same URL in a new session, as a browser reload gives."""
    from streamlit.testing.v1 import AppTest

    fresh = AppTest.from_file(APP, default_timeout=60)
    fresh.query_params.update(at.query_params)
    fresh.run()
    fresh.switch_page(page).run()
    assert not fresh.exception
    return fresh


def shown(markdown: str) -> str:
    """Markdown as the page shows it: user text arrives backslash-escaped (markdown_text)."""
    return re.sub(r"\\(.)", r"\1", markdown)
