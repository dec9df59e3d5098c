"""One direction of one recurrent layer: the forward time loop and its exact backward (BPTT).

Arrays here are *time-major* ``(T, B, H)`` so that each step touches contiguous memory; the
model converts to and from the batch-first public layout. Only the time loop is Python; all
parameter gradients are single matrix products over every (time, sample) pair at once.

Forward:   z_t = x_t @ W_xh + b_h + h_{t-1} @ W_hh,   h_t = f(z_t)

The input part is computed for every step at once as ``[x_t, 1] @ W_in`` with the input map
``W_in = [W_xh; b_h]`` ``(D+1, H)``: inputs carry a constant 1, so the bias is the last row of
the input weights and its gradient is the last row of one product.
Backward:  g_t = ∂L/∂h_t = (direct gradient at t) + (dz_{t+1} @ W_hh.T),  dz_t = g_t * f'(z_t)

Truncated BPTT drops the second term at the cut steps (``cut_steps``).

Every array is preallocated (``DirectionCache``, ``BackwardBuffers``) and every step writes
into it with ``out=``: a trainer that keeps its buffers pays for no allocation per step, which
on small models is most of the cost (each NumPy call costs about a microsecond whatever its
size). Products are written ``a.dot(b, out)``, not ``np.dot(a, b, out=out)``: the method is
the same C routine without the ``__array_function__`` dispatch, about 0.15 µs less per call.
"""

from __future__ import annotations

import numpy as np

from .activations import Activation

Array = np.ndarray


class DirectionCache:
    """What one direction's forward pass computed, kept for the backward pass.

    ``all_states[0]`` is the state before the first step and ``all_states[t + 1]`` is h_t, so
    the previous states of every step are one contiguous block (``all_states[:-1]``) and
    ``dW_hh`` is a single product.
    """

    def __init__(self, T: int, B: int, D: int, H: int, dtype: np.dtype) -> None:
        self.inputs_1 = np.ones((T, B, D + 1), dtype)  # (T, B, D+1) [x_t, 1], processing order
        self.inputs = self.inputs_1[:, :, :D]  # (T, B, D) view: the layer's inputs
        self.all_states = np.empty((T + 1, B, H), dtype)  # (T+1, B, H) h_init, h_0 … h_{T-1}
        self.preacts = np.empty((T, B, H), dtype)  # (T, B, H) z_t
        self.step_product = np.empty((B, H), dtype)  # (B, H) h_{t-1} @ W_hh, reused every step
        # Per-step (B, H) views made once: slicing in the time loop would cost a call per step.
        self.preact_steps = list(self.preacts)
        self.state_steps = list(self.all_states)
        # (z_t, h_{t-1}, h_t) of every step, in order: what the forward loop walks through.
        self.forward_steps = list(
            zip(self.preact_steps, self.state_steps[:-1], self.state_steps[1:], strict=True)
        )
        self.steps_after_first = self.forward_steps[1:]
        self.h_init = self.all_states[0]  # (B, H) the state before the first step
        self.zero_start = False  # whether h_init holds zeros (then a zero start skips a copy)
        self.states = self.all_states[1:]  # (T, B, H) h_t for every step (a view)
        # The same memory as rows over every (time, sample) pair, for the all-steps products.
        self.input_rows = self.inputs_1.reshape(T * B, D + 1)  # (T·B, D+1)
        self.preact_rows = self.preacts.reshape(T * B, H)  # (T·B, H)
        self.previous_rows = self.all_states[:T].reshape(T * B, H)  # (T·B, H) h_{t-1}
        self.state_rows = self.states.reshape(T * B, H)  # (T·B, H) h_t


class BackwardBuffers:
    """Work arrays of one direction's backward pass, ``(T, B, H)`` each."""

    def __init__(self, T: int, B: int, H: int, dtype: np.dtype) -> None:
        self.fprime = np.empty((T, B, H), dtype)  # f'(z_t)
        self.dpreacts = np.empty((T, B, H), dtype)  # ∂L/∂z_t
        self.dstates = np.empty((T, B, H), dtype)  # total ∂L/∂h_t
        self.step_product = np.empty((B, H), dtype)  # (B, H) ∂L/∂z_t @ W_hhᵀ, reused every step
        self.dpreact_rows = self.dpreacts.reshape(T * B, H)  # (T·B, H) the same memory as rows
        self.fprime_steps = list(self.fprime)  # per-step (B, H) views, made once
        self.dpreact_steps = list(self.dpreacts)
        self.dstate_steps = list(self.dstates)
        # (t, ∂L/∂h_t, f'(z_t), ∂L/∂z_t, ∂L/∂h_{t-1}) for t = T−1 … 1: the backward loop's walk.
        self.backward_steps = [
            (
                t,
                self.dstate_steps[t],
                self.fprime_steps[t],
                self.dpreact_steps[t],
                self.dstate_steps[t - 1],
            )
            for t in range(T - 1, 0, -1)
        ]


def with_ones(inputs: Array) -> Array:
    """Time-major inputs ``(T, N, D)`` as the rows ``[x_t, 1]`` ``(T, N, D+1)`` the layer reads.

    A trainer that keeps its epoch in this layout hands ``forward`` a minibatch whose copy is
    contiguous per step (``inputs_1``).
    """
    T, N, D = inputs.shape
    rows = np.ones((T, N, D + 1), inputs.dtype)  # (T, N, D+1)
    rows[:, :, :D] = inputs
    return rows


def forward(
    inputs: Array | None,
    W_in: Array,
    W_hh: Array,
    h_init: Array | None,
    act: Activation,
    cache: DirectionCache | None = None,
    inputs_1: Array | None = None,
) -> DirectionCache:
    """Run the recurrence over ``inputs (T, B, D)`` from ``h_init`` into ``cache``.

    ``W_in`` is the input map ``[W_xh; b_h]`` ``(D+1, H)``; ``h_init`` is ``(B, H)``, or
    anything that broadcasts to it (a learnt ``(H,)``), or None for zeros. ``inputs_1``
    may replace ``inputs``: the same inputs already as ``[x_t, 1]`` rows ``(T, B, D+1)``
    (``with_ones``), which copy about three times faster than ``inputs``' columns.

    A new cache is allocated when none is given; a reused one is overwritten.
    """
    if cache is None:
        T, B, D = inputs.shape if inputs_1 is None else (*inputs_1.shape[:2], W_in.shape[0] - 1)
        cache = DirectionCache(T, B, D, W_hh.shape[0], W_hh.dtype)
    if inputs_1 is None:
        np.copyto(cache.inputs, inputs)
    else:
        np.copyto(cache.inputs_1, inputs_1)
    if h_init is not None:
        np.copyto(cache.h_init, h_init)
        cache.zero_start = False
    elif not cache.zero_start:  # a reused cache that already starts at zero is left as it is
        cache.h_init.fill(0.0)
        cache.zero_start = True
    # The input part of every z_t in one product: (T·B, D+1) @ (D+1, H).
    cache.input_rows.dot(W_in, cache.preact_rows)
    add, into, product = np.add, act.into, cache.step_product
    steps = cache.forward_steps
    if h_init is None:  # h_{-1} = 0: the first step has no recurrent part to add
        z, _, h = steps[0]
        into(z, h)
        steps = cache.steps_after_first
    for z, h_prev, h in steps:
        h_prev.dot(W_hh, product)  # h_{t-1} @ W_hh
        add(z, product, z)
        into(z, h)
    return cache


NO_CUTS: frozenset[int] = frozenset()  # full BPTT


def cut_steps(T: int, window: int | None) -> frozenset[int]:
    """Steps s whose incoming state h_{s-1} is treated as a constant by truncated BPTT.

    The sequence is cut into windows of ``window`` steps counted back from the last step, so a
    many-to-one loss backpropagates exactly ``window`` steps and a many-to-many loss sends
    each step's error back only to the start of its window. Counting from the end differs
    from the usual PyTorch loop (``detach`` at k, 2k, … from the start) when T is not a
    multiple of k: T=11, k=4 cuts before steps 3 and 7, not 4 and 8. There is still one
    forward pass and one update per batch, not one per window.
    """
    if window is None or window >= T:
        return NO_CUTS
    return frozenset(range(T - window, 0, -window))


def backward(
    cache: DirectionCache,
    direct: Array | None,
    W_hh: Array,
    act: Activation,
    grads_out: tuple[Array, Array],
    *,
    final: Array | None = None,
    cuts: frozenset[int] = NO_CUTS,
    buffers: BackwardBuffers | None = None,
) -> BackwardBuffers:
    """BPTT through one direction given the gradient arriving directly at each h_t.

    ``direct (T, B, H)`` is ∂L/∂h_t from everything *outside* the recurrence (the head or the
    layer above), or None when only the last processed step receives one, ``final (B, H)``
    (a many-to-one read-out); the loop adds what flows back through later steps.

    Writes ∂L/∂W_in = [∂L/∂W_xh; ∂L/∂b_h] and ∂L/∂W_hh into the two arrays of ``grads_out``
    (shaped like ``W_in`` and ``W_hh``). Returns the buffers, whose
    ``dstates`` is ∂L/∂h_t and ``dpreacts`` is ∂L/∂z_t; see ``input_gradient`` and
    ``init_gradient`` for what flows out of the direction.
    """
    if buffers is None:
        buffers = BackwardBuffers(*cache.preacts.shape, W_hh.dtype)
    fprime, dpreacts, dstates = buffers.fprime_steps, buffers.dpreact_steps, buffers.dstate_steps
    act.derivative_into(cache.preacts, cache.states, buffers.fprime)  # (T, B, H) f'(z_t)
    W_hh_T = W_hh.T  # (H, H) a view: BLAS reads it transposed as fast as a contiguous copy
    # dstates starts as the direct part of every ∂L/∂h_t (one copy for all steps, none if the
    # caller wrote it there); the loop adds what flows back through the later steps.
    if direct is None:
        np.copyto(dstates[-1], final)
    else:
        if direct is not buffers.dstates:
            np.copyto(buffers.dstates, direct)
        if final is not None:
            dstates[-1] += final
    multiply, add, product = np.multiply, np.add, buffers.step_product
    if cuts:
        _backward_loop_with_cuts(buffers, W_hh_T, cuts, accumulate=direct is not None)
    elif direct is None:  # ∂L/∂h_{t-1} = ∂L/∂z_t @ W_hhᵀ: the product writes it
        for _, g, fp, dz, g_prev in buffers.backward_steps:
            multiply(g, fp, dz)  # (B, H) ∂L/∂z_t
            dz.dot(W_hh_T, g_prev)
    else:  # ∂L/∂h_{t-1} = its direct part + ∂L/∂z_t @ W_hhᵀ
        for _, g, fp, dz, g_prev in buffers.backward_steps:
            multiply(g, fp, dz)
            dz.dot(W_hh_T, product)
            add(g_prev, product, g_prev)
    multiply(dstates[0], fprime[0], dpreacts[0])
    dz_rows = buffers.dpreact_rows  # (T·B, H)
    dW_in, dW_hh = grads_out
    cache.input_rows.T.dot(dz_rows, dW_in)  # (D+1, H)
    cache.previous_rows.T.dot(dz_rows, dW_hh)  # (H, H)
    return buffers


def _backward_loop_with_cuts(
    buffers: BackwardBuffers, W_hh_T: Array, cuts: frozenset[int], *, accumulate: bool
) -> None:
    """The BPTT loop of truncated BPTT: nothing flows back through step t when t is a cut.

    ``accumulate``: dstates already hold each step's direct part, which the flow adds to.
    """
    product = buffers.step_product
    for t, g, fp, dz, g_prev in buffers.backward_steps:
        np.multiply(g, fp, dz)
        if t in cuts:
            if not accumulate:
                g_prev.fill(0.0)
        elif accumulate:
            dz.dot(W_hh_T, product)
            g_prev += product
        else:
            dz.dot(W_hh_T, g_prev)


def input_gradient(buffers: BackwardBuffers, W_xh: Array) -> Array:
    """∂L/∂x_t for every step, ``(T, B, D)`` in processing order."""
    return buffers.dpreacts @ W_xh.T


def init_gradient(buffers: BackwardBuffers, W_hh: Array) -> Array:
    """∂L/∂h_init, ``(B, H)``: what the first step passes back to the state before it."""
    return buffers.dpreacts[0] @ W_hh.T
