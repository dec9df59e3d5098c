"""Gradient Lab presets: the exploding experiment and the adding-problem contenders."""

import numpy as np
import pytest

from dashboard.config import build_trainer, load_data
from dashboard.evaluate import gradient_reach
from dashboard.lab_experiments import RACE_DEFAULTS
from dashboard.lessons import (
    ADDING_VARIANTS,
    LESSONS,
    adding_baselines,
    adding_configs,
    exploding_config,
    run_exploding,
)
from rnn_core.lab import measure


def test_exploding_preset_diverges_unclipped_and_trains_clipped():
    unclipped, clipped = run_exploding(300)
    assert unclipped.diverged_message is not None and unclipped.steps < 10
    assert clipped.diverged_message is None and clipped.steps == 300
    assert np.isfinite(clipped.history["loss"]).all()
    assert clipped.final_loss < 0.3
    assert np.all(clipped.history["grad_norm_clipped"] <= 1.0 + 1e-6)
    assert clipped.history["grad_norm"].max() > 10  # it really needed clipping
    assert min(r.history["step"].min() for r in (unclipped, clipped)) >= 1  # a log axis draws it


def test_the_clipping_lessons_story_is_what_happens_unclipped():
    """ "norm ≈ 775 … moves the weights by ≈ 7.75 and ρ jumps from 1.05 to about 4.5; by step
    3 the gradients overflow" (lessons.py)."""
    config = exploding_config("none")
    trainer = build_trainer(config, load_data(config))

    def rho():
        return np.abs(np.linalg.eigvals(trainer.model.params["W_hh"])).max()

    assert rho() == pytest.approx(1.05)
    trainer.step(1)
    assert trainer.history.as_dict()["grad_norm"][0] == pytest.approx(775, rel=0.02)
    assert 4.0 < rho() < 5.0
    trainer.step(5)
    assert trainer.diverged.step == 3 and trainer.diverged.quantity == "gradient"


def test_exploding_configs_differ_only_in_clipping():
    a, b = exploding_config("none").to_dict(), exploding_config("norm").to_dict()
    assert {k for k in a if a[k] != b[k]} == {"clip"}


def test_adding_contenders_train_and_report_gradient_reach():
    configs = adding_configs(length=20)
    assert len(configs) == 3
    for config in configs.values():
        data = load_data(config)
        trainer = build_trainer(config, data)
        trainer.step(3)
        reach = gradient_reach(trainer.last.dh_norms)
        assert reach is not None and reach > 0


def race_results():
    """Each contender's validation curve after a race at the defaults, in race order."""
    curves = []
    length, epochs = RACE_DEFAULTS["race_length"], RACE_DEFAULTS["race_epochs"]
    for config in adding_configs(length, epochs).values():
        trainer = build_trainer(config, load_data(config))
        trainer.step(config.epochs * trainer.batches_per_epoch)
        curves.append(trainer.val_history.as_dict())
    return curves


def first_below(curve, level):
    """The first step at which a validation curve is below ``level`` (inf if it never is)."""
    below = curve["step"][curve["val_loss"] < level]
    return below[0] if len(below) else np.inf


def test_the_race_at_its_defaults_shows_what_the_irnn_lesson_says():
    """Below 1/12 well before tanh with PyTorch's init (which never is), after orthogonal init."""
    assert list(ADDING_VARIANTS) == [
        "tanh, PyTorch default init",
        "tanh, orthogonal init",
        "IRNN: ReLU, identity init",
    ]
    curves = race_results()
    one_sixth, one_twelfth = 1 / 6, 1 / 12
    assert set(adding_baselines().values()) == {one_sixth, one_twelfth}
    default, orthogonal, irnn = (first_below(c, one_twelfth) for c in curves)
    assert orthogonal < irnn < default == np.inf  # the order the lines cross 1/12 in
    last = [c["val_loss"][-1] for c in curves]
    assert last[2] < one_twelfth < last[0]  # and where they end


def test_every_lesson_asks_a_question_and_names_its_experiment():
    for lesson in LESSONS:
        assert lesson.question.endswith("?")
        assert lesson.experiment in {"instant", "exploding"}
        assert lesson.answer


def lesson_measurement(title):
    """The instant lab's measurement with a lesson's settings."""
    s = next(lesson for lesson in LESSONS if lesson.title == title).settings
    return measure(
        length=s.length,
        hidden_size=s.hidden_size,
        activation=s.activation,
        init=s.init,
        spectral_radius=s.spectral_radius,
    )


def test_the_vanishing_lessons_numbers_are_what_the_lab_measures():
    m = lesson_measurement("Make it vanish")
    assert 0.5 < m.spectral_radius < 0.6  # the answer says "about 0.55"
    assert m.sigma_max == pytest.approx(1.0, abs=0.05)  # "σ_max ≈ 1 bounds one step"
    assert 1e-15 < m.measured[-51] < 1e-13  # "about 1e-14" 50 steps back


def test_the_irnn_lessons_gradient_reaches_fifty_steps_back():
    m = lesson_measurement("Rescue with identity init")
    assert 0.5 < m.measured[-51] < 0.8  # "about two thirds"
    assert m.measured[0] < 0.05  # "the first steps of the sequence get far less"


def test_the_instant_lab_does_not_open_on_a_lessons_answer():
    """A lesson asks the class to predict; the page must not have shown the answer already."""
    from dashboard.lab_view import INSTANT_DEFAULTS

    d = INSTANT_DEFAULTS
    opening = (d["lab_length"], d["lab_hidden"], d["lab_activation"], d["lab_init"], None)
    for lesson in LESSONS:
        s = lesson.settings
        assert (s.length, s.hidden_size, s.activation, s.init, s.spectral_radius) != opening
