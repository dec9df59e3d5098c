"""Home: what RNN Lab is and what exists so far."""

import streamlit as st

st.title("RNN Lab")
st.markdown(
    """
Train a from-scratch NumPy recurrent network and **see** why it learns or fails: loss curves,
hidden states, gradient norms through time and predictions against the truth.

**Available now:** the engine, `rnn_core` — an exact, batch-vectorised vanilla RNN with
truncated BPTT, five optimizers, gradient clipping, a divergence guard and teaching
diagnostics (spectra, Jacobian norms ‖∂h_T/∂h_t‖, connectivity, saturation), and its datasets
(sum, sine, sin+cos, Seattle weather, the adding problem, your own CSV), usable from Python.

**Coming next:** the live Train page and the Gradient Lab.
"""
)
