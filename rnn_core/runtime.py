"""Process settings that make the training loop fast on a small shared machine.

- One BLAS thread: on a shared 2-core machine OpenBLAS' thread pool made the many small
  per-step matrix products 3–30× slower (threads spin and fight over cores), so the engine
  trains on one BLAS thread by default. The controller is built once: scanning the loaded
  libraries costs milliseconds.
- Keep freed memory: every training step allocates and frees the same (T, B, H) work arrays.
  glibc hands blocks above its trim/mmap thresholds back to the OS on free, so the next step
  page-faults them in again (~1000 faults, ~2 ms, per step at H=100, B=32). Raising both
  thresholds once keeps those pages in the process.
"""

from __future__ import annotations

import ctypes
import ctypes.util
import sys
from contextlib import AbstractContextManager
from functools import cache

from threadpoolctl import ThreadpoolController

M_TRIM_THRESHOLD = -1  # glibc <malloc.h>
M_MMAP_THRESHOLD = -3
KEEP_BYTES = 256 * 1024 * 1024
MMAP_ABOVE_BYTES = 32 * 1024 * 1024  # glibc's own ceiling for its adaptive threshold


@cache
def _controller() -> ThreadpoolController:
    return ThreadpoolController()


def blas_threads(n: int | None = 1) -> AbstractContextManager:
    """Context manager running its body with ``n`` BLAS threads (``None``: leave as is)."""
    return _controller().limit(limits=n, user_api="blas")


@cache
def keep_freed_memory() -> bool:
    """Ask glibc to keep freed blocks up to 256 MB for reuse; False where that is not glibc.

    Idempotent and process-wide; it changes only when memory goes back to the OS, never
    what the program computes.
    """
    if not sys.platform.startswith("linux"):
        return False
    name = ctypes.util.find_library("c")
    try:
        libc = ctypes.CDLL(name)
        mallopt = libc.mallopt
    except (OSError, AttributeError, TypeError):
        return False
    return bool(
        mallopt(M_MMAP_THRESHOLD, MMAP_ABOVE_BYTES) and mallopt(M_TRIM_THRESHOLD, KEEP_BYTES)
    )
