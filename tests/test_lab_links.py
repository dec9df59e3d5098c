"""The Gradient Lab's address carries its setup: a teacher's link opens the lab the same way."""

from conftest import APP, reload
from streamlit.testing.v1 import AppTest

from dashboard.lessons import LESSONS

LAB = "pages/gradient_lab.py"


def open_link(monkeypatch, params):
    """The lab opened from a link carrying ``params``, in a fresh session."""
    monkeypatch.setenv("RNNLAB_INLINE_TRAINING", "1")
    at = AppTest.from_file(APP, default_timeout=60)
    at.query_params.update(params)
    at.run()
    at.switch_page(LAB).run()
    assert not at.exception
    return at


def test_a_link_sets_the_lab_s_section_and_controls(monkeypatch):
    at = open_link(monkeypatch, {"section": "cliff", "cliff_lr": "0.05", "act": "relu"})
    assert at.radio(key="lab_section").value == "Cliff and clipping"
    assert at.number_input(key="cliff_lr").value == 0.05
    assert at.session_state["lab_activation"] == "relu"
    assert not at.warning


def test_the_address_follows_the_controls(open_page):
    lab = open_page(LAB)
    lab.slider(key="lab_length").set_value(40).run()
    lab.selectbox(key="lab_init").set_value("identity").run()
    assert (lab.query_params["T"], lab.query_params["init"]) == ("40", "identity")
    lab.radio(key="lab_section").set_value("Adding problem").run()
    assert lab.query_params["section"] == "adding" and lab.query_params["race_T"] == "50"
    again = reload(lab, LAB)  # the same address: the same lab
    assert again.radio(key="lab_section").value == "Adding problem"
    again.radio(key="lab_section").set_value("Instant lab").run()
    assert again.slider(key="lab_length").value == 40
    assert again.selectbox(key="lab_init").value == "identity"


def test_a_lesson_link_asks_the_lesson_s_question(monkeypatch):
    at = open_link(monkeypatch, {"lesson": "2"})
    assert at.session_state["lab_lesson"] == 1
    assert at.info[0].value.startswith(f"**{LESSONS[1].title}.**")
    assert at.query_params["lesson"] == "2"


def test_bad_values_are_named_and_the_rest_applied(monkeypatch):
    at = open_link(monkeypatch, {"T": "5000", "act": "gelu", "H": "8", "lesson": "²"})
    said = at.warning[0].value
    assert "T must be a whole number from 2 to 200; got '5000'" in said
    assert "act must be one of tanh" in said and "lesson must be a whole number from 1 to" in said
    assert at.slider(key="lab_hidden").value == 8  # the usable value is applied
    assert at.slider(key="lab_length").value == 100  # the others keep their defaults


def test_a_lesson_number_too_long_for_int_is_named_not_a_traceback(monkeypatch):
    at = open_link(monkeypatch, {"lesson": "1" * 5000})  # int() refuses over 4,300 digits
    assert not at.exception
    assert "lesson must be a whole number from 1 to" in at.warning[0].value


def test_every_control_the_lab_keeps_is_in_its_links():
    """A control added to the lab but not to its links would be silently left out of them."""
    from dashboard.lab_link import PARAMS
    from dashboard.persist import LAB_KEYS

    assert set(PARAMS) == set(LAB_KEYS)
