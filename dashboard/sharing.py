"""A run's config in the URL: ``RunConfig`` <-> query parameters, exactly (round trip).

Short, readable keys (``/train?dataset=sine&d_window=20&act=tanh&lr=0.005&seed=0``; a
dataset's own options carry ``d_``) so a teacher can read and edit a link. Floats are written
with ``repr`` (shortest exact form), so the same link gives the same config bit for bit, and
with its seed the same curves. A link that names an unknown or out-of-range value raises
``ConfigError`` with the reason; a key no setting reads (a typo when editing a link) is named
by ``unused_keys``.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from rnn_core.wording import quoted

from .config import DATASET_OPTIONS, ConfigError, RunConfig

# RunConfig field -> (query key, type)
FIELDS: dict[str, tuple[str, type]] = {
    "activation": ("act", str),
    "init": ("init", str),
    "spectral_radius": ("rho", float),
    "hidden_size": ("hidden", int),
    "num_layers": ("layers", int),
    "learn_h0": ("h0", bool),
    "optimizer": ("opt", str),
    "lr": ("lr", float),
    "batch_size": ("batch", int),
    "clip": ("clip", str),
    "clip_threshold": ("clip_at", float),
    "bptt_window": ("bptt", int),
    "epochs": ("epochs", int),
    "seed": ("seed", int),
}
DATASET_PREFIX = "d_"  # dataset options: d_window, d_noise, …


def _text(value: Any) -> str:
    if isinstance(value, bool):
        return "1" if value else "0"
    return repr(value) if isinstance(value, float) else str(value)


def to_query_params(config: RunConfig) -> dict[str, str]:
    """Every field of ``config`` as a string; ``None`` (no spectral rescale) is left out."""
    params = {"dataset": config.dataset}
    params.update({DATASET_PREFIX + k: _text(v) for k, v in config.dataset_options.items()})
    for field, (key, _) in FIELDS.items():
        value = getattr(config, field)
        if value is not None:
            params[key] = _text(value)
    return params


KIND_WORDS = {bool: "0 or 1", int: "a whole number", float: "a number"}


def _parse(name: str, text: str, kind: type) -> Any:
    try:
        if kind is bool:
            if text not in ("0", "1"):
                raise ValueError
            return text == "1"
        return kind(text)
    except ValueError:
        raise ConfigError(
            f"the link's {name} must be {KIND_WORDS[kind]}; got {quoted(text)}"
        ) from None


def unused_keys(params: Mapping[str, str]) -> list[str]:
    """The link's keys that no setting reads: a typo, or an option of another dataset."""
    dataset = params.get("dataset", RunConfig.dataset)
    known = {"dataset", *(key for key, _ in FIELDS.values())}
    known.update(DATASET_PREFIX + spec.name for spec in DATASET_OPTIONS.get(dataset, ()))
    return [key for key in params if key not in known]


def from_query_params(params: Mapping[str, str]) -> RunConfig:
    """The config a link describes; missing keys take the defaults, bad ones raise."""
    dataset = params.get("dataset", RunConfig.dataset)
    if dataset not in DATASET_OPTIONS:
        raise ConfigError(
            f"the link's dataset {quoted(dataset)} is not one of {', '.join(DATASET_OPTIONS)}"
        )
    options = {}
    for spec in DATASET_OPTIONS[dataset]:
        key = DATASET_PREFIX + spec.name
        options[spec.name] = (
            _parse(spec.name, params[key], type(spec.default)) if key in params else spec.default
        )
    values = {
        field: _parse(key, params[key], kind)
        for field, (key, kind) in FIELDS.items()
        if key in params
    }
    return RunConfig(dataset=dataset, dataset_options=options, **values)


def usable_config(params: Mapping[str, str]) -> tuple[RunConfig, list[str]]:
    """The config a link describes, without the values that cannot be used, and why not.

    One bad value (``lr=nan``) should not throw away a teacher's whole link: each key that
    cannot be used on its own is left out (it keeps its default) and its reason returned.
    Only values that clash with each other fall back to the defaults together.
    """
    try:
        return from_query_params(params), []
    except ConfigError:
        pass
    kept, problems = dict(params), []
    dataset = {"dataset": kept.pop("dataset")} if "dataset" in kept else {}
    try:
        from_query_params(dataset)
    except ConfigError as err:
        problems.append(str(err))
        dataset = {}
    for key in list(kept):
        try:
            from_query_params({**dataset, key: kept[key]})
        except ConfigError as err:
            problems.append(str(err))
            del kept[key]
    try:
        return from_query_params({**dataset, **kept}), problems
    except ConfigError as err:
        return RunConfig(), [*problems, str(err)]
