"""Values in sentences: "1 epoch", "3 epochs", never "1 steps"; "yes", never "True"."""

from __future__ import annotations


def count(n: int, noun: str) -> str:
    """``n`` (with thousands separators) and ``noun``, plural unless n is 1.

    Every noun the app counts forms its plural with a plain "s" ("missing value", "step").
    """
    return f"{n:,} {noun}{'' if n == 1 else 's'}"


def said(value: object) -> str:
    """A setting as a sentence says it: yes/no, not True/False; no quotes around names."""
    if isinstance(value, bool):
        return "yes" if value else "no"
    return str(value)
