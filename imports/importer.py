"""Import a folder of CSV files (moving into parts; see the next commit)."""

from imports.checks import *  # noqa: F403
