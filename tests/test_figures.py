"""Figure builders are pure functions: arrays in, well-labelled Plotly figures out."""

import io

import numpy as np
import pytest

from dashboard import data_views, figures, log_axis
from dashboard.evaluate import Predictions
from dashboard.loss_chart import MAX_VALIDATION_MARKERS, loss_figure
from dashboard.prediction_chart import prediction_figure, quantity
from rnn_core import datasets


def history(n):
    step = np.arange(1, n + 1)
    return {
        "step": step,
        "loss": 1.0 / step,
        "norm/W_hh": np.ones(n),
        "clipped/W_hh": np.full(n, 0.5),
    }


def test_loss_figure_is_log_scale_thinned_and_labelled():
    fig = loss_figure(
        history(50_000),
        {"step": np.array([0, 100]), "val_loss": np.array([1.0, 0.0])},
        "scaled units",
    )
    assert fig.layout.yaxis.type == "log"
    assert fig.layout.xaxis.title.text == "step"
    assert fig.layout.title.text == "Loss"
    assert fig.layout.title.subtitle.text == "mean squared error, scaled units"
    train, val = fig.data
    assert len(train.x) <= figures.MAX_POINTS and train.x[-1] == 50_000
    assert np.isnan(val.y[1])  # a zero cannot sit on a log axis: drawn as a gap
    assert "step %{x}" in train.hovertemplate


def test_a_single_step_is_drawn_as_a_visible_dot():
    """Right after Train the history often has one step; a line through it would be invisible."""
    one = loss_figure(history(1), {})
    grads = figures.parameter_gradient_figure(history(1), ("W_hh",), clipped=True)
    for trace in (*one.data, *grads.data):
        assert "markers" in trace.mode
    (many,) = loss_figure(history(2), {}).data
    assert many.mode == "lines"


def test_empty_history_draws_a_frame_that_says_what_comes():
    """Before Train the chart has no data: it says so instead of showing made-up axes."""
    empty = loss_figure({}, {})
    assert empty.data == ()
    (note,) = empty.layout.annotations
    assert "once training starts" in note.text
    assert empty.layout.xaxis.showticklabels is False
    assert empty.layout.yaxis.showticklabels is False
    started = loss_figure(history(2), {})
    assert not started.layout.annotations
    assert started.layout.xaxis.showticklabels is not False


def test_hidden_heatmap_is_centred_at_zero_and_tolerates_overflow():
    states = np.array([[0.5, -2.0], [np.inf, 1.0]])  # (T, H)
    heat = figures.hidden_heatmap(states, 3).data[0]
    assert heat.zmid == 0 and heat.zmin == -2.0 and heat.zmax == 2.0
    assert np.asarray(heat.z).shape == (2, 2)  # units × time
    assert np.isnan(np.asarray(heat.z, dtype=float)[0, 1])


def test_a_hidden_state_that_is_all_zero_says_so_on_a_readable_scale():
    """Dead ReLU units: a ±1e-12 scale read "1p" on the colour bar."""
    figure = figures.hidden_heatmap(np.zeros((5, 4)), 0)
    assert (figure.data[0].zmin, figure.data[0].zmax) == (-1.0, 1.0)
    assert figure.layout.title.subtitle.text.endswith("every state is 0")


def test_gradient_through_time_figure_has_a_line_per_direction():
    fig = figures.gradient_through_time_figure(
        {"layer0": np.array([1e-6, 1e-3, 1.0]), "layer0_rev": np.array([1.0, 1e-3, 1e-6])}
    )
    forward, reverse = fig.data
    assert [forward.name, reverse.name] == ["layer 1", "layer 1 (reverse)"]  # as the heatmap
    # Steps back along each direction, as on the Gradient Lab: a vanishing gradient falls to
    # the right in both (the reverse direction is read out at t = 1).
    assert list(forward.x) == [2, 1, 0] and list(forward.customdata) == [1, 2, 3]
    assert list(reverse.x) == [0, 1, 2] and list(reverse.customdata) == [1, 2, 3]
    assert fig.layout.xaxis.title.text == "steps back, T − t (reverse: t − 1)"
    one_way = figures.gradient_through_time_figure({"layer0": np.ones(3)})
    assert one_way.layout.xaxis.title.text == "steps back, T − t"
    assert fig.layout.yaxis.type == "log"
    assert fig.layout.yaxis.minorloglabels == "none"  # no bare "2", "5" between decades


def test_parameter_gradient_figure_shows_clipped_lines_only_when_clipping():
    before, after = figures.parameter_gradient_figure(history(10), ("W_hh",), clipped=True).data
    assert after.line.dash == "dot"
    # One legend entry per parameter, which shows and hides both of its lines.
    assert after.legendgroup == before.legendgroup == "W_hh" and after.showlegend is False
    assert len(figures.parameter_gradient_figure(history(10), ("W_hh",), clipped=False).data) == 1


def test_a_parameter_gradient_that_vanished_or_overflowed_is_named_not_left_to_find():
    vanished = {**history(10), "norm/W_hh": np.r_[np.ones(4), np.zeros(6)]}  # a line of 4 steps
    figure = figures.parameter_gradient_figure(vanished, ("W_hh",), clipped=False)
    assert figure.layout.title.subtitle.text == "0 or inf, not drawn: W_hh"
    fine = figures.parameter_gradient_figure(history(10), ("W_hh",), clipped=False)
    assert not fine.layout.title.subtitle.text


def test_clipping_that_never_acted_promises_no_dotted_line():
    """A dotted line exactly on the solid one cannot be found: the subtitle says why instead."""
    untouched = {**history(10), "clipped/W_hh": np.ones(10)}
    figure = figures.parameter_gradient_figure(untouched, ("W_hh",), clipped=True)
    assert len(figure.data) == 1
    assert figure.layout.title.subtitle.text == (
        "clipping is on but has not shortened a gradient yet"
    )
    acted = figures.parameter_gradient_figure(history(10), ("W_hh",), clipped=True)
    assert acted.layout.title.subtitle.text == "solid: before clipping; dotted: after"


def test_prediction_figure_with_and_without_rollout():
    pred = Predictions(truth=np.arange(5.0), predicted=np.arange(5.0) + 0.1)
    fig = prediction_figure(pred, "tmax (°C)", rollout=pred)
    assert len(fig.data) == 3 and fig.layout.yaxis.title.text == "tmax (°C)"
    assert fig.data[2].name == "rollout on its own predictions, first 5"  # why it stops early
    assert len(prediction_figure(pred, "").data) == 2
    assert fig.layout.yaxis.range is None  # sane predictions: Plotly's own range
    # A part of the validation set is said to be one: an axis of 0 to 300 read as all 2,000.
    part = prediction_figure(pred, "", total=2000)
    assert part.layout.title.subtitle.text == "the first 5 of 2,000 validation windows"
    assert not prediction_figure(pred, "", total=5).layout.title.subtitle.text


def test_predictions_running_wild_do_not_flatten_the_truth():
    truth = np.sin(np.arange(50) / 5)  # spans -1 to 1
    swinging = np.where(np.arange(50) % 2, 2e152, -2e152)  # a rollout on its way to a blow-up
    swinging[:5] = 0.5  # its first steps are still sane
    wild = Predictions(truth=truth, predicted=np.full(50, 2e152))
    fig = prediction_figure(wild, "", rollout=Predictions(truth, swinging))
    low, high = fig.layout.yaxis.range
    assert low == pytest.approx(truth.min() - np.ptp(truth))
    assert high == pytest.approx(truth.max() + np.ptp(truth))
    assert "left out" in fig.layout.title.subtitle.text
    _, predicted, rollout = fig.data
    assert np.isnan(predicted.y).all()  # no line from off the chart to off the chart
    assert list(rollout.y[:5]) == [0.5] * 5 and np.isnan(rollout.y[5:]).all()


def test_a_single_validation_window_keeps_a_good_prediction_on_the_chart():
    """One truth point has no spread: a prediction 0.01 off it is not "far outside its range"."""
    one = Predictions(truth=np.array([352.0]), predicted=np.array([352.01]))
    fig = prediction_figure(one, "", rollout=one)
    assert fig.layout.yaxis.range is None and not fig.layout.title.subtitle.text
    assert fig.data[1].y[0] == 352.01
    wild = Predictions(truth=np.array([352.0]), predicted=np.array([1e6]))
    assert "left out" in prediction_figure(wild, "").layout.title.subtitle.text
    # A truth with a spread keeps it, however far from 0: 600 hPa off is 30 spreads, wild.
    pressure = np.linspace(1005.0, 1025.0, 50)
    off = Predictions(truth=pressure, predicted=pressure + 600)
    assert "left out" in prediction_figure(off, "").layout.title.subtitle.text


def test_independent_sequences_are_dots_of_prediction_against_truth():
    """300 sums against their index were a cloud; off the diagonal is how wrong a dot is."""
    pred = Predictions(truth=np.arange(5.0), predicted=np.arange(5.0) + 0.1)
    figure = prediction_figure(pred, "sum", independent=True)
    dots, diagonal = figure.data  # the diagonal over the dots, which covered it on a good fit
    assert dots.mode == "markers" and list(dots.x) == list(pred.truth)
    assert list(dots.y) == list(pred.predicted)
    assert list(diagonal.x) == list(diagonal.y) == list(figure.layout.yaxis.range)
    assert figure.layout.xaxis.range == figure.layout.yaxis.range  # one scale: a true diagonal
    low, high = figure.layout.xaxis.range
    assert low < 0 and high > 4.1  # every truth and prediction inside
    assert (figure.layout.xaxis.title.text, figure.layout.yaxis.title.text) == (
        "truth: sum",
        "prediction: sum",
    )
    wild = Predictions(truth=np.arange(5.0), predicted=np.full(5, 1e150))
    lost = prediction_figure(wild, "sum", independent=True)
    assert "left out" in lost.layout.title.subtitle.text and np.isnan(lost.data[0].y).all()
    series = prediction_figure(pred, "").data
    assert series[1].mode == "lines" and "one step ahead" in series[1].name


def test_only_the_sequence_tasks_are_independent_samples():
    from rnn_core import datasets

    kinds = {name: datasets.load(name).independent for name in datasets.LOADERS}
    assert kinds == {
        "sum": True, "sine": False, "sincos": False, "weather": False, "adding": True,
        "counting": True,
    }  # fmt: skip


def test_baselines_are_dotted_levels_across_the_whole_run():
    fig = loss_figure(
        history(300), {}, "scaled units", {"predict the training mean": 0.5, "repeat": 0.1}
    )
    train, mean, repeat = fig.data
    assert list(mean.x) == [0, train.x[-1]] and list(mean.y) == [0.5, 0.5]
    assert list(repeat.y) == [0.1, 0.1]
    assert mean.line.dash == repeat.line.dash == "dot"
    assert "predict the training mean" in mean.hovertemplate
    # Named on their lines, at alternate ends, not in a legend that squashed the plot.
    assert mean.showlegend is repeat.showlegend is False
    named = {a.text: (a.x, a.y, a.yanchor) for a in fig.layout.annotations}
    assert named == {
        "guess: predict the training mean": (train.x[-1], np.log10(0.5), "bottom"),
        "guess: repeat": (0, np.log10(0.1), "bottom"),
    }
    # A run that blew up spans 60 decades: the two levels are pixels apart, so the higher is
    # named above its line and the lower below, or their names print over each other.
    blown = {**history(300), "loss": np.logspace(0, 60, 300)}
    crowded = loss_figure(blown, {}, "", {"predict the training mean": 0.5, "repeat": 0.1})
    assert [a.yanchor for a in crowded.layout.annotations] == ["bottom", "top"]
    assert len(loss_figure({}, {}, "", {"mean": 0.5}).data) == 0  # nothing to span yet


def test_an_overflowed_gradient_says_so_instead_of_an_empty_chart():
    fig = figures.gradient_through_time_figure({"layer0": np.array([np.inf, np.nan, np.inf])})
    assert "overflowed" in fig.layout.title.subtitle.text
    # After a blow-up, saturated units pass back exact zeros: nothing to draw either.
    zeros = figures.gradient_through_time_figure({"layer0": np.array([0.0, 0.0, np.inf])})
    assert "overflowed" in zeros.layout.title.subtitle.text
    fine = figures.gradient_through_time_figure({"layer0": np.array([0.1, 0.5, 1.0])})
    assert "overflowed" not in fine.layout.title.subtitle.text
    before = figures.gradient_through_time_figure({"layer0": np.array([0.1, 1.0])}, 1200)
    assert (
        before.layout.title.subtitle.text == "step 1,200, the last with numbers before the blow-up"
    )
    gaps = figures.gradient_through_time_figure({"layer0": np.array([0.0, np.inf, 7e91])}, 15)
    assert (
        gaps.layout.title.subtitle.text
        == "step 15 (last with numbers); of 3 steps, 1 is 0, 1 is inf"
    )
    vanished = figures.gradient_through_time_figure({"layer0": np.array([0.0, 0.0, 1e-3])}, 15)
    assert vanished.layout.title.subtitle.text == "step 15 (last with numbers); of 3 steps, 2 are 0"


def test_validation_markers_only_while_they_are_few():
    def val(n):
        return {"step": np.arange(n), "val_loss": np.ones(n)}

    few = loss_figure(history(10), val(MAX_VALIDATION_MARKERS)).data[1]
    many = loss_figure(history(10), val(MAX_VALIDATION_MARKERS + 1)).data[1]
    assert few.mode == "lines+markers" and many.mode == "lines"


def test_a_heatmap_of_an_overflowed_model_says_why_it_is_blank():
    states = np.full((4, 3), np.inf)  # (T, H)
    states[0] = 0.5
    fig = figures.hidden_heatmap(states, 0)
    assert fig.layout.title.subtitle.text == "sample 0; 75% overflowed (blank)"
    assert (
        "overflowed" not in figures.hidden_heatmap(np.zeros((4, 3)), 0).layout.title.subtitle.text
    )


def test_an_exploding_state_is_coloured_by_its_order_of_magnitude():
    """×1.5 per step to 1e200: on a linear scale every step but the last few would be white."""
    growth = 1.5 ** np.arange(1, 1136)[:, None] * np.array([1.0, -1.0])  # (T, H), to ~1e200
    fig = figures.hidden_heatmap(growth, 0)
    heat = fig.data[0]
    z = np.asarray(heat.z)  # (H, T)
    np.testing.assert_allclose(z[0], np.log10(1 + growth[:, 0]))  # rises steadily with t
    np.testing.assert_allclose(z[1], -z[0])  # the sign survives
    np.testing.assert_array_equal(np.asarray(heat.customdata), growth.T)  # hover: h itself
    assert {"−1e150", "0", "1e50", "1e150"} <= set(heat.colorbar.ticktext)  # round powers
    assert fig.layout.title.subtitle.text.endswith("log colours")
    calm = figures.hidden_heatmap(np.tanh(growth / 1e200), 0).data[0]
    assert calm.customdata is None and calm.zmax <= 1  # a tanh state keeps plain colours


def test_log_axes_get_a_fixed_range_where_plotlys_own_misdraws():
    def y_axis(*ys):
        traces = [figures.line_trace(np.arange(len(y)), np.array(y), "", "") for y in ys]
        return figures.styled_figure(traces, "t", "x", "y", log_y=True).layout.yaxis

    # Kept to rounding: two decades around it, not a zoom to 1.0000000000000999.
    assert y_axis([1.0, 1.0 + 2e-13]).range == pytest.approx((-1, 1))
    # Lone points (a blow-up at step 2): half a decade either side, a decade per tick, so
    # ticks never follow the pixels (Plotly's "Too many auto-margin redraws").
    lone = y_axis([555.1], [0.167], [6755.7])
    assert lone.range == pytest.approx((np.log10(0.167) - 0.5, np.log10(6755.7) + 0.5))
    assert lone.dtick == 1
    assert y_axis([1e-8, 1e2]).range is None  # ten decades: Plotly's autorange draws them


def test_a_csv_s_names_are_drawn_as_written_never_as_plotly_markup():
    """Plotly reads <a href> and <span style> in labels; a column name must not be either."""
    name = '<a href="https://example.com">Temp</a><span style="font-size:90px">X</span>'
    text = f"t,{name}\n" + "".join(f"{i},{np.sin(i / 3):.4f}\n" for i in range(80))
    data = datasets.load_csv(io.BytesIO(text.encode()), target=name, window=5)
    figure = data_views.series_figure(data)
    labels = [figure.layout.title.text, figure.layout.yaxis.title.text]
    assert all("<" not in label and "&lt;a href" in label for label in labels)
    tagged = figures.styled_figure(
        [figures.line_trace(np.arange(2), np.ones(2), name, "%{y}")],
        "t",
        "x",
        "y",
        annotations=[{"text": name, "x": 0, "y": 0}],
    )
    assert tagged.data[0].name.startswith("&lt;a href") and "<" not in tagged.data[0].name
    assert tagged.layout.annotations[0].text == tagged.data[0].name


def test_the_prediction_axis_names_what_is_predicted():
    """A CSV's axis said "value" whatever its target column held."""
    text = "t,level\n" + "".join(f"{i},{np.sin(i / 3):.4f}\n" for i in range(60))
    csv = datasets.load_csv(io.BytesIO(text.encode()), target="level", window=3)
    assert quantity(csv) == "level"
    assert quantity(datasets.load("weather")) == "tmax_tomorrow (°C)"
    assert quantity(datasets.load("adding")) == "sum of marked values"


def test_a_long_series_is_drawn_through_its_extremes_not_all_its_points():
    """2.4 million rows made a 45 MB chart; every k-th point would hide the spikes."""
    rng = np.random.default_rng(0)
    y = rng.standard_normal(100_000)  # (N,)
    y[12_345] = 40.0  # one spike that every-k-th thinning would drop
    keep = data_views.extremes(y, 1000)
    assert len(keep) <= 1000 and (np.diff(keep) > 0).all()
    assert y[keep].max() == 40.0 and y[keep].min() == y.min()
    np.testing.assert_array_equal(data_views.extremes(y[:50], 1000), np.arange(50))
    gap = y[:1001].copy()  # stretches of 251: the last is filled up past the end
    gap[-1] = np.nan  # there: its own index, never one past the end
    assert data_views.extremes(gap, 10).max() == 1000

    series = np.cumsum(rng.standard_normal(30_000)).round(3)  # a random walk
    text = "x\n" + "".join(f"{v}\n" for v in series)
    figure = data_views.series_figure(datasets.load_csv(io.BytesIO(text.encode()), target="x"))
    assert sum(len(trace.y) for trace in figure.data) <= 3 * data_views.SERIES_POINTS
    assert "lowest and highest" in figure.layout.title.subtitle.text
    drawn = np.concatenate([trace.y for trace in figure.data])
    assert np.isclose(drawn.max(), series.max()) and np.isclose(drawn.min(), series.min())
    assert not data_views.series_figure(datasets.load("sine")).layout.title.subtitle.text


def test_the_chart_toolbar_keeps_the_png_download_and_reset_axes_only():
    """Five more buttons per chart were 25 Tab stops before the Train page's next control."""
    removed = set(figures.styled_figure([], "t", "x", "y").layout.modebar.remove)
    assert {"zoom", "pan", "zoomin", "zoomout", "autoscale"} <= removed
    assert not {"toimage", "resetscale"} & removed  # the caption sends users to the camera


def test_a_log_axis_over_one_to_two_decades_is_ticked_at_1_2_5_written_whole():
    """0.012 to 0.5 got one label, 10⁻¹: no value could be read off the chart."""
    curve = figures.line_trace(np.arange(3), np.array([0.5, 0.1, 0.012]), "val", "")
    axis = figures.styled_figure([curve], "t", "x", "y", log_y=True).layout.yaxis
    ticks = dict(zip(axis.tickvals, axis.ticktext, strict=True))  # 1-2-5, in plain numbers
    assert {0.02: "0.02", 0.05: "0.05", 0.1: "0.1", 0.2: "0.2", 0.5: "0.5"}.items() <= {
        round(v, 12): t for v, t in ticks.items()
    }.items()
    wide = figures.line_trace(np.arange(2), np.array([1.0, 1e-4]), "val", "")
    assert figures.styled_figure([wide], "t", "x", "y", log_y=True).layout.yaxis.tickvals is None


def test_tick_labels_outside_plain_numbers_are_powers_of_ten_never_e_notation():
    """A late-training MSE from 3e-5 to 1e-3 was ticked 1e-05, 2e-05 beside 0.0001."""
    late = figures.line_trace(np.arange(2), np.array([1e-3, 3e-5]), "val", "")
    axis = figures.styled_figure([late], "t", "x", "y", log_y=True).layout.yaxis
    ticks = dict(zip(axis.tickvals, axis.ticktext, strict=True))
    assert ticks[2e-5] == "2×10<sup>−5</sup>" and ticks[1e-4] == "10<sup>−4</sup>"
    assert ticks[1e-3] == "10<sup>−3</sup>"  # one notation per axis, not 0.001 beside 5×10⁻⁴
    big = figures.line_trace(np.arange(2), np.array([2000.0, 9e4]), "val", "")
    wide = figures.styled_figure([big], "t", "x", "y", log_y=True).layout.yaxis
    above = dict(zip(wide.tickvals, wide.ticktext, strict=True))
    assert above[5000] == "5×10<sup>3</sup>"  # past 10,000 somewhere: powers throughout
    assert log_axis.tick_text(0.05, plain=True) == "0.05"
    assert log_axis.tick_text(5e6, plain=False) == "5×10<sup>6</sup>"
    assert log_axis.tick_text(9.9999999e-6, plain=False) == "10<sup>−5</sup>"  # not 10×10⁻⁶
