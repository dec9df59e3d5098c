"""Counts in messages agree with their number; numbers in messages tell neighbours apart."""

import pytest
from conftest import shown

from dashboard.markdown_text import literal
from rnn_core.wording import count, either, number, said, samples


def test_one_is_singular_and_every_other_count_plural():
    assert count(1, "epoch") == "1 epoch"
    assert count(0, "step") == "0 steps"
    assert count(2, "missing value") == "2 missing values"
    assert count(12_000, "step") == "12,000 steps"


def test_samples_are_named_by_what_they_are():
    assert samples(independent=True) == "sequences"  # sum, adding, counting
    assert samples(independent=False) == "windows"  # slices of one series


@pytest.mark.parametrize(
    ("value", "shown"),
    [
        (2_147_483_647, "2,147,483,647"),  # a limit and the refused value next to it…
        (2_147_483_648.0, "2,147,483,648"),  # …read differently (:g gave 2.14748e+09 twice)
        (1e-06, "1e-06"),
        (0.05, "0.05"),
        (0.00012345, "0.00012345"),
        (0.1234567, "0.1234567"),  # :g would round it to 0.123457
        (1e30, "1e+30"),
        (1e9, "1e+09"),  # a float typed as 1e9 reads as typed
        (float("nan"), "nan"),
    ],
)
def test_numbers_are_short_but_exact(value, shown):
    assert number(value) == shown


def test_settings_read_as_the_run_labels_write_them():
    assert [said(v) for v in (True, False, 100.0, 0.005, 16, "tanh")] == [
        "yes", "no", "100", "0.005", "16", "tanh",
    ]  # fmt: skip


def test_user_text_is_escaped_for_markdown_and_shown_unchanged():
    text = "Price ($) *a* _b_ :red[x] <b> 1.5 # [l](u) a|b ~c~ `d` \\\\e"
    assert shown(literal(text)) == text
    assert literal("a $x$ b") == r"a \$x\$ b"
    # One line, and no heading or entity: "Temp" over "===" would be a heading, &amp; a "&".
    assert shown(literal("Temp\n===")) == "Temp ===" and "\n" not in literal("Temp\n===")
    assert shown(literal("R&amp;D")) == "R&amp;D" and literal("R&amp;D").startswith("R\\&")


def test_choices_read_as_a_sentence():
    assert either(["a smaller learning rate"]) == "a smaller learning rate"
    assert either(["a", "b", "c"]) == "a, b or c"
