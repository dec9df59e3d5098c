"""The Gradient Lab page through AppTest: every control, section and lesson, no exceptions."""

import json
import re

import numpy as np
import pytest

from dashboard.lab_experiments import HIDE_OUTCOME
from dashboard.lab_view import CLIFF_DEFAULTS, EXPERIMENT_SECTION, REVEAL_BUTTON, SECTIONS
from dashboard.lessons import LESSONS, adding_baselines, run_exploding
from rnn_core import cliff


@pytest.fixture
def lab(open_page):
    return open_page("pages/gradient_lab.py")


def titles(at):
    return [json.loads(c.proto.spec)["layout"]["title"]["text"] for c in at.get("plotly_chart")]


def button(at, key):
    return at.button(key=key)


def test_instant_lab_renders_with_a_verdict_and_four_charts(lab):
    assert lab.title[0].value == "Gradient Lab"
    # A neutral start, no lesson's answer: the linear RNN's orthogonal W_hh keeps the gradient.
    assert lab.subheader[0].value == "Stable: the gradient from 50 steps back is ×1 the last step's"
    # Kept to rounding (ρ = 1 + 2e-16): two decades of axis around 1, not a zoom into 1e-13
    # where the exact theory looked like it was exploding.
    reach = json.loads(lab.get("plotly_chart")[0].proto.spec)
    assert reach["layout"]["yaxis"]["range"] == pytest.approx([-1, 1], abs=1e-9)
    assert len(lab.get("plotly_chart")) == 4
    assert {m.label for m in lab.metric} >= {"Spectral radius ρ", "γ = sup|f′|"}


def test_every_instant_control_redraws(lab):
    lab.slider(key="lab_length").set_value(40).run()
    lab.slider(key="lab_hidden").set_value(8).run()
    for activation in ("sigmoid", "relu", "leaky_relu", "swish", "linear", "tanh"):
        lab.selectbox(key="lab_activation").set_value(activation).run()
        assert not lab.exception
    for init in ("small_normal", "xavier", "orthogonal", "identity", "torch_uniform"):
        lab.selectbox(key="lab_init").set_value(init).run()
        assert not lab.exception
    lab.selectbox(key="lab_activation").set_value("linear")
    lab.selectbox(key="lab_init").set_value("orthogonal")
    lab.checkbox(key="lab_rescale").check().run()
    lab.slider(key="lab_rho").set_value(1.2).run()
    assert not lab.exception
    assert lab.subheader[0].value.startswith("Exploding")
    reach = json.loads(lab.get("plotly_chart")[0].proto.spec)
    assert any("exact" in t["name"] for t in reach["data"])


@pytest.mark.parametrize("index", range(len(LESSONS)))
def test_every_lesson_sets_controls_asks_and_answers(lab, index, widget_state_warnings):
    lesson = LESSONS[index]
    button(lab, f"lesson_{index}").click().run()
    assert not lab.exception
    # Streamlit warns (with a stack trace) when a widget has a value and is also set by code.
    assert widget_state_warnings() == []
    assert lesson.question in lab.info[0].value
    assert lab.radio(key="lab_section").value != ""
    assert lab.session_state["lab_activation"] == lesson.settings.activation
    assert lab.expander[0].label == f"Show the answer to “{lesson.title}”"
    # The outcome waits for the class's prediction: the lesson names the button that shows it.
    reveal = REVEAL_BUTTON[lesson.experiment]
    assert f"press **{reveal}**" in lab.info[0].value
    assert not lab.get("plotly_chart") and not lab.subheader
    lab.radio(key="lab_section").set_value("Why").run()  # elsewhere, the lesson steps aside
    assert not lab.info and not lab.expander
    lab.radio(key="lab_section").set_value(EXPERIMENT_SECTION[lesson.experiment]).run()
    assert f"press **{reveal}**" in lab.info[0].value
    if lesson.experiment == "instant":
        keys = [getattr(element, "key", None) for element in lab.main]  # in page order
        assert keys.index("lab_reveal") < keys.index("lab_length")  # by the question, on screen
        button(lab, "lab_reveal").click().run()
        verdict = lab.subheader[0].value
        # …and said again by the question, on screen, not only below the controls.
        assert lab.success[0].value.lower() == f"**measured:** {verdict.lower()}."
        assert titles(lab) == ["Gradient reach"] * 2 + titles(lab)[2:]  # its chart, by it too
        assert len(lab.get("plotly_chart")) == 5
        # The button stays (a vanished one dropped the keyboard focus), to ask the next class.
        assert button(lab, "lab_reveal").label == HIDE_OUTCOME
        button(lab, "lab_reveal").click().run()
        assert not lab.get("plotly_chart") and button(lab, "lab_reveal").label == reveal
    else:  # the exploding experiment: its button and outcome, measured, under the question
        keys = [getattr(element, "key", None) for element in lab.main]  # in page order
        assert keys.count("explode_run") == 1 and keys.index("explode_run") < keys.index(
            "lab_section"
        )
        button(lab, "explode_run").click().run()
        unclipped, clipped = run_exploding()
        assert unclipped.outcome.startswith("blew up at step 3 (loss ")  # step 3 overflows
        assert clipped.outcome.startswith("loss ") and clipped.outcome.endswith(" in 300 steps")
        assert lab.success[0].value == (
            f"**Measured:** no clipping: {unclipped.outcome}; norm clipping at 1.0: "
            f"{clipped.outcome}."
        )
        # The loss by the question, the gradient norms further down: each drawn once.
        assert titles(lab) == ["Training loss", "Gradient norm, before and after clipping"]
        assert button(lab, "explode_run").label == HIDE_OUTCOME
        button(lab, "explode_run").click().run()
        assert not lab.get("plotly_chart") and button(lab, "explode_run").label == reveal


def test_cliff_steps_unclipped_far_and_clipped_by_lr(lab):
    lab.radio(key="lab_section").set_value("Cliff and clipping").run()
    start_point = (CLIFF_DEFAULTS["cliff_w"], cliff.find_wall(CLIFF_DEFAULTS["cliff_w"]))
    button(lab, "cliff_step").click().run()
    assert not lab.exception

    def outcome(name):
        """(loss now, distance from the start) of one path, as its metric shows them."""
        m = next(m for m in lab.metric if m.label.startswith(f"Loss now, {name}"))
        return float(m.value), float(m.proto.delta.split(" in (w, b)")[0].removeprefix("moved "))

    assert outcome("unclipped")[1] > 10  # thrown off the wall
    assert outcome("clipped")[1] == pytest.approx(0.1, rel=1e-2)  # lr × threshold
    start = float(next(m.label for m in lab.metric if "unclipped" in m.label).split()[-1][:-1])
    # Later steps: the unclipped point rests on the plateau, its loss stuck; the clipped one
    # keeps lowering its loss.
    stuck, _ = outcome("unclipped")
    first_clipped, _ = outcome("clipped")
    button(lab, "cliff_step").click().run()
    assert outcome("unclipped")[0] == stuck and outcome("unclipped")[1] > 10
    assert outcome("clipped")[0] < first_clipped < start
    w, b = cliff.gradient_step(*start_point, lr=CLIFF_DEFAULTS["cliff_lr"])
    assert f"({w:,.0f}, {b:,.0f}), off this chart, in one step" in lab.caption[-1].value
    assert "onto a plateau where the gradient is about 0" in lab.caption[-1].value
    assert f"its loss stays at {stuck:.3g}" in lab.caption[-1].value
    assert "its loss keeps falling" in lab.caption[-1].value
    for _ in range(9):  # with these settings the 10th clipped step crosses the wall
        button(lab, "cliff_step").click().run()
    said = lab.caption[-1].value
    assert "keeps falling" not in said
    assert "Its loss fell for 9 steps, then rose at step 10 (0.0259 → 0.393)" in said
    for key, value in (
        ("cliff_lr", 0.05),
        ("cliff_clip", 2.0),
        ("cliff_w", 5.0),
    ):
        lab.number_input(key=key).set_value(value).run()
        assert not lab.exception
    start_b = next(t for t in lab.text_input if t.label == "Start b").value
    assert float(start_b) == pytest.approx(-2.6123, abs=1e-3)  # w = 5: its wall, found
    button(lab, "cliff_reset").click().run()
    assert not lab.metric  # no losses yet


def cliff_caption_after_a_step(lab, **controls):
    """The cliff's caption after one gradient step from these control values."""
    lab.radio(key="lab_section").set_value("Cliff and clipping").run()
    for key, value in controls.items():
        lab.number_input(key=key).set_value(value).run()
    button(lab, "cliff_step").click().run()
    return lab.caption[-1].value


def test_an_unclipped_step_that_stays_on_the_chart_is_not_called_stuck(lab):
    """Where the wall is soft (w = 4.5) a small step lands on the chart, still on a slope."""
    said = cliff_caption_after_a_step(lab, cliff_w=4.5, cliff_lr=0.001)
    assert "off this chart" not in said and "plateau" not in said
    assert "so it goes on moving" in said


def test_exploding_in_action(lab):
    lab.radio(key="lab_section").set_value("Exploding in action").run()
    button(lab, "explode_run").click().run()
    assert not lab.exception
    assert "diverged at step" in lab.error[0].value
    assert "300 steps" in lab.success[0].value
    assert "Gradient norm, before and after clipping" in titles(lab)
    gradient = json.loads(lab.get("plotly_chart")[0].proto.spec)
    names = [t["name"] for t in gradient["data"]]
    assert names == [
        "no clipping",  # nothing was clipped: no "after clipping" line to contradict it
        "norm clipping at 1.0: before clipping",
        "norm clipping at 1.0: after clipping",
    ]
    assert gradient["layout"]["xaxis"]["type"] == "log"  # the 2-step run is not a speck
    before, after = (gradient["data"][k]["line"] for k in (1, 2))
    assert before["color"] != after["color"] and after["dash"] == "dot"  # not hidden under it
    unclipped, clipped_run = run_exploding()
    norms = clipped_run.history["grad_norm"]  # (300,) about 10³ at first, cut to 1
    low, high = gradient["layout"]["yaxis"]["range"]  # log10 units: fits the clipped run
    assert low < 0 and np.log10(norms.max()) < high < np.log10(norms.max()) + 2
    assert np.log10(unclipped.history["grad_norm"].max()) > high + 10  # leaves the top, said:
    assert "leaves the top of the chart: up to " in gradient["layout"]["title"]["subtitle"]["text"]
    loss = json.loads(lab.get("plotly_chart")[1].proto.spec)
    clipped = run_exploding()[1].history["loss"]  # (300,) falls from 10 to 0.007
    low, high = loss["layout"]["yaxis"]["range"]  # log10 units: fits the clipped run
    assert low < np.log10(clipped.min()) and np.log10(clipped.max()) < high < 3
    peak = f"{run_exploding()[0].history['loss'].max():.1e}"
    assert (
        f"leaves the top of the chart: up to {peak}" in loss["layout"]["title"]["subtitle"]["text"]
    )
    # An arrow at the top edge, above the unclipped run's last step on the chart (step 1,
    # log10 0), shows where it went: its line was a stub at the left edge.
    (arrow,) = loss["layout"]["annotations"]
    assert arrow["text"] == "no clipping: off the chart, then blew up" and arrow["showarrow"]
    assert (arrow["x"], arrow["y"]) == (0.0, high)


def test_adding_race_trains_three_contenders(lab):
    lab.radio(key="lab_section").set_value("Adding problem").run()
    assert button(lab, "race_pause").disabled  # no race to pause yet
    lab.slider(key="race_length").set_value(20)
    lab.number_input(key="race_epochs").set_value(1)
    button(lab, "race_start").click().run()
    lab.run()
    assert not lab.exception
    contenders = lab.session_state["adding_race"].values()
    assert {j.config.dataset_options["length"] for j in contenders} == {20}  # as set just now
    assert {j.config.epochs for j in contenders} == {1}
    val = json.loads(lab.get("plotly_chart")[0].proto.spec)
    names = [t["name"] for t in val["data"]]
    assert sum("init" in n or "IRNN" in n for n in names) == 3
    assert any("1/6" in n for n in names) and any("1/12" in n for n in names)
    # The two levels are named on their lines: five legend entries squashed the plot.
    in_legend = [t["name"] for t in val["data"] if t.get("showlegend", True)]
    assert len(in_legend) == 3 and not any("1/" in n for n in in_legend)
    assert [a["text"] for a in val["layout"]["annotations"]] == list(adding_baselines())
    assert not button(lab, "race_pause").disabled
    button(lab, "race_pause").click().run()
    jobs = lab.session_state["adding_race"]
    frozen = [j.trainer.step_count for j in jobs.values()]
    lab.run()
    assert not any(j.playing for j in jobs.values())
    assert [j.trainer.step_count for j in jobs.values()] == frozen
    assert len(lab.get("plotly_chart")) == 2  # the charts stay up to be discussed
    assert lab.caption[-1].value.startswith("Paused at step"), lab.caption[-1].value
    assert button(lab, "race_pause").label == "Resume"
    button(lab, "race_pause").click().run()  # goes on from where it was paused
    while any(j.playing for j in jobs.values()):
        lab.run()
    lab.run()  # the run after the last tick draws the end (the live page reruns itself)
    assert [j.trainer.step_count for j in jobs.values()] == [j.max_steps for j in jobs.values()]
    assert lab.caption[-1].value.startswith("Finished:")
    assert button(lab, "race_pause").disabled  # over: nothing to pause or resume


# Every TeX command the formulas use. A command glued to the next letter ("\\qquadJ") is an
# unknown one, which KaTeX draws in red in the middle of the formula.
TEX_COMMANDS = {"big", "cdots", "frac", "gamma", "lVert", "le", "left", "max", "operatorname"}
TEX_COMMANDS |= {"partial", "qquad", "rVert", "rho", "right", "sigma", "sqrt", "text", "top"}


def test_why_section_renders_the_formulas(lab):
    lab.radio(key="lab_section").set_value("Why").run()
    assert not lab.exception
    assert len(lab.latex) >= 3
    inline = [math for m in lab.markdown for math in re.findall(r"\$[^$]+\$", m.value)]
    used = {
        cmd
        for tex in [*(x.value for x in lab.latex), *inline]
        for cmd in re.findall(r"\\([A-Za-z]+)", tex)
    }
    assert used <= TEX_COMMANDS, used - TEX_COMMANDS


def test_all_sections_render(lab):
    for section in SECTIONS:
        lab.radio(key="lab_section").set_value(section).run()
        assert not lab.exception


def test_a_finished_race_says_who_got_below_the_twelfth_line():
    from types import SimpleNamespace

    from dashboard.lab_experiments import _race_outcome

    def job(mse):
        return SimpleNamespace(trainer=SimpleNamespace(val_history=SimpleNamespace(last=mse)))

    jobs = {"tanh": job({"val_loss": 0.12}), "IRNN": job({"val_loss": 0.04}), "x": job(None)}
    assert _race_outcome(jobs) == (
        "Below the 1/12 line, so using both numbers: IRNN (0.04). Not: tanh (0.12), x (inf)."
    )
    assert _race_outcome({"tanh": job({"val_loss": 0.12})}).startswith("None got below")


def test_the_race_says_when_a_train_run_shares_the_processor(open_page):
    at = open_page("pages/train.py")
    next(b for b in at.button if b.label == "Train").click().run()
    job = at.session_state["train_job"]
    assert job.playing
    at.switch_page("pages/gradient_lab.py").run()
    at.radio(key="lab_section").set_value("Adding problem").run()
    assert "still training and slows the race down" in at.warning[0].value
    button(at, "race_pause_train").click().run()
    assert not job.playing
    assert not at.warning  # nothing competes with the race any more


def test_clipped_steps_long_enough_to_leave_the_wall_are_not_said_to_stay_near_it(lab):
    """lr 1 × threshold 10: the clipped point jumps onto the plateau as well."""
    said = cliff_caption_after_a_step(lab, cliff_lr=1.0, cliff_clip=10.0)
    assert "stays near the wall" not in said
    assert "it is on the plateau as well" in said
