"""One direction of one recurrent layer: the forward time loop and its exact backward (BPTT).

Arrays here are *time-major* ``(T, B, H)`` so that each step touches contiguous memory; the
model converts to and from the batch-first public layout. Only the time loop is Python; all
parameter gradients are single matrix products over every (time, sample) pair at once.

Forward:   z_t = x_t @ W_xh + b_h + h_{t-1} @ W_hh,   h_t = f(z_t)
Backward:  g_t = ∂L/∂h_t = (direct gradient at t) + (dz_{t+1} @ W_hh.T),  dz_t = g_t * f'(z_t)

Truncated BPTT drops the second term at the cut steps (``cut_steps``).
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from .activations import Activation

Array = np.ndarray


@dataclass
class DirectionCache:
    """What the backward pass needs from the forward pass of one direction."""

    inputs: Array  # (T, B, D) the layer's inputs, in processing order
    h_init: Array  # (B, H) state before the first step
    preacts: Array  # (T, B, H) z_t
    states: Array  # (T, B, H) h_t


@dataclass
class DirectionGrads:
    """Gradients of one direction: parameters, its inputs, its initial state, and ∂L/∂h_t."""

    W_xh: Array  # (D, H)
    W_hh: Array  # (H, H)
    b_h: Array  # (H,)
    inputs: Array | None  # (T, B, D), only when asked for
    h_init: Array  # (B, H)
    dstates: Array  # (T, B, H) total ∂L/∂h_t (what BPTT carried to each step)


def forward(
    inputs: Array, W_xh: Array, W_hh: Array, b_h: Array, h_init: Array, act: Activation
) -> DirectionCache:
    """Run the recurrence over ``inputs (T, B, D)`` from ``h_init (B, H)``."""
    preacts = inputs @ W_xh  # (T, B, H), the input part of every z_t in one product
    preacts += b_h
    states = np.empty_like(preacts)  # (T, B, H)
    h = h_init  # (B, H)
    for t in range(preacts.shape[0]):
        z = preacts[t]  # (B, H) view, completed in place
        z += h @ W_hh
        h = states[t]
        act.into(z, h)
    return DirectionCache(inputs=inputs, h_init=h_init, preacts=preacts, states=states)


def cut_steps(T: int, window: int | None) -> frozenset[int]:
    """Steps s whose incoming state h_{s-1} is treated as a constant by truncated BPTT.

    The sequence is cut into windows of ``window`` steps counted back from the last step, so a
    many-to-one loss backpropagates exactly ``window`` steps and a many-to-many loss is
    trained window by window (PyTorch-style ``detach`` every k steps).
    """
    if window is None or window >= T:
        return frozenset()
    return frozenset(range(T - window, 0, -window))


def backward(
    cache: DirectionCache,
    direct: Array | None,
    W_xh: Array,
    W_hh: Array,
    act: Activation,
    *,
    final: Array | None = None,
    cuts: frozenset[int] = frozenset(),
    input_grads: bool = False,
) -> DirectionGrads:
    """BPTT through one direction given the gradient arriving directly at each h_t.

    ``direct (T, B, H)`` is ∂L/∂h_t from everything *outside* the recurrence (the head or the
    layer above), or None when only the last processed step receives one, ``final (B, H)``
    (a many-to-one read-out); the loop adds what flows back through later steps. Each step
    writes into preallocated arrays: the loop is three NumPy calls.
    """
    T = cache.preacts.shape[0]
    fprime = act.derivative_from(cache.preacts, cache.states)  # (T, B, H) f'(z_t)
    dstates = np.empty_like(cache.preacts)  # (T, B, H) total ∂L/∂h_t
    dpreacts = np.empty_like(cache.preacts)  # (T, B, H) ∂L/∂z_t
    W_hh_T = np.ascontiguousarray(W_hh.T)  # (H, H)
    if direct is None:
        dstates[T - 1] = final
    else:
        dstates[T - 1] = direct[T - 1] if final is None else direct[T - 1] + final
    for t in range(T - 1, -1, -1):
        np.multiply(dstates[t], fprime[t], out=dpreacts[t])  # (B, H)
        if t == 0:
            break
        g = dstates[t - 1]  # (B, H) ∂L/∂h_{t-1}: through step t, plus its direct part
        if t in cuts:
            g.fill(0.0)
        else:
            np.matmul(dpreacts[t], W_hh_T, out=g)
        if direct is not None:
            g += direct[t - 1]
    H = W_hh.shape[0]
    D = cache.inputs.shape[2]
    dz_all = dpreacts.reshape(-1, H)  # (T·B, H)
    dW_hh = cache.h_init.T @ dpreacts[0]  # (H, H) the first step's h_{t-1} is h_init
    if T > 1:
        dW_hh += cache.states[:-1].reshape(-1, H).T @ dpreacts[1:].reshape(-1, H)
    return DirectionGrads(
        W_xh=cache.inputs.reshape(-1, D).T @ dz_all,  # (D, H)
        W_hh=dW_hh,
        b_h=dz_all.sum(axis=0),  # (H,)
        inputs=dpreacts @ W_xh.T if input_grads else None,  # (T, B, D)
        h_init=dpreacts[0] @ W_hh_T,  # (B, H)
        dstates=dstates,
    )
