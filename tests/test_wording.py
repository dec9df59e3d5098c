"""Counts in messages agree with their number."""

from rnn_core.wording import count


def test_one_is_singular_and_every_other_count_plural():
    assert count(1, "epoch") == "1 epoch"
    assert count(0, "step") == "0 steps"
    assert count(2, "missing value") == "2 missing values"
    assert count(12_000, "step") == "12,000 steps"
