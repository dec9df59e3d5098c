"""Leaving a page and coming back keeps what the user set there (Streamlit would reset it)."""

import pytest
from conftest import shown

CSV = "day,temp,rain\n" + "".join(f"{i},{10 + i % 7},{i % 3}\n" for i in range(120))


@pytest.fixture
def at(open_page):
    return open_page("pages/home.py")


def visit_home_and_return(at, page):
    at.switch_page("pages/home.py").run()
    at.switch_page(page).run()
    assert not at.exception


def test_train_controls_survive_a_visit_to_another_page(at, widget_state_warnings):
    at.switch_page("pages/train.py").run()
    at.selectbox(key="dataset").set_value("weather").run()
    at.number_input(key="opt_weather_window").set_value(14)
    at.number_input(key="hidden_size").set_value(40)
    at.select_slider(key="chart_refresh").set_value(1.0).run()
    visit_home_and_return(at, "pages/train.py")
    assert at.selectbox(key="dataset").value == "weather"
    assert at.number_input(key="opt_weather_window").value == 14
    assert at.number_input(key="hidden_size").value == 40
    assert at.select_slider(key="chart_refresh").value == 1.0
    assert widget_state_warnings() == []  # no widget has both a value and a state


def test_an_uploaded_csv_and_its_columns_survive_a_visit_to_another_page(at):
    at.switch_page("pages/datasets.py").run()
    at.radio(key="ds_source").set_value("Your CSV").run()
    at.file_uploader(key="ds_upload").upload("mine.csv", CSV.encode(), "text/csv").run()
    at.selectbox(key="ds_target").set_value("temp")
    at.multiselect(key="ds_inputs").set_value(["temp", "rain"]).run()
    assert "mine.csv: " in shown(at.success[0].value)
    visit_home_and_return(at, "pages/datasets.py")
    assert at.radio(key="ds_source").value == "Your CSV"
    assert any("**mine.csv**, uploaded earlier" in shown(c.value) for c in at.caption)
    assert at.selectbox(key="ds_target").value == "temp"
    assert at.multiselect(key="ds_inputs").value == ["temp", "rain"]
    assert "mine.csv: " in shown(at.success[0].value)


def test_instant_lab_controls_survive_a_visit_to_another_page(at):
    at.switch_page("pages/gradient_lab.py").run()
    at.slider(key="lab_length").set_value(40).run()
    visit_home_and_return(at, "pages/gradient_lab.py")
    assert at.slider(key="lab_length").value == 40


def test_a_new_csv_drops_column_choices_it_does_not_have(at):
    at.switch_page("pages/datasets.py").run()
    at.radio(key="ds_source").set_value("Your CSV").run()
    at.file_uploader(key="ds_upload").upload("a.csv", CSV.encode(), "text/csv").run()
    at.multiselect(key="ds_inputs").set_value(["rain"]).run()
    other = "t,level\n" + "".join(f"{i},{i % 5}\n" for i in range(120))
    at.file_uploader(key="ds_upload").upload("b.csv", other.encode(), "text/csv").run()
    assert not at.exception
    assert at.selectbox(key="ds_target").value == "level"
    assert at.multiselect(key="ds_inputs").value == ["level"]  # as for a first file
    assert "b.csv: " in shown(at.success[0].value)


def test_emptying_the_inputs_of_the_same_file_is_the_users_choice(at):
    at.switch_page("pages/datasets.py").run()
    at.radio(key="ds_source").set_value("Your CSV").run()
    at.file_uploader(key="ds_upload").upload("a.csv", CSV.encode(), "text/csv").run()
    at.multiselect(key="ds_inputs").set_value([]).run()
    assert at.multiselect(key="ds_inputs").value == []  # not refilled behind the user's back
    assert "choose at least one input column" in at.error[0].value


def test_removing_the_file_forgets_it(at):
    at.switch_page("pages/datasets.py").run()
    at.radio(key="ds_source").set_value("Your CSV").run()
    at.file_uploader(key="ds_upload").upload("a.csv", CSV.encode(), "text/csv").run()
    at.file_uploader(key="ds_upload").clear().run()
    assert not at.success
    assert not any("uploaded earlier" in c.value for c in at.caption)


def test_the_cliff_and_race_controls_survive_a_visit_to_another_page(at, widget_state_warnings):
    at.switch_page("pages/gradient_lab.py").run()
    at.radio(key="lab_section").set_value("Cliff and clipping").run()
    at.number_input(key="cliff_lr").set_value(0.05).run()
    visit_home_and_return(at, "pages/gradient_lab.py")
    assert at.radio(key="lab_section").value == "Cliff and clipping"
    assert at.number_input(key="cliff_lr").value == 0.05
    at.radio(key="lab_section").set_value("Adding problem").run()
    at.number_input(key="race_epochs").set_value(7).run()
    visit_home_and_return(at, "pages/gradient_lab.py")
    assert at.number_input(key="race_epochs").value == 7
    assert widget_state_warnings() == []
