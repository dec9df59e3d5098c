"""The Compare page overlays runs of the session and highlights differing settings."""

import json

import numpy as np
import pytest
from conftest import button, shown

from dashboard import compare_view
from dashboard.compare_view import HIGHLIGHT, legend_names, settings_table
from dashboard.config import RunConfig
from dashboard.runs import RunRecord


def two_runs_compared(open_page, change):
    """Step a run, Reset, ``change(at)`` a control, step a second run, open Compare."""
    at = open_page("pages/train.py")
    button(at, "Step").click().run()
    button(at, "Reset").click().run()
    change(at).run()
    button(at, "Step").click().run()
    at.switch_page("pages/compare.py").run()
    assert not at.exception
    return at


def test_compare_page_overlays_two_runs(open_page):
    at = two_runs_compared(open_page, lambda at: at.number_input(key="hidden_size").set_value(8))
    assert len(at.multiselect(key="compare_runs").value) == 2
    specs = [json.loads(c.proto.spec) for c in at.get("plotly_chart")]
    val = next(s for s in specs if s["layout"]["title"]["text"] == "Validation loss")
    assert len(val["data"]) == 2
    assert {t["name"].split(" ", 1)[0] for t in val["data"]} == {"#1", "#2"}
    assert at.table  # the settings table
    assert not at.warning  # same data: the losses compare


def test_runs_that_differ_off_their_labels_are_told_apart_in_the_picker(open_page):
    at = two_runs_compared(open_page, lambda at: at.radio(key="clip").set_value("none"))
    first, second = at.multiselect(key="compare_runs").options
    assert first.endswith(" · Gradient clipping norm") and second.endswith(
        " · Gradient clipping none"
    )


def test_runs_on_different_data_are_said_not_to_compare(open_page):
    at = two_runs_compared(open_page, lambda at: at.selectbox(key="dataset").set_value("counting"))
    assert "compare their shapes, not their heights" in at.warning[0].value


def test_compare_page_without_runs_explains_what_to_do(open_page):
    at = open_page("pages/compare.py")
    assert "Train at least two runs" in at.info[0].value


def test_settings_table_highlights_only_the_differences():
    records = [
        RunRecord(f"#{i} x", i, RunConfig(hidden_size=h), 10, {}, {}) for i, h in ((1, 16), (2, 32))
    ]
    styler = settings_table(records)
    styles = styler._compute().ctx
    table = styler.data
    row = list(table.index).index("Hidden units H")
    same = list(table.index).index("Learning rate")
    assert ("background-color", "#fff3b0") in styles[(row, 0)]
    assert "#fff3b0" in HIGHLIGHT
    assert not styles.get((same, 0))


def test_the_table_can_keep_only_the_results_and_the_settings_that_differ():
    records = [
        RunRecord("#1 x", 1, RunConfig(hidden_size=16), 10, {}, {}, status="finished"),
        RunRecord("#2 x", 2, RunConfig(hidden_size=32), 2, {}, {}, blew_up=True),
        RunRecord("#3 x", 3, RunConfig(hidden_size=32), 7, {}, {}, status="failed"),
    ]
    table = settings_table(records, only_differences=True).data
    assert list(table.index) == [
        "outcome",
        "validation MSE, last",
        "validation MSE, best",
        "steps trained",
        "Hidden units H",
    ]
    assert list(table.loc["outcome"]) == ["finished", "blew up", "stopped by an error"]
    assert "Learning rate" in settings_table(records).data.index  # every setting, on request


def test_the_compare_page_shows_the_differences_first_and_every_setting_on_request(open_page):
    at = two_runs_compared(open_page, lambda at: at.number_input(key="hidden_size").set_value(8))
    assert at.subheader[0].value == "Results, and the settings that differ"
    assert "Learning rate" not in at.table[0].value.index
    assert "Hidden units H" in at.table[0].value.index
    # The first was reset before its budget was spent; the second is paused after its Step.
    assert list(at.table[0].value.loc["outcome"]) == ["stopped early", "paused"]
    at.toggle(key="compare_all_settings").set_value(True).run()
    assert "Learning rate" in at.table[0].value.index


def test_runs_with_the_same_settings_are_said_to_differ_in_none(open_page):
    at = two_runs_compared(open_page, lambda at: at)
    assert "No setting differs between these runs." in [c.value for c in at.caption]
    at.multiselect(key="compare_runs").set_value(at.multiselect(key="compare_runs").value[:1])
    at.run()  # one run: every setting of it, with nothing to toggle
    assert "Learning rate" in at.table[0].value.index and not at.toggle


def test_settings_are_named_as_the_train_page_names_them():
    records = [RunRecord("#1 x", 1, RunConfig(learn_h0=True, spectral_radius=0.9), 10, {}, {})]
    table = settings_table(records).data
    assert table.loc["Learnable initial state h0", "#1"] == "yes"  # as the Train page says it
    assert table.loc["Spectral radius ρ", "#1"] == "0.9"
    assert table.loc["sine: Window length T", "#1"] == "20"
    assert not any("_" in name for name in table.index)  # no code names like learn_h0


def test_settings_table_shows_results_and_steps_first_and_choices_as_the_train_page_does():
    val = {"step": np.array([0, 10]), "val_loss": np.array([0.5, 0.02])}
    records = [
        RunRecord("#1 x", 1, RunConfig(), 10, {}, val, "sine"),
        RunRecord("#2 y", 2, RunConfig(dataset="uploaded"), 20, {}, {}, "mine.csv"),
    ]
    styled = settings_table(records)
    table = styled.data
    assert list(table.index[:4]) == [
        "outcome",
        "validation MSE, last",
        "validation MSE, best",
        "steps trained",
    ]
    assert list(table.loc["outcome"]) == ["stopped early", "stopped early"]
    assert list(table.loc["validation MSE, last"]) == ["0.02", "–"]
    highlighted = {table.index[r] for (r, _), style in styled._compute().ctx.items() if style}
    # Results and steps say what a run did, not how it was set up: not settings that differ.
    assert not highlighted & {"validation MSE, last", "steps trained"}
    assert "Dataset" in highlighted
    assert table.loc["Optimizer", "#1"] == "Adam"
    assert table.loc["Dataset", "#1"] == "Sine wave"
    assert shown(table.loc["Dataset", "#2"]) == "CSV: mine.csv"  # escaped: st.table is Markdown


def test_the_lowest_validation_loss_is_marked_when_the_runs_learn_the_same_data():
    def run(number, losses, **config):
        val = {"step": np.arange(len(losses)), "val_loss": np.array(losses)}
        return RunRecord(f"#{number} x", number, RunConfig(**config), 10, {}, val, "sine")

    records = [run(1, [0.5, 0.02]), run(2, [0.5, 0.004, 0.007]), run(3, [0.5])]
    styled = settings_table(records)
    cells = styled._compute().ctx
    index = list(styled.data.index)

    def best(row: str) -> list[str]:
        r = index.index(row)
        return [
            styled.data.columns[c]
            for c in range(3)
            if ("background-color", "#d5f0dc") in cells[(r, c)]
        ]

    assert best("validation MSE, last") == ["#2"] and best("validation MSE, best") == ["#2"]
    assert list(styled.data.loc["validation MSE, best"]) == ["0.02", "0.004 (lowest)", "0.5"]
    other_data = [*records[:2], run(3, [0.5, 1e-9], dataset="counting")]
    assert not any(
        ("background-color", "#d5f0dc") in style
        for style in settings_table(other_data)._compute().ctx.values()
    )  # losses on other data do not compare


def test_two_runs_on_one_csv_differ_in_what_they_predict():
    """The file's name alone hides the Datasets page's choices: they get rows of their own."""
    choices = {"target": "a", "inputs": ("a",), "window": 7, "horizon": 1, "fill": "refuse"}
    other = {**choices, "target": "b", "inputs": ("a", "b"), "window": 20}
    records = [
        RunRecord("#1", 1, RunConfig(dataset="uploaded"), 10, {}, {}, "mine.csv", choices),
        RunRecord("#2", 2, RunConfig(dataset="uploaded"), 10, {}, {}, "mine.csv", other),
    ]
    styled = settings_table(records)
    table = styled.data
    assert list(table.loc["CSV: Target column"]) == ["a", "b"]
    assert list(table.loc["CSV: Input columns"]) == ["a", "a, b"]
    assert list(table.loc["CSV: Window (rows)"]) == ["7", "20"]
    assert list(table.loc["CSV: Gaps"]) == ["refuse", "refuse"]
    styles = styled._compute().ctx
    highlighted = {table.index[row] for (row, _), style in styles.items() if style}
    assert highlighted == {"CSV: Target column", "CSV: Input columns", "CSV: Window (rows)"}


def test_runs_on_the_same_data_with_other_options_are_warned_about_too(open_page):
    at = two_runs_compared(
        open_page, lambda at: at.number_input(key="opt_sine_window").set_value(30)
    )
    assert "other data options" in at.warning[0].value


def test_legends_name_each_run_by_its_number_and_what_differs():
    records = [
        RunRecord("#1 sine · tanh · H=16 · adam lr=0.005 · seed 0", 1, RunConfig(), 1, {}, {}),
        RunRecord("#2 sine · tanh · H=32 · sgd lr=100 · seed 0", 2, RunConfig(), 1, {}, {}),
        RunRecord("#3 sine · tanh · H=32 · adam lr=0.005 · seed 0", 3, RunConfig(), 1, {}, {}),
    ]
    assert legend_names(records) == [
        "#1 H=16 · adam lr=0.005",
        "#2 H=32 · sgd lr=100",
        "#3 H=32 · adam lr=0.005",
    ]
    assert legend_names(records[:1]) == ["#1"]
    # Runs that differ only in what their labels leave out (here clipping) are told apart.
    label = "sine · linear · H=16 · sgd lr=0.05 · seed 0"
    unclipped, clipped = RunConfig(clip="none"), RunConfig(clip="norm", clip_threshold=1.0)
    twins = [
        RunRecord(f"#{i} {label}", i, config, 1, {}, {})
        for i, config in ((1, unclipped), (2, clipped))
    ]
    assert legend_names(twins) == ["#1 Gradient clipping none", "#2 Gradient clipping norm"]


def test_a_run_that_blew_up_does_not_flatten_the_others():
    healthy = {"step": np.arange(1.0, 4.0), "val_loss": np.array([0.5, 0.1, 0.01])}
    blew_up = {"step": np.arange(1.0, 4.0), "val_loss": np.array([0.6, 1e120, 1e240])}
    runs = [
        RunRecord(f"#{i} sine", i, RunConfig(), 3, {}, h) for i, h in ((1, healthy), (2, blew_up))
    ]
    low, high = compare_view._curves(runs, "val_loss", "val", "v", "MSE").layout.yaxis.range
    assert high == pytest.approx(np.log10(0.6 * compare_view.HEADROOM))  # 1e240 is off the top
    assert low < np.log10(0.01)  # the healthy run's lowest point is on the chart
    calm = compare_view._curves(runs[:1], "val_loss", "val", "v", "MSE")
    assert calm.layout.yaxis.range is None  # nothing to keep out: Plotly's own range


def test_a_run_that_blew_up_at_its_first_step_does_not_set_the_scale():
    """Its one point is its start: 1e11 would leave every healthy curve a flat line."""
    healthy = {"step": np.arange(1.0, 4.0), "val_loss": np.array([0.5, 0.1, 0.01])}
    at_once = {"step": np.array([1.0]), "val_loss": np.array([1e11])}
    runs = [
        RunRecord("#1 sine", 1, RunConfig(), 3, {}, healthy),
        RunRecord("#2 sine", 2, RunConfig(), 1, {}, at_once, blew_up=True),
    ]
    figure = compare_view._curves(runs, "val_loss", "val", "v", "MSE")
    # Told apart by more than colour: blue and orange are one colour to some students.
    assert len({trace.line.dash for trace in figure.data}) == len(runs)
    low, high = figure.layout.yaxis.range
    assert high == pytest.approx(np.log10(0.5 * compare_view.HEADROOM))
    assert low < np.log10(0.01)
    # In the legend, nowhere on the chart: the chart says where it went.
    assert figure.layout.title.subtitle.text == "#2 blew up, off the top of the chart"
    # A blow-up that stays on the chart is a dot at its last step: said too.
    on_chart = {**at_once, "val_loss": np.array([0.3])}
    runs[1] = RunRecord("#2 sine", 2, RunConfig(), 1, {}, on_chart, blew_up=True)
    figure = compare_view._curves(runs, "val_loss", "val", "v", "MSE")
    assert figure.layout.title.subtitle.text == "#2 blew up"


def test_legends_name_what_the_runs_learn_before_how_they_learn_it():
    """Window length and many-to-many change the task: named before init, ρ or clipping."""
    label = "sine · tanh · H=16 · adam lr=0.005 · seed 0"
    configs = [
        RunConfig(dataset_options={"window": 20}, spectral_radius=None, clip="norm"),
        RunConfig(dataset_options={"window": 60, "many_to_many": True}, spectral_radius=1.5),
    ]
    records = [RunRecord(f"#{i} {label}", i, c, 1, {}, {}) for i, c in enumerate(configs, 1)]
    first, second = legend_names(records)
    assert first == "#1 sine: Window length T 20 · sine: Predict at every step (many-to-many) no"
    assert second == "#2 sine: Window length T 60 · sine: Predict at every step (many-to-many) yes"


def test_legends_leave_out_off_label_settings_when_the_labels_tell_the_runs_apart():
    """ "#4 tanh · adam lr=0.005 · Spectral radius ρ no rescale · Gradient clipping norm" ran
    past a half-width chart's edge; the picker and the table still name every setting."""
    records = [
        RunRecord("#1 sine · tanh · H=16 · adam lr=0.005 · seed 0", 1, RunConfig(), 1, {}, {}),
        RunRecord(
            "#2 sine · relu · H=16 · sgd lr=0.1 · seed 0", 2, RunConfig(clip="none"), 1, {}, {}
        ),
    ]
    assert legend_names(records) == ["#1 tanh · adam lr=0.005", "#2 relu · sgd lr=0.1"]


def test_legends_add_no_settings_that_cannot_tell_two_alike_runs_apart():
    """Two default runs and a third on other settings: "#1 … · Initialisation orthogonal W_hh
    (Keras def" was cut off in every legend, and #1 and #2 were alike all the same."""
    label = "sine · tanh · H=16 · adam lr=0.005 · seed 0"
    records = [
        RunRecord(f"#1 {label}", 1, RunConfig(), 1, {}, {}),
        RunRecord(f"#2 {label}", 2, RunConfig(), 1, {}, {}),
        RunRecord(
            "#3 sine · linear · H=16 · sgd lr=100 · seed 0",
            3,
            RunConfig(activation="linear", optimizer="sgd", lr=100.0, clip="none"),
            1,
            {},
            {},
        ),
    ]
    assert legend_names(records) == [
        "#1 tanh · adam lr=0.005",
        "#2 tanh · adam lr=0.005",
        "#3 linear · sgd lr=100",
    ]


def test_a_chart_of_lone_points_gets_ticks_for_the_range_compare_gives_it():
    """The lone points' fixed tick spacing (34 decades for 0.5 and 1e200) outlived the
    3-decade range Compare sets: one tick label on the whole axis."""
    runs = [
        RunRecord("#1 sine", 1, RunConfig(), 1, {}, {"step": [1.0], "val_loss": np.array([0.5])}),
        RunRecord(
            "#2 sine",
            2,
            RunConfig(),
            1,
            {},
            {"step": [1.0], "val_loss": np.array([1e200])},
            blew_up=True,
        ),
    ]
    axis = compare_view._curves(runs, "val_loss", "val", "v", "MSE").layout.yaxis
    assert axis.range == pytest.approx([np.log10(0.5) - 0.1, np.log10(0.5 * 1e3)])
    assert axis.dtick is None


def test_legends_name_the_setting_that_tells_the_alike_labelled_runs_apart():
    """#1 and #2 differ only in the clipping threshold; #3 in layers and batch size, which
    came first and left #1 and #2 both "adam lr=0.005"."""
    label = "sine · tanh · H=16 · adam lr=0.005 · seed 0"
    configs = [
        RunConfig(clip_threshold=1.0),
        RunConfig(clip_threshold=5.0),
        RunConfig(num_layers=2, batch_size=64, lr=0.01),
    ]
    labels = [label, label, label.replace("lr=0.005", "lr=0.01")]
    records = [
        RunRecord(f"#{i} {lab}", i, c, 1, {}, {})
        for i, (lab, c) in enumerate(zip(labels, configs, strict=True), 1)
    ]
    first, second, _ = legend_names(records)
    assert first.endswith("Clipping threshold 1") and second.endswith("Clipping threshold 5")


def test_legends_tell_each_pair_of_alike_labelled_runs_apart():
    """#1 and #2 differ in the clipping threshold; #3 and #4 are one config run twice. Layers
    and batch size (which differ only between the pairs) took the places and named neither."""
    label = "sine · tanh · H=16 · adam lr=0.005 · seed"
    configs = [
        RunConfig(clip_threshold=1.0),
        RunConfig(clip_threshold=5.0),
        RunConfig(seed=1, num_layers=2, batch_size=64),
        RunConfig(seed=1, num_layers=2, batch_size=64),
    ]
    records = [
        RunRecord(f"#{i} {label} {c.seed}", i, c, 1, {}, {}) for i, c in enumerate(configs, 1)
    ]
    names = legend_names(records)
    assert names[0].endswith("Clipping threshold 1") and names[1].endswith("Clipping threshold 5")
    assert names[2].endswith("Clipping threshold 1")  # #3 and #4 stay alike: they are
