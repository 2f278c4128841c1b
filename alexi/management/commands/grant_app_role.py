"""Give the role the web and worker processes connect as exactly what they need, and no more.

    python manage.py grant_app_role alexi_app      # run as the owner, after every migrate

The owner role (which runs migrations) owns the tables and their triggers. The app role gets
to read and write rows, but it owns nothing: it cannot drop or disable the triggers that keep
the access log and quarterly returns append-only, cannot alter tables, and cannot update,
delete or truncate the access log, the returns or any history row. Idempotent.
"""

from __future__ import annotations

from django.apps import apps
from django.core.management.base import BaseCommand, CommandError
from django.db import connection, transaction
from psycopg import sql

# Rows that are only ever added: the app role may read and insert them, nothing else.
APPEND_ONLY = ("alexi_accesslog", "reporting_quarterlyreturn")


def append_only_tables() -> list[str]:
    """The access log, the returns and every history table."""
    tables = list(APPEND_ONLY)
    for model in apps.get_models():
        if model.__name__.startswith("Historical") and hasattr(model, "instance_type"):
            tables.append(model._meta.db_table)
    return sorted(set(tables))


class Command(BaseCommand):
    help = __doc__.split("\n\n")[0]

    def add_arguments(self, parser):
        parser.add_argument("role", help="the role the application connects as")

    def handle(self, *args, role: str, **options):
        with connection.cursor() as cursor:
            cursor.execute("SELECT rolsuper FROM pg_roles WHERE rolname = %s", [role])
            row = cursor.fetchone()
            if row is None:
                raise CommandError(f"There is no database role {role}; create it first.")
            if row[0]:
                raise CommandError(f"{role} is a superuser; the app role must be an ordinary one.")
            cursor.execute("SELECT current_user")
            if cursor.fetchone()[0] == role:
                raise CommandError("Run this as the owner role, not as the app role itself.")
        name = sql.Identifier(role)
        statements = [
            sql.SQL("GRANT USAGE ON SCHEMA public TO {}").format(name),
            sql.SQL(
                "GRANT SELECT, INSERT, UPDATE, DELETE ON ALL TABLES IN SCHEMA public TO {}"
            ).format(name),
            sql.SQL("GRANT USAGE, SELECT, UPDATE ON ALL SEQUENCES IN SCHEMA public TO {}").format(
                name
            ),
            sql.SQL("REVOKE CREATE ON SCHEMA public FROM {}").format(name),
        ]
        for table in append_only_tables():
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
            f"{len(append_only_tables()) - len(APPEND_ONLY)} history tables are append-only "
            "for it, and it owns no table or trigger."
        )
