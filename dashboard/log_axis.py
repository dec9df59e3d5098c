"""Log axes where Plotly's own ranges and ticks mislead: short spans and lone points.

Plotly's autorange and tick choice are fine over many decades. Within a decade it labels
one tick or none and zooms into rounding, over one to two decades it labels only the powers
of ten, and lone points it pads by pixels. These functions give such data a range, or
1-2-5 ticks written in one notation per axis, of their own.
"""

from __future__ import annotations

import numpy as np

NICE_DTICKS = (1, 2, 5, 10, 20, 50, 100)  # decades between ticks
# An axis whose data lie in here is ticked in plain numbers (0.002, 5000), else in powers
# (2×10⁻⁵), every tick alike: "5×10⁻⁴, 0.001" on one axis reads as two scales.
PLAIN_TICKS = (1e-3, 1e4)


def drawable(values: np.ndarray) -> np.ndarray:
    """The values a log axis can draw: finite and positive, the others left out."""
    return values[np.isfinite(values) & (values > 0)]


def fitted_log_axis(traces: list) -> dict:
    """Plotly y-axis settings for the traces' data on a log axis: {} where autorange does.

    Data within a decade gets two decades around it (``_fixed_range``), lone points half a
    decade either side, each with ticks a fixed number of decades apart, not as many as the
    height allows (see ``_fixed_range``); data over one to two decades gets 1-2-5 ticks.
    """
    logs = drawable_logs(traces)  # (points,)
    if logs is None:
        return {}
    lone = all(len(t["y"]) == 1 for t in traces if isinstance(t, dict) and "y" in t)
    if (decades := _fixed_range(logs, lone)) is not None:
        per_tick = (decades[1] - decades[0]) / 6
        dtick = next((d for d in NICE_DTICKS if d >= per_tick), NICE_DTICKS[-1])
        return {"range": decades, "dtick": dtick}
    if (ticks := _one_two_five_ticks(logs)) is not None:
        plain = np.log10(PLAIN_TICKS[0]) <= logs.min() and logs.max() < np.log10(PLAIN_TICKS[1])
        return {"tickvals": ticks, "ticktext": [tick_text(v, plain) for v in ticks]}
    return {}


def _fixed_range(logs: np.ndarray, lone: bool) -> list[float] | None:
    """A log axis range for data Plotly's autorange draws badly, else None (autorange).

    Within a decade Plotly labels one tick or none, and zooms into rounding: a gradient
    kept exactly (1 to 1 + 1e-13) was ticked 1.0000000000000999. Such data gets two decades
    around it. Lone points (a run that blew up at its second step) are drawn as markers,
    which autorange pads by pixels, and ticks are spaced by the pixels too: the ticks' labels
    moved the margins, the margins the legend's rows and the plot's height, and so the
    ticks, until Plotly gave up ("Too many auto-margin redraws"). They get half a decade
    either side. ``logs (points,)`` are the data's log10; ``lone``, whether every trace is
    one point.
    """
    if np.ptp(logs) < 1:
        middle = (logs.max() + logs.min()) / 2
        return [float(middle - 1), float(middle + 1)]
    if lone:
        return [float(logs.min() - 0.5), float(logs.max() + 0.5)]
    return None


def _one_two_five_ticks(logs: np.ndarray) -> list[float] | None:
    """Ticks at 1, 2 and 5 × 10ᵏ for data spanning one to two decades, else None.

    Plotly labels only the powers of ten there, and data from 0.012 to 0.5 got a single
    label, 10⁻¹: no value could be read off the chart. Written whole (0.02, 0.05), the
    in-between ticks cannot be read as 2 and 5, which is why Plotly's own are switched off.
    """
    if not 1 <= np.ptp(logs) < 2:
        return None
    powers = range(int(np.floor(logs.min())), int(np.ceil(logs.max())) + 1)
    return [m * 10.0**k for k in powers for m in (1, 2, 5)]


def tick_text(value: float, plain: bool) -> str:
    """A tick's label: 0.05 as it is when ``plain``, else 5×10⁻² (never 5e-05 beside 10⁻⁴)."""
    if plain:
        return f"{value:g}"
    power = int(np.floor(np.log10(value)))
    mantissa = round(value / 10.0**power, 6)
    if mantissa >= 10:  # 9.9999999e-6 rounds up to the next power
        mantissa, power = mantissa / 10, power + 1
    ten = f"10<sup>{power}</sup>".replace("-", "\u2212")  # − as Plotly writes 10⁻⁴
    return ten if mantissa == 1 else f"{mantissa:g}×{ten}"


def drawable_logs(traces: list) -> np.ndarray | None:
    """log10 of every value a log axis can draw, over all traces: (points,), or None."""
    ys = [np.asarray(t["y"], dtype=float) for t in traces if isinstance(t, dict) and "y" in t]
    if not ys:
        return None
    logs = np.log10(drawable(np.concatenate(ys)))  # (drawable points,)
    return logs if logs.size else None
