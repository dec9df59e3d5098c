"""One preset per seed notebook: its dataset, model and optimizer, with what it got wrong.

Applying a preset sets the Train page's controls (``widgets.show_config``); everything else
about a run stays as usual, so a preset is also a shareable link.
"""

from __future__ import annotations

from dataclasses import dataclass

from .config import RunConfig


@dataclass(frozen=True)
class Preset:
    """A seed notebook reproduced: settings and a one-line note on what is fixed."""

    title: str
    config: RunConfig
    note: str


SEED_PRESETS = {
    "000": Preset(
        "000 · sum of a sequence, tanh, H=64, SGD",
        RunConfig(
            dataset="sum",
            dataset_options={"length": 10},
            activation="tanh",
            init="small_normal",
            hidden_size=64,
            optimizer="sgd",
            lr=0.05,
            clip="none",
            epochs=60,
        ),
        "The notebook fed its 100 samples in as 100 time steps of one sequence; here each "
        "sample is its own sequence, with separate validation and test sequences.",
    ),
    "001": Preset(
        "001 · swish on 1, 2, 3, 4 → 2, 3, 4, 5",
        RunConfig(
            dataset="counting",
            activation="swish",
            init="xavier",
            hidden_size=8,
            optimizer="adam",
            lr=0.01,
            clip="norm",
            epochs=150,
        ),
        "The notebook took swish's derivative at the output h instead of the pre-activation z "
        "and tested on its single training sequence; here f′(z) is exact (gradient-checked) "
        "and validation uses unseen starting numbers.",
    ),
    "002": Preset(
        "002 · weather, H=4, T=7, SGD",
        RunConfig(
            dataset="weather",
            dataset_options={"window": 7, "many_to_many": True},
            activation="tanh",
            init="small_normal",
            hidden_size=4,
            optimizer="sgd",
            lr=0.01,
            batch_size=32,
            clip="none",
            epochs=60,
        ),
        "The notebook fitted its scaler on all the data, leaking the future into training, and "
        "looped one sample at a time; here the split is chronological, the scaler sees the "
        "training part only, and batches train in seconds. Like the notebook it predicts the "
        "next day at each of the 7 days; it starts from small weights (randn · 0.01) where "
        "the notebook drew them from U(±1/√H).",
    ),
    "003": Preset(
        "003 · sin + cos mixture, H=8, T=20, Adam 1e-3, learnable h0",
        RunConfig(
            dataset="sincos",
            dataset_options={"window": 20},
            activation="tanh",
            init="xavier",
            hidden_size=8,
            learn_h0=True,
            optimizer="adam",
            lr=0.001,
            clip="none",
            epochs=100,
        ),
        "The notebook's learnable initial state had no gradient check; here h0's gradient is "
        "checked against finite differences like every other parameter.",
    ),
    "004": Preset(
        "004 · sine, H=100, T=25, SGD 1e-2, value clipping at 1",
        RunConfig(
            dataset="sine",
            dataset_options={"window": 25},
            activation="tanh",
            init="small_normal",
            hidden_size=100,
            optimizer="sgd",
            lr=0.01,
            batch_size=1,
            clip="value",
            clip_threshold=1.0,
            epochs=50,
        ),
        "The notebook tested on its training windows; here test windows come from a later "
        "stretch of the series that training never saw. One window per update, as it did.",
    ),
}
