"""One training run's settings as a validated record, and how to build it.

Data flow: widgets -> ``RunConfig`` -> ``datasets.load`` -> ``RNN`` + optimizer
-> ``Trainer``. Everything the user can set lives here with its default and bounds, so the
widgets, the validation and URL sharing read the same table.
"""

from __future__ import annotations

from dataclasses import asdict, dataclass, field
from typing import Any

from rnn_core import ACTIVATIONS, INITS, RNN, Clipping, Trainer, datasets, make_optimizer
from rnn_core.config import RNNConfig
from rnn_core.datasets import DatasetError, SequenceData
from rnn_core.optim import OPTIMIZERS
from rnn_core.wording import number

from .run_size import too_big, too_slow


@dataclass(frozen=True)
class OptionSpec:
    """One dataset option as the UI shows it."""

    name: str
    label: str
    default: int | float | bool
    low: float = 0
    high: float = 1
    step: float = 1
    help: str = ""


WINDOW = OptionSpec(
    "window",
    "Window length T",
    20,
    2,
    149,
    1,
    "Time steps the network reads. At most 149: the validation part is 150 of the series' "
    "1000 points and must hold a window plus its target (149 leaves a single validation "
    "window; 50 leaves 100).",
)
NOISE = OptionSpec("noise", "Noise σ", 0.0, 0.0, 1.0, 0.01, "Gaussian noise added to the series.")
SEED = OptionSpec("seed", "Data seed", 0, 0, 10_000, 1, "Same seed, same data.")
MANY = OptionSpec("many_to_many", "Predict at every step (many-to-many)", False)

DATASET_OPTIONS: dict[str, tuple[OptionSpec, ...]] = {
    "sine": (
        WINDOW,
        NOISE,
        OptionSpec("frequency", "Frequency (cycles/step)", 0.04, 0.005, 0.5, 0.005),
        MANY,
        SEED,
    ),
    "sincos": (
        WINDOW,
        NOISE,
        OptionSpec("components", "Sine/cosine pairs", 3, 1, 10, 1),
        MANY,
        SEED,
    ),
    "sum": (OptionSpec("length", "Sequence length T", 10, 1, 200, 1), MANY, SEED),
    "weather": (OptionSpec("window", "Window length (days)", 7, 1, 60, 1), MANY),
    "adding": (
        OptionSpec("length", "Sequence length T", 20, 2, 400, 1, "The memory span to bridge."),
        OptionSpec("n_samples", "Sequences", 4000, 200, 50_000, 100),
        SEED,
    ),
    "counting": (OptionSpec("length", "Sequence length T", 4, 2, 50, 1), SEED),
    "uploaded": (),  # the CSV loaded on the Datasets page; its options were chosen there
}
UPLOADED = "uploaded"
BUILT_IN = tuple(name for name in DATASET_OPTIONS if name != UPLOADED)

DATASET_TITLES = {
    "sine": "Sine wave",
    "sincos": "Sin + cos mixture",
    "sum": "Sum of a sequence",
    "weather": "Seattle weather (real)",
    "adding": "Adding problem (long memory)",
    "counting": "Counting 1, 2, 3, 4 → 2, 3, 4, 5 (seed 001)",
    "uploaded": "Your CSV",  # the sidebar says which file and choices (csv_choices)
}
# What the network is asked to do, in a line under the Dataset box (the Datasets page has more).
DATASET_TASKS = {
    "sine": "Predict the next point of a sine wave from the last T points.",
    "sincos": "Predict the next point of a mix of sine and cosine waves from the last T points.",
    "sum": "Read T random numbers and output their sum.",
    "weather": "From the last days' weather in Seattle, predict tomorrow's maximum temperature.",
    "adding": "Add the two values marked among T random ones: a test of long memory.",
    "counting": "Read k, k+1, …, k+T−1 (k a random start, not always whole) and predict the "
    "next number at every step.",
}
CLIP_CHOICES = ("none", "norm", "value")


def default_options(dataset: str) -> dict[str, Any]:
    """The defaults of a dataset's options."""
    return {o.name: o.default for o in DATASET_OPTIONS[dataset]}


class ConfigError(ValueError):
    """A setting is out of range; the message names it and what is allowed."""


@dataclass(frozen=True)
class Limits:
    """The range of one numeric setting; an int ``low`` makes it an integer setting."""

    label: str
    low: int | float
    high: int | float


# The sidebar's controls (label and range), the checks below and shared links all use these,
# so a link can never carry a value the controls cannot show, and a message names the control.
NUMBER_LIMITS: dict[str, Limits] = {
    "hidden_size": Limits("Hidden units H", 1, 512),
    "num_layers": Limits("Layers", 1, 4),
    "batch_size": Limits("Batch size", 1, 4096),
    "epochs": Limits("Epochs", 1, 100_000),
    "seed": Limits("Seed (weights and shuffling)", 0, 2**31 - 1),
    "bptt_window": Limits("Truncated BPTT window (0 = full BPTT)", 0, 1000),
    "lr": Limits("Learning rate", 1e-6, 100.0),
    "clip_threshold": Limits("Clipping threshold", 1e-4, 1e4),
    "spectral_radius": Limits("Spectral radius ρ", 0.1, 2.0),
}


CHOICE_LABELS = {  # the other controls' labels, for the sidebar and the Compare table
    "dataset": "Dataset",
    "activation": "Activation f",
    "init": "Initialisation",
    "learn_h0": "Learnable initial state h0",
    "optimizer": "Optimizer",
    "clip": "Gradient clipping",
}


def _bounded(name: str, value: Any, low: float, high: float, kind: type) -> None:
    """ConfigError unless ``value`` is a ``kind`` (an int will do for a float) in [low, high]."""
    kinds = (int, float) if kind is float else kind
    ok = isinstance(value, kinds) and not isinstance(value, bool) and low <= value <= high
    if not ok:
        got = number(value) if isinstance(value, int | float) else repr(value)
        raise ConfigError(
            f"{name} must be {'a whole number' if kind is int else 'a number'} from "
            f"{number(low)} to {number(high)}; got {got}"
        )


def _check_option(spec: OptionSpec, value: Any) -> None:
    """ConfigError unless ``value`` suits the dataset option ``spec`` (type and range)."""
    if isinstance(spec.default, bool):
        if not isinstance(value, bool):
            raise ConfigError(f"{spec.label} must be true or false; got {value!r}")
        return
    _bounded(spec.label, value, spec.low, spec.high, type(spec.default))


def _one_of(name: str, value: Any, choices) -> None:
    if value not in choices:
        raise ConfigError(f"{name} must be one of {', '.join(choices)}; got {value!r}")


@dataclass(frozen=True)
class RunConfig:
    """Everything that defines a run; the same config and seed give the same curves."""

    dataset: str = "sine"
    dataset_options: dict[str, Any] = field(default_factory=dict)  # missing ones: defaults
    activation: str = "tanh"
    init: str = "orthogonal"
    spectral_radius: float | None = None
    hidden_size: int = 16
    num_layers: int = 1
    learn_h0: bool = False
    optimizer: str = "adam"
    lr: float = 0.005
    batch_size: int = 32
    clip: str = "norm"
    clip_threshold: float = 1.0
    bptt_window: int = 0  # 0: full BPTT
    # About 3 s on a 2-core machine for the default sine run: long enough to watch it learn
    # (100 epochs were over in a second, before the first chart redraw).
    epochs: int = 1000
    seed: int = 0

    def __post_init__(self) -> None:
        """Check every field; a bad one raises ``ConfigError`` naming it."""
        _one_of("dataset", self.dataset, DATASET_OPTIONS)
        # Frozen, so fill the dataset's defaults for options not given, once, here.
        object.__setattr__(
            self, "dataset_options", {**default_options(self.dataset), **self.dataset_options}
        )
        _one_of("activation", self.activation, ACTIVATIONS)
        _one_of("init", self.init, INITS)
        _one_of("optimizer", self.optimizer, OPTIMIZERS)
        _one_of("clipping", self.clip, CLIP_CHOICES)
        for name, limits in NUMBER_LIMITS.items():
            value = getattr(self, name)
            if value is not None:  # spectral_radius None: no rescale
                _bounded(limits.label, value, limits.low, limits.high, type(limits.low))
        unknown = set(self.dataset_options) - set(default_options(self.dataset))
        if unknown:
            raise ConfigError(
                f"dataset {self.dataset!r} has no option {', '.join(sorted(unknown))}"
            )
        for spec in DATASET_OPTIONS[self.dataset]:
            _check_option(spec, self.dataset_options[spec.name])

    def to_dict(self) -> dict[str, Any]:
        """Plain JSON-ready dict."""
        return asdict(self)

    @property
    def clipping(self) -> Clipping | None:
        """The engine's clipping rule, or None."""
        return None if self.clip == "none" else Clipping(self.clip, float(self.clip_threshold))


def load_data(config: RunConfig, uploaded: SequenceData | None = None) -> SequenceData:
    """The dataset a config asks for (raises ``DatasetError`` with a readable message).

    ``uploaded`` is the CSV the user loaded on the Datasets page, for ``dataset="uploaded"``.
    """
    if config.dataset != UPLOADED:
        return datasets.load(config.dataset, **config.dataset_options)
    if uploaded is None:
        raise DatasetError(
            "no CSV is loaded in this session: upload one on the Datasets page and press "
            "'Train on this data'"
        )
    return uploaded


def build_trainer(config: RunConfig, data: SequenceData) -> Trainer:
    """Model, optimizer and trainer for ``config`` on ``data``; errors say what to change."""
    model_config = RNNConfig(
        data.input_size,
        config.hidden_size,
        data.output_size,
        num_layers=config.num_layers,
        activation=config.activation,
        init=config.init,
        many_to_many=data.many_to_many,
        spectral_radius=config.spectral_radius,
        learn_h0=config.learn_h0,
        seed=config.seed,
    )
    # Speed first: a run too slow at this batch is no better at the batch that fits in memory.
    if reason := too_slow(model_config, config.batch_size, data) or too_big(
        model_config, config.batch_size, data
    ):
        raise ConfigError(reason)
    model = RNN.from_config(model_config)
    batches = -(-len(data.X_train) // config.batch_size)
    return Trainer(
        model,
        make_optimizer(config.optimizer, float(config.lr)),
        data.X_train,
        data.y_train,
        data.X_val,
        data.y_val,
        batch_size=config.batch_size,
        clipping=config.clipping,
        bptt_window=config.bptt_window or None,
        val_every=max(1, batches // 2),
        seed=config.seed,
    )


__all__ = ["ConfigError", "DatasetError", "RunConfig", "build_trainer", "load_data"]
