"""How the Train page shows a run: pace, chart redraws and metric texts, never the run itself."""

import numpy as np
from conftest import button, metric, steps_done

from dashboard import live_controls, session_run, train_charts, train_view
from rnn_core.wording import tenths


def test_chart_refresh_is_a_display_choice_that_leaves_the_run_alone(page):
    refresh = page.select_slider(key=live_controls.CHART_REFRESH_KEY)
    assert refresh.value == live_controls.CHART_REFRESH_SECONDS == 3.0
    assert list(refresh.options) == [f"{s:g} s" for s in live_controls.CHART_REFRESH_CHOICES]
    button(page, "Train").click().run()
    before = steps_done(page)
    page.select_slider(key=live_controls.CHART_REFRESH_KEY).set_value(1.0).run()
    assert not page.exception
    assert page.select_slider(key=live_controls.CHART_REFRESH_KEY).value == 1.0
    assert metric(page, "Status") == "training"  # not reset, and no "settings differ" notice
    assert steps_done(page) > before
    assert not any("differ" in w.value for w in page.warning)


def test_the_training_pace_applies_to_the_running_job_without_a_reset(page):
    pace = page.select_slider(key=live_controls.PACE_KEY)
    assert pace.value == live_controls.FULL_SPEED
    assert list(pace.options) == [
        "1 step/s",
        "5 steps/s",
        "20 steps/s",
        "100 steps/s",
        "full speed",
    ]
    button(page, "Train").click().run()
    job = page.session_state[session_run.JOB_KEY]
    assert job.pace is None
    page.select_slider(key=live_controls.PACE_KEY).set_value(5).run()
    assert page.session_state[session_run.JOB_KEY] is job and job.pace == 5.0
    # Charts then redraw every second, whatever the redraw control says: it steps aside.
    refresh = page.select_slider(key=live_controls.CHART_REFRESH_KEY)
    assert refresh.disabled and refresh.label.endswith("(1 s at a limited pace)")
    assert metric(page, "Status") == "training"
    assert not any("differ" in w.value for w in page.warning)


def test_epochs_read_whole_when_whole():
    assert tenths(1000.0) == "1,000"
    assert tenths(263.4) == "263.4"


def test_losses_fit_their_metric_box_even_near_divergence():
    assert train_view._loss_text(0.0123456) == "0.0123"
    assert train_view._loss_text(0.000312) == "3.12e-04"  # "0.000312" is cut in its box
    assert train_view._loss_text(0.0) == "0"
    assert train_view._loss_text(6.184e284) == "6e+284"
    assert train_view._loss_text(40912.3) == "40,912"  # "4.09e+04" was cut to "4.09e+…"
    assert train_view._loss_text(None) == "–"


def test_the_gradient_chart_says_its_number_in_words():
    """What crosses the sequence, as text: a screen reader reads none of the plot."""
    fading = {"layer0": np.array([1e-9, 1e-5, 1.0])}  # (T,) ‖∂L/∂hₜ‖
    assert train_charts.reach_caption(fading, many_to_many=False) == (
        "2 steps back, at the first step, the gradient is 1e-09 × its size at the last: it has "
        "vanished, so the first inputs teach the network nothing."
    )
    growing = {"layer0": np.array([1e8, 1.0])}
    assert "exploding" in train_charts.reach_caption(growing, many_to_many=False)
    assert train_charts.reach_caption({"layer0": np.array([0.5, 1.0])}, False).endswith(
        "0.5 × its size at the last."
    )
    assert "own loss" in train_charts.reach_caption(fading, many_to_many=True)  # not vanishing
    assert train_charts.reach_caption({"layer0": np.array([np.inf, 1.0])}, False) == ""
    assert train_charts.reach_caption({"layer0": np.array([0.5, 1.0])}, False).startswith(
        "1 step back"
    )
    assert train_charts.reach_caption({"layer0": np.array([1.0])}, False) == ""  # T = 1


def test_a_step_puts_the_gradient_s_reach_under_its_chart(page):
    button(page, "Step").click().run()
    assert any(c.value.startswith("19 steps back, at the first step,") for c in page.caption)
