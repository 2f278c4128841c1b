"""The flush between transactional tests may empty the append-only tables, as their owner.

The access log and the quarterly returns refuse TRUNCATE (reporting migration 0004) unless the
table's owner sets `alexi.allow_truncate` for its own transaction. Django's flush, which runs
after every transactional and live-server test, empties all tables in one TRUNCATE; here it
sets that variable first, in the same transaction. Nothing else in the suite does, so every
other TRUNCATE meets the guard exactly as it would on a server.
"""

from __future__ import annotations

from django.db import transaction
from django.db.backends.postgresql.operations import DatabaseOperations

_execute_sql_flush = DatabaseOperations.execute_sql_flush


def _execute_sql_flush_as_owner(self, sql_list):
    with transaction.atomic(using=self.connection.alias):
        with self.connection.cursor() as cursor:
            cursor.execute("SET LOCAL alexi.allow_truncate = 'on'")
        _execute_sql_flush(self, sql_list)


def let_the_test_flush_truncate() -> None:
    DatabaseOperations.execute_sql_flush = _execute_sql_flush_as_owner
