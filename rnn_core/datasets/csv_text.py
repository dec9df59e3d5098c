"""From a user's file to text and column names, refusing what is not a CSV on the way.

The first checks on untrusted input: the size cap, the encoding (UTF-8; UTF-16 and binary
files refused), line endings, HTML or JSON saved as .csv, and a header line that names the
columns (not a comment, not data, not another separator). Every problem is a
``DatasetError`` saying what to change.
"""

from __future__ import annotations

import codecs
import csv
import io
import re
from collections import Counter
from pathlib import Path
from typing import IO

from .core import DatasetError

MAX_BYTES = 20 * 1024 * 1024


def read_bytes(source: str | Path | IO[bytes], max_bytes: int) -> bytes:
    """Read at most ``max_bytes`` (+1 to detect overflow) from a path or file-like object."""
    if isinstance(source, str | Path):
        path = Path(source)
        if not path.is_file():
            raise DatasetError(f"no file at {path}")
        size = path.stat().st_size
        if size > max_bytes:
            raise DatasetError(_too_big(size, max_bytes))
        return path.read_bytes()
    data = source.read(max_bytes + 1)
    if isinstance(data, str):
        data = data.encode()
    if len(data) > max_bytes:
        raise DatasetError(_too_big(None, max_bytes))
    return data


def _too_big(size: int | None, cap: int) -> str:
    got = f"is {size / 2**20:.1f} MB" if size is not None else "is larger than that"
    return f"the file {got}; the limit is {cap / 2**20:g} MB. Upload a shorter series."


def decode(raw: bytes) -> str:
    """The file as text with plain newlines, or a DatasetError naming what it is instead."""
    if not raw.strip():
        raise DatasetError("the file is empty; upload a CSV with a header row and numeric rows")
    if raw.startswith((codecs.BOM_UTF16_LE, codecs.BOM_UTF16_BE)):
        raise DatasetError(
            'the file is UTF-16 text (Excel\'s "Unicode text"), not UTF-8; save it as a '
            "UTF-8 CSV (in Excel: CSV UTF-8)"
        )
    if b"\x00" in raw:
        raise DatasetError("this is a binary file, not a CSV text file")
    try:
        text = raw.decode("utf-8-sig")
    except UnicodeDecodeError:
        raise DatasetError("the file is not UTF-8 text; save it as a UTF-8 CSV") from None
    # Old Macs end lines with a lone CR ("CSV (Macintosh)" in Excel), which csv.reader refuses.
    return text.replace("\r\n", "\n").replace("\r", "\n")


def header_names(text: str) -> list[str]:
    """The column names on the first line, after the checks that it is a CSV's header."""
    first = text.lstrip()[:1]
    if first == "<":
        raise DatasetError(
            "this is an HTML or XML file (it starts with '<'), not a CSV; save the table as "
            "CSV: a header line of column names, then one line of numbers per time step"
        )
    if first in ("{", "["):
        raise DatasetError(
            "this looks like JSON (it starts with '{' or '['), not a CSV; convert it to CSV: "
            "a header line of column names, then one line of numbers per time step"
        )
    header = next(csv.reader(io.StringIO(text)))
    names = [h.strip() for h in header]
    if names and names[0].startswith("#"):
        raise DatasetError(
            f"the first line is a comment ({header[0][:40]!r}): remove the lines above the "
            "header with the column names"
        )
    dupes = sorted(name for name, k in Counter(names).items() if k > 1 and name)
    if dupes:
        raise DatasetError(
            f"duplicate column names: {', '.join(dupes)}; give every column a unique name"
        )
    if len(names) < 1 or not any(names):
        raise DatasetError("the first line must be a header with column names")
    if len(names) == 1 and (separator := _other_separator(names[0])):
        raise DatasetError(
            f"the columns seem separated by {separator}, not commas, as Excel writes a CSV "
            "where a comma is the decimal separator; save the file with commas between the "
            "columns and points in the numbers"
        )
    if all(_looks_like_data(name) for name in names if name):
        raise DatasetError(
            f"the first line holds only numbers or dates ({', '.join(names[:3])}), so it looks "
            "like data, not column names; add a header line naming the columns (names that are "
            "numbers, such as years, need a letter: y2019)"
        )
    return names


def _other_separator(header_cell: str) -> str | None:
    """How a one-column header is really separated, if it holds ';' or tabs (else None)."""
    for separator, said in ((";", "semicolons (;)"), ("\t", "tabs")):
        if separator in header_cell:
            return said
    return None


# A date or date-time, as a data row's first cell often holds: 2020-01-31, 31/01/2020 12:00
DATE_LIKE = re.compile(r"\d{1,4}[-/.]\d{1,2}[-/.]\d{1,4}([ T][\d:.]+)?")


def _looks_like_data(text: str) -> bool:
    """Whether a header cell is a value (number or date) rather than a column name."""
    return _is_number(text) or DATE_LIKE.fullmatch(text) is not None


def _is_number(text: str) -> bool:
    try:
        float(text)
    except ValueError:
        return False
    return True
