"""Spreadsheets' own ways of writing a CSV load: thousands separators, European Excel
(semicolons, decimal commas, cp1252), tabs; numbers with a mark are named, never dropped."""

import io

import numpy as np
import pytest
from conftest import shown

from rnn_core.datasets import DatasetError, csv_columns, load_csv

N = 60
TEMPS = 10 + 5 * np.sin(np.arange(N) / 4)  # (N,)
SALES = 1000 + 400 * np.cos(np.arange(N) / 6) + np.arange(N) * 20  # (N,): 1,000 to 2,600


def first_window(content, columns, window=3):
    """The file's first ``window`` rows of ``columns``, as load_csv read them: (window, D)."""
    raw = content if isinstance(content, bytes) else content.encode()
    data = load_csv(io.BytesIO(raw), target=columns[-1], inputs=columns, window=window)
    return data.x_scaler.inverse(data.X_train[0])


def expected(*series, window=3):
    """The first ``window`` values of each series, as the file writes them: (window, D)."""
    return np.stack([np.round(s[:window], 1) for s in series], axis=1)


def test_a_column_with_thousands_separators_throughout_reads_as_numbers():
    rows = "".join(f'2023-01-{i % 28 + 1:02d},"{s:,.1f}",{i}\n' for i, s in enumerate(SALES))
    text = "date,revenue,units\n" + rows
    assert csv_columns(io.BytesIO(text.encode())).numeric == ["revenue", "units"]
    np.testing.assert_allclose(
        first_window(text, ["revenue", "units"]), np.c_[np.round(SALES[:3], 1), np.arange(3)]
    )


def test_a_thousand_and_more_without_a_decimal_point_is_grouped_too():
    text = "x\n" + "".join(f'"{1000 * (i + 1):,}"\n' for i in range(N))  # "1,000", "2,000" …
    np.testing.assert_allclose(first_window(text, ["x"])[:, 0], [1000, 2000, 3000])


def test_marked_numbers_are_left_out_with_the_mark_to_remove():
    rows = "".join(f"{t:.1f},{i % 9}%,paris\n" for i, t in enumerate(TEMPS))
    columns = csv_columns(io.BytesIO(("temp,rate,city\n" + rows).encode()))
    assert columns.numeric == ["temp"]
    assert columns.other == ["rate", "city"]
    assert columns.left_out() == (
        "rate (numbers written with a mark: 0%; remove the '%' to use it), city (no numbers)"
    )


def comma(value: float) -> str:
    """1091.4 as German Excel writes it: 1091,4."""
    return f"{value:.1f}".replace(".", ",")


def german(value: float) -> str:
    """1091.4 as German Excel writes it with thousands separators: 1.091,4."""
    return f"{value:,.1f}".replace(",", " ").replace(".", ",").replace(" ", ".")


def german_rows(separator: str, number) -> str:
    """Lines of date, temperature, sales as German Excel writes them: 01.01.2023;10,0;1400,0."""
    return "".join(
        f"{i % 28 + 1:02d}.01.2023{separator}{number(t)}{separator}{number(s)}\r\n"
        for i, (t, s) in enumerate(zip(TEMPS, SALES, strict=True))
    )


@pytest.mark.parametrize("separator", [";", "\t"])
def test_european_excel_decimal_commas_load(separator):
    """German Excel: 01.01.2023;10,35;1091,4 (and tabs for "Text (Tab delimited)")."""
    text = f"Datum{separator}Temperatur{separator}Umsatz\r\n" + german_rows(separator, comma)
    assert csv_columns(io.BytesIO(text.encode())).other == ["Datum"]
    np.testing.assert_allclose(first_window(text, ["Temperatur", "Umsatz"]), expected(TEMPS, SALES))


def test_european_thousands_separators_load_and_cp1252_is_read():
    """The file Excel on a German Windows saves as "CSV (Trennzeichen-getrennt)"."""
    assert german(1091.4) == "1.091,4"
    raw = ("Datum;Temperatur (°C);Umsatz (€)\r\n" + german_rows(";", german)).encode("cp1252")
    with pytest.raises(UnicodeDecodeError):
        raw.decode("utf-8")
    assert csv_columns(io.BytesIO(raw)).numeric == ["Temperatur (°C)", "Umsatz (€)"]
    np.testing.assert_allclose(
        first_window(raw, ["Temperatur (°C)", "Umsatz (€)"]), expected(TEMPS, SALES)
    )


def test_a_windows_1252_file_loads_with_its_accents():
    """Excel on Windows saves "CSV (Comma delimited)" in cp1252, not UTF-8."""
    rows = "".join(f"{t:.1f},café\n" for t in TEMPS)
    raw = ("Température,Commentaire\n" + rows).encode("cp1252")
    columns = csv_columns(io.BytesIO(raw))
    assert columns.numeric == ["Température"] and columns.other == ["Commentaire"]


def test_a_tab_separated_file_with_decimal_points_loads():
    text = "a\tb\n" + "".join(f"{t:.1f}\t{s:.1f}\n" for t, s in zip(TEMPS, SALES, strict=True))
    np.testing.assert_allclose(first_window(text, ["a", "b"]), expected(TEMPS, SALES))


def test_a_semicolon_file_with_decimal_points_keeps_them():
    text = "a;b\n" + "".join(f"{t:.1f};{s:.1f}\n" for t, s in zip(TEMPS, SALES, strict=True))
    np.testing.assert_allclose(first_window(text, ["a", "b"]), expected(TEMPS, SALES))


def test_quoted_decimal_commas_between_commas_load():
    """Google Sheets in a German locale: commas between the columns, "10,4" quoted."""
    rows = "".join(f'{i},"{comma(t)}"\n' for i, t in enumerate(TEMPS))
    np.testing.assert_allclose(first_window("i,temp\n" + rows, ["temp"])[:, 0], TEMPS[:3].round(1))


def test_one_column_of_decimal_commas_loads():
    text = "Temperatur\n" + "".join(f"{comma(t)}\n" for t in TEMPS)
    np.testing.assert_allclose(first_window(text, ["Temperatur"])[:, 0], TEMPS[:3].round(1))


@pytest.mark.parametrize(
    ("separator", "cell", "value"),
    [(",", '"1,250"', 1250.0), (";", "1.250", 1250.0), (";", "1,250", 1.25), (",", "1.250", 1.25)],
)
def test_a_number_either_mark_could_write_follows_the_separators_convention(separator, cell, value):
    """With no cell that only one decimal mark can write, semicolons mean a decimal comma."""
    rows = "".join(f"{i}{separator}{i % 7}\n" for i in range(N))
    text = f"x{separator}y\n{cell}{separator}9\n" + rows
    assert first_window(text, ["x", "y"], window=1)[0, 0] == value


GERMAN_WITH_TIMES = "Datum;Beginn;Ende;Temperatur;Feuchte\n" + "".join(
    f"{i % 28 + 1:02d}.01.2024;{i % 24:02d}.00;{i % 12 + 8:02d}.30;{comma(t)};{comma(s / 20)}\n"
    for i, (t, s) in enumerate(zip(TEMPS, SALES, strict=True))
)


def test_time_columns_beside_decimal_commas_are_left_out_not_the_file():
    """German Excel writes a time as 17.30: it neither outvotes nor sinks the measurements."""
    columns = csv_columns(io.BytesIO(GERMAN_WITH_TIMES.encode()))
    assert (columns.numeric, columns.decimal) == (["Temperatur", "Feuchte"], ",")
    assert columns.why["Ende"] == "clock times, as in '08.30', not numbers to learn from"
    np.testing.assert_allclose(
        first_window(GERMAN_WITH_TIMES, ["Feuchte", "Temperatur"]),
        np.c_[np.round(SALES[:3] / 20, 1), np.round(TEMPS[:3], 1)],
    )
    with pytest.raises(DatasetError, match="column 'Beginn' is left out: clock times, as in"):
        load_csv(io.BytesIO(GERMAN_WITH_TIMES.encode()), target="Beginn")
    # Two time columns and one of measurements: the times still do not outvote it.
    rows = GERMAN_WITH_TIMES.replace(";Feuchte\n", "\n", 1).splitlines()[1:]
    text = "Datum;Beginn;Ende;Temperatur\n" + "".join(r.rsplit(";", 1)[0] + "\n" for r in rows)
    assert csv_columns(io.BytesIO(text.encode())).numeric == ["Temperatur"]


@pytest.mark.parametrize(
    ("column", "cells", "left_out_as"),
    [
        ("Ende", lambda i: "17.30", "clock times"),  # the same time every day: still times
        ("Preis", lambda i: f"{12 + i % 3}.{(i * 37) % 100:02d}", "numbers with a decimal point"),
        ("Regen", lambda i: f"{(i % 5) // 4}.{(i * 7) % 50:02d}", "numbers with a decimal point"),
    ],
)
def test_only_clock_times_are_called_so(column, cells, left_out_as):
    """A price (12.30, 13.74) or rain mostly under 1 mm (0.07, 1.28) is no time of day."""
    rows = "".join(f"{cells(i)};{comma(t)};{comma(s / 20)}\n" for i, (t, s) in enumerate(
        zip(TEMPS, SALES, strict=True)))  # fmt: skip
    text = f"{column};Temperatur;Feuchte\n" + rows
    assert csv_columns(io.BytesIO(text.encode())).why[column].startswith(left_out_as)


def test_one_column_of_unquoted_thousands_reads_a_decimal_point():
    """Its commas make the separator search pick semicolons; one column is split at none."""
    text = "value\n" + "".join(f"{i + 1},{(i * 250) % 1000:03d}\n" for i in range(N))
    np.testing.assert_allclose(first_window(text, ["value"])[:, 0], [1000, 2250, 3500])


def test_an_unnamed_index_column_keeps_a_semicolon_files_decimal_comma():
    """1.000 next to an unnamed index, split at semicolons: German thousands, so 1000."""
    text = ";Wert\n" + "".join(f"{i};{i + 1}.{(i * 37) % 1000:03d}\n" for i in range(N))
    np.testing.assert_allclose(first_window(text, ["Wert"])[:, 0], [1000, 2037, 3074])


def test_a_column_of_numbers_with_the_other_decimal_mark_is_outvoted():
    text = "a;b;c\n" + "".join(f"{i},5;{i},25;{i}.125\n" for i in range(N))
    columns = csv_columns(io.BytesIO(text.encode()))
    assert (columns.numeric, columns.decimal) == (["a", "b"], ",")
    assert columns.why["c"] == (
        "numbers with a decimal point, as in '0.125', where the other columns have a decimal "
        "comma; write them with a decimal comma to use it"
    )


def test_unnamed_columns_are_read_past_even_two_of_them():
    """pandas refused "x;;" (two columns of the same empty name) with a ValueError."""
    text = "x;;\n" + "".join(f"{i}.5;{i}.25;{i}.75\n" for i in range(N))
    assert csv_columns(io.BytesIO(text.encode())).numeric == ["x"]
    np.testing.assert_allclose(first_window(text, ["x"])[:, 0], [0.5, 1.5, 2.5])


def test_a_decimal_comma_with_an_exponent_loads():
    """German Excel writes tiny numbers in its General format as 1,5E-05."""
    text = "a;b\n" + "".join(f"{i};{i},5E-05\n" for i in range(N))
    np.testing.assert_allclose(first_window(text, ["b"])[:, 0], [0.5e-5, 1.5e-5, 2.5e-5])


def test_a_comma_in_a_european_header_is_part_of_the_name():
    """Commas split every line in two here too; only the semicolons leave numbers whole."""
    text = "Datum;Temperatur, °C\n" + "".join(
        f"{i % 9 + 1:02d}.01.2024;{comma(t)}\n" for i, t in enumerate(TEMPS)
    )
    np.testing.assert_allclose(first_window(text, ["Temperatur, °C"])[:, 0], TEMPS[:3].round(1))


def test_a_header_with_a_decimal_comma_number_is_taken_for_data():
    text = "01.01.2023;3,5\n" + "".join(f"0{i % 9 + 1}.01.2023;{i},5\n" for i in range(N))
    with pytest.raises(DatasetError, match="the first line holds only numbers or dates"):
        load_csv(io.BytesIO(text.encode()), target="3,5")


def test_the_datasets_page_says_why_a_marked_column_is_left_out(open_page):
    at = open_page("pages/datasets.py")
    at.radio(key="ds_source").set_value("Your CSV").run()
    rows = "".join(f"2023-01-{i % 28 + 1:02d},{t:.2f},{i % 9}%\n" for i, t in enumerate(TEMPS))
    at.file_uploader(key="ds_upload").upload("pct.csv", ("date,temp,rate\n" + rows).encode())
    at.run()
    assert not at.exception
    assert at.selectbox(key="ds_target").options == ["temp"]
    assert any(
        "Left out: date (no numbers), rate (numbers written with a mark: 0%; "
        "remove the '%' to use it)." in shown(c.value)
        for c in at.caption
    )


def test_excels_sep_line_before_the_header_is_skipped():
    """Excel writes "sep=;" above the header when asked to; it names no column."""
    text = "sep=;\nDatum;Temperatur;Umsatz\n" + german_rows(";", comma)
    np.testing.assert_allclose(first_window(text, ["Temperatur", "Umsatz"]), expected(TEMPS, SALES))


def test_how_the_file_was_read_is_reported_with_its_columns():
    german = "Datum;Temperatur;Umsatz\n" + german_rows(";", comma)
    columns = csv_columns(io.BytesIO(german.encode()))
    assert (columns.separator, columns.decimal) == (";", ",")
    plain = "t,v\n" + "".join(f"{i},{t:.2f}\n" for i, t in enumerate(TEMPS))
    columns = csv_columns(io.BytesIO(plain.encode()))
    assert (columns.separator, columns.decimal) == (",", ".")


@pytest.mark.parametrize(
    "text",
    [
        # A wide semicolon file: split at commas, a line is one field over the csv limit
        # (131,072 characters: 4,500 cells of 33).
        ";".join(f"c{j}" for j in range(4_500))
        + "\n"
        + "".join(";".join(f"{i + j:030d},5" for j in range(4_500)) + "\n" for i in range(40)),
    ],
)
def test_lines_longer_than_the_csv_modules_field_limit_load(text):
    assert max(map(len, text.splitlines())) > 131_072
    assert len(csv_columns(io.BytesIO(text.encode())).numeric) == 4_500


def test_a_quote_never_closed_is_a_dataset_error_not_a_traceback():
    text = 'a,b\n"1,2\n' + "".join(f"{i},{i}\n" for i in range(30_000))
    with pytest.raises(DatasetError, match="never closed"):
        csv_columns(io.BytesIO(text.encode()))


@pytest.mark.parametrize("space", ["\u00a0", "\u202f"])
def test_french_thousands_grouped_with_a_no_break_space_load(space):
    """French Excel writes 1 234,5 with a (narrow) no-break space, never a field separator."""

    def french(value: float) -> str:
        whole, fraction = f"{value:.1f}".split(".")
        return f"{int(whole):,}".replace(",", space) + "," + fraction

    text = "Date;Ventes;Temp\n" + "".join(
        f"{i + 1:02d}/01/2023;{french(s)};{comma(t)}\n"
        for i, (s, t) in enumerate(zip(SALES, TEMPS, strict=True))
    )
    np.testing.assert_allclose(first_window(text, ["Ventes", "Temp"]), expected(SALES, TEMPS))


def test_a_typographic_minus_reads_as_a_minus():
    """−0.5 (U+2212, as Wikipedia and word processors write it) looks like -0.5 and is it."""
    rows = [f"{i},{(-1) ** i * i / 10:.2f}\n" for i in range(60)]
    plain = "t,x\n" + "".join(rows)
    typographic = plain.replace("-", "\u2212")
    assert "\u2212" in typographic
    loaded = [
        load_csv(io.BytesIO(text.encode()), target="x", window=3) for text in (plain, typographic)
    ]
    np.testing.assert_array_equal(loaded[0].X_train, loaded[1].X_train)


def test_vertical_bars_between_the_columns_read_like_commas():
    """Database and log exports write "date|tmax": no number or date holds a bar."""
    rows = "".join(f"2020-01-{i + 1:02d}|{np.sin(i / 3):.4f}|{i % 5}\n" for i in range(28))
    columns = csv_columns(io.BytesIO(("date|tmax|wind\n" + rows).encode()))
    assert columns.separator == "|" and columns.numeric == ["tmax", "wind"]
    assert columns.other == ["date"]
    with_commas = "date,tmax,wind\n" + rows.replace("|", ",")
    bars = load_csv(io.BytesIO(("date|tmax|wind\n" + rows).encode()), target="tmax", window=3)
    commas = load_csv(io.BytesIO(with_commas.encode()), target="tmax", window=3)
    np.testing.assert_array_equal(bars.X_train, commas.X_train)


def test_a_vertical_bar_inside_a_comma_files_names_and_notes_leaves_it_a_comma_file():
    rows = "".join(f"2020-01-{i + 1:02d},{i / 10},x|y\n" for i in range(28))
    columns = csv_columns(io.BytesIO(("date,tmax|C,note\n" + rows).encode()))
    assert columns.separator == "," and columns.numeric == ["tmax|C"]


def test_an_input_holding_a_shifted_targets_past_gives_the_repeat_the_last_value_guess():
    """tmax beside tmax_tomorrow (horizon 0): the guess to beat is "tomorrow is like today"."""
    tmax = 15 + 5 * np.sin(np.arange(120) / 6)  # (120,)
    tomorrow = np.r_[tmax[1:], tmax[-1]]  # (120,) tomorrow's tmax on today's row
    pairs = enumerate(zip(tmax, tomorrow, strict=True))
    rows = "".join(f"{a:.2f},{i % 3},{b:.2f}\n" for i, (a, b) in pairs)
    text = "tmax,rain,tmax_tomorrow\n" + rows
    data = load_csv(io.BytesIO(text.encode()), target="tmax_tomorrow", inputs=["rain", "tmax"],
                    horizon=0, window=3)  # fmt: skip
    assert data.last_value_feature == 1  # tmax
    assert set(data.baselines()) == {"predict the training mean", "repeat the last value"}
    unrelated = load_csv(io.BytesIO(text.encode()), target="tmax_tomorrow", inputs=["rain"],
                         horizon=0, window=3)  # fmt: skip
    assert unrelated.last_value_feature is None  # nothing that repeats: the mean is the guess
