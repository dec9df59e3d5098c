"""How a CSV's cells write their numbers: decimal mark, thousands separators, marks like %.

Spreadsheets write numbers for people: 1,234.5 in the US and UK, 1.234,5 in Germany (whose
Excel puts semicolons between the columns, as the comma is taken), 5% or $12 anywhere. The
decimal mark is read off the cells, never assumed from a locale, and every rule is a regular
expression rather than a guess: a cell such as 10.35 or 1,234.5 can only have a decimal point,
10,35 or 1.234,5 only a decimal comma, while 1,234 or 1.234 could be either and follows the
rest of the file. Numbers with a mark (5%, $12, 3 kg) are not read: what the mark means is the
user's to decide, so the loader names the column and the mark to remove instead.
"""

from __future__ import annotations

import re
from typing import NamedTuple

import numpy as np

from ..wording import quoted
from .core import DatasetError

MISSING = {"", "nan", "NaN", "NA", "N/A", "null", "NULL", "None"}
GROUPING = {".": ",", ",": "."}  # the thousands separator that goes with each decimal mark


def _patterns(decimal: str) -> dict[str, re.Pattern[str]]:
    """Regexes for numbers written with ``decimal`` as the decimal mark.

    ``grouped``: thousands always separated (987.5, 1,234.5, 12,345,678), as a spreadsheet
    writes a column formatted with separators; ``plain``: never separated (1234.5); ``any``:
    either, the test of whether a cell can be a number with this decimal mark at all. A group
    never starts with 0, so 0,125 can only be a decimal comma. All allow an exponent, as in
    Excel's 1,5E-05.
    """
    d, g = re.escape(decimal), re.escape(GROUPING[decimal])
    fraction, thousands = rf"({d}\d+)?([eE][-+]?\d+)?", rf"[1-9]\d{{0,2}}({g}\d{{3}})+"
    return {
        "grouped": re.compile(rf"[-+]?({thousands}|\d{{1,3}}){fraction}"),
        "plain": re.compile(rf"[-+]?\d+{fraction}"),
        "any": re.compile(rf"[-+]?({thousands}|\d+){fraction}"),
    }


NUMBER = {decimal: _patterns(decimal) for decimal in GROUPING}
# French and SI spreadsheets group thousands with a no-break or narrow no-break space
# (1 234,5): never a field separator, so between digits it can only be grouping.
SPACE_GROUPING = r"(?<=\d)[\u00a0\u202f](?=\d{3}(?!\d))"


def cell_text(cells):
    """Cells as numbers are read from them: stripped, without space-grouped thousands.

    A typographic minus (−, as word processors, Wikipedia tables and Nordic spreadsheets
    write it) reads as "-": −0.5 looks like -0.5, and a message calling it text would have
    the user delete every negative row.
    """
    stripped = cells.str.strip().str.replace(SPACE_GROUPING, "", regex=True)
    return stripped.str.replace(TYPOGRAPHIC_MINUS, "-", regex=False)


TYPOGRAPHIC_MINUS = "\u2212"


EXAMPLE = {".": "1,234.5 → 1234.5", ",": "1.234,5 → 1234,5"}


def written_number(text: str) -> bool:
    """Whether a cell is a number as a spreadsheet writes one, with either decimal mark."""
    return any(NUMBER[decimal]["any"].fullmatch(text) for decimal in NUMBER)


def number_cells(frame) -> dict[str, np.ndarray]:
    """Per decimal mark, which cells of the table can be a number written with it: (rows, cols).

    One pass over all cells per mark: a regex call per column costs pandas about half a
    millisecond, which made a 5,000-column file take seconds on every rerun of the page.
    """
    cells = cell_text(frame.stack())  # (rows · cols,) row by row, missing cells kept
    return {
        d: cells.str.fullmatch(NUMBER[d]["any"], na=False).to_numpy().reshape(frame.shape)
        for d in NUMBER
    }


class DecimalMark(NamedTuple):
    """The file's decimal mark, and the columns that write theirs the other way."""

    mark: str  # "." or ","
    outvoted: dict[str, str]  # column -> a cell only the other mark reads (12.00 in a 3,5 file)
    clock: frozenset[str] = frozenset()  # those of them that hold clock times (8.00, 17.30)


MARK_NAME = {".": "a decimal point", ",": "a decimal comma"}


def _first_cell(frame, only: np.ndarray, col: int) -> tuple[str, int]:
    """The first cell of column ``col`` that ``only`` marks, and its line in the file."""
    row = int(only[:, col].argmax())
    return frame.iloc[row, col].strip(), row + 2


# A time of day as German spreadsheets write it (8.00, 17.30): a decimal point only in form.
CLOCK_TIME = re.compile(r"(?P<hour>[01]?\d|2[0-3])\.[0-5]\d")


def _both_marks(frame, only: dict[str, np.ndarray], cols: dict[str, int]) -> DatasetError:
    """Refusal naming a cell of each decimal mark, found in columns ``cols`` (mark -> col)."""
    (p, p_line), (c, c_line) = (_first_cell(frame, only[d], cols[d]) for d in (".", ","))
    p_col, c_col = frame.columns[cols["."]], frame.columns[cols[","]]
    # A log's times around midnight (0.30) are not told from numbers: the user can say so.
    time = CLOCK_TIME.fullmatch(p)
    hint = f" (if {quoted(p)} is a time of day, write it {p.replace('.', ':')})" if time else ""
    return DatasetError(
        f"some numbers have a decimal point ({quoted(p)} in column {quoted(p_col)}, "
        f"line {p_line}) and others a decimal comma ({quoted(c)} in column "
        f"{quoted(c_col)}, line {c_line}); write every number with the same decimal mark{hint}"
    )


def _clock_columns(frame, only_point: np.ndarray) -> np.ndarray:
    """(cols,) Columns whose every decimal-point cell is a clock time, mostly past 1 o'clock.

    Mostly past 1 o'clock: rain of 0.05 to 1.10 mm is written like times of day, but most of
    it before 1, where a day's times (8.00, 17.30, a log's 0.30 too) mostly are not; a price
    of 28.90 is no time at all. ``only_point`` (rows, cols) marks the cells only a decimal
    point can read.
    """
    column = np.nonzero(only_point)[1]  # (cells,) each decimal-point cell's column
    texts = frame.to_numpy()[only_point]  # (cells,) only those: a German file has few
    matches = (CLOCK_TIME.fullmatch(text.strip()) for text in texts)
    hour = np.array([int(m["hour"]) if m else -1 for m in matches], dtype=int)  # (cells,)
    width = only_point.shape[1]
    cells = np.bincount(column, minlength=width)  # (cols,)
    not_times = np.bincount(column, weights=hour < 0, minlength=width)  # (cols,)
    before_one = np.bincount(column, weights=hour == 0, minlength=width)  # (cols,)
    return (cells > 0) & (not_times == 0) & (before_one < 0.5 * cells)


def decimal_mark(frame, fits: dict[str, np.ndarray], separator: str, fields: int) -> DecimalMark:
    """The file's decimal mark, "." or ",", from the cells that can only be read one way.

    A cell that fits only one decimal mark (10.35; 10,35) decides its column. When
    columns disagree, more columns deciding one way win and the others are left out: a
    German file's time columns (8.00, 17.30) beside its decimal commas are not number
    columns, and refusing the whole file would hide the columns that are. Columns that write
    only clock times do not vote while another column has a decimal comma: two of them must
    not outvote the one column of measurements. A column with both kinds of cell, or as many
    columns each way, is refused, naming one cell of each. With no deciding cell, 1,234 or
    1.234 follow the field separator, as spreadsheets write them: Excel puts semicolons
    between the columns exactly where the comma is the decimal mark; commas, tabs and
    one-column files read a decimal point, as pandas does. ``fits`` is ``number_cells(frame)``;
    ``fields`` counts the header's fields, unnamed ones too, which ``frame`` has dropped.
    """
    only = {d: fits[d] & ~fits[other] for d, other in GROUPING.items()}  # (rows, cols) each
    decides = {d: only[d].any(axis=0) for d in only}  # (cols,) columns with such a cell
    mixed = decides["."] & decides[","]  # (cols,)
    if mixed.any():
        col = int(mixed.argmax())
        raise _both_marks(frame, only, {".": col, ",": col})
    clock = np.zeros(frame.shape[1], dtype=bool)  # (cols,)
    if decides[","].any():
        clock = _clock_columns(frame, only["."])
    votes = {".": decides["."] & ~clock, ",": decides[","]}  # (cols,) each
    count = {d: int(votes[d].sum()) for d in votes}
    if count["."] and count["."] == count[","]:
        raise _both_marks(frame, only, {d: int(votes[d].argmax()) for d in votes})
    if not any(decides[d].any() for d in decides):
        # One column is split at nothing, whatever separator its commas made it look for.
        return DecimalMark("," if separator == ";" and fields > 1 else ".", {})
    mark = max(count, key=count.get)  # some column votes: clocks abstain only beside commas
    other = GROUPING[mark]
    outvoted = {
        frame.columns[col]: _first_cell(frame, only[other], col)[0]
        for col in np.flatnonzero(decides[other])
    }
    return DecimalMark(mark, outvoted, frozenset(frame.columns[clock]) & outvoted.keys())


def outvoted_reason(cell: str, mark: str, clock: bool = False) -> str:
    """Why a column whose numbers use the other decimal mark is left out, and what to do."""
    if clock:
        return f"clock times, as in {quoted(cell)}, not numbers to learn from"
    other = GROUPING[mark]
    return (
        f"numbers with {MARK_NAME[other]}, as in {quoted(cell)}, where the other columns have "
        f"{MARK_NAME[mark]}; write them with {MARK_NAME[mark]} to use it"
    )


def as_numbers(raw, decimal: str):
    """A column of cells, as ``cell_text`` gives them, as float64 (NaN: missing, not a number).

    A column whose every number groups its thousands (1,234.5 or 1.234,5) is read without
    the separators; a column that groups some and not others (1234.5 next to 2,627.1) keeps
    the grouped ones as text, reported with ``thousands_hint``. With a decimal comma only
    cells of that form are numbers: pandas would read 1.500 as one and a half.
    """
    import pandas as pd

    present = raw.where(~raw.isin(MISSING))
    given = present.dropna()
    if len(given) and given.str.fullmatch(NUMBER[decimal]["grouped"]).all():
        present = present.str.replace(GROUPING[decimal], "", regex=False)
    if decimal == ",":
        fits = present.str.fullmatch(NUMBER[","]["plain"], na=False)
        present = present.where(fits).str.replace(",", ".", regex=False)
    return pd.to_numeric(present, errors="coerce")


def thousands_hint(cell: str, decimal: str) -> str | None:
    """What to change in a cell that is a number with thousands separators, else None."""
    if GROUPING[decimal] in cell and NUMBER[decimal]["any"].fullmatch(cell):
        return f"remove the thousands separators ({EXAMPLE[decimal]})"
    return None


# A number with a mark, as spreadsheets write them: "5%", "$12", "3 kg" (not an id like "r7").
MARKED_NUMBER = re.compile(r"([$€£¥]?)\s*[-+]?\d[\d.,]*\s*([^\d\s.,]*)")


def number_mark(cells) -> tuple[str, str] | None:
    """The mark that every number of a column carries (%, $, kg) and a cell with it, or None.

    The first cell decides whether to look further, so a column of dates or names costs one
    regex; then every present cell must be a number with that same mark.
    """
    given = cells.str.strip()
    given = given[~given.isin(MISSING)]
    first = MARKED_NUMBER.fullmatch(given.iloc[0]) if len(given) else None
    if first is None or not (mark := first[1] + first[2]):
        return None
    parts = given.str.extract(f"^{MARKED_NUMBER.pattern}$")  # (cells, 2): the two mark parts
    if parts.isna().any(axis=None) or not (parts[0] + parts[1] == mark).all():
        return None
    return mark, given.iloc[0]
