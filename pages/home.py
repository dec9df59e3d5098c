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

**Teaching a class?** At full speed the sine wave is learnt in seconds: set the Train
page's **Training pace** (top of the sidebar) to 1 step/s and its fit takes shape over about 40 s
while you talk (5 steps/s suits longer tasks), or press **Step** for ten steps at a time.
The Train page's share box and the Gradient Lab's address carry their settings, lesson
included: send the link and every student opens the same setup.

Under the hood is a plain recurrent network written from scratch in NumPy (no deep-learning
library), with the usual optimizers, gradient clipping and a guard that stops training when
the numbers blow up. Its data: a sine wave, a sin + cos mixture, the sum of a sequence, real
Seattle weather, the adding problem (a memory test), a counting task, or your own CSV.
"""
)
# Each page: a short link that fits a phone's width, and what it is for under it (a long link
# text is cut off on a narrow screen).
PAGES = (
    ("pages/train.py", "Train", ":material/monitoring:",
     "Pick data and settings, press Train, watch the network learn."),
    ("pages/gradient_lab.py", "Gradient Lab", ":material/science:",
     "Make gradients vanish and explode, measured against the theory."),
    ("pages/datasets.py", "Datasets", ":material/table_chart:",
     "Look at the data, or upload your own CSV."),
    ("pages/compare.py", "Compare", ":material/compare_arrows:",
     "Overlay this session's runs and see which settings differ."),
)  # fmt: skip
for path, title, icon, purpose in PAGES:
    st.page_link(path, label=f"**{title}**", icon=icon)
    st.caption(purpose)
