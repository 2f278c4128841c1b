"""Casework pages (moving into parts; see the next commit)."""

from casework.views.case_page import *  # noqa: F403
