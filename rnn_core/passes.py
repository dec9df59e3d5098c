"""What one pass through the network returns: predictions, loss, gradients, diagnostics.

Arrays inside may live in a reused ``Workspace``: they are valid until the next call that
uses the same workspace.
"""

from __future__ import annotations

from dataclasses import dataclass
from functools import cached_property

import numpy as np

from . import recurrence
from .norms import squared_norms

Array = np.ndarray


@dataclass
class ForwardPass:
    """Output of ``RNN.forward``: predictions plus what backward needs."""

    y_hat: Array  # (B, O) or (B, T, O)
    features: Array  # (T, B, F) top layer's states, original time order
    caches: dict[str, recurrence.DirectionCache]  # per direction key, in processing order
    feature_rows: Array | None = None  # (T·B, F) the same states as rows; many-to-many only


class LossAndGrads:
    """Loss, gradients and per-step diagnostics of one minibatch.

    ``hidden``, ``preacts`` and ``dh_norms`` are keyed by direction (``layer0``, ``layer0_rev``, …),
    in original time order: ``hidden`` and ``preacts`` batch-first ``(B, T, H)``, ``dh_norms``
    ``(T,)``. ``dh_norms[key][t]`` is ‖∂L/∂h_t‖ over
    the whole batch (Frobenius norm of the ``(B, H)`` slice): the gradient that reached step t.
    The diagnostics are computed on first access, so training pays only for what it reads.
    ``grad_vector`` is every gradient in one flat vector (``grads`` are views into it).
    """

    def __init__(
        self,
        loss: float,
        grads: dict[str, Array],
        grad_vector: Array,
        y_hat: Array,
        caches: dict[str, recurrence.DirectionCache],
        dstates: dict[str, Array],
    ) -> None:
        self.loss = loss
        self.grads = grads
        self.grad_vector = grad_vector
        self.y_hat = y_hat
        self._caches = caches
        self._dstates = dstates

    @cached_property
    def hidden(self) -> dict[str, Array]:
        """h_t per direction, ``(B, T, H)``."""
        return {k: _batch_first(c.states, k) for k, c in self._caches.items()}

    @cached_property
    def preacts(self) -> dict[str, Array]:
        """z_t per direction, ``(B, T, H)``."""
        return {k: _batch_first(c.preacts, k) for k, c in self._caches.items()}

    @cached_property
    def dh_norms(self) -> dict[str, Array]:
        """‖∂L/∂h_t‖ per direction, ``(T,)``."""
        return {k: _time_norms(d, k) for k, d in self._dstates.items()}

    @cached_property
    def grad_norms(self) -> dict[str, float]:
        """‖∂L/∂θ‖ per parameter (before any clipping)."""
        return {k: float(np.sqrt(v)) for k, v in squared_norms(self.grads).items()}


def _is_reverse(key: str) -> bool:
    return key.endswith("_rev")


def _batch_first(a: Array, key: str) -> Array:
    """Time-major processing order (T, B, H) -> batch-first original order (B, T, H)."""
    return (a[::-1] if _is_reverse(key) else a).transpose(1, 0, 2)


def _time_norms(dstates: Array, key: str) -> Array:
    """‖∂L/∂h_t‖ over batch and units for every t, original time order: (T,)."""
    norms = np.sqrt(np.einsum("tbh,tbh->t", dstates, dstates))  # (T,)
    return norms[::-1] if _is_reverse(key) else norms
