"""Compare: overlay this session's runs and see which settings differ."""

import streamlit as st

from dashboard.compare_view import compare_page
from dashboard.entry import require_app
from dashboard.persist import keep_control_values

require_app()
keep_control_values()

st.title("Compare runs")
compare_page()
