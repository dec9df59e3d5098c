"""Sidebar controls -> ``RunConfig``. Defaults learn something visible within seconds."""

from __future__ import annotations

from typing import Any

import streamlit as st

from rnn_core import ACTIVATIONS, INITS
from rnn_core.optim import OPTIMIZERS

from .config import (
    CLIP_CHOICES,
    DATASET_OPTIONS,
    DATASET_TITLES,
    ConfigError,
    OptionSpec,
    RunConfig,
)

DEFAULT = RunConfig()
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
    "identity": "identity W_hh (IRNN)",
}


def _option_widget(dataset: str, spec: OptionSpec) -> Any:
    key = f"opt_{dataset}_{spec.name}"
    if isinstance(spec.default, bool):
        return st.checkbox(spec.label, value=spec.default, key=key, help=spec.help or None)
    if isinstance(spec.default, int):
        return int(
            st.number_input(
                spec.label,
                int(spec.low),
                int(spec.high),
                spec.default,
                int(spec.step),
                key=key,
                help=spec.help or None,
            )
        )
    return float(
        st.number_input(
            spec.label,
            float(spec.low),
            float(spec.high),
            float(spec.default),
            float(spec.step),
            key=key,
            help=spec.help or None,
            format="%.3f",
        )
    )


def _data_controls() -> tuple[str, dict[str, Any]]:
    st.subheader("Data")
    dataset = st.selectbox(
        "Dataset", list(DATASET_OPTIONS), format_func=DATASET_TITLES.get, key="dataset"
    )
    options = {spec.name: _option_widget(dataset, spec) for spec in DATASET_OPTIONS[dataset]}
    return dataset, options


def _model_controls() -> dict[str, Any]:
    st.subheader("Model")
    values: dict[str, Any] = {
        "activation": st.selectbox("Activation f", list(ACTIVATIONS), key="activation"),
        "init": st.selectbox(
            "Initialisation",
            INITS,
            index=INITS.index(DEFAULT.init),
            format_func=INIT_TITLES.get,
            key="init",
        ),
        "hidden_size": int(
            st.number_input("Hidden units H", 1, 512, DEFAULT.hidden_size, key="hidden_size")
        ),
        "num_layers": int(st.number_input("Layers", 1, 4, DEFAULT.num_layers, key="num_layers")),
    }
    rescale = st.checkbox(
        "Rescale W_hh to a spectral radius ρ",
        key="rescale",
        help="ρ < 1 makes gradients vanish, ρ > 1 lets them explode.",
    )
    values["spectral_radius"] = (
        float(st.slider("Spectral radius ρ", 0.1, 2.0, 1.0, 0.05, key="spectral_radius"))
        if rescale
        else None
    )
    return values


def _optimizer_controls() -> dict[str, Any]:
    st.subheader("Optimisation")
    values: dict[str, Any] = {
        "optimizer": st.selectbox(
            "Optimizer",
            OPTIMIZERS,
            index=OPTIMIZERS.index(DEFAULT.optimizer),
            format_func=OPTIMIZER_TITLES.get,
            key="optimizer",
        ),
        "lr": float(
            st.number_input("Learning rate", 1e-6, 100.0, DEFAULT.lr, format="%.4g", key="lr")
        ),
        "batch_size": int(
            st.number_input("Batch size", 1, 4096, DEFAULT.batch_size, key="batch_size")
        ),
        "clip": st.radio(
            "Gradient clipping",
            CLIP_CHOICES,
            index=CLIP_CHOICES.index(DEFAULT.clip),
            horizontal=True,
            key="clip",
        ),
    }
    if values["clip"] != "none":
        values["clip_threshold"] = float(
            st.number_input(
                "Clipping threshold",
                1e-4,
                1e4,
                DEFAULT.clip_threshold,
                format="%.4g",
                key="clip_threshold",
            )
        )
    values["bptt_window"] = int(
        st.number_input(
            "Truncated BPTT window (0 = full BPTT)",
            0,
            1000,
            DEFAULT.bptt_window,
            key="bptt_window",
            help="Backpropagate only this many steps into the past.",
        )
    )
    return values


def _budget_controls() -> dict[str, Any]:
    st.subheader("Budget")
    return {
        "epochs": int(st.number_input("Epochs", 1, 100_000, DEFAULT.epochs, key="epochs")),
        "seed": int(
            st.number_input("Seed (weights and shuffling)", 0, 2**31 - 1, DEFAULT.seed, key="seed")
        ),
    }


def run_config_from_sidebar() -> RunConfig | None:
    """Draw every control in the sidebar; the config they describe, or None (error shown)."""
    with st.sidebar:
        dataset, options = _data_controls()
        values = {**_model_controls(), **_optimizer_controls(), **_budget_controls()}
        try:
            return RunConfig(dataset=dataset, dataset_options=options, **values)
        except ConfigError as err:
            st.error(f"{err}.")
            return None
