"""Sidebar controls <-> ``RunConfig``. Defaults learn something visible within seconds.

Every control is keyed, and its value lives in ``st.session_state``: ``widget_state(config)``
maps a config onto those keys, so a shared link (or a preset) sets the controls by writing the
state before the widgets are drawn, and the widgets themselves never pass a ``value``.
"""

from __future__ import annotations

from typing import Any

import streamlit as st

from rnn_core import ACTIVATIONS, INITS
from rnn_core.optim import OPTIMIZERS
from rnn_core.wording import count, number

from . import csv_choices
from .config import (
    BUILT_IN,
    CHOICE_LABELS,
    CLIP_CHOICES,
    DATASET_OPTIONS,
    DATASET_TASKS,
    DATASET_TITLES,
    NUMBER_LIMITS,
    UPLOADED,
    ConfigError,
    OptionSpec,
    RunConfig,
)
from .markdown_text import literal

UPLOADED_KEY = "uploaded_data"
SETTINGS_ERROR_KEY = "settings_error"  # why the sidebar's settings make no run, if they do not

OPTIMIZER_TITLES = {
    "sgd": "SGD",
    "momentum": "SGD + momentum 0.9",
    "nesterov": "SGD + Nesterov momentum 0.9",
    "rmsprop": "RMSprop",
    "adam": "Adam",
}
INIT_TITLES = {
    "small_normal": "small normal (randn·0.01, seed notebooks)",
    "torch_uniform": "PyTorch default U(±1/√H)",
    "xavier": "Xavier / Glorot uniform",
    "orthogonal": "orthogonal W_hh (Keras default)",
    "identity": "identity W_hh (the IRNN, with ReLU)",
}
PLAIN_FIELDS = (
    "activation",
    "init",
    "hidden_size",
    "num_layers",
    "learn_h0",
    "optimizer",
    "lr",
    "batch_size",
    "clip",
    "clip_threshold",
    "bptt_window",
    "epochs",
    "seed",
)


# One line on what each control does, for its "?" (the dataset options have their own).
HELP = {
    "activation": "The nonlinearity f in h_t = f(x_t W_xh + h_(t−1) W_hh + b): tanh squashes "
    "to (−1, 1), ReLU keeps positives, linear does nothing.",
    "init": "How the weights start. W_hh, the recurrent matrix, multiplies the hidden state "
    "at every step, so its start decides whether gradients vanish or explode.",
    "hidden_size": "Units in the hidden state h_t: the network's memory. More units, more "
    "capacity, slower steps.",
    "num_layers": "Recurrent layers stacked: each reads the hidden states of the one below.",
    "learn_h0": "Learn the starting hidden state h_0 too, instead of starting every sequence "
    "from zeros.",
    "optimizer": "How each gradient becomes a weight update. Adam adapts its step to each "
    "weight and forgives a rough learning rate; SGD takes exactly lr × gradient.",
    "lr": "The size of each update. Too small: slow. Too large: the loss jumps around or blows up.",
    "batch_size": "Training windows averaged into one gradient; an epoch is one pass over "
    "all of them.",
    "clip": "Cap the gradient before the update: by norm rescales the whole gradient to at "
    "most the threshold (PyTorch's clip_grad_norm_), by value clamps each entry.",
    "clip_threshold": "The most the gradient's norm (or each entry) may be after clipping.",
    "epochs": "Passes over the training windows; Train goes on for this many more after a "
    "finished run.",
    "seed": "Fixes the starting weights and the shuffling: the same seed, the same curves.",
}


def control(field: str) -> tuple[str, int | float, int | float]:
    """``(label, low, high)`` of a numeric control: its name and the range ``RunConfig`` accepts."""
    spec = NUMBER_LIMITS[field]
    return spec.label, spec.low, spec.high


FLOAT_FORMAT = "%.6g"  # a float box shows six significant digits: 0.0051, 1e-05, 2.5


def number_box(
    label: str, low: float, high: float, *, key: str, step: float = 1, **options: Any
) -> int | float:
    """A number box that keeps what is typed, and says under it when that is out of range.

    Given bounds, Streamlit's box would keep showing a value typed beyond them while the app
    got the previous one, with the reason only in a tooltip: the run would use a value the
    box does not show. Here the box's value is the app's, and an out-of-range one is named
    at once (``RunConfig`` refuses it too, so Train waits until it is fixed). An int ``step``
    makes a whole-number box.

    A float box returns what it shows: with ``%.3f`` a linked 0.0051 showed as 0.005 while
    the run used 0.0051, so floats show six significant digits and are used as shown.
    """
    if isinstance(step, float):
        options.setdefault("format", FLOAT_FORMAT)
    value = st.number_input(label, step=step, key=key, **options)
    if isinstance(step, float):
        value = float(options["format"] % value)
    if not low <= value <= high:
        st.error(f"{label}: use a value from {number(low)} to {number(high)}.")
    return value


def option_key(dataset: str, name: str) -> str:
    """Session-state key of one dataset option's widget."""
    return f"opt_{dataset}_{name}"


def widget_state(config: RunConfig) -> dict[str, Any]:
    """The session-state values that make the sidebar show ``config``."""
    state: dict[str, Any] = {"dataset": config.dataset}
    state.update({option_key(config.dataset, k): v for k, v in config.dataset_options.items()})
    state.update({name: getattr(config, name) for name in PLAIN_FIELDS})
    state["rescale"] = config.spectral_radius is not None
    state["spectral_radius"] = config.spectral_radius or 1.0
    return state


def show_config(config: RunConfig) -> None:
    """Set the controls to ``config`` (call before the sidebar is drawn)."""
    st.session_state.update(widget_state(config))


def _with_defaults() -> None:
    """Fill every control not yet in the state with its default (first visit, new dataset)."""
    dataset = st.session_state.get("dataset", RunConfig.dataset)
    for key, value in widget_state(RunConfig(dataset=dataset)).items():
        st.session_state.setdefault(key, value)


def option_widget(spec: OptionSpec, key: str) -> Any:
    """The control for one dataset option; its value is read from and kept in ``key``."""
    tip = spec.help or None
    if isinstance(spec.default, bool):
        return st.checkbox(spec.label, key=key, help=tip)
    if isinstance(spec.default, int):
        return int(
            number_box(spec.label, spec.low, spec.high, step=int(spec.step), key=key, help=tip)
        )
    return float(
        number_box(spec.label, spec.low, spec.high, step=float(spec.step), key=key, help=tip)
    )


def _data_controls() -> tuple[str, dict[str, Any]]:
    st.subheader("Data")
    choices = [*BUILT_IN, UPLOADED] if UPLOADED_KEY in st.session_state else list(BUILT_IN)
    if st.session_state.get("dataset") not in choices:
        st.session_state["dataset"] = RunConfig.dataset
    dataset = st.selectbox(
        CHOICE_LABELS["dataset"], choices, format_func=DATASET_TITLES.get, key="dataset"
    )
    if dataset == UPLOADED:
        data = st.session_state[UPLOADED_KEY]
        st.caption(
            "From the Datasets page: "
            f"{literal(csv_choices.summary(data.name, data.source_options))}."
        )
    else:
        st.caption(DATASET_TASKS[dataset])
    _with_defaults()
    return dataset, {
        s.name: option_widget(s, option_key(dataset, s.name)) for s in DATASET_OPTIONS[dataset]
    }


def _model_controls() -> dict[str, Any]:
    st.subheader("Model")
    values: dict[str, Any] = {
        "activation": st.selectbox(
            CHOICE_LABELS["activation"],
            list(ACTIVATIONS),
            key="activation",
            help=HELP["activation"],
        ),
        "init": st.selectbox(
            CHOICE_LABELS["init"], INITS, format_func=INIT_TITLES.get, key="init", help=HELP["init"]
        ),
        "hidden_size": int(
            number_box(*control("hidden_size"), key="hidden_size", help=HELP["hidden_size"])
        ),
        "num_layers": int(
            number_box(*control("num_layers"), key="num_layers", help=HELP["num_layers"])
        ),
        "learn_h0": st.checkbox(CHOICE_LABELS["learn_h0"], key="learn_h0", help=HELP["learn_h0"]),
    }
    rescale = st.checkbox(
        "Rescale W_hh to a spectral radius ρ",
        key="rescale",
        help=(
            "For a linear RNN, ρ < 1 makes gradients vanish and ρ > 1 makes them explode. "
            "Saturated or switched-off units shrink the gradient further, so tanh and ReLU "
            "usually need ρ well above 1 (about 1.3 to 1.5 with an orthogonal W_hh) before "
            "gradients grow. Sigmoid's slope is at most ¼: its gradients vanish unless the "
            "largest singular value of W_hh is above 4, beyond this slider."
        ),
    )
    values["spectral_radius"] = (
        float(st.slider(*control("spectral_radius"), step=0.05, key="spectral_radius"))
        if rescale
        else None
    )
    return values


def _sequence_length(dataset: str, options: dict[str, Any]) -> int | None:
    """The steps T of the data the sidebar describes, where its options or file say it."""
    if dataset == UPLOADED:
        return int(st.session_state[UPLOADED_KEY].X_train.shape[1])
    return options.get("window", options.get("length"))


def _optimizer_controls(length: int | None) -> dict[str, Any]:
    st.subheader("Optimisation")
    values: dict[str, Any] = {
        "optimizer": st.selectbox(
            CHOICE_LABELS["optimizer"],
            OPTIMIZERS,
            format_func=OPTIMIZER_TITLES.get,
            key="optimizer",
            help=HELP["optimizer"],
        ),
        "lr": float(number_box(*control("lr"), step=0.001, key="lr", help=HELP["lr"])),
        "batch_size": int(
            number_box(*control("batch_size"), key="batch_size", help=HELP["batch_size"])
        ),
        "clip": st.radio(
            CHOICE_LABELS["clip"], CLIP_CHOICES, horizontal=True, key="clip", help=HELP["clip"]
        ),
    }
    if values["clip"] != "none":
        values["clip_threshold"] = float(
            number_box(
                *control("clip_threshold"),
                step=0.1,
                key="clip_threshold",
                help=HELP["clip_threshold"],
            )
        )
    values["bptt_window"] = int(
        number_box(
            *control("bptt_window"),
            key="bptt_window",
            help="Cut the gradient every k steps, counted back from the last: many-to-one "
            "learns from exactly the last k steps; many-to-many sends each step's error back "
            "only to the start of its k-step window.",
        )
    )
    if length and values["bptt_window"] >= length:  # trains exactly as 0 would, without a word
        st.caption(
            f"A window of {count(values['bptt_window'], 'step')} cuts nothing from sequences "
            f"of T = {length}: this is full BPTT."
        )
    return values


def _budget_controls() -> dict[str, Any]:
    st.subheader("Budget")
    return {
        "epochs": int(number_box(*control("epochs"), key="epochs", help=HELP["epochs"])),
        "seed": int(number_box(*control("seed"), key="seed", help=HELP["seed"])),
    }


def run_config_from_sidebar() -> RunConfig | None:
    """Draw every control in the sidebar; the config they describe, or None (error shown)."""
    with st.sidebar:
        dataset, options = _data_controls()
        values = {
            **_model_controls(),
            **_optimizer_controls(_sequence_length(dataset, options)),
            **_budget_controls(),
        }
        try:
            config = RunConfig(dataset=dataset, dataset_options=options, **values)
        except ConfigError as err:  # said by the Train button, which waits for a fix
            st.session_state[SETTINGS_ERROR_KEY] = str(err)
            return None
    st.session_state.pop(SETTINGS_ERROR_KEY, None)
    return config
