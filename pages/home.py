"""Home: what RNN Lab is, and where to go."""

import streamlit as st

from dashboard.entry import enter_page

enter_page()

st.title("RNN Lab")
st.markdown(
    """
Train a from-scratch NumPy recurrent network and **see** why it learns or fails: loss curves,
hidden states, gradient norms through time and predictions against the truth.

**New here?** Open **Train** and press **Train** with the settings it starts with: a
network learns to continue a sine wave. Then take the **Gradient Lab**'s lessons in order:
each asks you to predict, then shows what happens.

Under the hood is a plain recurrent network written from scratch in NumPy (no deep-learning
library), with the usual optimizers, gradient clipping and a guard that stops training when
the numbers blow up. Its data: a sine wave, a sin + cos mixture, the sum of a sequence, real
Seattle weather, the adding problem (a memory test), a counting task, or your own CSV.
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
