"""Datasets for RNN Lab: ``load(name, **options)`` and ``load_csv(file, ...)``.

Every loader returns a ``SequenceData`` (train/val/test arrays in the engine's shapes, the
scalers, names, units and a description) and raises ``DatasetError`` (a ``ValueError``) with a
sentence saying what to change when an option or a file is bad.
"""

from __future__ import annotations

from collections.abc import Callable

from .core import DatasetError, Scaler, SequenceData
from .synthetic import (
    adding_baselines,
    adding_problem,
    counting,
    sincos_mixture,
    sine,
    sum_of_sequence,
)
from .tabular import MAX_BYTES, CsvColumns, csv_columns, load_csv, weather

LOADERS: dict[str, Callable[..., SequenceData]] = {
    "sum": sum_of_sequence,
    "sine": sine,
    "sincos": sincos_mixture,
    "weather": weather,
    "adding": adding_problem,
    "counting": counting,
}


def load(name: str, **options) -> SequenceData:
    """Build the built-in dataset ``name`` (sum, sine, sincos, weather, adding, counting).

    Options are the keyword arguments of the matching loader (e.g. ``sine(window=25,
    noise=0.1, seed=0)``); an unknown option is an error that lists the valid ones.
    """
    if name not in LOADERS:
        raise DatasetError(f"dataset must be one of {', '.join(LOADERS)}; got {name!r}")
    loader = LOADERS[name]
    valid = loader.__kwdefaults__ or {}
    unknown = sorted(set(options) - set(valid))
    if unknown:
        raise DatasetError(
            f"dataset {name!r} has no option {', '.join(map(repr, unknown))}; "
            f"its options are: {', '.join(valid)}"
        )
    return loader(**options)


__all__ = [
    "LOADERS",
    "MAX_BYTES",
    "CsvColumns",
    "DatasetError",
    "Scaler",
    "SequenceData",
    "adding_baselines",
    "csv_columns",
    "load",
    "load_csv",
]
