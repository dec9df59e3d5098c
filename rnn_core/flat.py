"""Many named arrays stored as views into one flat vector.

The model keeps its parameters this way, and every gradient it returns, so that whatever
treats all parameters alike (the optimizer update, clipping, the divergence guard, norms for
the history) is one NumPy call over one vector instead of one call per parameter.
"""

from __future__ import annotations

from collections.abc import Mapping
from math import prod

import numpy as np

Array = np.ndarray


def size_of(shapes: Mapping[str, tuple[int, ...]]) -> int:
    """Number of scalars in all the arrays together."""
    return sum(prod(shape) for shape in shapes.values())


def views(vector: Array, shapes: Mapping[str, tuple[int, ...]]) -> dict[str, Array]:
    """Named views into ``vector``, one after another in ``shapes`` order (writes go through)."""
    out: dict[str, Array] = {}
    start = 0
    for name, shape in shapes.items():
        stop = start + prod(shape)
        out[name] = vector[start:stop].reshape(shape)
        start = stop
    return out


def stacked(vector: Array, shapes: Mapping[str, tuple[int, ...]], matrix: str, row: str) -> Array:
    """One ``(m + 1, n)`` view of a matrix ``(m, n)`` and the row ``(n,)`` stored right after it.

    The model stores each bias after its input weights, so ``[x, 1] @ [W_xh; b_h]`` computes
    ``x @ W_xh + b_h`` in one product (and its gradient ``[dW_xh; db_h]`` is one product too).
    """
    names = list(shapes)
    if names.index(row) != names.index(matrix) + 1:
        raise ValueError(f"{row} is not stored right after {matrix}")
    start = sum(prod(shapes[name]) for name in names[: names.index(matrix)])
    m, n = shapes[matrix]
    return vector[start : start + (m + 1) * n].reshape(m + 1, n)


def segment_starts(shapes: Mapping[str, tuple[int, ...]]) -> Array:
    """Offset of each array in the vector: ``np.add.reduceat(v * v, starts)`` gives ‖a‖² each."""
    sizes = [prod(shape) for shape in shapes.values()]
    return np.concatenate([[0], np.cumsum(sizes[:-1])]).astype(np.intp)
