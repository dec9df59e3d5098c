"""Check analytic gradients against central finite differences.

    ∂L/∂θ_i ≈ (L(θ + ε e_i) − L(θ − ε e_i)) / 2ε

and compare per parameter with the norm-wise relative error ‖a − n‖ / (‖a‖ + ‖n‖), which
is 0 for identical gradients, 1 for unrelated ones, and does not blow up on tiny entries.

Truncated BPTT is not the gradient of the plain loss, so for a ``bptt_window`` the check uses
the loss it *is* the exact gradient of: each window restarts from the states the unperturbed
model reached at its boundary, held constant (what ``detach()`` does in PyTorch).
"""

from __future__ import annotations

from collections.abc import Callable

import numpy as np

from .model import RNN
from .recurrence import cut_steps

Array = np.ndarray


def relative_error(analytic: Array, numeric: Array) -> float:
    """‖a − n‖ / (‖a‖ + ‖n‖), and 0 when both are exactly zero."""
    denom = np.linalg.norm(analytic) + np.linalg.norm(numeric)
    return 0.0 if denom == 0 else float(np.linalg.norm(analytic - numeric) / denom)


def numerical_gradients(
    loss: Callable[[], float], params: dict[str, Array], eps: float = 3e-5
) -> dict[str, Array]:
    """Central differences of ``loss()`` w.r.t. every entry of every array in ``params``.

    ``loss`` must read ``params`` (perturbed in place and restored exactly afterwards).
    """
    numeric = {}
    for name, p in params.items():
        g = np.zeros_like(p, dtype=np.float64)
        flat = p.reshape(-1)  # view: perturbing it perturbs p
        for i in range(flat.size):
            original = flat[i]
            flat[i] = original + eps
            plus = loss()
            flat[i] = original - eps
            minus = loss()
            flat[i] = original
            g.reshape(-1)[i] = (plus - minus) / (2 * eps)
        numeric[name] = g
    return numeric


def _mse(y_hat: Array, Y: Array) -> float:
    return float(np.mean((y_hat - Y) ** 2))


def truncated_loss(model: RNN, X: Array, Y: Array, window: int) -> Callable[[], float]:
    """The loss whose exact gradient truncated BPTT computes, with boundaries frozen now."""
    T = X.shape[1]
    starts = [0, *sorted(cut_steps(T, window))]
    ends = [*starts[1:], T]
    caches = model.forward(X).caches
    frozen = {
        s: {key: cache.states[s - 1].copy() for key, cache in caches.items()} for s in starts[1:]
    }

    def loss() -> float:
        preds = [
            model.forward(X[:, s:e], initial_states=frozen.get(s)).y_hat
            for s, e in zip(starts, ends, strict=True)
        ]
        y_hat = np.concatenate(preds, axis=1) if model.config.many_to_many else preds[-1]
        return _mse(y_hat, Y)

    return loss


def check_gradients(
    model: RNN, X: Array, Y: Array, *, bptt_window: int | None = None, eps: float = 3e-5
) -> dict[str, float]:
    """Relative error of ``loss_and_grads`` against finite differences, per parameter.

    Use float64: in float32 rounding alone gives errors around 1e-3. The default ε = 3e-5
    balances truncation error (∝ ε²) against rounding (∝ 1/ε), which dominates for the tiny
    gradients that reach h0 through saturating sigmoids.
    """
    analytic = model.loss_and_grads(X, Y, bptt_window=bptt_window).grads
    if bptt_window is None:

        def loss() -> float:
            return _mse(model.predict(X), Y)

    else:
        loss = truncated_loss(model, X, Y, bptt_window)
    numeric = numerical_gradients(loss, model.params, eps)
    return {name: relative_error(analytic[name], numeric[name]) for name in model.params}
