"""Stop the jobs whose browser tab has gone, so their threads do not train for nobody.

Streamlit does not stop threads when a tab closes: every job has a heartbeat that its page
refreshes, and one reaper thread stops the jobs whose page has been silent for ``REAP_AFTER``.
"""

from __future__ import annotations

import threading
import time
import weakref
from collections.abc import Callable
from typing import Protocol

REAP_AFTER = 180.0  # seconds without a heartbeat before a job is stopped
REAP_EVERY = 15.0


class Watched(Protocol):
    """What the reaper needs of a job: when its page was last seen, and a way to stop it."""

    last_seen: float

    def stop(self) -> None:
        """End the job for good."""


class _Reaper:
    """One daemon thread that stops jobs whose page stopped sending heartbeats."""

    def __init__(self) -> None:
        self._jobs: weakref.WeakSet[Watched] = weakref.WeakSet()
        # Called after every pass, e.g. to let go of jobs that were stopped.
        self.after_reap: list[Callable[[], None]] = []
        self._lock = threading.Lock()
        self._thread: threading.Thread | None = None

    def watch(self, job: Watched) -> None:
        with self._lock:
            self._jobs.add(job)
            if self._thread is None:
                self._thread = threading.Thread(
                    target=self._loop, name="rnnlab-reaper", daemon=True
                )
                self._thread.start()

    def reap(self, now: float | None = None) -> int:
        """Stop every job silent for longer than ``REAP_AFTER``; returns how many."""
        now = time.monotonic() if now is None else now
        with self._lock:
            stale = [j for j in self._jobs if now - j.last_seen > REAP_AFTER]
            for job in stale:
                job.stop()
                self._jobs.discard(job)
        return len(stale)

    def _loop(self) -> None:
        while True:
            time.sleep(REAP_EVERY)
            self.reap()
            for listener in list(self.after_reap):
                listener()


_REAPER = _Reaper()
watch = _REAPER.watch
reap_stale_jobs = _REAPER.reap
after_reap = _REAPER.after_reap.append
