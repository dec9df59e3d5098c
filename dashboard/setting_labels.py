"""A run's settings as the Train page's controls show them: their labels and their choices.

Compare's table and the Train page's "the sidebar differs from this run" note both speak of
settings the way the sidebar does ("Hidden units H", "Adam"), not as the code does.
"""

from __future__ import annotations

from rnn_core.wording import said

from .config import CHOICE_LABELS, DATASET_OPTIONS, DATASET_TITLES, NUMBER_LIMITS, RunConfig
from .widgets import INIT_TITLES, OPTIMIZER_TITLES

VALUE_TITLES = {"dataset": DATASET_TITLES, "init": INIT_TITLES, "optimizer": OPTIMIZER_TITLES}
SETTING_LABELS = {
    **CHOICE_LABELS,
    **{name: limits.label for name, limits in NUMBER_LIMITS.items()},
}


def as_shown(config: RunConfig) -> dict[str, object]:
    """Every setting of ``config`` by its control's label, with the value the control shows."""
    specs = {spec.name: spec for spec in DATASET_OPTIONS[config.dataset]}
    shown: dict[str, object] = {}
    for key, value in config.to_dict().items():
        if key == "dataset_options":  # right after the dataset, as in the sidebar: what is learnt
            shown.update({f"{config.dataset}: {specs[k].label}": v for k, v in value.items()})
        else:
            shown[SETTING_LABELS[key]] = VALUE_TITLES.get(key, {}).get(value, value)
    shown[SETTING_LABELS["spectral_radius"]] = config.spectral_radius or "no rescale"
    return shown


def changes(old: RunConfig, new: RunConfig) -> list[str]:
    """What differs from ``old`` to ``new``: "Hidden units H 16 → 4", in the sidebar's order.

    A new dataset brings its own options: "Dataset Sine wave → Your CSV" says it, and
    "sine: Window length T 60 → –" for each option it leaves behind would only bury it.
    """
    before, after = as_shown(old), as_shown(new)
    implied = (f"{old.dataset}: ", f"{new.dataset}: ") if old.dataset != new.dataset else ()
    return [
        f"{label} {said(before.get(label, '–'))} → {said(after.get(label, '–'))}"
        for label in dict.fromkeys([*after, *before])
        if before.get(label) != after.get(label) and not label.startswith(implied)
    ]
