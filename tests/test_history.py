"""DecimatedSeries keeps bounded memory over a million steps and thins evenly."""

import numpy as np
import pytest

from rnn_core.history import DecimatedSeries


def test_a_million_steps_stay_within_capacity():
    series = DecimatedSeries(["loss"], capacity=512)
    for step in range(1, 1_000_001):
        series.append(step, (1.0 / step,))
    data = series.as_dict()
    assert len(series) <= 512
    assert series._rows.shape == (512, 2)  # the buffer never grows
    assert series.last == {"step": 1_000_000, "loss": 1e-6}
    stride = series.stride
    assert stride >= 1_000_000 // 512
    np.testing.assert_array_equal(np.diff(data["step"]), stride)  # evenly thinned
    np.testing.assert_allclose(data["loss"], 1.0 / data["step"])  # rows stay aligned


def test_short_history_keeps_everything():
    series = DecimatedSeries(["a", "b"], capacity=8)
    for step in range(5):
        series.append(step, (step, -step))
    assert series.as_dict()["a"].tolist() == [0, 1, 2, 3, 4]


def test_capacity_must_be_even():
    with pytest.raises(ValueError, match="capacity must be an even number"):
        DecimatedSeries(["x"], capacity=7)
