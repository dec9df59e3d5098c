"""The Gradient Lab's short explanation, with the formulas rendered by ``st.latex``."""

from __future__ import annotations

import streamlit as st


def why_section() -> None:
    """What BPTT multiplies, why ρ matters, and why saturation makes it worse, in plain words."""
    st.markdown(
        "**What backpropagation through time multiplies.** The gradient that reaches step *t* "
        "from the loss at the last step *T* is passed back one step at a time, and every step "
        "multiplies it by the same kind of matrix, the step Jacobian $J_k$:"
    )
    st.latex(
        r"\frac{\partial L}{\partial h_t} = \frac{\partial L}{\partial h_T}\,"
        r"J_T\, J_{T-1} \cdots J_{t+1}, \qquad "
        r"J_k = \operatorname{diag}\big(f'(z_k)\big)\, W_{hh}^{\top}"
    )
    st.markdown(
        "($J_k = \\partial h_k / \\partial h_{k-1}$, the step Jacobian, with gradients as row "
        "vectors, in this app's convention $h_k = f(x_k W_{xh} + h_{k-1} W_{hh} + b)$; in the "
        "usual column form $h_k = f(W h_{k-1} + U x_k + b)$ it is "
        "$\\operatorname{diag}(f'(z_k))\\,W$.)"
    )
    st.markdown(
        "**Why the spectral radius ρ matters.** Multiply by the same matrix T − t times and its "
        "largest eigenvalues take over. For a linear RNN with $W_{hh} = \\rho Q$ ($Q$ "
        "orthogonal, so it keeps lengths) this is exact:"
    )
    st.latex(
        r"\left\lVert \frac{\partial L}{\partial h_t} \right\rVert = \rho^{\,T-t}\,"
        r"\left\lVert \frac{\partial L}{\partial h_T} \right\rVert"
    )
    st.markdown(
        "ρ = 0.9 leaves 0.9⁵⁰ ≈ 0.005 of the gradient 50 steps back: the error signal from "
        "that far is 200 times weaker than the recent one and drowned by it, so long memories "
        "are learned slowly, if at all. ρ = 1.1 gives ×117: updates blow up."
    )
    st.markdown(
        "**Why tanh's saturation shrinks it further.** With a nonlinearity, each step also "
        "multiplies by the slopes $f'(z_k)$, and $|f'| \\le \\gamma$ ($\\gamma = 1$ for tanh, "
        "ReLU, leaky ReLU and linear, $1/4$ for sigmoid, about 1.1 for swish). So"
    )
    st.latex(
        r"\left\lVert \frac{\partial h_T}{\partial h_t} \right\rVert \le "
        r"\big(\gamma\, \sigma_{\max}(W_{hh})\big)^{T-t}"
    )
    st.markdown(
        "and when units saturate (tanh, sigmoid: large |z|) or switch off (ReLU: z < 0), the "
        "dark cells of the saturation map, the product shrinks much faster than the bound. If "
        "$\\gamma\\,\\sigma_{\\max} < 1$ the gradient *must* vanish. σ_max, one step's largest "
        "stretch, can be far above ρ, so the bound is often loose. With an orthogonal W_hh, "
        "over many steps the gradient goes roughly like $(\\text{rms}|f'|\\,\\rho)^{T-t}$, "
        "with the root-mean-square slope $\\text{rms}|f'| = \\sqrt{\\text{mean}\\,f'^2}$: "
        "each step scales each unit's share of the gradient by that unit's slope, so ReLU's "
        "slopes of 1 and 0 keep √½ ≈ 0.71 of its length, not ½. A large γ is not a typical "
        "slope: swish's slope near 0 is ½, so it keeps less of the gradient than tanh.\n\n"
        "**What helps, and what it leaves.** Orthogonal or identity initialisation makes "
        "ρ = σ_max = 1, which removes W_hh's own shrinking; the slopes remain, so with tanh "
        "the gradient still fades where units saturate. ReLU's slope is 1 only on active "
        "units, and about half are off at each step, so ReLU alone does not help. It does "
        "with W_hh = I and zero biases, the IRNN: an active unit passes its gradient back "
        "unchanged, and units switch off only where an input pushes them below 0, mostly in "
        "the first steps while the state is still near 0. Gradient clipping deals with the "
        "opposite problem."
    )
