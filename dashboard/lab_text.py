"""The Gradient Lab's short explanation, with the formulas rendered by ``st.latex``."""

from __future__ import annotations

import streamlit as st


def why_section() -> None:
    """What BPTT multiplies, why ρ matters, and why saturation makes it worse, in plain words."""
    st.markdown(
        "**What backpropagation through time multiplies.** The gradient that reaches step *t* "
        "from the loss at the last step *T* is passed back one step at a time, and every step "
        "multiplies it by the same kind of matrix, the step Jacobian:"
    )
    st.latex(
        r"\frac{\partial L}{\partial h_t} = \frac{\partial L}{\partial h_T}"
        r"\prod_{k=t+1}^{T} \frac{\partial h_k}{\partial h_{k-1}}, \qquad"
        r"\frac{\partial h_k}{\partial h_{k-1}} = "
        r"\operatorname{diag}\big(f'(z_k)\big)\, W_{hh}^{\top}"
    )
    st.markdown(
        "(written for this app's row-vector convention $h_k = f(x_k W_{xh} + h_{k-1} W_{hh} + "
        "b)$; in the column form of Pascanu et al. it is $\\operatorname{diag}(f'(z_k))\\,W$.)"
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
        "ρ = 0.9 leaves 0.9⁵⁰ ≈ 0.005 of the gradient 50 steps back: the network cannot learn "
        "anything that needs a memory that long. ρ = 1.1 gives ×117: updates blow up."
    )
    st.markdown(
        "**Why tanh's saturation shrinks it further.** With a nonlinearity, each step also "
        "multiplies by the slopes $f'(z_k)$, and $|f'| \\le \\gamma$ ($\\gamma = 1$ for tanh "
        "and ReLU, $1/4$ for sigmoid). So"
    )
    st.latex(
        r"\left\lVert \frac{\partial h_T}{\partial h_t} \right\rVert \le "
        r"\big(\gamma\, \sigma_{\max}(W_{hh})\big)^{T-t}"
    )
    st.markdown(
        "and when units saturate (large |z|, slope near 0 — the dark cells of the saturation "
        "map) the product shrinks much faster than the bound. If $\\gamma\\,\\sigma_{\\max} < 1$ "
        "the gradient *must* vanish. The fixes you can try here: orthogonal or identity "
        "initialisation (ρ = 1), ReLU (slope exactly 1 where active), and gradient clipping "
        "against the opposite problem."
    )
