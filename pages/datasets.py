"""Datasets: look at the data before training: sequences, targets, splits, statistics."""

import streamlit as st

from dashboard import datasets_view
from dashboard.entry import enter_page

enter_page()

st.title("Datasets")
st.caption(
    "A series (sine, sin + cos, weather, your CSV) is split in time (70 / 15 / 15) before it "
    "is cut into windows, and the weather and CSV series are scaled with statistics of the "
    "training part only; separate sequences (sum, adding, counting) are split 70 / 15 / 15."
)
source = st.radio("Source", ("Built-in", "Your CSV"), horizontal=True, key="ds_source")
if source == "Built-in":
    datasets_view.built_in_section()
else:
    datasets_view.csv_section()
