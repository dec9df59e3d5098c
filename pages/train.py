"""Train: pick data and hyperparameters, press Train, watch the RNN learn."""

import streamlit as st

from dashboard import live_controls, train_settings, train_view
from dashboard.entry import enter_page
from dashboard.widgets import run_config_from_sidebar

enter_page()

st.title("Train")
st.caption(
    "A from-scratch NumPy RNN, trained live. Loss is the mean squared error over all outputs "
    "(like `torch.nn.MSELoss`) on the targets as the network sees them (scaled for the weather "
    "and CSV series); the prediction chart shows real units."
)
train_settings.restore_from_link()
train_settings.csv_link_notice()
train_settings.presets_box()
# Near the top: Home sends a teacher to it, and it was the last of 20 controls, two screens
# down the sidebar.
live_controls.pace_control()
config = run_config_from_sidebar()
chart_seconds = live_controls.chart_refresh_control()
train_settings.share_link(config)
train_view.controls(config)
train_view.live_view(chart_seconds)
# Below the charts: above them it pushed the loss chart toward the bottom of a projector.
train_view.exports_panel(config)
