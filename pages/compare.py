"""Compare: overlay this session's runs and see which settings differ."""

import streamlit as st

from dashboard.compare_view import compare_page
from dashboard.entry import enter_page

enter_page()

st.title("Compare runs")
compare_page()
