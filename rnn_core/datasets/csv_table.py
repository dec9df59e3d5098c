"""A CSV file as a table of text cells, and which of its columns hold numbers.

The step between the text (``csv_text``: size, encoding, separator, header) and the values
(``tabular``): pandas' CSV reader splits the rows into cells, every cell kept as text, and
``csv_numbers`` decides which columns read as numbers and with which decimal mark. A row
longer than the header, or a file with no numbers at all, is a ``DatasetError`` saying what
to change.
"""

from __future__ import annotations

import io
import re
import warnings
from pathlib import Path
from typing import IO, TYPE_CHECKING, NamedTuple

from ..wording import quoted
from .core import DatasetError
from .csv_numbers import decimal_mark, number_cells, number_mark, outvoted_reason
from .csv_text import Header, csv_rows, decode, foreign_separator, header, read_bytes

if TYPE_CHECKING:
    import pandas as pd


def parse_cells(text: str, head: Header):
    """The table's named columns as text cells, and an unnamed first column's cells or None.

    Unnamed columns are read past and dropped, but the first is returned: ``to_csv`` writes
    a date index there (seed 002's ``,tmax,tmin,…``), which can date the rows.
    """
    import pandas as pd

    # pandas refuses two columns of the same name, and "x;;" has two unnamed ones.
    parse_names = [name or f"\0unnamed {i}" for i, name in enumerate(head.names)]
    try:
        with warnings.catch_warnings(record=True) as longer_rows:
            warnings.simplefilter("always", pd.errors.ParserWarning)
            frame = pd.read_csv(
                # A blank line inside a one-column series is a missing value, not nothing;
                # blank lines at the end are nothing (but tabs end a row's empty last cell).
                io.StringIO(text.rstrip(" \n")), header=0, names=parse_names, dtype=str,
                sep=head.separator,
                keep_default_na=False, skipinitialspace=True, skip_blank_lines=False,
                # Rows longer than the header never make their first cells an index (which
                # shifts every column by one): a trailing comma's empty cell is dropped ...
                index_col=False, engine="c",
            )  # fmt: skip
    except pd.errors.ParserError as err:
        _refuse_extra_cells(text, head)
        raise DatasetError(f"this does not parse as a CSV table: {str(err).strip()}") from None
    if longer_rows:  # ... and a row with more values than the header names is refused
        _refuse_extra_cells(text, head)
    leading = None if head.names[0] else frame[parse_names[0]]
    frame = frame[[name for name in head.names if name]]
    if frame.empty:
        raise DatasetError("the file has a header but no data rows")
    if len(frame) == 1:  # otherwise every column would be called constant
        raise DatasetError(
            "the file has only 1 data row; a time series needs one row per time step, "
            "many more than the window length"
        )
    return frame, leading


def _refuse_extra_cells(text: str, head: Header) -> None:
    """DatasetError at the first row with a value beyond the header's columns."""
    width = len(head.names)
    rows = csv_rows(text, head.separator)
    for line, row in enumerate(rows, start=1):
        extra = [cell for cell in row[width:] if cell.strip()]
        if line > 1 and extra:
            # 0,5 between commas is two values: the halves of decimal-comma numbers.
            halves = head.separator == "," and all(WHOLE_NUMBER.fullmatch(c.strip()) for c in row)
            fix = "name every column in the header line" + (
                "; or, if the numbers have a decimal comma (0,5), put semicolons between the "
                "columns instead of commas, as Excel does where the comma is the decimal mark"
                if halves
                else ""
            )
            raise DatasetError(
                f"line {line} has {len(row)} values but the header names {width} columns "
                f"(the extra value is {quoted(extra[0])}); {fix}"
            )


WHOLE_NUMBER = re.compile(r"[-+]?\d+")


NO_NUMBERS = "no column holds numbers; a time series needs at least one numeric column"


def _no_numbers(frame, names: list[str]) -> DatasetError:
    """NO_NUMBERS, naming what kept the numbers from reading: a mark, or the separator."""
    if separator := foreign_separator(frame):
        return DatasetError(
            f"the columns are separated by {separator}, and RNN Lab reads commas, semicolons, "
            f"tabs or vertical bars between columns; replace the {separator} with commas, or "
            "save the table as CSV from a spreadsheet"
        )
    for name in names:
        if marked := number_mark(frame[name]):
            mark, cell = marked
            return DatasetError(
                f"no column holds plain numbers: column {quoted(name)} writes them with {mark!r} "
                f"(e.g. {quoted(cell)}); remove the {mark!r} so they read as numbers"
            )
    return DatasetError(NO_NUMBERS)


class Table(NamedTuple):
    """A CSV file read as text cells, with what its numbers were read with."""

    frame: pd.DataFrame  # the named columns' text cells
    head: Header
    numeric: list[str]  # columns of numbers (at least one)
    decimal: str  # "." or ","
    why: dict[str, str]  # for each column of numbers left out: why
    leading: pd.Series | None  # an unnamed first column's cells (a date index?)


def read_table(source: str | Path | IO[bytes], max_bytes: int) -> Table:
    """The file's table, header, columns of numbers (at least one), decimal mark, and why.

    ``why`` says, for each column whose numbers use the decimal mark the file does not, why
    it is left out.
    """
    text = decode(read_bytes(source, max_bytes))
    head = header(text)
    frame, leading = parse_cells(text, head)
    fits = number_cells(frame)  # per decimal mark, (rows, cols)
    decimal, outvoted, clock = decimal_mark(frame, fits, head.separator, len(head.names))
    why = {c: outvoted_reason(cell, decimal, c in clock) for c, cell in outvoted.items()}
    # At least one number is enough: stray text in a numeric column is reported by load_csv.
    has_numbers = fits[decimal].any(axis=0)  # (cols,)
    numeric = [c for c, yes in zip(frame.columns, has_numbers, strict=True) if yes and c not in why]
    if not numeric:
        raise _no_numbers(frame, list(frame.columns))
    return Table(frame, head, numeric, decimal, why, leading)
