"""The Train page in Chromium, driven and timed for ``bench_app.py``.

Timings are taken in the browser (``performance.now()`` around the click and a
MutationObserver for the chart) so Playwright's own polling does not count.
"""

from __future__ import annotations

import re
import time
from dataclasses import dataclass

from benchmarks.cpu import cores_used, read_cpu
from tests.e2e.server import metric_value

EPOCHS = 100_000  # the sidebar's maximum: a run takes far longer than the benchmark
# A chart with data in it: the page shows one empty loss chart before training starts.
CHART = (
    '[data-testid="stPlotlyChart"] .main-svg .trace, [data-testid="stPlotlyChart"] .main-svg .hm'
)
EXCEPTION = '[data-testid="stException"]'


@dataclass(frozen=True)
class AppWindow:
    """One throughput window in the app, as the page showed it."""

    steps_per_s: float  # from the logged "Step" updates
    shown_rate: str  # the page's own "Steps/s" metric at the end of the window
    updates_per_s: float  # how often the "Step" metric changed: the page's effective redraw rate
    cpu: dict[str, float]  # cores used per process group during the window


@dataclass(frozen=True)
class Click:
    """One press of Train (or Reset), timed in the browser and from Playwright."""

    label: str
    dom: float  # click event -> first chart element in the DOM, on the page's clock
    painted: float  # click event -> the frame with that chart painted, on the page's clock
    playwright: float  # click() call -> chart visible, perf_counter in this process


# On the page's own clock: the next click event, the first moment the chart selector matches
# (wantChart) or stops matching (!wantChart), and the start of the second animation frame after
# that, by when the frame with the change has been painted.
WATCH_CLICK = """([wantChart, selector]) => {
    const b = window.__bench = {click: null, dom: null, paint: null};
    document.addEventListener('click', () => { if (b.click === null) b.click = performance.now(); },
                              {capture: true, once: true});
    const done = () => {
        const el = document.querySelector(selector);
        return wantChart ? el !== null && el.getBoundingClientRect().width > 0 : el === null;
    };
    const obs = new MutationObserver(() => {
        if (b.click === null || b.dom !== null || !done()) return;
        b.dom = performance.now();
        obs.disconnect();
        requestAnimationFrame(() => requestAnimationFrame(() => { b.paint = performance.now(); }));
    });
    obs.observe(document.body, {childList: true, subtree: true, attributes: true});
}"""

# Logs [performance.now(), text] every time the value of the metric labelled `label` changes.
# textContent, not innerText: innerText forces a layout on every mutation batch.
WATCH_METRIC = """(label) => {
    const read = () => {
        for (const m of document.querySelectorAll('[data-testid="stMetric"]')) {
            const l = m.querySelector('[data-testid="stMetricLabel"]');
            if (l && l.textContent.trim() === label)
                return m.querySelector('[data-testid="stMetricValue"]').textContent.trim();
        }
        return null;
    };
    const log = window.__metricLog = [];
    let last = read();
    window.__metricObs = new MutationObserver(() => {
        const v = read();
        if (v !== null && v !== last) { last = v; log.push([performance.now(), v]); }
    });
    window.__metricObs.observe(document.body,
                               {childList: true, subtree: true, characterData: true});
}"""

STOP_METRIC = "() => { window.__metricObs.disconnect(); return window.__metricLog; }"


def count(text: str) -> int:
    """A metric's integer as shown: ``12,345`` -> 12345."""
    return int(text.replace(",", ""))


class TrainPage:
    """The Train page in Chromium, driven the way ``tests/e2e/test_browser.py`` drives it."""

    def __init__(self, page, url: str, expected_max_steps: int) -> None:
        self.page = page
        self.expected_max_steps = expected_max_steps
        page.goto(f"{url}/train")
        page.get_by_role("heading", name="Train").wait_for(timeout=60_000)
        epochs = page.get_by_role("spinbutton", name="Epochs", exact=True)  # not its "?" help
        epochs.fill(str(EPOCHS))
        epochs.press("Enter")
        self.train = page.get_by_role("button", name="Train", exact=True)
        self.reset_button = page.get_by_role("button", name="Reset", exact=True)
        self._wait_idle()
        # The rerun that Enter started leaves no mark to wait for (no chart comes or goes);
        # without this pause the first timed click would also wait for that rerun.
        time.sleep(2.0)

    def _wait_idle(self) -> None:
        """No chart with data and Train enabled: the rerun after Enter or Reset is done."""
        self.page.locator(CHART).first.wait_for(state="detached", timeout=60_000)
        self.train.and_(self.page.locator("button:enabled")).wait_for(timeout=60_000)

    def _timed_click(self, button, want_chart: bool) -> tuple[float, float, float]:
        """Click, then wait for a chart to appear (or for all to go); three latencies.

        In the browser: click event -> change in the DOM, and -> painted. In this process:
        Playwright's ``click()`` call -> change seen.
        """
        self.page.evaluate(WATCH_CLICK, [want_chart, CHART])
        start = time.perf_counter()
        button.click()
        if want_chart:
            self.page.locator(CHART).first.wait_for(timeout=60_000)
        else:
            self._wait_idle()
        playwright = time.perf_counter() - start
        self.page.wait_for_function("() => window.__bench.paint !== null", timeout=30_000)
        marks = self.page.evaluate("() => window.__bench")
        return (
            (marks["dom"] - marks["click"]) / 1000,
            (marks["paint"] - marks["click"]) / 1000,
            playwright,
        )

    def click_train(self, label: str) -> Click:
        """Press Train and wait for the first chart."""
        click = Click(label, *self._timed_click(self.train, want_chart=True))
        self._check_run()
        return click

    def _check_run(self) -> None:
        """Fail loudly if the page shows an error or trains another budget than headless."""
        if self.page.locator(EXCEPTION).count():
            raise RuntimeError("the Train page shows an exception")
        self.page.get_by_text(re.compile(r" of [\d,]+ steps")).first.wait_for(timeout=30_000)
        text = self.page.get_by_text(re.compile(r" of [\d,]+ steps")).first.inner_text()
        shown = count(re.search(r" of ([\d,]+) steps", text).group(1))
        if shown != self.expected_max_steps:
            raise RuntimeError(
                f"the app's run is {shown:,} steps, headless is {self.expected_max_steps:,}: "
                "the configurations differ (did the Epochs input take?)"
            )

    def reset(self) -> Click:
        """Press Reset (the training thread stops) and wait until the page is idle again."""
        return Click("Reset", *self._timed_click(self.reset_button, want_chart=False))

    def throughput(self, settle: float, window: float) -> AppWindow:
        """Steps/s the page reports over one window, from logged "Step" updates."""
        time.sleep(settle)
        before = read_cpu()
        start = time.perf_counter()
        self.page.evaluate(WATCH_METRIC, "Step")
        time.sleep(window)  # a benchmark: the page redraws on its own meanwhile
        log = self.page.evaluate(STOP_METRIC)
        cpu = cores_used(before, read_cpu(), time.perf_counter() - start)
        shown_rate = metric_value(self.page, "Steps/s")
        if len(log) < 2:
            raise RuntimeError(f"the Step metric changed {len(log)} times in {window} s")
        (t0, first), (t1, last) = log[0], log[-1]
        seconds = (t1 - t0) / 1000
        steps_per_s = (count(last) - count(first)) / seconds
        return AppWindow(steps_per_s, shown_rate, (len(log) - 1) / seconds, cpu)
