"""Limit BLAS threads while training.

On a shared 2-core machine, OpenBLAS' thread pool made the many small per-step matrix products
3–30× slower (threads spin and fight over cores), so the engine trains on one BLAS thread by
default. The controller is built once: scanning the loaded libraries costs milliseconds.
"""

from __future__ import annotations

from contextlib import AbstractContextManager
from functools import cache

from threadpoolctl import ThreadpoolController


@cache
def _controller() -> ThreadpoolController:
    return ThreadpoolController()


def blas_threads(n: int | None = 1) -> AbstractContextManager:
    """Context manager running its body with ``n`` BLAS threads (``None``: leave as is)."""
    return _controller().limit(limits=n, user_api="blas")
