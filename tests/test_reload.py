"""A reload gives the tab its Train run back; other tabs never drive it."""

from conftest import button, metric, reload, shown

from dashboard import live_controls, session_run


def test_a_reload_on_another_page_keeps_the_run_and_its_settings(page):
    page.number_input(key="hidden_size").set_value(20).run()
    button(page, "Step").click().run()
    job = page.session_state[session_run.JOB_KEY]
    page.switch_page("pages/datasets.py").run()
    assert page.query_params[session_run.RUN_PARAM]  # every page's address carries the run
    again = reload(page, "pages/datasets.py")
    again.switch_page("pages/train.py").run()
    assert again.session_state[session_run.JOB_KEY] is job
    assert again.number_input(key="hidden_size").value == 20
    assert metric(again, "Step") == "10"


def test_a_reload_gives_the_run_back(page):
    page.number_input(key="hidden_size").set_value(20).run()
    button(page, "Step").click().run()
    job = page.session_state[session_run.JOB_KEY]
    assert page.query_params[session_run.RUN_PARAM]
    again = reload(page)
    assert again.session_state[session_run.JOB_KEY] is job
    assert metric(again, "Step") == "10"
    assert again.number_input(key="hidden_size").value == 20
    assert not any("differ" in w.value for w in again.warning)
    share = again.sidebar.code[0].value
    assert f"{session_run.RUN_PARAM}=" not in share  # a shared link never carries the run


def test_a_reload_keeps_the_runs_training_pace(page):
    """A slow classroom demo reloaded went on at full speed: the slider had its default."""
    page.select_slider(key=live_controls.PACE_KEY).set_value(5).run()
    button(page, "Step").click().run()
    job = page.session_state[session_run.JOB_KEY]
    again = reload(page)
    assert again.select_slider(key=live_controls.PACE_KEY).value == 5
    assert job.pace == 5.0


def test_a_link_to_a_run_whose_tab_is_open_gives_only_its_settings(page, monkeypatch):
    from dashboard import run_registry

    monkeypatch.setattr(run_registry, "OWNER_GRACE", 0.0)
    monkeypatch.setattr(run_registry, "_session_is_open", lambda session: True)
    button(page, "Step").click().run()
    visitor = reload(page)
    assert session_run.JOB_KEY not in visitor.session_state
    assert session_run.RUN_PARAM not in visitor.query_params  # its address drops the run
    assert "press **Train**" in visitor.info[0].value
    on_datasets = reload(page, "pages/datasets.py")  # the same on any page
    assert session_run.JOB_KEY not in on_datasets.session_state
    assert session_run.RUN_PARAM not in on_datasets.query_params


def test_a_tab_whose_run_was_taken_back_elsewhere_lets_it_go(page):
    button(page, "Step").click().run()
    again = reload(page)  # AppTest's sessions never look connected: the run moves
    assert again.session_state[session_run.JOB_KEY]
    page.run()
    assert session_run.JOB_KEY not in page.session_state  # two tabs never drive one run
    assert "press **Train**" in page.info[0].value
    assert "Your run moved to another tab" in page.warning[0].value
    assert session_run.RUN_PARAM not in page.query_params  # nor is its id in this address
    page.run()
    assert session_run.JOB_KEY not in page.session_state  # and it does not take it back


def test_a_tab_whose_run_moved_keeps_its_next_runs_to_itself(page):
    button(page, "Step").click().run()
    again = reload(page)  # the run and the session's (empty) list of earlier runs move
    page.run()
    button(page, "Step").click().run()
    button(page, "Reset").click().run()  # archived in the old tab only
    again.switch_page("pages/compare.py").run()
    assert len(again.multiselect(key="compare_runs").options) == 1  # just the run it took


def test_runs_are_numbered_on_after_a_reload(page):
    button(page, "Step").click().run()
    page.switch_page("pages/compare.py").run()  # numbers the current run: #1
    page.switch_page("pages/train.py").run()
    again = reload(page)
    button(again, "Reset").click().run()
    button(again, "Step").click().run()
    again.switch_page("pages/compare.py").run()
    labels = again.multiselect(key="compare_runs").options
    assert [label.split(" ", 1)[0] for label in labels] == ["#1", "#2"]


def test_a_reload_keeps_the_earlier_runs_for_compare(page):
    button(page, "Step").click().run()
    button(page, "Reset").click().run()  # archived as #1
    page.number_input(key="hidden_size").set_value(20).run()
    button(page, "Step").click().run()
    button(page, "Reset").click().run()  # archived as #2
    button(page, "Step").click().run()  # the current run
    again = reload(page)
    again.switch_page("pages/compare.py").run()
    labels = again.multiselect(key="compare_runs").options
    assert [label.split(" ", 1)[0] for label in labels] == ["#1", "#2", "#3"]
    assert "H=20" in labels[1]
    assert again.multiselect(key="compare_runs").value == labels  # a few runs: all overlaid
    again.switch_page("pages/train.py").run()
    button(again, "Reset").click().run()
    button(again, "Step").click().run()
    again.switch_page("pages/compare.py").run()
    labels = again.multiselect(key="compare_runs").options
    assert [label.split(" ", 1)[0] for label in labels] == ["#1", "#2", "#3", "#4"]


def test_a_reset_run_is_not_given_back_but_the_earlier_runs_are(page):
    button(page, "Step").click().run()
    button(page, "Reset").click().run()  # archived as #1; no run until the next Train
    assert page.query_params[session_run.RUN_PARAM]  # the address still finds the runs
    again = reload(page)
    assert session_run.JOB_KEY not in again.session_state
    assert "press **Train**" in again.info[0].value
    again.switch_page("pages/compare.py").run()
    labels = again.multiselect(key="compare_runs").options
    assert [label.split(" ", 1)[0] for label in labels] == ["#1"]


def test_a_reload_gives_the_adding_race_back_as_it_was(open_page):
    lab = open_page("pages/gradient_lab.py")
    lab.radio(key="lab_section").set_value("Adding problem").run()
    lab.slider(key="race_length").set_value(20)
    lab.number_input(key="race_epochs").set_value(1)
    button(lab, "Start the race").click().run()
    jobs = lab.session_state["adding_race"]
    lab.radio(key="lab_section").set_value("Why").run()  # looking elsewhere at the reload
    again = reload(lab, "pages/gradient_lab.py")
    assert again.session_state["adding_race"] is jobs
    assert again.radio(key="lab_section").value == "Why"  # where the page was, as its address says
    again.radio(key="lab_section").set_value("Adding problem").run()
    assert again.slider(key="race_length").value == 20
    assert len(again.get("plotly_chart")) == 2
    lab.run()
    assert "adding_race" not in lab.session_state  # the tab it left no longer drives it


def test_a_reload_keeps_the_csv_uploaded_on_the_datasets_page(open_page):
    csv = "x\n" + "".join(f"{i % 7}.5\n" for i in range(60))
    at = open_page("pages/datasets.py")
    at.radio(key="ds_source").set_value("Your CSV").run()
    at.file_uploader(key="ds_upload").upload("series.csv", csv.encode()).run()
    again = reload(at, "pages/datasets.py")
    again.radio(key="ds_source").set_value("Your CSV").run()
    assert any("Showing **series.csv**, uploaded earlier" in shown(c.value) for c in again.caption)
    again.file_uploader(key="ds_upload").upload("series.csv", csv.encode()).run()
    again.file_uploader(key="ds_upload").clear().run()  # the user's ×: gone for good
    gone = reload(again, "pages/datasets.py")
    gone.radio(key="ds_source").set_value("Your CSV").run()
    assert not any("uploaded earlier" in c.value for c in gone.caption)


def test_every_page_tells_the_reaper_the_tab_is_open(open_page):
    """A run trains on while its user reads another page: only a closed tab may stop it."""
    at = open_page("pages/gradient_lab.py")
    at.radio(key="lab_section").set_value("Adding problem").run()
    at.slider(key="race_length").set_value(20)
    at.number_input(key="race_epochs").set_value(1)
    at.button(key="race_start").click().run()
    at.switch_page("pages/train.py").run()
    button(at, "Step").click().run()
    jobs = [at.session_state[session_run.JOB_KEY], *at.session_state["adding_race"].values()]
    for page in ("pages/datasets.py", "pages/compare.py", "pages/home.py"):
        for job in jobs:
            job.last_seen = -1e9  # silent for ages, as the reaper would see it
        at.switch_page(page).run()
        assert all(job.last_seen > 0 for job in jobs), page
