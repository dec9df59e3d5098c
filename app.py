"""RNN Lab entry point: page config and navigation, nothing else (``streamlit run app.py``)."""

import streamlit as st

st.set_page_config(page_title="RNN Lab", page_icon="🔁", layout="wide")
st.navigation(
    [
        st.Page("pages/home.py", title="Home", icon="🏠", default=True),
        st.Page("pages/train.py", title="Train", icon="📈", url_path="train"),
    ]
).run()
