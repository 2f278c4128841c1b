"""The web server's own access log never holds a query string or a Referer (security review of
issue 13): a search is a GET (/search/?q=Jade+Smith 3/4/2011), so the request line, the query
and the page a link was followed from can carry a child's name and date of birth. Only the
access log in the database may hold what was searched for, where managers can see it. Every way
the project starts gunicorn with an access log gives a format of the path only (%(U)s)."""

from __future__ import annotations

import re
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
# gunicorn's atoms that carry the query string or another page's address.
LEAKING = {"r", "q", "f", "{referer}i", "{Referer}i"}


def _commands() -> list[tuple[str, str]]:
    """(file, gunicorn command) for every gunicorn start in the project's run files."""
    found: list[tuple[str, str]] = []
    for name in ("Makefile", "Dockerfile", "docker-compose.yml"):
        text = (ROOT / name).read_text()
        if name == "docker-compose.yml":
            # A YAML list of arguments: the block from "- gunicorn" to the next key.
            for block in re.findall(r"- gunicorn\n((?:\s+- .*\n)+)", text):
                found.append((name, "gunicorn " + " ".join(block.split())))
        else:
            for line in text.replace("\\\n", " ").splitlines():
                if "gunicorn" in line and "alexi.wsgi" in line:
                    found.append((name, line))
    return found


def test_every_gunicorn_access_log_has_a_format_without_the_query():
    commands = _commands()
    assert {name for name, _ in commands} == {"Makefile", "Dockerfile", "docker-compose.yml"}
    for name, command in commands:
        if "access-logfile" not in command:
            continue
        formats = re.findall(r"access-logformat[= ,\"']+(.*?%\(M\)sms)", command)
        assert formats, f"{name}: gunicorn's default access log format has the query: {command}"
        atoms = set(re.findall(r"%\(([^)]*)\)s", formats[0]))
        assert "U" in atoms and not atoms & LEAKING, (name, atoms)
