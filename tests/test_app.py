"""The app starts and its home page renders, through Streamlit's own AppTest."""

from pathlib import Path

from streamlit.testing.v1 import AppTest

APP = str(Path(__file__).resolve().parent.parent / "app.py")


def test_home_page_renders_without_exceptions():
    at = AppTest.from_file(APP).run(timeout=30)
    assert not at.exception
    assert at.title[0].value == "RNN Lab"
    assert "**New here?** Open **Train**" in at.markdown[0].value  # where to start
    assert "**Teaching a class?**" in at.markdown[0].value  # links carry a class's setup
    assert "**Training pace**" in at.markdown[0].value  # and where to slow a run down


def test_home_links_every_page_in_the_sidebars_order():
    at = AppTest.from_file(APP).run(timeout=30)
    links = [link.proto.page for link in at.get("page_link")]
    assert links == ["train", "gradient_lab", "datasets", "compare"]  # url paths, as in app.py
    assert len(at.caption) >= 4  # each link says what its page is for
