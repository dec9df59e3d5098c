"""Start ``streamlit run app.py`` on a free local port and drive it with Debian's Chromium."""

from __future__ import annotations

import os
import re
import shutil
import socket
import subprocess
import sys
import time
import urllib.request
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
CHROMIUM = "/usr/bin/chromium"
CHROMIUM_ARGS = [
    "--headless=new", "--no-sandbox", "--disable-gpu", "--disable-dev-shm-usage",
    "--disable-background-networking", "--disable-component-update", "--disable-sync",
    "--no-first-run",
]  # fmt: skip


def browser_missing_reason() -> str | None:
    """Why the browser test cannot run here, or None. In CI a missing browser is a failure."""
    if os.path.exists(CHROMIUM) and shutil.which("chromium"):
        try:
            import playwright  # noqa: F401
        except ImportError:
            return "Python playwright is not installed (pip install -r requirements-dev.txt)"
        return None
    return f"Chromium not found at {CHROMIUM} (apt-get install -y chromium)"


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def _wait_healthy(url: str, proc: subprocess.Popen, timeout: float) -> None:
    """Poll Streamlit's health endpoint: the server is another process, so polling is the way."""
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if proc.poll() is not None:
            raise RuntimeError(f"streamlit exited with code {proc.returncode}")
        try:
            with urllib.request.urlopen(f"{url}/_stcore/health", timeout=2) as r:
                if r.read().decode().strip() == "ok":
                    return
        except OSError:
            time.sleep(0.2)
    raise TimeoutError(f"streamlit did not become healthy within {timeout} s")


@contextmanager
def streamlit_app(timeout: float = 60.0) -> Iterator[str]:
    """Run the app headless; yields its base URL and stops it afterwards."""
    port = _free_port()
    cmd = [
        sys.executable, "-m", "streamlit", "run", "app.py", "--server.headless=true",
        f"--server.port={port}", "--server.address=127.0.0.1",
        "--browser.gatherUsageStats=false", "--server.fileWatcherType=none",
    ]  # fmt: skip
    env = {**os.environ, "RNNLAB_INLINE_TRAINING": "0"}
    proc = subprocess.Popen(
        cmd, cwd=ROOT, env=env, stdout=subprocess.PIPE, stderr=subprocess.STDOUT
    )
    url = f"http://127.0.0.1:{port}"
    try:
        _wait_healthy(url, proc, timeout)
        yield url
    finally:
        proc.terminate()
        try:
            proc.wait(10)
        except subprocess.TimeoutExpired:
            proc.kill()


@contextmanager
def chromium_page(width: int = 1500, height: int = 1100):
    """A fresh headless Chromium page (Playwright driving Debian's browser)."""
    from playwright.sync_api import sync_playwright

    with sync_playwright() as pw:
        browser = pw.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
        try:
            page = browser.new_page(viewport={"width": width, "height": height})
            yield page
        finally:
            browser.close()


def metric_value(page, label: str) -> str:
    """The value of the ``st.metric`` whose label is exactly ``label`` ("Step" is not "Steps/s")."""
    exact = page.locator(
        '[data-testid="stMetricLabel"]', has_text=re.compile(rf"^\s*{re.escape(label)}\s*$")
    )
    metric = page.locator('[data-testid="stMetric"]').filter(has=exact).first
    return metric.locator('[data-testid="stMetricValue"]').inner_text()
