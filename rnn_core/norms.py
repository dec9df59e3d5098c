"""Squared L2 norms of a dict of arrays: computed once per step, reused everywhere.

The trainer needs them three times per step (divergence guard, clipping, history), so each
is one ``vdot`` instead of three ``np.linalg.norm`` calls.
"""

from __future__ import annotations

from collections.abc import Mapping

import numpy as np


def squared_norms(arrays: Mapping[str, np.ndarray]) -> dict[str, float]:
    """‖a‖² for every array, as Python floats (inf or NaN when non-finite or overflowing)."""
    return {k: float(np.vdot(a, a)) for k, a in arrays.items()}
