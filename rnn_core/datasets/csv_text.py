"""From a user's file to text, field separator and column names, refusing what is not a CSV.

The first checks on untrusted input: the size cap, the encoding (UTF-8, or the Windows code
page Excel writes; UTF-16 and binary files refused), line endings, HTML or JSON saved as .csv,
the character between the fields (comma, semicolon, tab or vertical bar) and a header line
that names the columns (not a comment, not data). Every problem is a ``DatasetError`` saying
what to change.
"""

from __future__ import annotations

import codecs
import csv
import io
import re
from collections import Counter
from itertools import islice
from pathlib import Path
from typing import IO, NamedTuple

from ..wording import quoted
from .core import DatasetError
from .csv_numbers import NUMBER, written_number

# 20 MB as Streamlit's uploader counts them (10⁶ bytes), so the two limits agree: with 20 MiB a
# 20.97-million-byte file passed the loader but not the uploader.
MAX_BYTES = 20_000_000
# A network learns from a handful of columns; 5,000 read in under a second, while a million
# short ones fit in 20 MB and took 90 s and 5 GB to read.
MAX_COLUMNS = 5_000


EMPTY = "the file is empty; upload a CSV with a header row and numeric rows"


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
    got = f"is {size / 1e6:.1f} MB" if size is not None else "is larger than that"
    return f"the file {got}; the limit is {cap / 1e6:g} MB. Upload a shorter series."


def decode(raw: bytes) -> str:
    """The file as text with plain newlines, or a DatasetError naming what it is instead."""
    if not raw.strip():
        raise DatasetError(EMPTY)
    if raw.startswith((codecs.BOM_UTF32_LE, codecs.BOM_UTF32_BE)):  # before UTF-16's: FF FE…
        raise DatasetError(
            "the file is UTF-32 text, not UTF-8; save it as a UTF-8 CSV (in Excel: CSV UTF-8)"
        )
    if raw.startswith((codecs.BOM_UTF16_LE, codecs.BOM_UTF16_BE)) or _utf16_without_bom(raw):
        raise DatasetError(
            'the file is UTF-16 text (Excel\'s "Unicode text"), not UTF-8; save it as a '
            "UTF-8 CSV (in Excel: CSV UTF-8)"
        )
    if b"\x00" in raw:
        raise DatasetError("this is a binary file, not a CSV text file")
    try:
        text = raw.decode("utf-8-sig")
    except UnicodeDecodeError:
        text = _mostly_utf8(raw) or _windows_text(raw)
    # Old Macs end lines with a lone CR ("CSV (Macintosh)" in Excel), which csv.reader refuses.
    text = text.replace("\r\n", "\n").replace("\r", "\n")
    # Excel's "sep=;" first line names the separator for Excel; the header line follows it,
    # and the separator is found from the lines themselves.
    text = EXCEL_SEPARATOR_LINE.sub("", text, count=1)
    if not text.strip():  # only a byte-order mark (Excel's empty "CSV UTF-8"), or "sep=;"
        raise DatasetError(EMPTY)
    return text


EXCEL_SEPARATOR_LINE = re.compile(r"\Asep=.\n")


def _utf16_without_bom(raw: bytes) -> bool:
    """Whether the file starts as UTF-16 text of Latin letters and digits does, BOM or not.

    Each such character is two bytes, one of them 0: every other byte of the start is 0,
    and none of the rest. Called "a binary file" before, which sent the user looking for
    the wrong problem.
    """
    start = raw[:1000]
    halves = start[0::2], start[1::2]
    zeros_and_text = ((h, other) for h, other in (halves, halves[::-1]) if len(h) >= 2)
    return any(h.count(0) == len(h) and 0 not in other for h, other in zeros_and_text)


def csv_rows(text: str, separator: str):
    """The rows of ``text`` as the csv module reads them; what it cannot read is a DatasetError.

    The csv module refuses a field over its size limit (131,072 characters), and so a whole
    unquoted line where a quote is never closed: a traceback for the user otherwise.
    """
    reader = csv.reader(io.StringIO(text), delimiter=separator)
    try:
        yield from reader
    except csv.Error:
        raise DatasetError(
            f"line {reader.line_num} cannot be read: a field is longer than "
            f'{csv.field_size_limit():,} characters, or a quote (") opened before it is '
            "never closed; check the quotes in the file"
        ) from None


# Control characters other than tab, LF and CR: no spreadsheet writes them into a CSV.
CONTROL = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\x7f]")


def _mostly_utf8(raw: bytes) -> str | None:
    """A UTF-8 file with a few stray bytes (a cell pasted from a Windows program), or None.

    Read as Windows-1252, every accented name of such a file turns to mojibake ("TempÃ©rature")
    to save one cell. When its valid UTF-8 letters outnumber the bytes that are not UTF-8, it
    is UTF-8: the strays become "�", which shows where they were.
    """
    text = raw.decode("utf-8-sig", errors="replace")
    strays = text.count("\ufffd")
    letters = sum(1 for ch in text if ord(ch) > 127) - strays  # valid non-ASCII characters
    return text if letters > strays else None


def _windows_text(raw: bytes) -> str:
    """A file that is not UTF-8, read as Windows-1252, or a DatasetError saying how to save it.

    Excel on Windows in Western Europe and the Americas saves "CSV (Comma delimited)" (or
    "CSV (Trennzeichen-getrennt)") in cp1252, so a student's first file is often one. Reading
    it is safe: digits, separators and quotes are the same ASCII bytes in every Windows code
    page, so the numbers cannot be misread; at worst a letter of another code page shows wrong
    in a column name, where the user sees it. What cp1252 cannot be is refused: its five
    undefined bytes fail to decode, and control characters mean a binary file, not text.
    """
    try:  # a UTF-8 byte-order mark before Windows text: "ï»¿" in the first column's name
        text = raw.removeprefix(codecs.BOM_UTF8).decode("cp1252")
    except UnicodeDecodeError:
        text = None
    if text is None or CONTROL.search(text):
        raise DatasetError(
            "the file is neither UTF-8 nor Windows (cp1252) text; in Excel use Save As → "
            '"CSV UTF-8 (Comma delimited)"'
        )
    return text


class Header(NamedTuple):
    """The first line of a CSV: its column names and the character between its fields."""

    names: list[str]
    separator: str  # ",", ";", "\t" or "|"


def header(text: str) -> Header:
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
    separator = field_separator(text)
    row = next(csv_rows(text, separator), [])
    names = [h.strip() for h in row]
    if names and names[0].startswith("#"):
        raise DatasetError(
            f"the first line is a comment ({quoted(row[0])}): remove the lines above the "
            "header with the column names"
        )
    dupes = sorted(name for name, k in Counter(names).items() if k > 1 and name)
    if dupes:
        raise DatasetError(
            f"duplicate column names: {', '.join(dupes)}; give every column a unique name"
        )
    if len(names) < 1 or not any(names):
        raise DatasetError("the first line must be a header with column names")
    if len(names) > MAX_COLUMNS:
        raise DatasetError(
            f"the file has {len(names):,} columns; RNN Lab reads at most {MAX_COLUMNS:,}. Keep "
            "the columns you want to learn from and the time column, and upload that file"
        )
    if all(_looks_like_data(name) for name in names if name):
        raise DatasetError(
            f"the first line holds only numbers or dates ({', '.join(names[:3])}), so it looks "
            "like data, not column names; add a header line naming the columns (names that are "
            "numbers, such as years, need a letter: y2019)"
        )
    return Header(names, separator)


# Vertical bars too: databases and log tools export them ("date|tmax"), and no number or
# date holds one.
SEPARATORS = {",": "commas", ";": "semicolons", "\t": "tabs", "|": "vertical bars"}
SAMPLE_LINES = 50  # the header and the data lines after it that decide the separator


def field_separator(text: str) -> str:
    """The character between the fields, decided from the text alone and always the same way.

    A separator splits the header into two or more columns and, in a well-formed file, every
    sampled line into as many: the one that does so is it (Excel's European CSV: semicolons,
    as 3,5 puts a comma inside a number). If none splits every line evenly, the one that splits
    the header is used, and the parser names the line that does not fit. A one-column file
    takes the first separator that no line contains (a semicolon, if its numbers hold commas).
    Two that fit equally well are refused, saying what each would give.

    Vertical bars count only where no other separator fits: a comma file may hold a bar in
    a name or a note ("tmax|C", "x|y").

    Commas also split a European file evenly when each line holds one decimal comma and so
    does the header ("Temperatur, °C"; or there is none): then the other separator wins if
    every comma it leaves inside a data field is a decimal comma (3,5), as Excel writes
    semicolons for that reason.
    """
    samples = {sep: _sample(text, sep) for sep in SEPARATORS}
    widths = {sep: [len(row) for row in rows] or [0] for sep, rows in samples.items()}
    split = [sep for sep, w in widths.items() if w[0] > 1]
    even = [sep for sep in split if len(set(widths[sep])) == 1]
    decimal = [sep for sep in even if sep != "," and _commas_in_numbers(samples[sep][1:])]
    if "," in even and len(decimal) == 1:
        even = decimal
    candidates = even or split
    if len(candidates) > 1 and "|" in candidates:  # a bar in a name or a note: the others win
        candidates.remove("|")
    if len(candidates) > 1:
        seen = " and ".join(f"into {widths[s][0]} columns at {SEPARATORS[s]}" for s in candidates)
        how = "every line splits evenly" if even else "the header line splits"
        raise DatasetError(
            f"which character separates the columns is unclear: {how} {seen}; keep only one "
            "of them between the columns (e.g. remove the other from the column names)"
        )
    if candidates:
        return candidates[0]
    return next((sep for sep, w in widths.items() if set(w) == {1}), ",")


def _sample(text: str, separator: str) -> list[list[str]]:
    """The first non-blank lines' fields, split at ``separator`` ([] if it cannot read them).

    Split at the wrong separator, a long line is one field over the csv module's limit: that
    separator is simply not the file's.
    """
    try:
        return list(islice((row for row in csv_rows(text, separator) if row), SAMPLE_LINES))
    except DatasetError:
        return []


def _commas_in_numbers(rows: list[list[str]]) -> bool:
    """Whether every field holding a comma is a number with a decimal comma (3,5; 1.091,4)."""
    decimal_comma = NUMBER[","]["any"]
    return all(decimal_comma.fullmatch(f.strip()) for row in rows for f in row if "," in f)


# A date or date-time, as a data row's first cell often holds: 2020-01-31, 31/01/2020 12:00
DATE_LIKE = re.compile(r"\d{1,4}[-/.]\d{1,2}[-/.]\d{1,4}([ T][\d:.]+)?")


def _looks_like_data(text: str) -> bool:
    """Whether a header cell is a value (number or date) rather than a column name."""
    return _is_number(text) or written_number(text) or DATE_LIKE.fullmatch(text) is not None


def _is_number(text: str) -> bool:
    try:
        float(text)
    except ValueError:
        return False
    return True


# Spaces between the columns, as some tools write them: "0.1 0.2" is one cell of a CSV.
FOREIGN_SEPARATORS = {"spaces": re.compile(r"\s+")}
SPACE_THOUSANDS = re.compile(r"[-+]?\d{1,3}( \d{3})+([.,]\d+)?")  # 1 101, 12 345,5


def foreign_separator(frame) -> str | None:
    """The separator a one-column table's header and first cell both split at, else None.

    Split into as many fields each, some of the cell's numbers: "date tmax" over
    "2020-01-01 12.5". Not a column "sales" of 1 101 (thousands grouped with a plain space).
    """
    if frame.shape[1] != 1 or not len(frame):
        return None
    name, cell = str(frame.columns[0]).strip(), str(frame.iloc[0, 0]).strip()
    if SPACE_THOUSANDS.fullmatch(cell):  # 1 101 under "Ventes mensuelles": one number
        return None
    for separator, pattern in FOREIGN_SEPARATORS.items():
        parts = pattern.split(cell)
        if 1 < len(parts) == len(pattern.split(name)) and any(map(written_number, parts)):
            return separator
    return None
