"""The Datasets page: every built-in dataset is shown with its splits, statistics and samples."""

import json
import re

import numpy as np
import pytest
from conftest import shown

from dashboard.config import BUILT_IN
from dashboard.data_views import is_series, split_series, split_statistics
from rnn_core import datasets


@pytest.mark.parametrize("name", sorted(BUILT_IN))
def test_every_built_in_dataset_renders(open_page, name):
    at = open_page("pages/datasets.py")
    at.selectbox(key="ds_dataset").set_value(name).run()
    assert not at.exception
    titles = [json.loads(c.proto.spec)["layout"]["title"]["text"] for c in at.get("plotly_chart")]
    assert any(t.startswith("Training samples") for t in titles)
    assert (name in ("sine", "sincos", "weather")) == any("by split" in t for t in titles)
    assert at.dataframe


def test_bad_option_shows_the_reason(open_page):
    at = open_page("pages/datasets.py")
    at.radio(key="ds_source").set_value("Your CSV").run()
    series = "".join(f"{np.sin(i / 3):.3f}\n" for i in range(30))
    at.file_uploader(key="ds_upload").upload("short.csv", ("level\n" + series).encode()).run()
    at.number_input(key="ds_window").set_value(9).run()
    assert not at.exception
    assert "the series has 30 rows, but window 9" in at.error[0].value
    assert at.error[0].value.endswith("use a window of at most 3.")


def test_an_option_out_of_range_is_named_once_with_its_boxs_limits(open_page):
    """The loader's own wider limit (1 to 1000, under its code name) said the opposite."""
    at = open_page("pages/datasets.py")
    at.selectbox(key="ds_dataset").set_value("sum").run()
    at.number_input(key="ds_sum_length").set_value(999999).run()
    assert not at.exception
    assert [e.value for e in at.error] == ["Sequence length T: use a value from 1 to 200."]


def test_series_is_reassembled_from_windows_without_overlap():
    data = datasets.load("sine", noise=0.1)
    assert is_series(data) and not is_series(datasets.load("adding"))
    parts = [split_series(data, s) for s in ("train", "val", "test")]
    # every point once, except each split's last row, which is only ever a target (horizon 1)
    assert sum(len(p) for p in parts) == 1000 - 3
    np.testing.assert_allclose(parts[1][:25], data.X_val[0, :, 0])


def test_split_statistics_are_in_real_units():
    data = datasets.load("weather")
    stats = split_statistics(data)
    assert list(stats.columns) == ["training", "validation", "test"]
    assert 5 < stats.loc["target mean", "training"] < 25  # °C, not scaled units
    assert stats.loc["windows", "training"] == len(data.X_train)


def test_only_columns_with_numbers_are_offered_and_the_rest_are_named(open_page):
    at = open_page("pages/datasets.py")
    at.radio(key="ds_source").set_value("Your CSV").run()
    rows = "".join(
        f"2020-01-{i % 28 + 1:02d},paris,{np.sin(i / 4):.3f},{i % 7}\n" for i in range(90)
    )
    at.file_uploader(key="ds_upload").upload("mixed.csv", ("date,city,a,b\n" + rows).encode())
    at.run()
    assert not at.exception
    assert at.selectbox(key="ds_target").options == ["a", "b"]
    assert at.multiselect(key="ds_inputs").options == ["a", "b"]
    assert any(
        "Left out: date (no numbers), city (no numbers)." in shown(c.value) for c in at.caption
    )
    assert "mixed.csv: " in shown(at.success[0].value)
    # The target (b, the last) learns from its own past: a, a column of numbers, is named.
    assert at.multiselect(key="ds_inputs").value == ["b"]
    unused = "Not used: a. Add it to the input columns for the network to learn from it too."
    assert unused in [shown(c.value) for c in at.caption]
    at.multiselect(key="ds_inputs").set_value(["a", "b"]).run()
    assert not any(shown(c.value).startswith("Not used") for c in at.caption)


def test_the_adding_problems_samples_show_which_two_values_are_added():
    from dashboard.data_views import samples_figure

    figure = samples_figure(datasets.load("adding", length=20))
    marked = [t for t in figure.data if t.name.endswith("marker = 1")]
    targets = [t for t in figure.data if t.name.endswith(": target")]
    assert len(marked) == len(targets) > 0
    for circles, star in zip(marked, targets, strict=True):
        assert len(circles.x) == 2  # exactly two marked steps
        assert sum(circles.y) == pytest.approx(star.y[0])  # they add up to the target
    assert "circled: where marker is 1" in figure.layout.title.subtitle.text


def test_inputs_follow_the_target_until_the_user_chooses_them(open_page):
    """The default input, the target's own past, moves with the target; a choice stays."""
    at = open_page("pages/datasets.py")
    at.radio(key="ds_source").set_value("Your CSV").run()
    rows = "".join(f"{np.sin(i / 4):.3f},{np.cos(i / 4):.3f},{i % 7}\n" for i in range(90))
    at.file_uploader(key="ds_upload").upload("stock.csv", ("a,b,c\n" + rows).encode()).run()
    assert at.multiselect(key="ds_inputs").value == ["c"]  # the last column, from its past
    at.selectbox(key="ds_target").set_value("a").run()
    assert at.multiselect(key="ds_inputs").value == ["a"]  # not "predict a from c alone"
    at.multiselect(key="ds_inputs").set_value(["a", "b"]).run()
    at.selectbox(key="ds_target").set_value("b").run()
    assert at.multiselect(key="ds_inputs").value == ["a", "b"]  # the user's choice stands


def test_a_first_visit_shows_the_data_the_train_page_would_train(open_page):
    at = open_page("pages/train.py")
    at.selectbox(key="dataset").set_value("adding").run()
    at.number_input(key="opt_adding_length").set_value(30).run()
    at.switch_page("pages/datasets.py").run()
    assert at.selectbox(key="ds_dataset").value == "adding"
    assert at.number_input(key="ds_adding_length").value == 30
    at.selectbox(key="ds_dataset").set_value("sine").run()  # from then on, its own choices
    at.switch_page("pages/train.py").run()
    at.switch_page("pages/datasets.py").run()
    assert at.selectbox(key="ds_dataset").value == "sine"


def test_a_file_read_with_semicolons_and_decimal_commas_says_so(open_page):
    """1.250 in such a file is 1250: said on the page, a wrong guess is seen at once."""
    at = open_page("pages/datasets.py")
    at.radio(key="ds_source").set_value("Your CSV").run()
    rows = "".join(f"{i},5;{np.sin(i / 4):.3f}".replace(".", ",") + "\n" for i in range(60))
    at.file_uploader(key="ds_upload").upload("de.csv", ("a;b\n" + rows).encode()).run()
    assert not at.exception
    assert any(
        c.value.startswith("Read with semicolons between the columns and a decimal comma")
        for c in at.caption
    )


def test_dollar_signs_and_markdown_in_a_file_are_shown_as_written(open_page):
    """ "Price ($)" and a cell "$0" rendered the words between them as LaTeX maths."""
    at = open_page("pages/datasets.py")
    at.radio(key="ds_source").set_value("Your CSV").run()
    rows = "".join(f"${i},{i % 7}.5,{np.sin(i / 4):.3f}\n" for i in range(60))
    content = ("Price ($),Cost_($)*,b\n" + rows).encode()
    at.file_uploader(key="ds_upload").upload("my_*prices*.csv", content).run()
    assert not at.exception
    left_out = next(c.value for c in at.caption if c.value.startswith("Left out"))
    assert shown(left_out) == (
        "Left out: Price ($) (numbers written with a mark: $0; remove the '$' to use it)."
    )
    assert shown(at.success[0].value) == "my_*prices*.csv: 35 training windows."
    for raw in (left_out, at.success[0].value):  # every mark from the file arrives escaped
        assert not re.search(r"(?<!\\)[$*_]", raw), raw


def test_a_one_column_file_is_not_said_to_have_columns_separated(open_page):
    at = open_page("pages/datasets.py")
    at.radio(key="ds_source").set_value("Your CSV").run()
    rows = "".join(f"{np.sin(i / 4):.3f}".replace(".", ",") + "\n" for i in range(60))
    at.file_uploader(key="ds_upload").upload("one.csv", ("level\n" + rows).encode()).run()
    read = next(c.value for c in at.caption if c.value.startswith("Read with"))
    assert shown(read).startswith("Read with a decimal comma (3,5 is 3.5")


def test_a_rerun_does_not_read_the_same_file_again(open_page, monkeypatch):
    """Every widget change reruns the page: a 20 MB file took 6–7 s to read again each time."""
    reads = []
    real = datasets.load_csv
    monkeypatch.setattr(datasets, "load_csv", lambda *a, **k: reads.append(1) or real(*a, **k))
    at = open_page("pages/datasets.py")
    at.radio(key="ds_source").set_value("Your CSV").run()
    rows = "".join(f"{np.cos(i / 5):.4f},{i % 11}\n" for i in range(80))
    at.file_uploader(key="ds_upload").upload("once.csv", ("p,q\n" + rows).encode()).run()
    assert len(reads) == 1
    at.run()
    at.run()
    assert len(reads) == 1
    at.number_input(key="ds_window").set_value(5).run()  # a new choice: read again
    assert len(reads) == 2
