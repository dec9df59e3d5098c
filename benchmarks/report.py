"""Markdown output shared by the benchmark scripts: tables and the final Targets table."""

from __future__ import annotations

import time
from collections.abc import Sequence
from dataclasses import dataclass


@dataclass(frozen=True)
class Target:
    """One line of the final acceptance table."""

    name: str
    measured: str
    passed: bool


def print_table(title: str, header: Sequence[str], rows: Sequence[Sequence[str]]) -> None:
    """A Markdown table under a level-2 heading."""
    print(f"\n## {title}\n")
    print("| " + " | ".join(header) + " |")
    print("|" + "|".join("---" for _ in header) + "|")
    for row in rows:
        print("| " + " | ".join(row) + " |")


def print_targets(targets: Sequence[Target], started: float) -> None:
    """The closing table (target, measured, pass/fail) and the total run time."""
    print_table(
        "Targets",
        ["target", "measured", "result"],
        [[t.name, t.measured, "pass" if t.passed else "**FAIL**"] for t in targets],
    )
    print(f"\nTotal benchmark time: {time.perf_counter() - started:.0f} s")
