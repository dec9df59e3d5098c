"""Values in sentences: "1 epoch", "3 epochs", never "1 steps"; "yes", never "True"."""

from __future__ import annotations


def count(n: int, noun: str) -> str:
    """``n`` (with thousands separators) and ``noun``, plural unless n is 1.

    Every noun the app counts forms its plural with a plain "s" ("missing value", "step").
    """
    return f"{n:,} {noun}{'' if n == 1 else 's'}"


def said(value: object) -> str:
    """A setting as a sentence says it: yes/no, not True/False; no quotes around names.

    Floats as the run labels write them: a learning rate of 100, not 100.0 beside "lr=100".
    """
    if isinstance(value, bool):
        return "yes" if value else "no"
    if isinstance(value, float):
        return number(value)
    return str(value)


def number(value: float) -> str:
    """A number short but exact enough to tell it from its neighbours: 1e-06, 0.05, 2,147,483,647.

    ``:g`` alone rounds to six digits, so a limit of 2147483647 and a refused 2147483648
    would both read 2.14748e+09.
    """
    if isinstance(value, int):
        return f"{value:,}"
    short = f"{value:g}"
    if float(short) == value or value != value:  # exact, or NaN
        return short
    return f"{int(value):,}" if value.is_integer() else repr(value)


def tenths(value: float) -> str:
    """1,000 when whole, 263.4 otherwise: epochs, whole when a run is done, part way while not."""
    return f"{value:,.0f}" if value == round(value) else f"{value:,.1f}"


def either(choices: list[str]) -> str:
    """The choices in a sentence: "a, b or c" (one alone as it is)."""
    return ", ".join(choices[:-1]) + (" or " if len(choices) > 1 else "") + choices[-1]


def samples(independent: bool) -> str:
    """What a dataset's samples are called: sequences of their own, or windows of one series."""
    return "sequences" if independent else "windows"


SHOWN_CHARACTERS = 40  # of a value a message quotes: a link or a cell can hold thousands


def quoted(text: str) -> str:
    """A value as a message quotes it: repr, at most SHOWN_CHARACTERS of it."""
    return repr(text if len(text) <= SHOWN_CHARACTERS else text[:SHOWN_CHARACTERS] + "…")
