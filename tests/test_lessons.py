"""Gradient Lab presets: the exploding experiment and the adding-problem contenders."""

import numpy as np

from dashboard.config import build_trainer, load_data
from dashboard.lessons import (
    LESSONS,
    adding_configs,
    exploding_config,
    gradient_reach,
    run_exploding,
)


def test_exploding_preset_diverges_unclipped_and_trains_clipped():
    unclipped, clipped = run_exploding(300)
    assert unclipped.diverged_message is not None and unclipped.steps < 10
    assert clipped.diverged_message is None and clipped.steps == 300
    assert np.isfinite(clipped.history["loss"]).all()
    assert clipped.final_loss < 0.3
    assert np.all(clipped.history["grad_norm_clipped"] <= 1.0 + 1e-6)
    assert clipped.history["grad_norm"].max() > 10  # it really needed clipping


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


def test_every_lesson_asks_a_question_and_names_its_experiment():
    for lesson in LESSONS:
        assert lesson.question.endswith("?")
        assert lesson.experiment in {"instant", "exploding", "adding"}
        assert lesson.answer
