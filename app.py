"""RNN Lab entry point: page config and navigation, nothing else (``streamlit run app.py``)."""

import streamlit as st

from dashboard.entry import mark_app_ran

st.set_page_config(page_title="RNN Lab", page_icon="🔁", layout="wide")
mark_app_ran()
st.navigation(
    [
        st.Page("pages/home.py", title="Home", icon=":material/home:", default=True),
        st.Page("pages/train.py", title="Train", icon=":material/monitoring:", url_path="train"),
        st.Page(
            "pages/gradient_lab.py",
            title="Gradient Lab",
            icon=":material/science:",
            url_path="gradient_lab",
        ),
        st.Page(
            "pages/datasets.py",
            title="Datasets",
            icon=":material/table_chart:",
            url_path="datasets",
        ),
        st.Page(
            "pages/compare.py",
            title="Compare",
            icon=":material/compare_arrows:",
            url_path="compare",
        ),
    ]
).run()
