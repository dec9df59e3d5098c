"""The one-unit RNN with a cliff (Pascanu, Mikolov & Bengio 2013, §3 and Fig. 6).

    x_t = w·σ(x_{t−1}) + b,   x_0 = 0.5,   L(w, b) = (σ(x_T) − 0.7)²,  T = 50

For most (w, b) the loss surface is flat, but along a thin curve the dynamics switch between
two fixed points and the gradient is enormous: a wall. A plain gradient step taken on the wall
flies far away; a step clipped by norm keeps its length at ``lr · threshold``. Everything is
vectorised over arrays of w and b, so a whole grid is one call.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from .activations import get_activation

Array = np.ndarray
STEPS = 50
X0 = 0.5
TARGET = 0.7
W_RANGE = (4.0, 7.0)  # the part of the (w, b) plane the lab draws
B_RANGE = (-4.0, -1.5)
WALL_ROUNDS = 2  # grid refinements in find_wall: spacing 1e-4, then ~2e-8, then ~3e-12
_sigmoid = get_activation("sigmoid")


@dataclass(frozen=True)
class CliffPoint:
    """Loss and gradient at one or many (w, b), same shapes as w and b."""

    loss: Array
    dw: Array
    db: Array

    @property
    def grad_norm(self) -> Array:
        """‖(∂L/∂w, ∂L/∂b)‖."""
        return np.hypot(self.dw, self.db)


def loss_and_grad(w: Array | float, b: Array | float, steps: int = STEPS) -> CliffPoint:
    """L(w, b) and its exact gradient by BPTT through the scalar recursion."""
    w, b = np.broadcast_arrays(np.asarray(w, dtype=np.float64), np.asarray(b, dtype=np.float64))
    xs = [np.full(w.shape, X0)]  # x_0 … x_T, each shaped like w
    for _ in range(steps):
        xs.append(w * _sigmoid(xs[-1]) + b)
    s_T = _sigmoid(xs[-1])
    g = 2.0 * (s_T - TARGET) * _sigmoid.derivative(xs[-1])  # ∂L/∂x_T
    dw, db = np.zeros_like(w), np.zeros_like(w)
    for t in range(steps, 0, -1):
        dw += g * _sigmoid(xs[t - 1])  # x_t = w·σ(x_{t−1}) + b
        db += g
        g = g * w * _sigmoid.derivative(xs[t - 1])  # ∂L/∂x_{t−1}
    return CliffPoint(loss=(s_T - TARGET) ** 2, dw=dw, db=db)


def gradient_step(w: float, b: float, lr: float, clip: float | None = None) -> tuple[float, float]:
    """One gradient-descent step from (w, b), optionally clipped by norm (PyTorch's rule)."""
    p = loss_and_grad(w, b)
    dw, db = float(p.dw), float(p.db)
    if clip is not None:
        norm = float(np.hypot(dw, db))
        scale = min(1.0, clip / (norm + 1e-6))
        dw, db = dw * scale, db * scale
    return w - lr * dw, b - lr * db


def find_wall(
    w: float, low: float = B_RANGE[0], high: float = B_RANGE[1], points: int = 25_001
) -> float:
    """The b in [low, high] where the gradient is steepest at this w: the wall.

    The wall is about 1e-4 wide in b at w = 5 (1e-6 at w = 5.53, 0.02 at w = 4.5, 10–90 % of
    the loss step), so no grid finds it in one go: each round keeps the grid's steepest point
    and samples around it ``points`` times more finely, until the spacing is far below the
    wall's width.
    """
    b = np.linspace(low, high, points)  # (points,)
    for _ in range(WALL_ROUNDS):
        steepest = float(b[np.argmax(loss_and_grad(w, b).grad_norm)])
        spacing = b[1] - b[0]
        b = np.linspace(steepest - 2 * spacing, steepest + 2 * spacing, points)
    return float(b[np.argmax(loss_and_grad(w, b).grad_norm)])
