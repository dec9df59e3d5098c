"""Weight initialisations people meet in practice, and a rescale of W_hh to a spectral radius.

The recurrent matrix's spectrum decides whether gradients vanish or explode, so each scheme
is named after where it comes from:

- ``small_normal``: ``randn · 0.01`` as in seed notebooks 000/004 (radius ≈ 0.01·√H: vanishing).
- ``torch_uniform``: PyTorch's ``nn.RNN`` default: U(−1/√H, 1/√H) for W_xh and W_hh, and
  ``b_h`` the sum of two such draws, because it stands for PyTorch's two biases b_ih + b_hh;
  the head is an ``nn.Linear``, U(±1/√fan_in). Spectral radius ≈ 0.6 for large H.
- ``xavier``: Glorot uniform U(±√(6/(fan_in + fan_out))) for every matrix, zero biases.
- ``orthogonal``: W_hh orthogonal (all singular values 1, Keras' recurrent default), the other
  matrices Glorot uniform, zero biases.
- ``identity``: the IRNN of Le, Jaitly & Hinton (2015): W_hh = I, zero biases, the other
  matrices N(0, 0.001²).
"""

from __future__ import annotations

import numpy as np

Array = np.ndarray

INITS = ("small_normal", "torch_uniform", "xavier", "orthogonal", "identity")


def spectral_radius(W: Array) -> float:
    """Largest |λ| over the eigenvalues of a square matrix."""
    return float(np.abs(np.linalg.eigvals(W)).max())


def _glorot(rng: np.random.Generator, fan_in: int, fan_out: int) -> Array:
    limit = np.sqrt(6.0 / (fan_in + fan_out))
    return rng.uniform(-limit, limit, size=(fan_in, fan_out))


def _orthogonal(rng: np.random.Generator, n: int) -> Array:
    """Haar-random orthogonal matrix: QR of a Gaussian with R's diagonal signs fixed."""
    q, r = np.linalg.qr(rng.standard_normal((n, n)))
    return q * np.sign(np.diag(r))  # (n, n)


def recurrent_layer(
    rng: np.random.Generator, scheme: str, input_size: int, hidden_size: int
) -> dict[str, Array]:
    """W_xh (D, H), W_hh (H, H) and b_h (H,) for one direction of one layer, in float64."""
    D, H = input_size, hidden_size
    if scheme == "small_normal":
        return {
            "W_xh": rng.standard_normal((D, H)) * 0.01,
            "W_hh": rng.standard_normal((H, H)) * 0.01,
            "b_h": np.zeros(H),
        }
    if scheme == "torch_uniform":
        k = 1.0 / np.sqrt(H)
        return {
            "W_xh": rng.uniform(-k, k, size=(D, H)),
            "W_hh": rng.uniform(-k, k, size=(H, H)),
            # PyTorch has two biases (b_ih + b_hh); their sum has the same mean and twice the
            # variance of one U(±k) draw, which is what we draw here.
            "b_h": rng.uniform(-k, k, size=H) + rng.uniform(-k, k, size=H),
        }
    if scheme == "xavier":
        return {"W_xh": _glorot(rng, D, H), "W_hh": _glorot(rng, H, H), "b_h": np.zeros(H)}
    if scheme == "orthogonal":
        return {"W_xh": _glorot(rng, D, H), "W_hh": _orthogonal(rng, H), "b_h": np.zeros(H)}
    if scheme == "identity":
        return {
            "W_xh": rng.standard_normal((D, H)) * 0.001,
            "W_hh": np.eye(H),
            "b_h": np.zeros(H),
        }
    raise ValueError(f"init must be one of {', '.join(INITS)}; got {scheme!r}")


def output_layer(
    rng: np.random.Generator, scheme: str, feature_size: int, output_size: int
) -> dict[str, Array]:
    """W_hy (F, O) and b_y (O,) for the linear read-out, in float64."""
    F, O = feature_size, output_size
    if scheme == "small_normal":
        return {"W_hy": rng.standard_normal((F, O)) * 0.01, "b_y": np.zeros(O)}
    if scheme == "torch_uniform":
        k = 1.0 / np.sqrt(F)
        return {"W_hy": rng.uniform(-k, k, size=(F, O)), "b_y": rng.uniform(-k, k, size=O)}
    if scheme == "identity":
        return {"W_hy": rng.standard_normal((F, O)) * 0.001, "b_y": np.zeros(O)}
    if scheme in ("xavier", "orthogonal"):
        return {"W_hy": _glorot(rng, F, O), "b_y": np.zeros(O)}
    raise ValueError(f"init must be one of {', '.join(INITS)}; got {scheme!r}")


def rescale_to_radius(W_hh: Array, radius: float) -> Array:
    """W_hh scaled so that its spectral radius equals ``radius`` (same eigenvectors)."""
    current = spectral_radius(W_hh)
    if current < 1e-12:
        raise ValueError(
            "cannot rescale W_hh to a spectral radius: its current radius is 0 "
            "(choose another init)"
        )
    return W_hh * (radius / current)
