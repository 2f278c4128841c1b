"""The environment for a process that a test starts as Alexi would run outside the tests."""

from __future__ import annotations

import os


def env_outside_tests(**extra: str) -> dict[str, str]:
    """This process's environment without pytest's variables and without ALEXI_TESTING (which
    tests/settings.py turns on for the test run only), on Alexi's own settings module."""
    env = {k: v for k, v in os.environ.items() if not k.startswith("PYTEST")}
    for name in ("DJANGO_ALLOW_ASYNC_UNSAFE", "ALEXI_TESTING"):
        env.pop(name, None)
    env["DJANGO_SETTINGS_MODULE"] = "alexi.settings"
    env.update(extra)
    return env
