"""Gradient Lab: make vanishing and exploding gradients happen, measured against the theory."""

import streamlit as st

from dashboard import lab_experiments, lab_link, lab_view
from dashboard.entry import enter_page
from dashboard.lab_text import why_section

enter_page()
lab_link.restore_lab_from_link()

st.title("Gradient Lab")
st.caption(
    "Why recurrent networks forget and blow up, measured on real models next to the theory "
    "(Pascanu, Mikolov & Bengio 2013)."
)
lab_view.lessons_bar()
section = st.radio("Section", lab_view.SECTIONS, horizontal=True, key="lab_section")
{
    "Instant lab": lab_view.instant_lab,
    "Cliff and clipping": lab_view.cliff_section,
    # A lesson asking about it has put the button and the loss chart by its question.
    "Exploding in action": lambda: lab_experiments.exploding_section(
        lesson_above=lab_view.lesson_here() is not None
    ),
    "Adding problem": lab_experiments.adding_section,
    "Why": why_section,
}[section]()
lab_link.follow_controls()
