"""Home: what RNN Lab is, and where to go."""

import streamlit as st

from dashboard.entry import enter_page

enter_page()

st.title("RNN Lab")
st.markdown(
    """
Train a from-scratch NumPy recurrent network and **see** why it learns or fails: loss curves,
hidden states, gradient norms through time and predictions against the truth.

The engine, `rnn_core`, is an exact, batch-vectorised vanilla RNN with truncated BPTT, five
optimizers, gradient clipping, a divergence guard and teaching diagnostics; its datasets are
a sine wave, a sin + cos mixture, the sum of a sequence, real Seattle weather, the adding
problem and seed 001's counting task, or your own CSV.
"""
)
st.page_link(
    "pages/train.py",
    label="**Train** — pick data and settings, press Train, watch it learn",
    icon=":material/monitoring:",
)
st.page_link(
    "pages/gradient_lab.py",
    label="**Gradient Lab** — make gradients vanish and explode, measured against the theory",
    icon=":material/science:",
)
st.page_link(
    "pages/datasets.py",
    label="**Datasets** — look at the data, or upload your own CSV",
    icon=":material/table_chart:",
)
st.page_link(
    "pages/compare.py",
    label="**Compare** — overlay this session's runs and see which settings differ",
    icon=":material/compare_arrows:",
)
