"""The test suite's settings (pytest-django's DJANGO_SETTINGS_MODULE in pyproject.toml).

Alexi's own settings with ALEXI_TESTING turned on, which relaxes what a test run cannot give
(no SECRET_KEY needed, no https redirect, the in-memory cache, Celery tasks run in process,
emails sent within the request). It is set in the environment, so a process that a test starts
would inherit it: tests/processes.py gives such a process the environment without it.
"""

import os

os.environ["ALEXI_TESTING"] = "true"

from alexi.settings import *  # noqa: E402, F403
