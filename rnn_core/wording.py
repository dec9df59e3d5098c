"""Counts in sentences: "1 epoch", "3 epochs", so messages never read "1 steps"."""

from __future__ import annotations


def count(n: int, noun: str) -> str:
    """``n`` (with thousands separators) and ``noun``, plural unless n is 1.

    Every noun the app counts forms its plural with a plain "s" ("missing value", "step").
    """
    return f"{n:,} {noun}{'' if n == 1 else 's'}"
