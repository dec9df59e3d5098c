"""User text inside Streamlit's Markdown, shown as written.

Streamlit renders every message as Markdown with LaTeX: a CSV column named "Price ($)" next
to "Cost ($)" turned the sentence between them into italic maths, and a file name with
underscores or ":red[…]" in it changed the words' style. Text that came from a user (a file,
its columns and cells, a link's values) goes through ``literal`` first; the app's own words
keep their Markdown.
"""

from __future__ import annotations

import re

# ASCII punctuation that Markdown, Streamlit's directives (:red[…], :smile:), HTML entities
# (&amp;), setext headings (===) or LaTeX ($) read.
SPECIAL = re.compile(r"([\\`*_{}\[\]()#+\-.!|$<>~:=&])")


def literal(text: object) -> str:
    """``text`` on one line with every character Markdown would read backslash-escaped.

    A quoted CSV header "Temp", newline, "===" would turn the sentence before it into a heading.
    """
    return SPECIAL.sub(r"\\\1", " ".join(str(text).splitlines()))
