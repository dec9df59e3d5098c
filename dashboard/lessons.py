"""Gradient Lab presets: lessons for a classroom and the training experiments behind them.

A lesson sets the instant lab's controls, asks a one-line question (predict, then observe),
and names the experiment that answers it. The experiments are plain ``RunConfig``s, trained
with the same engine and job machinery as the Train page.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from .config import RunConfig, build_trainer, load_data

EXPLODE_STEPS = 300


@dataclass(frozen=True)
class LabSettings:
    """The instant lab's controls."""

    length: int = 100
    hidden_size: int = 32
    activation: str = "tanh"
    init: str = "torch_uniform"
    spectral_radius: float | None = None


@dataclass(frozen=True)
class Lesson:
    """Predict, then observe: settings, a question, and what to look at afterwards."""

    title: str
    question: str
    settings: LabSettings
    experiment: str  # "instant" or "exploding": the section that answers it
    answer: str = ""


LESSONS = (
    Lesson(
        "Make it vanish",
        "With PyTorch's default initialisation and tanh, how much of the last step's gradient "
        "is left 50 steps back: half, a thousandth, or less?",
        LabSettings(100, 32, "tanh", "torch_uniform"),
        "instant",
        "Far less, about 1e-14. Over many steps the gradient shrinks by W_hh's spectral "
        "radius, about 0.55 here, per step, and tanh's slope (below 1) shrinks it further: "
        "0.55⁵⁰ is already ~1e-13. A single step can lose less (σ_max ≈ 1 bounds one step), "
        "but over k steps ‖W_hhᵏ‖ shrinks like ρᵏ; see Why.",
    ),
    Lesson(
        "Make it explode",
        "A linear RNN whose W_hh is 1.2 × an orthogonal matrix: what is the gradient 50 steps "
        "back, compared with the last step's?",
        LabSettings(100, 32, "linear", "orthogonal", 1.2),
        "instant",
        "1.2⁵⁰ ≈ 9,100 times larger, exactly: every step back multiplies by ρ = 1.2.",
    ),
    Lesson(
        "Rescue with clipping",
        "ρ = 1.05 and plain SGD: will training survive 300 steps without clipping? With norm "
        "clipping at 1.0?",
        LabSettings(50, 16, "linear", "orthogonal", 1.05),
        "exploding",
        "Unclipped, no. The first gradient is huge (norm ≈ 775: the state grows ×1.05 per "
        "step going forward and the gradient ×1.05 per step going back), so the first update "
        "moves the weights by lr × 775 ≈ 7.75 and W_hh's spectral radius jumps from 1.05 to "
        "about 4.5; by step 3 the gradients overflow. Clipped, every step has length at most "
        "lr × 1.0 and the loss falls overall, zig-zagging, from about 10 to below 0.01 in 300 "
        "steps.",
    ),
    Lesson(
        "Rescue with identity init",
        "ReLU with W_hh = I (IRNN): does the gradient still reach 50 steps back?",
        LabSettings(100, 32, "relu", "identity"),
        "instant",
        "Yes, mostly: W_hh = I keeps norms and ReLU's slope is 1 on active units, so the only "
        "loss is units that switch off (the dark cells of the saturation map). About two "
        "thirds of the gradient is still there 50 steps back, where tanh with PyTorch's init "
        "keeps ~1e-14. The first steps of the sequence get far less: the state starts at 0 "
        "and units switch off there, so the loss is no steady rate per step. Reaching is not "
        "yet learning: in the race of the Adding problem section "
        "(its defaults) the IRNN gets below the 1/12 line well before tanh with PyTorch's init "
        "(which never does in this race; with other seeds it gets there last), but more "
        "slowly than tanh with orthogonal init.",
    ),
)


def exploding_config(clip: str) -> RunConfig:
    """Linear, ρ = 1.05, SGD on 50-step sine windows: diverges unclipped, trains clipped."""
    return RunConfig(
        dataset="sine",
        dataset_options={
            "window": 50,
            "noise": 0.0,
            "frequency": 0.04,
            "many_to_many": False,
            "seed": 0,
        },
        activation="linear",
        init="orthogonal",
        spectral_radius=1.05,
        hidden_size=16,
        optimizer="sgd",
        lr=0.01,
        batch_size=32,
        clip=clip,
        clip_threshold=1.0,
        epochs=1000,
        seed=0,
    )


@dataclass(frozen=True)
class ExplodingRun:
    """One side of the exploding experiment, trained to completion or divergence."""

    label: str
    clipped: bool  # trained with norm clipping
    history: dict[str, np.ndarray]
    steps: int
    diverged_message: str | None
    final_loss: float | None

    @property
    def outcome(self) -> str:
        """What happened, short enough for the line under the lesson's question."""
        if self.diverged_message:
            loss = self.history["loss"][-1]
            return f"blew up at step {self.steps + 1} (loss {loss:.1e} at step {self.steps})"
        return f"loss {self.history['loss'][0]:.3g} → {self.final_loss:.3g} in {self.steps} steps"


def run_exploding(steps: int = EXPLODE_STEPS) -> list[ExplodingRun]:
    """Train the exploding preset without and with norm clipping (synchronous, < 1 s)."""
    runs = []
    for clip, label in (("none", "no clipping"), ("norm", "norm clipping at 1.0")):
        config = exploding_config(clip)
        data = load_data(config)
        trainer = build_trainer(config, data)
        trainer.step(steps)
        last = trainer.history.last
        runs.append(
            ExplodingRun(
                label=label,
                clipped=clip != "none",
                history=trainer.history.as_dict(),
                steps=trainer.step_count,
                diverged_message=trainer.diverged.message if trainer.diverged else None,
                final_loss=last["loss"] if last else None,
            )
        )
    return runs


ADDING_VARIANTS = {
    "tanh, PyTorch default init": {"activation": "tanh", "init": "torch_uniform"},
    "tanh, orthogonal init": {"activation": "tanh", "init": "orthogonal"},
    "IRNN: ReLU, identity init": {"activation": "relu", "init": "identity"},
}


def adding_configs(length: int, epochs: int = 30) -> dict[str, RunConfig]:
    """The three contenders on the adding problem: Adam, norm clipping, same seed and data."""
    return {
        label: RunConfig(
            dataset="adding",
            dataset_options={"length": length, "n_samples": 4000, "seed": 0},
            hidden_size=32,
            optimizer="adam",
            lr=0.001,
            batch_size=32,
            clip="norm",
            clip_threshold=1.0,
            epochs=epochs,
            seed=0,
            **variant,
        )
        for label, variant in ADDING_VARIANTS.items()
    }


def adding_baselines() -> dict[str, float]:
    """The two reference MSEs every adding-problem chart is drawn against."""
    return {"predict 1 (1/6)": 1 / 6, "remember only the later number (1/12)": 1 / 12}
