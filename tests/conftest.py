"""Shared fixtures: small random problems with fixed seeds."""

import numpy as np
import pytest


@pytest.fixture
def rng():
    return np.random.default_rng(1234)


def random_problem(rng, model, batch=4, steps=6):
    """Random inputs and targets shaped for ``model``."""
    cfg = model.config
    X = rng.standard_normal((batch, steps, cfg.input_size))
    shape = (batch, steps, cfg.output_size) if cfg.many_to_many else (batch, cfg.output_size)
    return X, rng.standard_normal(shape)
