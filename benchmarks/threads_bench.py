"""One vs two BLAS threads for a training step, on the machine as it is and with a core busy.

Shows why training defaults to one BLAS thread: on a shared 2-core machine the second thread
helps only when the other core is idle, and hurts badly when it is not.
"""

from __future__ import annotations

import multiprocessing as mp
from collections.abc import Callable, Iterator
from contextlib import contextmanager, nullcontext
from multiprocessing.synchronize import Event as EventType
from statistics import median

from benchmarks.report import print_table
from benchmarks.timing import fmt_time, interleaved, paired_ratio
from rnn_core.runtime import blas_threads

THREAD_CONFIGS = ((64, 50, 32), (256, 50, 256))  # (H, T, B): typical, and large for contrast


def burn_cpu(started: EventType, stop: EventType) -> None:
    """Keep one core busy, as the app's server and browser do while a model trains."""
    started.set()
    while not stop.is_set():
        sum(range(10_000))


@contextmanager
def busy_core() -> Iterator[None]:
    """Run the body while a child process keeps one core busy."""
    ctx = mp.get_context("spawn")  # fork is unsafe once OpenBLAS has started its threads
    started, stop = ctx.Event(), ctx.Event()
    burner = ctx.Process(target=burn_cpu, args=(started, stop))
    burner.start()
    started.wait()
    try:
        yield
    finally:
        stop.set()
        burner.join()


LOADS = {"as is": nullcontext, "1 core busy": busy_core}


def bench_threads(
    make_step: Callable[[int, int, int], Callable[[], None]], repeats: int, min_sample: float
) -> None:
    """One vs two BLAS threads, on the machine as it is and with one core kept busy.

    On an idle machine a second thread can help big products a little; but the app never has
    an idle core (Streamlit and the browser share the two), and a BLAS thread that waits for a
    busy core stalls every product it takes part in.
    """
    rows = []
    for load, context in LOADS.items():
        with context():
            for H, T, B in THREAD_CONFIGS:
                step = make_step(H, T, B)
                variants = {f"{n}": lambda n=n, s=step: _with_threads(n, s) for n in (1, 2)}
                samples = interleaved(variants, repeats, min_sample)
                rows.append(
                    [
                        f"H={H}, T={T}, B={B}",
                        load,
                        fmt_time(median(samples["1"])),
                        fmt_time(median(samples["2"])),
                        f"{paired_ratio(samples['2'], samples['1']):.2f}",
                    ]
                )
    print_table(
        "BLAS threads (float64 training step)",
        ["config", "load", "1 thread", "2 threads", "2-thread / 1-thread time"],
        rows,
    )
    print(
        "\nA ratio above 1 means the second thread slows training down. The engine defaults to "
        "one thread because the app never leaves a core idle: read the busy rows."
    )


def _with_threads(n: int, step: Callable[[], None]) -> None:
    """Run ``step`` on ``n`` BLAS threads (both variants pay the same context switch)."""
    with blas_threads(n):
        step()
