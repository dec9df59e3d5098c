"""Hidden-state nonlinearities f, their derivatives f'(z) and their bounds γ = sup|f'|.

Backpropagation through time multiplies one factor ``diag(f'(z_t)) · W_hhᵀ`` per step, so γ
is what turns a bound on W_hh's largest singular value into a bound on the gradient: with
σ_max(W_hh) · γ < 1 gradients must vanish (Pascanu, Mikolov & Bengio 2013).

Every derivative is taken at the *pre-activation* z (a common bug, e.g. in seed 001, is to
evaluate swish's derivative at the output h). ``derivative_from`` is the same number computed
from whichever of (z, h) is cheaper; the engine uses it, the tests check it equals
``derivative``.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from functools import cached_property

import numpy as np

Array = np.ndarray

LEAKY_SLOPE = 0.01


def _sigmoid(z: Array) -> Array:
    """Logistic function, computed without overflow for large |z|."""
    return 0.5 * (1.0 + np.tanh(0.5 * z))


@dataclass(frozen=True)
class Activation:
    """A nonlinearity with its derivative and its derivative bound γ = sup_z |f'(z)|."""

    name: str
    function: Callable[[Array], Array]
    derivative: Callable[[Array], Array]
    gamma: float
    fast_derivative: Callable[[Array, Array], Array] | None = None
    fast_into: Callable[[Array, Array], object] | None = None
    fast_derivative_into: Callable[[Array, Array, Array], object] | None = None

    def __call__(self, z: Array) -> Array:
        """Apply f elementwise."""
        return self.function(z)

    @cached_property
    def into(self) -> Callable[[Array, Array], object]:
        """``into(z, out)`` writes f(z) into ``out``: the ufunc itself where there is one.

        A property rather than a method so that the forward time loop calls the ufunc
        directly, without a Python frame in between.
        """
        if self.fast_into is not None:
            return self.fast_into
        function = self.function
        return lambda z, out: np.copyto(out, function(z))

    def derivative_from(self, z: Array, h: Array) -> Array:
        """f'(z), using the output h = f(z) when that saves recomputing f."""
        if self.fast_derivative is None:
            return self.derivative(z)
        return self.fast_derivative(z, h)

    @cached_property
    def derivative_into(self) -> Callable[[Array, Array, Array], object]:
        """``derivative_into(z, h, out)`` writes f'(z) into ``out`` (h = f(z) may save work).

        Without a temporary where the activation allows it (tanh); a property like ``into``,
        so that the backward pass calls the function itself.
        """
        if self.fast_derivative_into is not None:
            return self.fast_derivative_into
        derivative_from = self.derivative_from
        return lambda z, h, out: np.copyto(out, derivative_from(z, h))


def _tanh_derivative_into(z: Array, h: Array, out: Array) -> None:
    np.multiply(h, h, out)  # 1 − h², in place
    np.subtract(1.0, out, out)


def _swish_derivative(z: Array) -> Array:
    s = _sigmoid(z)
    return s * (1.0 + z * (1.0 - s))  # d/dz [z·σ(z)] = σ + z·σ·(1 − σ)


def _swish_gamma() -> float:
    """sup|swish'| ≈ 1.0998, reached near z ≈ 2.40; found on a fine grid once at import."""
    z = np.linspace(-10.0, 10.0, 200_001)
    return float(np.abs(_swish_derivative(z)).max())


ACTIVATIONS: dict[str, Activation] = {
    a.name: a
    for a in (
        Activation(
            "tanh",
            np.tanh,
            lambda z: 1.0 - np.tanh(z) ** 2,
            1.0,
            lambda z, h: 1.0 - h * h,
            np.tanh,
            _tanh_derivative_into,
        ),
        Activation(
            "sigmoid",
            _sigmoid,
            lambda z: _sigmoid(z) * (1.0 - _sigmoid(z)),
            0.25,
            lambda z, h: h * (1.0 - h),
        ),
        Activation(
            "relu",
            lambda z: np.maximum(z, 0.0),
            lambda z: (z > 0).astype(z.dtype),
            1.0,
            None,
            lambda z, out: np.maximum(z, 0.0, out=out),
        ),
        Activation(
            "leaky_relu",
            lambda z: np.where(z > 0, z, LEAKY_SLOPE * z),
            lambda z: np.where(z > 0, 1.0, LEAKY_SLOPE).astype(z.dtype),
            1.0,
        ),
        Activation("swish", lambda z: z * _sigmoid(z), _swish_derivative, _swish_gamma()),
        Activation(
            "linear",
            lambda z: z.copy(),
            lambda z: np.ones_like(z),
            1.0,
            None,
            lambda z, out: np.copyto(out, z),
        ),
    )
}


def get_activation(name: str) -> Activation:
    """Look an activation up by name, with an error that lists the valid names."""
    try:
        return ACTIVATIONS[name]
    except KeyError:
        valid = ", ".join(ACTIVATIONS)
        raise ValueError(f"activation must be one of {valid}; got {name!r}") from None
