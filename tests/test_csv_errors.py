"""Malformed CSV files get a DatasetError that names the problem, never a raw traceback."""

import io
import pickle

import numpy as np
import pytest

from rnn_core.datasets import DatasetError, load_csv


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
    "only whitespace": (b" \n\n  \n", {}, "the file is empty"),
    "header only": (b"x,y\n", {}, "header but no data rows"),
    "one row": (b"x,y\n1,2\n", {}, "only 1 data row"),
    "not utf-8": ("x\n1\ncaf\xe9\n".encode("latin-1"), {}, "not UTF-8 text"),
    "ragged rows": (b"x,y\n1,2\n3,4,5\n", {}, "does not parse as a CSV table"),
    "duplicate headers": (b"x,x\n1,2\n3,4\n", {}, "duplicate column names: x"),
    "no numeric column": (b"x,city\nbob,paris\nann,rome\n", {}, "no column holds numbers"),
    "target missing": (
        GOOD,
        {"target": "tmax"},
        "target column 'tmax' is not in the file; numeric columns are: x",
    ),
    "input missing": (GOOD, {"inputs": ["x", "rain"]}, "input column(s) 'rain' not in the file"),
    "no inputs": (GOOD, {"inputs": []}, "choose at least one input column"),
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
    "semicolon-separated": (
        "a;b\n" + "".join(f"{i};{i}\n" for i in range(60)),
        {},
        "separated by ';' or tabs: save the file with commas",
    ),
    "value too large to compute with": (
        with_line(GOOD, 8, "1e300"),
        {},
        "column 'x' has 1e+300 on line 8, too large to compute with",
    ),
    "too few rows": (series(20), {"window": 7}, "the series has 20 rows, but window 7 + horizon 1"),
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
    "over the size cap": (GOOD, {"max_bytes": 100}, "the limit is"),
    "target leaks with horizon 0": (GOOD, {"horizon": 0}, "cannot also be an input"),
    "bad window": (GOOD, {"window": 0}, "window must be a whole number from 1 to 1000"),
    "bad fill mode": (GOOD, {"fill": "mean"}, "fill must be one of refuse, ffill"),
    "bad fractions": (GOOD, {"fractions": (0.5, 0.5, 0.5)}, "fractions must add up to 1"),
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


def test_missing_path_is_a_clear_error(tmp_path):
    with pytest.raises(DatasetError, match="no file at"):
        load_csv(tmp_path / "nope.csv", target="x")


def test_file_over_the_cap_on_disk_is_refused_before_reading(tmp_path):
    path = tmp_path / "big.csv"
    path.write_text(GOOD)
    with pytest.raises(DatasetError, match=r"the file is 0\.0 MB; the limit is"):
        load_csv(path, target="x", max_bytes=10)
