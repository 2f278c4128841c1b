"""Writes for casework (moving into parts; see the next commit)."""

from casework.services.sharing import *  # noqa: F403
