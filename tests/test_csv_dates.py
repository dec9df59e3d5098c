"""A CSV's dates put the prediction chart on a time axis: the right date for each window."""

import io
import json

import numpy as np
import pytest
from conftest import button

from dashboard import date_gaps
from dashboard.data_views import series_figure
from dashboard.evaluate import Predictions
from dashboard.prediction_chart import dates_are, prediction_figure
from rnn_core import datasets
from rnn_core.datasets import load_csv

N = 80
DAY0 = np.datetime64("2021-03-01")


def dated_file(dates: list[str], header: str = "date,x") -> io.BytesIO:
    """A series whose value on each row is the row's number, so a target names its row."""
    rows = "".join(f"{d},{i}\n" for i, d in enumerate(dates))
    return io.BytesIO(f"{header}\n{rows}".encode())


def days(n: int = N) -> list[str]:
    return [str(DAY0 + i) for i in range(n)]


@pytest.mark.parametrize("split", ["train", "val", "test"])
@pytest.mark.parametrize("horizon", [1, 3])
def test_each_window_is_dated_by_its_target_s_row(horizon, split):
    data = load_csv(dated_file(days()), target="x", window=5, horizon=horizon)
    rows = data.y_scaler.inverse(getattr(data, f"y_{split}"))[:, 0]  # (M,) target rows' numbers
    assert len(data.target_dates(split)) == len(rows)
    np.testing.assert_array_equal(data.target_dates(split), DAY0 + np.round(rows).astype(int))


def test_the_series_on_the_datasets_page_is_drawn_on_its_dates():
    data = load_csv(dated_file(days()), target="x", window=5, horizon=2)
    fig = series_figure(data)
    assert fig.layout.xaxis.title.text == "date"
    for trace in fig.data:  # each point at its own row's date: the value is the row's number
        np.testing.assert_array_equal(
            np.asarray(trace.x, dtype="datetime64[D]"), DAY0 + np.round(trace.y).astype(int)
        )
    assert series_figure(datasets.load("sine")).layout.xaxis.title.text == "time step"


def test_an_unnamed_first_column_written_by_to_csv_dates_the_rows():
    data = load_csv(dated_file(days(), header=",x"), target="x", window=5)
    assert data.split_dates is not None
    assert data.feature_names == ("x",)  # a date is shown, never learned from


def test_monthly_dates_date_the_rows():
    """AirPassengers writes 1949-01, 1949-02, …: a month with its dashes is a date."""
    months = [f"{1949 + i // 12}-{i % 12 + 1:02d}" for i in range(N)]
    data = load_csv(dated_file(months, header="Month,x"), target="x", window=5)
    assert data.split_dates["train"][1] == np.datetime64("1949-02-01")


def test_row_numbers_in_an_unnamed_first_column_are_not_years():
    """``frame.iloc[1800:].to_csv()`` writes 1800, 1801, …, which ISO 8601 reads as years."""
    numbers = [str(1800 + i) for i in range(N)]
    assert load_csv(dated_file(numbers, header=",x"), target="x", window=5).split_dates is None


def test_times_and_utc_offsets_are_read_as_iso_dates_in_utc():
    stamps = [f"{d}T06:00:00+01:00" for d in days()]
    data = load_csv(dated_file(stamps), target="x", window=5)
    first_row = round(float(data.y_scaler.inverse(data.y_val[:1])[0, 0]))
    assert data.target_dates("val")[0] == DAY0 + np.timedelta64(24 * first_row + 5, "h")


@pytest.mark.parametrize(
    "dates",
    [
        [f"{i % 28 + 1:02d}/03/2021" for i in range(N)],  # day first or month first? unknowable
        days()[::-1],  # newest first: not a time axis in row order
        [d if i != 40 else "" for i, d in enumerate(days())],  # a gap
        ["2021-03-01"] * N,  # one date for every row
        [f"station {i}" for i in range(N)],
    ],
    ids=["ambiguous", "backwards", "missing", "repeated", "words"],
)
def test_no_date_axis_unless_every_row_has_a_later_iso_date(dates):
    assert load_csv(dated_file(dates), target="x", window=5).split_dates is None


def test_built_in_weather_is_dated_and_synthetic_series_are_not():
    weather = datasets.load("weather")
    assert weather.target_dates("val")[0] > np.datetime64("2014-01-01")
    assert datasets.load("sine").split_dates is None


def test_the_prediction_chart_draws_dated_windows_on_a_date_axis():
    pred = Predictions(truth=np.arange(4.0), predicted=np.arange(4.0))
    dates = DAY0 + np.arange(10)  # (10,) more dates than windows shown
    fig = prediction_figure(pred, "x", rollout=Predictions(np.zeros(2), np.zeros(2)), dates=dates)
    assert fig.layout.xaxis.title.text == "date"
    assert [len(trace.x) for trace in fig.data] == [4, 4, 2]
    longer = Predictions(np.zeros(6), np.zeros(6))  # a rollout past the windows shown
    fig = prediction_figure(pred, "x", rollout=longer, dates=dates)
    assert [len(trace.x) for trace in fig.data] == [4, 4, 6]
    assert np.datetime64(fig.data[0].x[0]) == DAY0
    assert prediction_figure(pred, "x").layout.xaxis.title.text == "validation window"


def test_a_target_that_already_holds_the_future_is_drawn_at_its_window_s_last_date():
    """Weather's tmax_tomorrow of 2014-10-26 sits on the row of 2014-10-25 (horizon 0)."""
    weather = datasets.load("weather")
    assert dates_are(weather) == "date of the window's last row"
    ahead = load_csv(dated_file(days()), target="x", window=5, horizon=2)
    assert dates_are(ahead) == "date"  # the target's own row, so its own date


def test_a_run_on_a_dated_csv_draws_its_predictions_against_dates(open_page):
    at = open_page("pages/datasets.py")
    at.radio(key="ds_source").set_value("Your CSV").run()
    waves = "".join(f"{d},{np.sin(i / 5):.4f}\n" for i, d in enumerate(days(200)))
    at.file_uploader(key="ds_upload").upload("dated.csv", f"day,x\n{waves}".encode()).run()
    at.button(key="ds_train_on").click().run()
    at.switch_page("pages/train.py").run()
    button(at, "Step").click().run()
    chart = next(
        spec
        for c in at.get("plotly_chart")
        if (spec := json.loads(c.proto.spec))["layout"]["title"]["text"].startswith("Prediction")
    )
    assert chart["layout"]["xaxis"]["title"]["text"] == "date"  # horizon 1: the target's day
    first = DAY0 + 140 + 6 + 1  # training rows, the window of 7 rows, one row ahead
    assert str(chart["data"][0]["x"][0]).startswith(str(first))


def test_the_weather_run_draws_tomorrow_s_temperature_at_today_s_date(page):
    page.selectbox(key="dataset").set_value("weather").run()
    button(page, "Step").click().run()
    (title,) = [
        spec["layout"]["xaxis"]["title"]["text"]
        for c in page.get("plotly_chart")
        if (spec := json.loads(c.proto.spec))["layout"]["title"]["text"].startswith("Prediction")
    ]
    assert title == "date of the window's last row"


def test_a_skip_in_the_dates_breaks_the_line_and_is_named():
    """The course's file has no rows from 1986-07-31 to 2000-01-01: no line across it."""
    skipping = days(40) + [str(np.datetime64("2030-01-01") + i) for i in range(40)]  # (80,)
    fig = series_figure(load_csv(dated_file(skipping), target="x", window=5))
    assert fig.layout.title.subtitle.text == "no rows between 2021-04-09 and 2030-01-01"
    training = np.asarray(fig.data[0].y, dtype=float)  # the gap falls in the training part
    assert np.isnan(training).sum() == 1
    assert np.flatnonzero(np.isnan(training))[0] == 40  # right after 2021-04-09's point
    assert not series_figure(load_csv(dated_file(days()), target="x")).layout.title.subtitle.text


def test_a_gap_among_thinned_points_still_breaks_the_line():
    """300,000 hourly rows thinned to 4,000 points spaced 150 h: a week's gap hid among them."""
    hours = np.datetime64("2011-01-01T00:00") + np.arange(300_000).astype("timedelta64[h]")
    hours[150_000:] += np.timedelta64(7, "D")
    text = "t,x\n" + "".join(f"{h},{np.sin(i / 30):.3f}\n" for i, h in enumerate(hours.astype(str)))
    fig = series_figure(load_csv(io.BytesIO(text.encode()), target="x", window=5))
    training = np.asarray(fig.data[0].y, dtype=float)
    assert np.isnan(training).sum() == 1 and "no rows between" in fig.layout.title.subtitle.text


def test_every_line_of_the_prediction_chart_breaks_at_the_same_gap():
    x = np.concatenate([DAY0 + np.arange(5), np.datetime64("2030-01-01") + np.arange(5)])
    pred = Predictions(truth=np.arange(10.0), predicted=np.arange(10.0))
    rollout = Predictions(np.zeros(7), np.zeros(7))  # across the gap too
    for trace in prediction_figure(pred, "x", rollout=rollout, dates=x).data:
        y = np.asarray(trace.y, dtype=float)
        assert len(trace.x) == len(y) and np.flatnonzero(np.isnan(y)).tolist() == [5], trace.name


def test_gaps_are_steps_far_longer_than_the_usual_one():
    hourly = np.datetime64("2021-03-01T00:00") + np.arange(100).astype("timedelta64[h]")
    assert not len(date_gaps.gap_starts(hourly))  # regular: no gap however short the step
    week_off = np.concatenate([hourly[:50], hourly[50:] + np.timedelta64(7, "D")])
    assert list(date_gaps.gap_starts(week_off)) == [49]
    business = np.array([d for d in DAY0 + np.arange(60) if (d.astype(int) + 3) % 7 < 5])
    assert not len(date_gaps.gap_starts(business))  # a weekend is no gap in business days
    # Gaps of 42, 90 and 60 days in daily data: the longest is named, the others counted.
    parts = [DAY0 + np.arange(20), np.datetime64("2021-05-01") + np.arange(20)]
    parts += [
        np.datetime64("2021-08-18") + np.arange(20),
        np.datetime64("2021-11-05") + np.arange(9),
    ]
    assert date_gaps.gap_note(np.concatenate(parts)) == (
        "no rows between 2021-05-20 and 2021-08-18 (and 2 more gaps)"
    )
    assert date_gaps.gap_note(np.concatenate(parts[:3])).endswith("(and 1 more gap)")
