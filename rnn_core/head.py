"""The read-out ``y = h @ W_hy + b_y`` and its backward pass.

Many-to-one reads the last state of each top-layer direction (the reverse one ends at t = 0);
many-to-many reads every step's state, as one 2-D product over all (time, sample) rows, since
``dot`` on a 3-D array skips BLAS.
"""

from __future__ import annotations

import numpy as np

from .passes import ForwardPass
from .recurrence import DirectionCache
from .workspace import Workspace

Array = np.ndarray


def read_out(params: dict[str, Array], feature_rows: Array, workspace: Workspace | None) -> Array:
    """``feature_rows @ W_hy + b_y``: ``(n, F)`` rows to ``(n, O)``, in the workspace's memory.

    The rows are samples (many-to-one) or (time, sample) pairs (many-to-many).
    """
    if workspace is None:
        out = feature_rows.dot(params["W_hy"])
    else:
        out = feature_rows.dot(params["W_hy"], workspace.output_rows)
    out += params["b_y"]
    return out


def last_features(caches: dict[str, DirectionCache], top_keys: tuple[str, ...]) -> Array:
    """Final state of each top-layer direction (the reverse one ends at t = 0): (B, F)."""
    finals = [caches[key].state_steps[-1] for key in top_keys]
    return finals[0] if len(finals) == 1 else np.concatenate(finals, axis=1)


def backward(
    params: dict[str, Array],
    fp: ForwardPass,
    dy_hat: Array,
    workspace: Workspace,
    top_keys: tuple[str, ...],
) -> tuple[Array | None, Array | None]:
    """Write the read-out's gradients into the workspace; return what reaches the top layer.

    Many-to-many (``dy_hat (B, T, O)``): ``dfeatures (T, B, F)`` at every step. Many-to-one:
    only the last *processed* step of each direction gets ``dlast (B, F)`` (t = T−1 forward,
    t = 0 reversed), so no (T, B, F) array of zeros is built.
    """
    W_hy, grads = params["W_hy"], workspace.grads
    if dy_hat.ndim == 3:
        if dy_hat is workspace.errors_like_y:  # the loss's own errors: rows made once
            dy_rows = workspace.error_rows
        else:
            dy_rows = dy_hat.transpose(1, 0, 2).reshape(-1, W_hy.shape[1])  # (T·B, O)
        fp.feature_rows.T.dot(dy_rows, grads["W_hy"])  # (F, O)
        workspace.ones.dot(dy_rows, grads["b_y"])  # Σ over time and batch
        dy_rows.dot(W_hy.T, workspace.head_to_state_rows)
        return workspace.head_to_states, None  # (T, B, F) original time order
    last_features(fp.caches, top_keys).T.dot(dy_hat, grads["W_hy"])  # (F, O)
    workspace.ones.dot(dy_hat, grads["b_y"])  # Σ over the batch
    return None, dy_hat @ W_hy.T  # (B, F)
