"""CPU time per process group (server, browser, driver, benchmark) read from /proc.

Tells where the cores went while the app trained: the training thread, the rest of the
server, Chromium drawing charts, or the benchmark itself.
"""

from __future__ import annotations

import os
from dataclasses import dataclass
from pathlib import Path

CLK_TCK = os.sysconf("SC_CLK_TCK")
GROUPS = ("server", "browser", "driver", "benchmark")
BUSIEST = "server busiest thread"


def _stat(pid: int) -> tuple[int, str, float] | None:
    """(parent pid, command name, CPU seconds) of a process, or None if it is gone."""
    return _stat_path(Path(f"/proc/{pid}/stat"))


def _stat_path(path: Path) -> tuple[int, str, float] | None:
    try:
        text = path.read_text()
    except OSError:
        return None
    comm = text[text.index("(") + 1 : text.rindex(")")]
    fields = text[text.rindex(")") + 2 :].split()  # fields[0] is field 3 of proc(5)
    return int(fields[1]), comm, (int(fields[11]) + int(fields[12])) / CLK_TCK


def _group(pid: int, comm: str) -> str:
    if pid == os.getpid():
        return "benchmark"
    if comm.startswith(("chrom", "headless")):
        return "browser"
    if comm == "node":
        return "driver"  # Playwright's driver process
    try:
        cmdline = Path(f"/proc/{pid}/cmdline").read_bytes()
    except OSError:
        return "other"
    return "server" if b"streamlit" in cmdline else "other"


@dataclass(frozen=True)
class CpuReading:
    """CPU seconds so far of every process we started, and of each Streamlit server thread."""

    procs: dict[int, tuple[str, float]]  # pid -> (group, CPU seconds)
    server_threads: dict[tuple[int, int], float]  # (pid, tid) -> CPU seconds


def read_cpu() -> CpuReading:
    """CPU use of this process and all its descendants (Linux ``/proc``).

    The Streamlit server, Playwright's driver and Chromium are all descendants, so this splits
    the machine's work between the app's server, the browser drawing the page, and us. Server
    threads are read one by one: the busiest one is the training thread, the rest is mostly
    the script thread that redraws the page, and they share one GIL.
    """
    stats = {}
    for entry in os.listdir("/proc"):
        if entry.isdigit() and (stat := _stat(int(entry))) is not None:
            stats[int(entry)] = stat
    ours = {os.getpid()}
    changed = True
    while changed:
        grown = {pid for pid, (ppid, _, _) in stats.items() if ppid in ours} | ours
        changed, ours = grown != ours, grown
    procs = {pid: (_group(pid, stats[pid][1]), stats[pid][2]) for pid in ours if pid in stats}
    threads = {}
    for pid, (group, _) in procs.items():
        if group == "server":
            for task in Path(f"/proc/{pid}/task").glob("*"):
                if (stat := _stat_path(task / "stat")) is not None:
                    threads[pid, int(task.name)] = stat[2]
    return CpuReading(procs, threads)


def cores_used(before: CpuReading, after: CpuReading, seconds: float) -> dict[str, float]:
    """Average cores each group used between two readings, plus the busiest server thread."""
    used = dict.fromkeys(GROUPS, 0.0)
    for pid, (group, cpu) in after.procs.items():
        if group in used:
            used[group] += (cpu - before.procs.get(pid, (group, 0.0))[1]) / seconds
    deltas = [
        cpu - before.server_threads.get(key, 0.0) for key, cpu in after.server_threads.items()
    ]
    used[BUSIEST] = max(deltas, default=0.0) / seconds
    return used
