"""Give the role the web and worker processes connect as exactly what they need, and no more.

    python manage.py grant_app_role alexi_app      # run as the owner, after every migrate
    python manage.py grant_app_role alexi_app --password-env APP_DB_PASSWORD

The owner role (which runs migrations) owns the tables and their triggers. The app role gets
to read and write rows, but it owns nothing: it cannot drop or disable the triggers that keep
the access log and quarterly returns append-only, cannot alter tables, and cannot update,
delete or truncate the access log, the returns or any history row. Idempotent.

History tables are found both from the models and, by name (`*_historical*`), in the
database itself, so a history table whose model has since gone is covered too. A table that a
later migration creates before this command is run again is readable and insertable only for
the app role (default privileges): no update or delete until the next run, so run this
after every `migrate` (docker-compose.yml's `migrate` service does).

With --password-env, a missing app role is created as a login role with the password held in
that environment variable (an existing one is given that password). The password reaches the
server already hashed (SCRAM-SHA-256), so it is never in the server's statement log.
"""

from __future__ import annotations

import base64
import hashlib
import hmac
import os
import secrets

from django.apps import apps
from django.core.management.base import BaseCommand, CommandError
from django.db import connection, transaction
from psycopg import sql

# Rows that are only ever added: the app role may read and insert them, nothing else.
APPEND_ONLY = ("alexi_accesslog", "reporting_quarterlyreturn")

SCRAM_ITERATIONS = 4096  # PostgreSQL's own default (scram_iterations)


def history_tables_in_database() -> list[str]:
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT tablename FROM pg_tables "
            "WHERE schemaname = current_schema() AND tablename LIKE '%\\_historical%'"
        )
        return [row[0] for row in cursor.fetchall()]


def append_only_tables() -> list[str]:
    """The access log, the returns and every history table (of the models or in the
    database)."""
    tables = list(APPEND_ONLY)
    for model in apps.get_models():
        if model.__name__.startswith("Historical") and hasattr(model, "instance_type"):
            tables.append(model._meta.db_table)
    tables.extend(history_tables_in_database())
    return sorted(set(tables))


def scram_verifier(password: str, salt: bytes | None = None) -> str:
    """The SCRAM-SHA-256 secret PostgreSQL stores for `password` (RFC 5802, RFC 7677)."""
    salt = salt if salt is not None else secrets.token_bytes(16)
    salted = hashlib.pbkdf2_hmac("sha256", password.encode(), salt, SCRAM_ITERATIONS)
    client_key = hmac.new(salted, b"Client Key", hashlib.sha256).digest()
    stored_key = hashlib.sha256(client_key).digest()
    server_key = hmac.new(salted, b"Server Key", hashlib.sha256).digest()

    def b64(value: bytes) -> str:
        return base64.b64encode(value).decode()

    return f"SCRAM-SHA-256${SCRAM_ITERATIONS}:{b64(salt)}${b64(stored_key)}:{b64(server_key)}"


class Command(BaseCommand):
    help = __doc__.split("\n\n")[0]

    def add_arguments(self, parser):
        parser.add_argument("role", help="the role the application connects as")
        parser.add_argument(
            "--password-env",
            metavar="VARIABLE",
            help="create the role if missing, as a login role with the password in this "
            "environment variable (and give an existing role that password)",
        )

    def handle(self, *args, role: str, password_env: str | None = None, **options):
        password = None
        if password_env:
            password = os.environ.get(password_env, "")
            if not password:
                raise CommandError(f"Set {password_env} to the app role's password first.")
        name = sql.Identifier(role)
        with connection.cursor() as cursor:
            cursor.execute("SELECT rolsuper FROM pg_roles WHERE rolname = %s", [role])
            row = cursor.fetchone()
            if row is None and password is None:
                raise CommandError(f"There is no database role {role}; create it first.")
            if row is not None and row[0]:
                raise CommandError(f"{role} is a superuser; the app role must be an ordinary one.")
            cursor.execute("SELECT current_user")
            if cursor.fetchone()[0] == role:
                raise CommandError("Run this as the owner role, not as the app role itself.")
        statements = []
        if password is not None:
            verb = "CREATE" if row is None else "ALTER"
            statements.append(
                sql.SQL(
                    "{} ROLE {} LOGIN NOSUPERUSER NOCREATEDB NOCREATEROLE NOREPLICATION "
                    "NOBYPASSRLS PASSWORD {}"
                ).format(sql.SQL(verb), name, sql.Literal(scram_verifier(password)))
            )
        tables = append_only_tables()
        statements += [
            sql.SQL("GRANT USAGE ON SCHEMA public TO {}").format(name),
            sql.SQL("REVOKE CREATE ON SCHEMA public FROM {}").format(name),
            sql.SQL(
                "GRANT SELECT, INSERT, UPDATE, DELETE ON ALL TABLES IN SCHEMA public TO {}"
            ).format(name),
            # TRUNCATE skips row triggers; TRIGGER and REFERENCES are not needed by the app.
            sql.SQL(
                "REVOKE TRUNCATE, TRIGGER, REFERENCES ON ALL TABLES IN SCHEMA public FROM {}"
            ).format(name),
            sql.SQL("GRANT USAGE, SELECT, UPDATE ON ALL SEQUENCES IN SCHEMA public TO {}").format(
                name
            ),
            # Tables the owner creates later: read and add rows only, until the next run.
            sql.SQL(
                "ALTER DEFAULT PRIVILEGES IN SCHEMA public GRANT SELECT, INSERT ON TABLES TO {}"
            ).format(name),
            sql.SQL(
                "ALTER DEFAULT PRIVILEGES IN SCHEMA public GRANT USAGE, SELECT ON SEQUENCES TO {}"
            ).format(name),
        ]
        for table in tables:
            statements.append(
                sql.SQL("REVOKE UPDATE, DELETE, TRUNCATE ON {} FROM {}").format(
                    sql.Identifier(table), name
                )
            )
        with transaction.atomic(), connection.cursor() as cursor:
            raw = cursor.cursor
            for statement in statements:
                raw.execute(statement)
        self.stdout.write(
            f"{role} may read and write rows; the access log, returns and "
            f"{len(tables) - len(APPEND_ONLY)} history tables are append-only "
            "for it, and it owns no table or trigger."
        )
