"""The Train page through Streamlit's AppTest, training inline (deterministic ticks)."""

import json

import pytest
from conftest import APP, button, metric, reload, steps_done
from streamlit.testing.v1 import AppTest

from dashboard import session_run, train_view
from dashboard.config import BUILT_IN, DATASET_OPTIONS


def drawn(at):
    """Charts with data; before training the page shows one empty loss chart."""
    return [c for c in at.get("plotly_chart") if json.loads(c.proto.spec)["data"]]


def charts(at):
    return {
        json.loads(c.proto.spec)["layout"]["title"]["text"]: json.loads(c.proto.spec)
        for c in at.get("plotly_chart")
    }


def test_page_renders_with_defaults(page):
    assert page.title[0].value == "Train"
    assert {b.label for b in page.button} >= {"Train", "Step", "Reset"}
    assert "Pause" not in {b.label for b in page.button}  # Train becomes Pause while training
    assert page.selectbox(key="dataset").value == "sine"
    assert "press **Train**" in page.info[0].value


def test_step_trains_and_draws_all_chart_kinds(page):
    button(page, "Step").click().run()
    assert not page.exception
    assert metric(page, "Step") == "10"
    assert metric(page, "Steps/s") == "–"  # not training now: no rate, rather than "0"
    titles = set(charts(page))
    assert any(t.startswith("Loss") for t in titles)
    assert any(t.startswith("Hidden state") for t in titles)
    assert any(t.startswith("Gradient reaching each step") for t in titles)
    assert any(t.startswith("Gradient norm per parameter") for t in titles)
    assert any(t.startswith("Prediction vs truth") for t in titles)
    heatmap = next(c for t, c in charts(page).items() if t.startswith("Hidden state"))
    assert heatmap["data"][0]["type"] == "heatmap" and heatmap["data"][0]["zmid"] == 0
    prediction = next(c for t, c in charts(page).items() if t.startswith("Prediction"))
    assert any("rollout" in trace["name"] for trace in prediction["data"])  # sine: free-running


def test_train_ticks_and_pause_stops_progress(page):
    button(page, "Train").click().run()
    assert "Train" not in {b.label for b in page.button}
    first = steps_done(page)
    page.run()
    second = steps_done(page)
    assert second > first > 0
    assert metric(page, "Train loss") != "–"
    button(page, "Pause").click().run()
    assert "Pause" not in {b.label for b in page.button}
    paused = metric(page, "Step")
    page.run()
    page.run()
    assert metric(page, "Step") == paused
    assert metric(page, "Status") == "paused"


def test_reset_clears_the_run(page):
    button(page, "Step").click().run()
    assert drawn(page)
    button(page, "Reset").click().run()
    assert not drawn(page)
    assert not page.metric
    assert "press **Train**" in page.info[0].value


def test_diverging_configuration_explains_instead_of_crashing(page):
    page.selectbox(key="activation").set_value("linear")
    page.selectbox(key="optimizer").set_value("sgd")
    page.number_input(key="lr").set_value(50.0)
    page.radio(key="clip").set_value("none")
    page.checkbox(key="rescale").check()
    page.run()
    page.slider(key="spectral_radius").set_value(2.0).run()
    button(page, "Train").click().run()
    for _ in range(5):
        page.run()
    assert not page.exception
    assert metric(page, "Status") == "diverged"
    text = page.error[0].value
    assert "Training stopped: the loss blew up" in text and "diverged at step" in text
    assert "smaller learning rate" in text
    assert len(drawn(page)) >= 4  # the last finite model is still drawn


def test_a_network_that_overflows_untrained_is_not_blamed_on_the_learning_rate(open_page):
    link = "dataset=adding&d_length=400&act=relu&init=identity&rho=2.0&opt=sgd&clip=none"
    page = open_page("pages/home.py")
    page.query_params.update(dict(pair.split("=") for pair in link.split("&")))
    page.switch_page("pages/train.py").run()
    button(page, "Step").click().run()
    assert "diverged at step 1:" in page.error[0].value
    assert "the learning rate and clipping cannot help" in page.error[0].value
    why = next(m.value for m in page.markdown if m.value.startswith("Why:"))
    assert "overflow before any training" in why and "learning rate" not in why
    # It kept no step, but it is a result to compare: Reset keeps it for Compare.
    button(page, "Reset").click().run()
    page.switch_page("pages/compare.py").run()
    assert page.multiselect(key="compare_runs").options[0].startswith("#1 ")


def test_a_read_out_that_overflows_is_not_blamed_on_the_recurrence(open_page):
    page = open_page("pages/home.py")
    page.query_params.update({"opt": "sgd", "lr": "100", "clip": "none"})
    page.switch_page("pages/train.py").run()
    for _ in range(10):
        if page.error:
            break
        button(page, "Step").click().run()
    assert "the weights of W_hy became non-finite" in page.error[0].value
    assert "recurrent scale" not in page.error[0].value  # not the recurrence's fault
    why = next(m.value for m in page.markdown if m.value.startswith("Why:"))
    assert why.startswith("Why: the read-out W_hy overflowed, not the recurrence")
    assert "W_hh" not in why


@pytest.mark.parametrize("dataset", sorted(BUILT_IN))
def test_every_dataset_option_renders_and_trains(page, dataset):
    page.selectbox(key="dataset").set_value(dataset).run()
    assert not page.exception
    for spec in DATASET_OPTIONS[dataset]:
        key = f"opt_{dataset}_{spec.name}"
        widget = (
            page.checkbox(key=key) if isinstance(spec.default, bool) else page.number_input(key=key)
        )
        assert widget.value == spec.default
    if any(s.name == "many_to_many" for s in DATASET_OPTIONS[dataset]):
        page.checkbox(key=f"opt_{dataset}_many_to_many").check().run()
    button(page, "Step").click().run()
    assert not page.exception
    assert metric(page, "Step") == "10"
    assert len(drawn(page)) == 5


def test_a_value_out_of_range_is_named_and_train_waits_for_a_fix(page):
    """The box keeps what was typed, and the run never uses another value than it shows."""
    page.number_input(key="lr").set_value(1e9).run()
    assert page.number_input(key="lr").value == 1e9
    assert "Learning rate: use a value from 1e-06 to 100." in [e.value for e in page.sidebar.error]
    assert "Learning rate must be a number from 1e-06 to 100; got 1e+09" in page.error[0].value
    assert button(page, "Train").disabled and button(page, "Step").disabled
    assert not page.info  # no "choose settings, then press Train" under the error
    page.number_input(key="lr").set_value(0.01).run()
    assert not page.error and not page.sidebar.error
    button(page, "Step").click().run()
    assert page.session_state[session_run.JOB_KEY].config.lr == 0.01
    page.number_input(key="lr").set_value(1e9).run()  # now a run exists: it is not locked out
    assert "go on with the run's own settings" in page.error[0].value
    button(page, "Step").click().run()
    assert page.session_state[session_run.JOB_KEY].config.lr == 0.01
    assert steps_done(page) == 2 * train_view.STEP_BUTTON_STEPS


def test_a_float_box_is_used_as_it_shows(page):
    """A box that showed %.3f made a linked 0.0051 read 0.005 while the run used 0.0051."""
    from dashboard.widgets import FLOAT_FORMAT

    page.number_input(key="opt_sine_frequency").set_value(0.0051).run()
    page.number_input(key="lr").set_value(0.000123456789).run()
    for key in ("opt_sine_frequency", "lr"):
        assert page.number_input(key=key).proto.format == FLOAT_FORMAT
    button(page, "Step").click().run()
    config = page.session_state[session_run.JOB_KEY].config
    assert config.dataset_options["frequency"] == 0.0051  # all of it shows: all of it is used
    assert config.lr == float(FLOAT_FORMAT % 0.000123456789) == 0.000123457  # used as shown


def test_a_window_too_long_for_the_series_is_named_at_its_box(page):
    """The validation part (150 of 1,000 points) holds at most a 149-step window and its target."""
    page.number_input(key="opt_sine_window").set_value(200).run()
    assert "Window length T: use a value from 2 to 149." in page.sidebar.error[0].value
    assert button(page, "Step").disabled
    page.number_input(key="opt_sine_window").set_value(149).run()
    button(page, "Step").click().run()
    assert not page.exception
    assert not page.error


def test_the_longest_window_the_data_allows_draws_every_chart(page):
    # Window 149 leaves one validation window: nothing to forecast beyond it.
    page.number_input(key="opt_sine_window").set_value(149).run()
    button(page, "Step").click().run()
    assert not page.exception
    assert len(drawn(page)) == 5
    assert "free-running" not in str(charts(page)["Prediction vs truth (validation)"])


def test_changing_settings_during_a_run_keeps_it_and_says_how_to_apply(page):
    button(page, "Step").click().run()
    page.number_input(key="hidden_size").set_value(8).run()
    assert metric(page, "Step") == "10"
    assert any("press **Reset** to start a new run" in w.value for w in page.warning)


def test_two_sessions_never_share_a_run(page, monkeypatch):
    button(page, "Step").click().run()
    other = AppTest.from_file(APP, default_timeout=60).run()
    other.switch_page("pages/train.py").run()
    assert not drawn(other)
    assert "press **Train**" in other.info[0].value
    assert metric(page, "Step") == "10"


def test_a_finished_run_trains_on_from_its_weights(page):
    page.number_input(key="epochs").set_value(1).run()
    finish(page)
    budget = steps_done(page)
    assert "**Train** goes on for 1 more epoch" in page.success[0].value
    assert "1 epoch trained" in page.success[0].value
    job = page.session_state[session_run.JOB_KEY]
    train = button(page, "Train")
    assert not train.disabled
    train.click().run()
    page.run()
    assert steps_done(page) > budget  # continued, not restarted
    assert page.session_state[session_run.JOB_KEY] is job


def test_step_steps_on_from_a_finished_run(page):
    page.number_input(key="epochs").set_value(1).run()
    finish(page)
    budget = steps_done(page)
    step = button(page, "Step")
    assert not step.disabled
    step.click().run()
    assert steps_done(page) == budget + train_view.STEP_BUTTON_STEPS


def finish(at):
    """Train inline until the budget is spent, then draw the page once more (inline ticks
    run after the buttons are drawn, so only the next run shows them as they now are)."""
    button(at, "Train").click().run()
    for _ in range(50):
        if metric(at, "Status") == "finished":
            break
        at.run()
    assert metric(at, "Status") == "finished"
    at.run()


def test_a_run_worse_than_a_guess_is_not_just_done(page):
    page.number_input(key="epochs").set_value(1)
    page.number_input(key="lr").set_value(100.0).run()  # finite but useless
    finish(page)
    assert "predicts worse than a guess" in page.warning[0].value
    assert "smaller learning rate" in page.warning[0].value
    loss = charts(page)["Loss"]
    assert loss["layout"]["title"]["subtitle"]["text"] == "mean squared error, data's own units"
    hovers = [t["hovertemplate"] for t in loss["data"]][-2:]
    assert "predict the training mean" in hovers[0] and "repeat the last value" in hovers[1]


def test_a_run_that_learned_gets_no_warning(page, monkeypatch):
    from dashboard import run_advice

    # Where the page says why a near-perfect fit's loss jumps (run_advice works it out).
    monkeypatch.setattr(run_advice, "jumps_near_a_perfect_fit", lambda snap, job: "It jumps.")
    page.number_input(key="epochs").set_value(3).run()
    finish(page)
    assert not page.warning
    assert [i.value for i in page.info] == ["It jumps."]


def test_training_on_an_uploaded_csv(monkeypatch):
    import io

    from rnn_core.datasets import load_csv

    monkeypatch.setenv("RNNLAB_INLINE_TRAINING", "1")
    rows = "".join(f"{i},{(i * 7) % 13 + i / 10:.2f}\n" for i in range(150))
    data = load_csv(io.BytesIO(f"t,value\n{rows}".encode()), target="value", window=5)
    at = AppTest.from_file(APP, default_timeout=60)
    at.session_state["uploaded_data"] = data  # what the Datasets page's button stores
    at.session_state["dataset"] = "uploaded"
    at.run()
    at.switch_page("pages/train.py").run()
    assert at.selectbox(key="dataset").value == "uploaded"
    button(at, "Step").click().run()
    assert not at.exception
    assert metric(at, "Step") == "10"
    again = reload(at)  # the reloaded tab has no CSV of its own: the run brings its data
    assert again.selectbox(key="dataset").value == "uploaded"
    assert not again.warning and not again.error
    assert metric(again, "Step") == "10"


def test_uploaded_dataset_without_a_file_says_where_to_get_one(page):
    from dashboard.config import RunConfig, load_data
    from rnn_core.datasets import DatasetError

    with pytest.raises(DatasetError, match="upload one on the Datasets page"):
        load_data(RunConfig(dataset="uploaded"))
    assert "uploaded" not in page.selectbox(key="dataset").options


def test_a_verdict_from_one_validation_window_comes_with_a_warning(page):
    page.number_input(key="opt_sine_window").set_value(149)
    page.number_input(key="epochs").set_value(1).run()
    finish(page)
    assert any(w.value.startswith("Only 1 validation window: ") for w in page.warning)


def test_changed_settings_say_what_changed_and_make_reset_the_button_to_press(page):
    button(page, "Step").click().run()
    assert button(page, "Train").proto.type == "primary"
    page.number_input(key="hidden_size").set_value(4)
    page.selectbox(key="optimizer").set_value("sgd").run()
    note = next(w.value for w in page.warning if "differ" in w.value)
    assert "Hidden units H 16 → 4" in note and "Optimizer Adam → SGD" in note
    assert "**Train** goes on with the run's own settings" in note
    assert button(page, "Reset").proto.type == "primary"
    assert button(page, "Train").proto.type == "secondary"
    button(page, "Reset").click().run()
    assert not any("differ" in w.value for w in page.warning)
    assert button(page, "Train").proto.type == "primary"
    assert any("kept on the Compare page" in t.value for t in page.toast)


@pytest.mark.parametrize("dataset", sorted(BUILT_IN))
def test_the_sidebar_says_what_each_dataset_asks_of_the_network(page, dataset):
    from dashboard.config import DATASET_TASKS

    page.selectbox(key="dataset").set_value(dataset).run()
    assert DATASET_TASKS[dataset] in [c.value for c in page.sidebar.caption]


def test_a_many_to_many_run_says_how_its_loss_and_charts_read(page):
    """Its loss sat far above the many-to-one run's and its forecast vanished, unexplained."""
    page.checkbox(key="opt_sine_many_to_many").check()
    page.number_input(key="epochs").set_value(1).run()
    finish(page)
    note = next(c.value for c in page.caption if c.value.startswith("Predicting at every step"))
    assert "No free-running forecast" in note
    page.checkbox(key="opt_sine_many_to_many").uncheck()
    button(page, "Reset").click().run()
    finish(page)
    assert not any(c.value.startswith("Predicting at every step") for c in page.caption)


def test_a_changed_dataset_is_one_change_not_one_per_option_it_leaves():
    from dashboard.config import RunConfig
    from dashboard.setting_labels import changes

    old = RunConfig(dataset="sine", hidden_size=16)
    new = RunConfig(dataset="counting", hidden_size=8)
    assert changes(old, new) == [
        "Dataset Sine wave → Counting 1, 2, 3, 4 → 2, 3, 4, 5 (seed 001)",
        "Hidden units H 16 → 8",
    ]
    assert changes(old, RunConfig(dataset="sine", dataset_options={"window": 30})) == [
        "sine: Window length T 20 → 30"  # the same dataset: its options are the changes
    ]


def test_a_truncation_window_as_long_as_the_sequence_is_said_to_be_full_bptt(page):
    page.number_input(key="bptt_window").set_value(20).run()  # the sine window is T = 20
    said = "A window of 20 steps cuts nothing from sequences of T = 20: this is full BPTT."
    assert said in [c.value for c in page.sidebar.caption]
    page.number_input(key="bptt_window").set_value(19).run()  # now it cuts
    assert not any("full BPTT" in c.value for c in page.sidebar.caption)
    page.selectbox(key="dataset").set_value("sum").run()
    page.number_input(key="opt_sum_length").set_value(1).run()
    page.number_input(key="bptt_window").set_value(1).run()
    said = "A window of 1 step cuts nothing from sequences of T = 1: this is full BPTT."
    assert said in [c.value for c in page.sidebar.caption]
