"""The real thing: the app served by Streamlit, clicked in Debian's headless Chromium."""

import os
from pathlib import Path

import pytest

from .server import browser_missing_reason, chromium_page, metric_value, streamlit_app

ARTIFACTS = Path(__file__).resolve().parents[1] / "artifacts"
REASON = browser_missing_reason()
if REASON and os.environ.get("CI") == "true":
    raise RuntimeError(f"the browser test must run in CI: {REASON}")
pytestmark = pytest.mark.skipif(REASON is not None, reason=REASON or "")

CHART = '[data-testid="stPlotlyChart"] .main-svg'
EXCEPTION = '[data-testid="stException"]'


def shows(box, value):
    """Wait until ``box`` shows ``value``: a box can show 0 for a moment before its value."""
    from playwright.sync_api import expect  # imported here: the module loads without it

    expect(box).to_have_value(value, timeout=15_000)


def number_box(scope, label):
    """A number input by its label (the label's "?" help icon would match get_by_label too)."""
    return scope.get_by_role("spinbutton", name=label, exact=True)


@pytest.fixture(scope="module")
def app_url():
    with streamlit_app() as url:
        yield url


LOSS_SHOWN = """() => [...document.querySelectorAll('[data-testid="stMetric"]')].some(
    m => m.innerText.includes('Train loss')
         && !m.querySelector('[data-testid="stMetricValue"]').innerText.includes('–'))"""
STATUS_IS = """(want) => [...document.querySelectorAll('[data-testid="stMetric"]')].some(
    m => m.querySelector('[data-testid="stMetricLabel"]').textContent.trim() === 'Status'
         && m.querySelector('[data-testid="stMetricValue"]').textContent.trim() === want)"""
FOCUSED_BUTTON_SAYS = """(want) => document.activeElement.tagName === 'BUTTON'
    && document.activeElement.innerText.trim() === want"""
LOSS_CHANGED = """(first) => [...document.querySelectorAll('[data-testid="stMetric"]')].some(
    m => m.innerText.includes('Train loss')
         && m.querySelector('[data-testid="stMetricValue"]').innerText !== first)"""


def start_training(page, url):
    """Open ``url`` (the Train page), press Train and wait for the first loss."""
    page.goto(url)
    page.get_by_role("heading", name="Train").wait_for(timeout=30_000)
    page.get_by_role("button", name="Train", exact=True).click()
    page.wait_for_function(LOSS_SHOWN, timeout=30_000)


def go_to(page, link, heading):
    """Follow a link of the sidebar's page menu and wait for the page's title."""
    page.locator('[data-testid="stSidebarNav"]').get_by_role("link", name=link).click()
    page.get_by_role("heading", name=heading).wait_for(timeout=30_000)


def test_train_page_trains_live_in_chromium(app_url):
    ARTIFACTS.mkdir(exist_ok=True)
    with chromium_page() as page:
        # 5000 epochs, long enough to watch it change, from the address: typed into the box,
        # its rerun could still be running when Train was pressed, and a press that lands in
        # a rerun may have Streamlit draw the button anew, with the focus on the page.
        page.goto(f"{app_url}/train?epochs=5000")
        page.get_by_role("heading", name="Train").wait_for(timeout=30_000)
        # Students on localhost are not developers: no Deploy button (.streamlit/config.toml).
        assert page.get_by_role("button", name="Deploy").count() == 0
        shows(number_box(page, "Epochs"), "5000")
        page.get_by_role("button", name="Train", exact=True).press("Enter")
        page.locator(CHART).first.wait_for(timeout=30_000)
        # The pressed button became Pause and kept the keyboard's focus (a disabled Train
        # dropped it to the page, where the arrow keys no longer scroll).
        page.wait_for_function(FOCUSED_BUTTON_SAYS, arg="Pause", timeout=30_000)
        page.wait_for_function(LOSS_SHOWN, timeout=30_000)
        first = metric_value(page, "Train loss")
        page.wait_for_function(LOSS_CHANGED, arg=first, timeout=30_000)
        assert metric_value(page, "Train loss") != first
        page.locator(CHART).nth(4).wait_for(timeout=30_000)  # all five charts drawn
        assert page.locator(EXCEPTION).count() == 0
        page.get_by_role("button", name="Pause", exact=True).press("Enter")
        page.get_by_role("button", name="Train", exact=True).and_(
            page.locator("button:enabled")
        ).wait_for(timeout=30_000)
        page.wait_for_function(FOCUSED_BUTTON_SAYS, arg="Train", timeout=30_000)
        page.wait_for_function(STATUS_IS, arg="paused", timeout=30_000)
        page.screenshot(path=str(ARTIFACTS / "train_page.png"), full_page=True)
        assert page.locator(EXCEPTION).count() == 0


def test_gradient_lab_lesson_preset_in_chromium(app_url):
    ARTIFACTS.mkdir(exist_ok=True)
    with chromium_page() as page:
        page.goto(f"{app_url}/gradient_lab")
        page.get_by_role("heading", name="Gradient Lab").wait_for(timeout=30_000)
        page.get_by_role("button", name="Make it explode", exact=True).click()
        page.get_by_text("A linear RNN whose W_hh is 1.2").wait_for(timeout=30_000)
        page.get_by_role("button", name="Show what happens", exact=True).press("Enter")
        page.get_by_role("heading", name="Exploding: the gradient from 50 steps back").wait_for(
            timeout=30_000
        )
        page.wait_for_function(FOCUSED_BUTTON_SAYS, arg="Hide the outcome", timeout=30_000)
        page.locator(CHART).nth(3).wait_for(timeout=30_000)
        assert page.locator(EXCEPTION).count() == 0
        page.screenshot(path=str(ARTIFACTS / "gradient_lab.png"), full_page=True)


def test_shared_link_shows_the_linked_controls_in_chromium(app_url):
    link = "dataset=weather&d_window=10&act=sigmoid&hidden=12&opt=rmsprop&lr=0.003&seed=4"
    with chromium_page() as page:
        page.goto(f"{app_url}/train?{link}")
        page.get_by_role("heading", name="Train").wait_for(timeout=30_000)
        sidebar = page.locator('[data-testid="stSidebar"]')
        number_box(sidebar, "Window length (days)").wait_for(timeout=30_000)  # weather's option
        shows(number_box(sidebar, "Window length (days)"), "10")
        shows(number_box(sidebar, "Hidden units H"), "12")
        shows(number_box(sidebar, "Seed (weights and shuffling)"), "4")
        for label, shown in (
            ("Dataset", "Seattle weather (real)"),
            ("Activation f", "sigmoid"),
            ("Optimizer", "RMSprop"),
        ):
            shows(sidebar.get_by_role("combobox", name=label), shown)
        assert page.locator(EXCEPTION).count() == 0
        assert "hidden=12" in page.url and "act=sigmoid" in page.url


def test_csv_upload_on_the_datasets_page_in_chromium(app_url, tmp_path):
    good = tmp_path / "series.csv"
    good.write_text("t,value\n" + "".join(f"{i},{(i * 7) % 13 + i / 10:.2f}\n" for i in range(120)))
    bad = tmp_path / "bad.csv"
    bad.write_text("t,value\n1,2\n2,abc\n3,4\n")
    with chromium_page() as page:
        page.goto(f"{app_url}/datasets")
        page.get_by_role("heading", name="Datasets").wait_for(timeout=30_000)
        page.get_by_text("Your CSV", exact=True).click()
        upload = page.locator('[data-testid="stFileUploaderDropzoneInput"]')
        upload.set_input_files(str(bad))
        page.get_by_text("column 'value' has text where a number should be").wait_for(
            timeout=30_000
        )
        upload.set_input_files(str(good))
        page.get_by_text("series.csv:").wait_for(timeout=30_000)
        page.locator(CHART).first.wait_for(timeout=30_000)
        assert page.locator(EXCEPTION).count() == 0


def test_leaving_a_page_keeps_its_controls_in_chromium(app_url):
    with chromium_page() as page:
        page.goto(f"{app_url}/train")
        page.get_by_role("heading", name="Train").wait_for(timeout=30_000)
        sidebar = page.locator('[data-testid="stSidebar"]')
        hidden = number_box(sidebar, "Hidden units H")
        hidden.fill("40")
        hidden.press("Enter")
        page.wait_for_url("**hidden=40**", timeout=30_000)  # the run saw the new value
        go_to(page, "Home", "RNN Lab")
        go_to(page, "Train", "Train")
        number_box(sidebar, "Hidden units H").wait_for(timeout=30_000)
        shows(number_box(sidebar, "Hidden units H"), "40")
        assert page.locator(EXCEPTION).count() == 0


def test_a_reload_gives_the_run_back_in_chromium(app_url):
    with chromium_page() as page:
        start_training(page, f"{app_url}/train?epochs=5000")
        page.wait_for_url("**run=**", timeout=30_000)
        before = int(metric_value(page, "Step").replace(",", ""))
        page.reload()
        page.get_by_role("heading", name="Train").wait_for(timeout=30_000)
        page.wait_for_function(STATUS_IS, arg="training", timeout=30_000)  # still its run
        assert int(metric_value(page, "Step").replace(",", "")) >= before > 0
        page.get_by_role("button", name="Pause", exact=True).click()
        page.wait_for_function(STATUS_IS, arg="paused", timeout=30_000)
        paused_at = metric_value(page, "Step")
        go_to(page, "Datasets", "Datasets")  # a reload on another page
        page.wait_for_url("**/datasets?run=**", timeout=30_000)
        page.reload()
        page.get_by_role("heading", name="Datasets").wait_for(timeout=30_000)
        go_to(page, "Train", "Train")
        page.wait_for_function(STATUS_IS, arg="paused", timeout=30_000)
        assert metric_value(page, "Step") == paused_at
        sidebar = page.locator('[data-testid="stSidebar"]')
        shows(number_box(sidebar, "Epochs"), "5000")  # the run's settings
        assert page.get_by_text("settings in the sidebar differ").count() == 0
        assert page.locator(EXCEPTION).count() == 0


def test_an_address_copied_from_a_closed_tab_gives_another_browser_no_run_in_chromium(app_url):
    with chromium_page() as teacher:
        start_training(teacher, f"{app_url}/train?epochs=5000")
        teacher.wait_for_url("**run=**", timeout=30_000)
        copied = teacher.url  # the address bar, with the tab's ?run=
    with chromium_page() as student:  # the teacher's browser has closed: its session is gone
        student.goto(copied)
        student.get_by_role("heading", name="Train").wait_for(timeout=30_000)
        student.get_by_text("then press Train").wait_for(timeout=30_000)  # no run here
        assert student.locator('[data-testid="stMetric"]').count() == 0
        student_sidebar = student.locator('[data-testid="stSidebar"]')
        shows(number_box(student_sidebar, "Epochs"), "5000")  # the address's settings
        assert student.locator(EXCEPTION).count() == 0


def test_leaving_the_page_while_training_keeps_the_controls_in_chromium(app_url):
    with chromium_page() as page:
        start_training(page, f"{app_url}/train?hidden=22&epochs=20000")
        page.wait_for_function(STATUS_IS, arg="training", timeout=30_000)
        go_to(page, "Home", "RNN Lab")
        go_to(page, "Train", "Train")
        page.wait_for_function(STATUS_IS, arg="training", timeout=30_000)
        sidebar = page.locator('[data-testid="stSidebar"]')
        shows(number_box(sidebar, "Hidden units H"), "22")
        shows(number_box(sidebar, "Epochs"), "20000")
        assert page.get_by_text("settings in the sidebar differ").count() == 0
        page.get_by_role("button", name="Pause", exact=True).click()
