"""The Gradient Lab's instant measurement: how far back can the gradient reach, and why.

For a freshly initialised RNN (no training) and a batch of random inputs, measure the
gradient that reaches each step, ‖∂L/∂h_t‖ / ‖∂L/∂h_T‖, and lay the theory next to it:

- linear f and W_hh = ρ·Q (Q orthogonal): exactly ρ^(T−t);
- always the bound (γ · σ_max(W_hh))^(T−t), since every backward step multiplies by
  diag(f'(z_t)) · W_hhᵀ (this engine's row-vector form) and |f'| ≤ γ (1 for tanh and ReLU,
  1/4 for sigmoid). σ_max is one step's largest stretch, so the bound can sit far above;
- and the rough estimate (rms|f'| · ρ)^(T−t): over many steps a matrix power shrinks or
  grows like ρ^k, not σ_max^k, and each backward step scales unit i's share of the gradient
  by its slope f'_i, so the squared length goes down by mean(f'²), not mean|f'|²: the
  root-mean-square slope counts. For ReLU that is √½ ≈ 0.71, not ½ (a mean-slope estimate
  sat up to 10⁸ below the measured reach), which is why ReLU gradients grow only once
  ρ > √2. It assumes an orthogonal W_hh that mixes the units from step to step, so it is
  drawn only for the orthogonal init (and for a linear RNN, where it is ρ^(T−t), the exact
  long-run rate). Elsewhere it can miss by orders of magnitude: one step of another W_hh can
  stretch far more than ρ (swish with Xavier at ρ = 1.5 grew 10⁹ above it), and W_hh = ρ·I
  never mixes the units, so each keeps its own product of slopes.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from .diagnostics import connectivity, recurrent_spectrum
from .model import RNN
from .wording import count

Array = np.ndarray
VERDICT_DISTANCE = 50
BATCH = 16


@dataclass(frozen=True)
class LabMeasurement:
    """Everything the instant lab draws, for one setting of the controls."""

    distance: Array  # (T,) T − t for t = 1 … T, i.e. T−1 … 0
    measured: Array  # (T,) ‖∂L/∂h_t‖ / ‖∂L/∂h_T‖
    exact: Array | None  # (T,) ρ^(T−t) for linear + orthogonal, else None
    bound: Array  # (T,) (γ · σ_max)^(T−t), never below the measured curve
    estimate: Array | None  # (T,) (rms|f'| · ρ)^(T−t); only orthogonal W_hh or linear f
    gamma: float
    rms_fprime: float  # √mean(f'²) over samples, steps and units
    spectral_radius: float
    sigma_max: float
    eigenvalues: Array  # (H,) complex
    fprime_map: Array  # (T, H) f'(z_t) for the first sample
    connectivity: Array  # (T,) ‖∂ŷ_T/∂x_t‖
    verdict: str


def _verdict(measured: Array) -> str:
    k = min(VERDICT_DISTANCE, len(measured) - 1)
    ratio = float(measured[-1 - k])
    back = f"the gradient from {count(k, 'step')} back"
    if not np.isfinite(ratio):
        return f"exploding: {back} overflowed"
    if ratio == 0.0:
        return f"vanishing: {back} underflowed to 0"
    if ratio < 1e-2:
        return f"vanishing: {back} is {ratio:.1e} of the last step's"
    if ratio > 1e2:
        # Said aloud in class: "about 9,100 times" reads better than "×9.1e+03".
        times = f"about {float(f'{ratio:.2g}'):,.0f}×" if ratio < 1e6 else f"×{ratio:.1e}"
        return f"exploding: {back} is {times} the last step's"
    # Within a factor of 100 either way, but a factor of 22 is no "stable" to a student. No
    # extrapolation to longer sequences: the loss need not be a rate per step (an IRNN loses
    # its gradient mostly in the first steps, where the state is still near 0).
    if ratio > 2:
        return f"growing: {back} is ×{ratio:.2g} the last step's"
    if ratio < 0.5:
        return f"fading: {back} is ×{ratio:.2g} the last step's"
    return f"stable: {back} is ×{ratio:.2g} the last step's"


def measure(
    *,
    length: int,
    hidden_size: int,
    activation: str,
    init: str,
    spectral_radius: float | None,
    seed: int = 0,
) -> LabMeasurement:
    """Build the RNN the controls describe and measure its gradient reach on random inputs."""
    model = RNN(1, hidden_size, 1, activation=activation, init=init,
                spectral_radius=spectral_radius, seed=seed)  # fmt: skip
    rng = np.random.default_rng(seed)
    X = rng.standard_normal((BATCH, length, 1))  # (B, T, 1)
    with np.errstate(all="ignore"):
        res = model.loss_and_grads(X, rng.standard_normal((BATCH, 1)))
        norms = res.dh_norms["layer0"]  # (T,) ‖∂L/∂h_t‖
        measured = norms / norms[-1]
        fprime = model.activation.derivative(res.preacts["layer0"])  # (B, T, H)
        reach = connectivity(model, X)
    spectrum = recurrent_spectrum(model)
    distance = np.arange(length - 1, -1, -1)  # T − t
    rms_fprime = float(np.sqrt(np.mean(np.square(fprime))))
    with np.errstate(over="ignore"):
        power = distance.astype(np.float64)
        exact = spectrum.spectral_radius**power
        bound = (model.activation.gamma * spectrum.sigma_max) ** power
        estimate = (rms_fprime * spectrum.spectral_radius) ** power
    return LabMeasurement(
        distance=distance,
        measured=measured,
        exact=exact if activation == "linear" and init == "orthogonal" else None,
        bound=bound,
        estimate=estimate if init == "orthogonal" or activation == "linear" else None,
        gamma=model.activation.gamma,
        rms_fprime=rms_fprime,
        spectral_radius=spectrum.spectral_radius,
        sigma_max=spectrum.sigma_max,
        eigenvalues=spectrum.eigenvalues,
        fprime_map=fprime[0],
        connectivity=reach,
        verdict=_verdict(measured),
    )
