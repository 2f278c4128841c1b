"""The role the application connects as can read and write rows but owns nothing: it cannot
drop or disable the access log's triggers, nor alter, update or delete append-only rows."""

from __future__ import annotations

import secrets

import pytest
from django.core.management import CommandError, call_command
from django.db import connection, transaction
from django.db.utils import DatabaseError

from alexi.management.commands.grant_app_role import append_only_tables

pytestmark = pytest.mark.django_db


@pytest.fixture
def app_role(world):
    """A fresh ordinary role with the grants; CREATE ROLE is undone with the test's
    transaction."""
    role = f"alexi_app_test_{secrets.token_hex(4)}"
    with connection.cursor() as cursor:
        cursor.execute(f'CREATE ROLE "{role}" NOLOGIN')
    call_command("grant_app_role", role, stdout=open("/dev/null", "w"))  # noqa: SIM115
    return role


def as_role(role: str, statement: str) -> str:
    """Run `statement` as `role` in a savepoint: 'ok', or the database's refusal."""
    try:
        with transaction.atomic(), connection.cursor() as cursor:
            cursor.execute(f'SET LOCAL ROLE "{role}"')
            cursor.execute(statement)
            cursor.execute("RESET ROLE")
        return "ok"
    except DatabaseError as error:
        return str(error).splitlines()[0]


def test_the_app_role_works_with_rows(app_role, world):
    case = world.case.pk
    assert (
        as_role(app_role, f"UPDATE casework_case SET version = version WHERE id = {case}")  # noqa: S608
        == "ok"
    )
    assert as_role(app_role, "SELECT count(*) FROM casework_casesession") == "ok"
    assert (
        as_role(
            app_role,
            "INSERT INTO alexi_accesslog (at, user_label, action, object_type, object_id, path) "
            "VALUES (now(), 'x', 'view', 'case', '1', '')",
        )
        == "ok"
    )
    assert as_role(app_role, "CREATE TEMPORARY TABLE import_probe (x int)") == "ok"  # imports


@pytest.mark.parametrize(
    "statement",
    [
        "UPDATE alexi_accesslog SET user_label = 'changed'",
        "DELETE FROM alexi_accesslog",
        "TRUNCATE alexi_accesslog",
        "DELETE FROM reporting_quarterlyreturn",
        "DELETE FROM casework_historicalcase",
        "UPDATE casework_historicalcasesession SET notes = ''",
        "DROP TRIGGER alexi_accesslog_append_only ON alexi_accesslog",
        "ALTER TABLE alexi_accesslog DISABLE TRIGGER ALL",
        "ALTER TABLE casework_case ADD COLUMN sneaky int",
        "CREATE TABLE public.sneaky (x int)",
    ],
)
def test_the_app_role_cannot_touch_the_audit_trail(app_role, statement):
    refusal = as_role(app_role, statement)
    assert refusal != "ok"
    assert "permission denied" in refusal or "must be owner" in refusal, refusal


def test_every_history_table_is_append_only_for_the_app_role():
    tables = append_only_tables()
    assert {"alexi_accesslog", "reporting_quarterlyreturn"} <= set(tables)
    assert "casework_historicalcase" in tables and "referrals_historicalreferral" in tables
    assert not [
        t
        for t in tables
        if "historical" not in t and t not in ("alexi_accesslog", "reporting_quarterlyreturn")
    ]


def test_the_command_refuses_an_unknown_or_superuser_role(world):
    with pytest.raises(CommandError, match="no database role"):
        call_command("grant_app_role", "no_such_role_here")
    with connection.cursor() as cursor:
        cursor.execute("SELECT rolname FROM pg_roles WHERE rolsuper LIMIT 1")
        superuser = cursor.fetchone()[0]
    with pytest.raises(CommandError, match="superuser"):
        call_command("grant_app_role", superuser)
