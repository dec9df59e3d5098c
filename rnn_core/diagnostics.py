"""Measurements for teaching why an RNN learns or fails (functions, no UI).

Notation: states h_0 (initial), h_1 … h_T (after each input): the engine's arrays call the same
states h_init, h_0 … h_{T−1}, so index t here is index t − 1 there. In column form the one-step
Jacobian is ∂h_t/∂h_{t-1} = diag(f'(z_t)) · W, where W is the column-form recurrent matrix;
with this engine's row-vector convention (``h_t = f(h_{t-1} @ W_hh + …)``) that W is
``W_hh.T``. So ‖∂h_T/∂h_t‖ ≤ (γ · σ_max(W_hh))^(T−t), and equals ρ^(T−t) for a linear RNN
with W_hh = ρ·Q, Q orthogonal.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from .activations import Activation
from .config import direction_key, param_name
from .init import spectral_radius
from .model import RNN

Array = np.ndarray
SATURATION_THRESHOLD = 0.05


@dataclass(frozen=True)
class Spectrum:
    """Eigenvalues and singular values of one recurrent matrix."""

    eigenvalues: Array  # (H,) complex
    singular_values: Array  # (H,) descending
    spectral_radius: float  # max |λ|
    sigma_max: float  # largest singular value (operator 2-norm)


def recurrent_spectrum(model: RNN, *, layer: int = 0, reverse: bool = False) -> Spectrum:
    """Spectrum of ``W_hh`` of one layer and direction."""
    W = model.params[param_name("W_hh", layer, reverse)].astype(np.float64)
    s = np.linalg.svd(W, compute_uv=False)
    return Spectrum(
        eigenvalues=np.linalg.eigvals(W),
        singular_values=s,
        spectral_radius=spectral_radius(W),
        sigma_max=float(s[0]),
    )


def saturation_fraction(
    preacts: Array, activation: Activation, threshold: float = SATURATION_THRESHOLD
) -> float:
    """Fraction of unit-steps whose |f'(z)| < threshold: they pass almost no gradient."""
    return float(np.mean(np.abs(activation.derivative(preacts)) < threshold))


def step_jacobian(W_hh: Array, fprime: Array) -> Array:
    """∂h_t/∂h_{t-1} per sample, column form ``diag(f'(z_t)) · W_hh.T``: (B, H, H).

    ``fprime (B, H)`` is f'(z_t); entry [b, i, j] is ∂h_t[i]/∂h_{t-1}[j] for sample b.
    """
    return fprime[:, :, None] * W_hh.T[None, :, :]  # (B, H, H)


def _direction_fprime(model: RNN, X: Array, layer: int, reverse: bool) -> Array:
    """f'(z_t) of one direction, time-major in processing order: (T, B, H)."""
    cache = model.forward(X).caches[direction_key(layer, reverse)]
    return model.activation.derivative_from(cache.preacts, cache.states)


def jacobian_norms(model: RNN, X: Array, *, layer: int = 0, reverse: bool = False) -> Array:
    """‖∂h_T/∂h_t‖₂ (spectral norm) for t = 0 … T and every sample: (B, T + 1).

    Column t is how much a perturbation of the state after t inputs can still move the last
    state; column T is 1. With ``reverse`` the inputs are counted in that direction's order,
    from the end of the sequence. Computed as the running product J_T · … · J_{t+1}, where
    ``P @ diag(f') @ W_hh.T`` is one (B·H, H) × (H, H) product per step.
    """
    fprime = _direction_fprime(model, X, layer, reverse)  # (T, B, H)
    T, B, H = fprime.shape
    W_hh_T = model.params[param_name("W_hh", layer, reverse)].T.astype(np.float64)  # (H, H)
    product = np.broadcast_to(np.eye(H), (B, H, H)).copy()  # (B, H, H) ∂h_T/∂h_T
    norms = np.empty((B, T + 1))
    norms[:, T] = 1.0
    for t in range(T - 1, -1, -1):
        # ∂h_T/∂h_t = (∂h_T/∂h_{t+1}) · J_{t+1},  J_{t+1} = diag(f'(z_{t+1})) · W_hh.T
        product = (product * fprime[t][:, None, :]) @ W_hh_T  # (B, H, H)
        norms[:, t] = np.linalg.norm(product, ord=2, axis=(1, 2))
    return norms


def connectivity(model: RNN, X: Array) -> Array:
    """‖∂ŷ_T/∂x_t‖ (Frobenius over outputs × inputs, mean over the batch) for each t: (T,).

    How strongly the final prediction still depends on the input t steps in: the model's
    effective memory, measured rather than assumed.
    """
    fp = model.forward(X)
    B, T = fp.y_hat.shape[0], fp.features.shape[0]
    squared = np.zeros((B, T))
    for o in range(model.config.output_size):
        dy = np.zeros_like(fp.y_hat)
        if model.config.many_to_many:
            dy[:, -1, o] = 1.0
        else:
            dy[:, o] = 1.0
        _, _, dX = model.backward(fp, dy, input_grads=True)  # (B, T, D)
        squared += np.einsum("btd,btd->bt", dX, dX)
    return np.sqrt(squared).mean(axis=0)


def rollout(model: RNN, window: Array, steps: int) -> Array:
    """Free-running forecast: predict, append the prediction to the window, repeat.

    ``window (B, T, D)`` seeds the forecast; the model must be many-to-one with D = O (it
    predicts its own next input). Returns ``(B, steps, O)``. The window slides, so the model
    always sees sequences of the length it was trained on.
    """
    cfg = model.config
    if cfg.many_to_many or cfg.input_size != cfg.output_size:
        raise ValueError(
            "rollout needs a many-to-one model that predicts its own next input "
            f"(input_size == output_size); this one maps {cfg.input_size} inputs to "
            f"{cfg.output_size} outputs{' at every step' if cfg.many_to_many else ''}"
        )
    if not (isinstance(steps, int) and steps >= 1):
        raise ValueError(f"steps must be a positive integer; got {steps!r}")
    current = model.check_inputs(window).copy()  # (B, T, D)
    out = np.empty((current.shape[0], steps, cfg.output_size), dtype=model.dtype)
    for k in range(steps):
        out[:, k] = model.predict(current)  # (B, O)
        current = np.concatenate([current[:, 1:], out[:, k, None]], axis=1)
    return out
