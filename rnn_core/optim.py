"""Optimizers and gradient clipping, with PyTorch's update rules so results transfer.

Every optimizer updates the parameter dict in place from a gradient dict with the same keys.
Weight decay is the classic L2 form (``g += weight_decay · p``), as in ``torch.optim``.
"""

from __future__ import annotations

import math
from collections.abc import Mapping
from dataclasses import dataclass

import numpy as np

from .norms import squared_norms

Array = np.ndarray
OPTIMIZERS = ("sgd", "momentum", "nesterov", "rmsprop", "adam")
CLIP_MODES = ("norm", "value")


def _positive(name: str, value: float, *, allow_zero: bool = False) -> float:
    ok = np.isfinite(value) and (value >= 0 if allow_zero else value > 0)
    if not ok:
        bound = "≥ 0" if allow_zero else "> 0"
        raise ValueError(f"{name} must be a finite number {bound}; got {value!r}")
    return float(value)


def _fraction(name: str, value: float) -> float:
    if not (np.isfinite(value) and 0 <= value < 1):
        raise ValueError(f"{name} must be in [0, 1); got {value!r}")
    return float(value)


class Optimizer:
    """Base class: validated learning rate and weight decay, per-parameter state."""

    def __init__(self, lr: float, weight_decay: float = 0.0) -> None:
        self.lr = _positive("lr", lr)
        self.weight_decay = _positive("weight_decay", weight_decay, allow_zero=True)
        self.state: dict[str, dict[str, Array]] = {}
        self.steps = 0

    def step(self, params: dict[str, Array], grads: Mapping[str, Array]) -> None:
        """Apply one update to every parameter in place."""
        self.steps += 1
        for name, p in params.items():
            self._apply(name, p, grads[name])

    def update(self, vector: Array, grad_vector: Array) -> None:
        """One update of every parameter at once, all held in one flat vector, in place.

        The rules are elementwise, so this equals ``step`` on the named views; a trainer uses
        it so that an update costs a few NumPy calls whatever the number of parameters. Use
        either ``step`` or ``update`` with one optimizer (its state is kept per name).
        """
        self.steps += 1
        self._apply("all", vector, grad_vector)

    def max_change(self, grad_norm: float) -> float | None:
        """A bound on how far the next update moves any weight, from the gradient's 2-norm.

        None when this optimizer cannot say without looking at its state (the default).
        """
        return None

    def _apply(self, name: str, p: Array, g: Array) -> None:
        if self.weight_decay:
            g = g + self.weight_decay * p
        self._update(name, p, g)

    def _update(self, name: str, p: Array, g: Array) -> None:
        raise NotImplementedError

    def _buffer(self, name: str, key: str, like: Array) -> Array:
        slots = self.state.setdefault(name, {})
        if key not in slots:
            slots[key] = np.zeros_like(like)
        return slots[key]


class SGD(Optimizer):
    """SGD with optional (Nesterov) momentum: ``v = μ·v + g``; ``p -= lr·v`` (or ``g + μ·v``)."""

    def __init__(
        self,
        lr: float = 0.01,
        momentum: float = 0.0,
        *,
        nesterov: bool = False,
        weight_decay: float = 0.0,
    ) -> None:
        super().__init__(lr, weight_decay)
        self.momentum = _fraction("momentum", momentum)
        if nesterov and self.momentum == 0:
            raise ValueError("nesterov momentum needs momentum > 0")
        self.nesterov = nesterov

    def max_change(self, grad_norm: float) -> float | None:
        """Plain SGD moves each weight by lr·|g_i| ≤ lr·‖g‖₂; with momentum or decay: None.

        The bound is this class's update rule: a subclass that changes ``_update`` must
        override it (or return None), or the trainer would skip checks it needs.
        """
        if self.momentum or self.weight_decay:
            return None
        return self.lr * grad_norm

    def _update(self, name: str, p: Array, g: Array) -> None:
        if self.momentum == 0:
            p -= self.lr * g
            return
        v = self._buffer(name, "momentum", p)
        if self.steps == 1:
            v[...] = g  # PyTorch starts the buffer at the first gradient
        else:
            v *= self.momentum
            v += g
        p -= self.lr * (g + self.momentum * v if self.nesterov else v)


class RMSprop(Optimizer):
    """RMSprop: ``s = α·s + (1 − α)·g²``; ``p -= lr·g / (√s + ε)``."""

    def __init__(
        self, lr: float = 0.01, alpha: float = 0.99, eps: float = 1e-8, *, weight_decay: float = 0.0
    ) -> None:
        super().__init__(lr, weight_decay)
        self.alpha = _fraction("alpha", alpha)
        self.eps = _positive("eps", eps)

    def _update(self, name: str, p: Array, g: Array) -> None:
        s = self._buffer(name, "square_avg", p)
        s *= self.alpha
        s += (1 - self.alpha) * g * g
        p -= self.lr * g / (np.sqrt(s) + self.eps)


class Adam(Optimizer):
    """Adam with bias correction (Kingma & Ba 2015), PyTorch's defaults."""

    def __init__(
        self,
        lr: float = 1e-3,
        betas: tuple[float, float] = (0.9, 0.999),
        eps: float = 1e-8,
        *,
        weight_decay: float = 0.0,
    ) -> None:
        super().__init__(lr, weight_decay)
        self.beta1 = _fraction("betas[0]", betas[0])
        self.beta2 = _fraction("betas[1]", betas[1])
        self.eps = _positive("eps", eps)

    def _update(self, name: str, p: Array, g: Array) -> None:
        m = self._buffer(name, "exp_avg", p)
        v = self._buffer(name, "exp_avg_sq", p)
        m *= self.beta1
        m += (1 - self.beta1) * g
        v *= self.beta2
        v += (1 - self.beta2) * g * g
        m_hat_scale = 1.0 / (1 - self.beta1**self.steps)
        v_hat_scale = 1.0 / (1 - self.beta2**self.steps)
        p -= self.lr * (m * m_hat_scale) / (np.sqrt(v * v_hat_scale) + self.eps)


def make_optimizer(name: str, lr: float, *, weight_decay: float = 0.0, momentum: float = 0.9):
    """Build an optimizer by name: sgd, momentum, nesterov, rmsprop or adam."""
    if name == "sgd":
        return SGD(lr, weight_decay=weight_decay)
    if name in ("momentum", "nesterov"):
        return SGD(lr, momentum, nesterov=name == "nesterov", weight_decay=weight_decay)
    if name == "rmsprop":
        return RMSprop(lr, weight_decay=weight_decay)
    if name == "adam":
        return Adam(lr, weight_decay=weight_decay)
    raise ValueError(f"optimizer must be one of {', '.join(OPTIMIZERS)}; got {name!r}")


def global_norm(grads: Mapping[str, Array]) -> float:
    """‖g‖₂ over all gradients together, as if they were one flat vector."""
    return math.sqrt(sum(squared_norms(grads).values()))


def clip_grad_norm(
    grads: Mapping[str, Array], max_norm: float, total: float | None = None
) -> float:
    """Scale all gradients in place so their global norm is at most ``max_norm``.

    ``torch.nn.utils.clip_grad_norm_`` semantics: the factor is
    ``min(1, max_norm / (norm + 1e-6))`` and the *pre-clip* norm is returned. ``total`` is
    that norm when the caller has it already. A NaN norm makes a NaN factor, which PyTorch
    applies: every gradient becomes NaN, so no caller mistakes a broken gradient for a usable
    one (``coef < 1`` alone is False for NaN and would leave it untouched).
    """
    total = global_norm(grads) if total is None else total
    coef = _positive("max_norm", max_norm) / (total + 1e-6)
    if not coef >= 1.0:  # below 1, or NaN
        for g in grads.values():
            g *= coef
    return total


def clip_grad_value(
    grads: Mapping[str, Array], clip_value: float, total: float | None = None
) -> float:
    """Clamp every gradient element to [−clip_value, clip_value] in place; returns pre-clip norm."""
    total = global_norm(grads) if total is None else total
    c = _positive("clip_value", clip_value)
    for g in grads.values():
        np.clip(g, -c, c, out=g)
    return total


@dataclass(frozen=True)
class Clipping:
    """A clipping rule chosen in the UI: ``mode`` is ``"norm"`` or ``"value"``."""

    mode: str
    threshold: float

    def __post_init__(self) -> None:
        """Validate mode and threshold with messages that say what is allowed."""
        if self.mode not in CLIP_MODES:
            raise ValueError(
                f"clipping mode must be one of {', '.join(CLIP_MODES)}; got {self.mode!r}"
            )
        _positive("clipping threshold", self.threshold)

    def apply(self, grads: Mapping[str, Array], total: float | None = None) -> float:
        """Clip in place; returns the pre-clip global norm (``total``, if already known)."""
        clip = clip_grad_norm if self.mode == "norm" else clip_grad_value
        return clip(grads, self.threshold, total)
