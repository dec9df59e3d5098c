"""Training history with bounded memory: a million steps keep at most ``capacity`` rows.

When the buffer fills, every other row is dropped and from then on only every second step is
recorded (the stride doubles). Old training is thus thinned evenly while the latest row is
always exact: curves keep their shape at any length and memory never grows without bound.
"""

from __future__ import annotations

from collections.abc import Sequence

import numpy as np

Array = np.ndarray


class DecimatedSeries:
    """A table of float columns indexed by step, thinned by powers of two when full."""

    def __init__(self, columns: Sequence[str], capacity: int = 2048) -> None:
        if capacity < 4 or capacity % 2:
            raise ValueError(f"capacity must be an even number ≥ 4; got {capacity}")
        self.columns = ("step", *columns)
        self.capacity = capacity
        self.stride = 1
        self._rows = np.empty((capacity, len(self.columns)))  # (capacity, 1 + columns)
        self._n = 0
        self._appended = 0  # appends so far; row i is kept while i % stride == 0
        self._last: tuple[float, ...] | None = None  # the latest row, kept or not

    @property
    def last(self) -> dict[str, float] | None:
        """The latest row appended (kept or not), by column name; None before the first."""
        if self._last is None:
            return None
        return {c: float(v) for c, v in zip(self.columns, self._last, strict=True)}

    def __len__(self) -> int:
        return self._n

    def append(self, step: int, values: Sequence[float]) -> None:
        """Record ``values`` (one per column) at ``step`` (steps should increase)."""
        row = (step, *values)  # numbers; stored as floats by the array they go into
        if len(row) != len(self.columns):
            raise ValueError(f"expected {len(self.columns) - 1} values; got {len(row) - 1}")
        self._last = row
        index = self._appended
        self._appended += 1
        if index % self.stride:
            return
        if self._n == self.capacity:
            # Stored rows are appends 0, s, 2s, …; keeping every other one leaves 0, 2s, 4s, …
            self._rows[: self.capacity // 2] = self._rows[::2]
            self._n = self.capacity // 2
            self.stride *= 2
            if index % self.stride:
                return
        self._rows[self._n] = row
        self._n += 1

    def as_dict(self) -> dict[str, Array]:
        """Copies of every column (safe to hand to another thread); ``step`` as int64."""
        data = {c: self._rows[: self._n, i].copy() for i, c in enumerate(self.columns)}
        data["step"] = data["step"].astype(np.int64)
        return data
