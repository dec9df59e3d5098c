"""Malformed CSV files get a DatasetError that names the problem, never a raw traceback."""

import io
import pickle

import numpy as np
import pytest

from rnn_core.datasets import DatasetError, csv_columns, load_csv


def series(n=60, name="x"):
    values = np.sin(np.arange(n) / 3.0) + np.arange(n) / 100
    return f"{name}\n" + "\n".join(f"{v:.4f}" for v in values) + "\n"


def with_line(text, line_no, new):
    lines = text.splitlines()
    lines[line_no - 1] = new
    return "\n".join(lines) + "\n"


GOOD = series()
CASES = {
    "binary file": (b"\x00\x01\x02PK\x03\x04", {}, "binary file, not a CSV"),
    "pickle payload": (pickle.dumps({"x": [1, 2]}), {}, "binary file, not a CSV"),
    "empty file": (b"", {}, "the file is empty"),
    "utf-16, as Excel's Unicode text": (
        "x\n1\n2\n".encode("utf-16"),
        {},
        'the file is UTF-16 text (Excel\'s "Unicode text"), not UTF-8; save it as a UTF-8 CSV',
    ),
    "utf-16 without a byte-order mark": (
        "x\n1\n2\n".encode("utf-16-be"),
        {},
        'the file is UTF-16 text (Excel\'s "Unicode text"), not UTF-8',
    ),
    "utf-32": ("x\n1\n2\n".encode("utf-32"), {}, "the file is UTF-32 text, not UTF-8"),
    "a comment above the header": (
        "# my data\n" + GOOD,
        {},
        "the first line is a comment ('# my data'): remove the lines above the header",
    ),
    "only whitespace": (b" \n\n  \n", {}, "the file is empty"),
    "header only": (b"x,y\n", {}, "header but no data rows"),
    "one row": (b"x,y\n1,2\n", {}, "only 1 data row"),
    "neither utf-8 nor cp1252 (a byte cp1252 leaves undefined)": (
        b"x\n1\ncaf\x81\n",
        {},
        'neither UTF-8 nor Windows (cp1252) text; in Excel use Save As → "CSV UTF-8',
    ),
    "not utf-8, and control characters": (
        b"x\n1\n\xe9\x01\x02\n",
        {},
        "neither UTF-8 nor Windows (cp1252) text",
    ),
    "ragged rows": (b"x,y\n1,2\n3,4,5\n", {}, "line 3 has 3 values but the header names 2"),
    "every row longer than the header": (
        "x,y\n" + "".join(f"{i},{i},{i}\n" for i in range(60)),
        {},
        "line 2 has 3 values but the header names 2 columns (the extra value is '0')",
    ),
    "unparseable quoting": (b'x,y\n1,"2\n3,4\n', {}, "does not parse as a CSV table"),
    "duplicate headers": (b"x,x\n1,2\n3,4\n", {}, "duplicate column names: x"),
    "no numeric column": (b"x,city\nbob,paris\nann,rome\n", {}, "no column holds numbers"),
    "target missing": (
        GOOD,
        {"target": "tmax"},
        "target column 'tmax' is not in the file; numeric columns are: x",
    ),
    "input missing": (GOOD, {"inputs": ["x", "rain"]}, "input column 'rain' not in the file"),
    "no inputs": (GOOD, {"inputs": []}, "choose at least one input column"),
    "a text column chosen": (
        "x,city\n" + "".join(f"{i},paris\n" for i in range(60)),
        {"inputs": ["x", "city"]},
        "column 'city' holds no numbers (text or dates only); choose among the numeric columns: x",
    ),
    "thousands separators in some cells of a column": (
        with_line("x\n" + "".join(f"{1000 + i}.5\n" for i in range(60)), 6, '"2,627.1"'),
        {},
        "'2,627.1' on line 6 (1 such cell in all); remove the thousands separators "
        "(1,234.5 → 1234.5)",
    ),
    "thousands separators in some cells of a decimal-comma column": (
        "t;x\n" + "".join(f"{i};{1000 + i},5\n" for i in range(59)) + "59;1.059,5\n",
        {},
        "'1.059,5' on line 61 (1 such cell in all); remove the thousands separators "
        "(1.234,5 → 1234,5)",
    ),
    "decimal points and decimal commas in one file": (
        "t;x;y\n" + "".join(f"{i};{i}.5;{i},25\n" for i in range(60)),
        {},
        "some numbers have a decimal point ('0.5' in column 'x', line 2) and others a decimal "
        "comma ('0,25' in column 'y', line 2); write every number with the same decimal mark",
    ),
    "both decimal marks in one column": (
        "t;x;y\n" + "".join(f"{i};{i},5;{i}\n" for i in range(59)) + "59;0.5;1\n",
        {},
        "some numbers have a decimal point ('0.5' in column 'x', line 61) and others a decimal "
        "comma ('0,5' in column 'x', line 2); write every number with the same decimal mark",
    ),
    "times around midnight beside decimal commas": (
        "Zeit;Wert\n" + "".join(f"{('0.00', '0.15', '23.45')[i % 3]};{i},5\n" for i in range(60)),
        {},
        "write every number with the same decimal mark (if '0.00' is a time of day, write it 0:00)",
    ),
    "two separators that split every line alike": (
        "x,a;b\n" + "".join(f"{i},r{i};{i}\n" for i in range(60)),
        {},
        "which character separates the columns is unclear: every line splits evenly into 2 "
        "columns at commas and into 2 columns at semicolons; keep only one",
    ),
    "text in numeric column": (
        with_line(GOOD, 5, "abc"),
        {},
        "column 'x' has text where a number should be: 'abc' on line 5",
    ),
    "missing value refused": (
        with_line(GOOD, 10, ""),
        {},
        "column 'x' has 1 missing value (first on line 10)",
    ),
    "an empty last cell of a tab-separated file": (
        "a\tx\n" + "".join(f"{i}\t{i % 7}\n" for i in range(59)) + "59\t\n",
        {},
        "column 'x' has 1 missing value (first on line 61)",
    ),
    "NaN literal refused": (with_line(GOOD, 12, "NaN"), {}, "1 missing value (first on line 12)"),
    "leading gap cannot be forward filled": (
        with_line(GOOD, 2, ""),
        {"fill": "ffill"},
        "starts with missing values",
    ),
    "infinite value": (with_line(GOOD, 7, "inf"), {}, "column 'x' has an infinite value on line 7"),
    "no header line": ("1.5,2\n" + "".join(f"{i},{i}\n" for i in range(60)), {}, "add a header"),
    "no header line, dates first": (
        "2020-01-01,3.35\n" + "".join(f"2020-01-{i % 28 + 1:02d},{i}\n" for i in range(60)),
        {},
        "only numbers or dates (2020-01-01, 3.35)",
    ),
    "value too large to compute with": (
        with_line(GOOD, 8, "1e300"),
        {},
        "column 'x' has 1e+300 on line 8, too large to compute with",
    ),
    "too few rows": (series(20), {"window": 7}, "the series has 20 rows, but window 7 + horizon 1"),
    "horizon too far for any window": (
        series(300),
        {"window": 1, "horizon": 1000},
        "the series has 300 rows, but window 1 + horizon 1000 with a 70/15/15 split needs "
        "at least 6674; use a horizon of at most 44",
    ),
    "constant column": (
        "x,c\n" + "".join(f"{i},3\n" for i in range(60)),
        {"inputs": ["x", "c"]},
        "column 'c' is constant (every value is 3)",
    ),
    "constant over the training part": (
        "x\n" + "0\n" * 50 + "1\n" * 10,
        {},
        "constant over the training part",
    ),
    "values too small to scale": (
        "x\n" + "".join(f"{1e-300 * np.sin(i / 5):.3e}\n" for i in range(300)),
        {},
        "column 'x' varies by less than 1e-100, too little to scale",
    ),
    "an HTML page": (
        "<!DOCTYPE html>\n<html><body><p>hello, world</p></body></html>\n",
        {},
        "this is an HTML or XML file",
    ),
    "JSON": ('{"x": [1, 2, 3],\n "y": [4, 5, 6]}\n', {}, "this looks like JSON"),
    "percentages": (
        "id,x\n" + "".join(f"r{i},{i}%\n" for i in range(60)),
        {},
        "column 'x' writes them with '%' (e.g. '0%'); remove the '%'",
    ),
    "units after the numbers": (
        "x\n" + "".join(f"{i} kg\n" for i in range(60)),
        {},
        "column 'x' writes them with 'kg'",
    ),
    "over the size cap": (GOOD, {"max_bytes": 100}, "the limit is"),
    "target leaks with horizon 0": (GOOD, {"horizon": 0}, "cannot also be an input"),
    "bad window": (GOOD, {"window": 0}, "window must be a whole number from 1 to 1000"),
    "bad fill mode": (GOOD, {"fill": "mean"}, "fill must be one of refuse, ffill"),
    "bad fractions": (GOOD, {"fractions": (0.5, 0.5, 0.5)}, "fractions must add up to 1"),
    "decimal commas between commas": (
        "x,y\n" + "".join(f"0,{i},1,5\n" for i in range(30)),
        {},
        "line 2 has 4 values but the header names 2 columns (the extra value is '1'); name "
        "every column in the header line; or, if the numbers have a decimal comma (0,5), put "
        "semicolons between the columns",
    ),
    "spaces between the columns": (
        "x y\n" + "".join(f"{i / 10}  {i}\n" for i in range(30)),
        {},
        "the columns are separated by spaces",
    ),
    # One column whose thousands are grouped by a plain space: no columns to separate.
    "plain-space thousands": (
        "sales\n" + "".join(f"1 {100 + i}\n" for i in range(30)),
        {"target": "sales"},
        "no column holds numbers",
    ),
    "plain-space thousands under a two-word name": (
        "monthly sales\n" + "".join(f"1 {100 + i}\n" for i in range(30)),
        {"target": "monthly sales"},
        "no column holds numbers",
    ),
    # A million short columns fit in 20 MB and took 90 s and 5 GB to read.
    "too many columns": (
        ",".join(f"c{j}" for j in range(5_001)) + "\n" + ",".join(["1"] * 5_001) + "\n",
        {"target": "c0"},
        "the file has 5,001 columns; RNN Lab reads at most 5,000",
    ),
}


@pytest.mark.parametrize("case", sorted(CASES))
def test_malformed_csv_is_rejected_with_a_clear_message(case):
    content, options, fragment = CASES[case]
    raw = content.encode() if isinstance(content, str) else content
    with pytest.raises(DatasetError) as info:
        load_csv(io.BytesIO(raw), **{"target": "x", **options})
    message = str(info.value)
    assert fragment in message
    assert "Traceback" not in message
    assert info.value.__cause__ is None  # no pandas/NumPy exception chained underneath


def test_there_are_at_least_fifteen_malformed_files():
    assert len(CASES) >= 15


def test_forward_fill_repairs_gaps_like_the_seed_notebook():
    text = with_line(GOOD, 10, "")
    data = load_csv(io.BytesIO(text.encode()), target="x", fill="ffill", window=3)
    rows = data.x_scaler.inverse(data.X_train[:, 0])[:, 0]  # first row of each window
    assert rows[8] == rows[7]  # line 10 is row 8: it carries row 7's value
    assert rows[9] != rows[8]


def test_a_trailing_comma_on_every_row_keeps_the_columns_in_place():
    """pandas would take the first column as an index and shift the others one to the left."""
    rows = [(np.sin(i / 5), np.cos(i / 5)) for i in range(60)]
    text = "a,b\n" + "".join(f"{a:.4f},{b:.4f},\n" for a, b in rows)
    data = load_csv(io.BytesIO(text.encode()), target="a", inputs=["a", "b"], window=3)
    first = data.x_scaler.inverse(data.X_train[0])  # (T, D): the first window, in file units
    np.testing.assert_allclose(first, np.round(rows[:3], 4))


def test_old_mac_line_endings_read_like_any_other():
    """Excel for Mac's "CSV (Macintosh)" ends lines with a lone CR, which csv.reader refuses."""
    unix = load_csv(io.BytesIO(GOOD.encode()), target="x", window=3)
    mac = load_csv(io.BytesIO(GOOD.replace("\n", "\r").encode()), target="x", window=3)
    np.testing.assert_array_equal(mac.X_train, unix.X_train)


def test_missing_path_is_a_clear_error(tmp_path):
    with pytest.raises(DatasetError, match="no file at"):
        load_csv(tmp_path / "nope.csv", target="x")


def test_file_over_the_cap_on_disk_is_refused_before_reading(tmp_path):
    path = tmp_path / "big.csv"
    path.write_text(GOOD)
    with pytest.raises(DatasetError, match=r"the file is 0\.0 MB; the limit is"):
        load_csv(path, target="x", max_bytes=10)


def test_windows_too_big_for_memory_are_refused_before_they_are_made():
    """1000-row windows of a long file copy each row 1000 times: a MemoryError, unguarded."""
    rows = "".join(f"{i % 97},{i % 89},{i % 83}\n" for i in range(60_000))
    with pytest.raises(DatasetError, match=r"1000-row windows over 60,000 rows would take 1\.4 GB"):
        load_csv(io.BytesIO(("a,b,c\n" + rows).encode()), target="c", inputs=["a", "b", "c"],
                 window=1000)  # fmt: skip


@pytest.mark.parametrize("content", [b"\xef\xbb\xbf", b"sep=;\n", b"sep=;\r\n\r\n"])
def test_a_file_with_nothing_after_its_byte_order_mark_or_sep_line_is_empty(content):
    with pytest.raises(DatasetError, match="the file is empty"):
        csv_columns(io.BytesIO(content))


def test_a_long_bad_cell_is_quoted_short():
    rows = "".join(f"{i}\n" for i in range(40)) + "x" * 5000 + "\n"
    with pytest.raises(DatasetError) as err:
        load_csv(io.BytesIO(("a\n" + rows).encode()), target="a", window=3)
    assert "'" + "x" * 40 + "…'" in str(err.value) and len(str(err.value)) < 300


def test_windows_text_after_a_utf8_byte_order_mark_keeps_its_first_name_clean():
    text = "Température;b\n" + "".join(f"{i},5;{i}\n" for i in range(40))
    raw = b"\xef\xbb\xbf" + text.encode("cp1252")
    assert csv_columns(io.BytesIO(raw)).numeric == ["Température", "b"]


def test_a_utf8_file_with_a_stray_windows_byte_keeps_its_accented_names():
    """Read as Windows-1252 for one pasted cell, every "é" of the file became "Ã©"."""
    text = "Température,Durée\n" + "".join(f"{i},{i % 5}\n" for i in range(40))
    raw = text.encode("utf-8") + b"caf\xe9,1\n"  # one cell pasted from a Windows program
    columns = csv_columns(io.BytesIO(raw))
    assert columns.numeric == ["Température", "Durée"]


def test_a_windows_file_with_accents_throughout_is_still_read_as_windows():
    text = "Température;Durée\n" + "".join(f"{i},5;{i % 5}\n" for i in range(40))
    assert csv_columns(io.BytesIO(text.encode("cp1252"))).numeric == ["Température", "Durée"]


def test_a_long_column_name_is_quoted_short_in_messages():
    name = "n" * 5000
    rows = "".join(f"{i}\n" for i in range(40)) + "oops\n"
    with pytest.raises(DatasetError) as err:
        load_csv(io.BytesIO((name + "\n" + rows).encode()), target=name, window=3)
    assert "'" + "n" * 40 + "…'" in str(err.value) and len(str(err.value)) < 300
