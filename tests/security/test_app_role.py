"""The role the application connects as can read and write rows but owns nothing: it cannot
drop or disable the access log's triggers, nor alter, update or delete append-only rows."""

from __future__ import annotations

import base64
import secrets

import pytest
from django.core.management import CommandError, call_command
from django.db import connection, transaction
from django.db.utils import DatabaseError
from django.urls import reverse

from alexi.management.commands.grant_app_role import append_only_tables, scram_verifier

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


def as_statements(statements: list[str]) -> str:
    """Run `statements` in a savepoint that is then rolled back: 'ok', or the database's
    refusal."""

    class Undo(Exception):
        pass

    try:
        with transaction.atomic(), connection.cursor() as cursor:
            for statement in statements:
                cursor.execute(statement)
            raise Undo
    except Undo:
        return "ok"
    except DatabaseError as error:
        return str(error).splitlines()[0]


def as_role(role: str, statement: str) -> str:
    """Run `statement` as `role` in a savepoint that is then rolled back: 'ok', or the
    database's refusal."""
    return as_statements([f'SET LOCAL ROLE "{role}"', statement])


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
        "UPDATE reporting_quarterlyreturn SET quarter = '2000Q1'",
        "TRUNCATE reporting_quarterlyreturn",
        "DELETE FROM casework_historicalcase",
        "UPDATE casework_historicalcasesession SET notes = ''",
        "TRUNCATE casework_historicalcase",
        "TRUNCATE referrals_historicalreferral",
        "TRUNCATE casework_casesession CASCADE",
        "CREATE TRIGGER sneaky BEFORE INSERT ON casework_case "
        "FOR EACH ROW EXECUTE FUNCTION suppress_redundant_updates_trigger()",
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


def test_the_application_works_as_the_app_role(app_role, world, client_for):
    """Pages, services, history and returns as the app role (the rest of the suite connects as
    the owner): every ordinary write the application makes is allowed."""
    from alexi.models import AccessLog
    from casework.models import CaseSession
    from reporting.models import QuarterlyReturn
    from tests.casework.helpers import session_data

    with connection.cursor() as cursor:
        cursor.execute(f'SET ROLE "{app_role}"')  # undone with the test's transaction
        cursor.execute("SELECT current_user")
        assert cursor.fetchone()[0] == app_role
    logged = AccessLog.objects.count()
    client = client_for("allocated_worker")
    assert client.get(reverse("casework:case", args=[world.case.pk])).status_code == 200
    response = client.post(reverse("casework:session_new", args=[world.case.pk]), session_data())
    assert response.status_code == 302
    saved = CaseSession.objects.filter(case=world.case).latest("id")
    assert saved.history.first().history_user == world.user("allocated_worker")
    assert AccessLog.objects.count() > logged
    assert QuarterlyReturn.objects.filter(pk=world.funder_return.pk).exists()


def test_the_guards_hold_in_the_test_database_for_the_owner_too(world):
    """TRUNCATE of the access log or the returns is refused even for the owner (the suite's
    own connection, a superuser), unless it sets alexi.allow_truncate for its transaction as
    the flush between tests does."""
    world.funder_return  # noqa: B018  (a return to keep)
    immediate = "SET CONSTRAINTS ALL IMMEDIATE"  # the rows just added have no pending checks
    for table in ("alexi_accesslog", "reporting_quarterlyreturn"):
        refusal = as_statements([immediate, f"TRUNCATE {table}"])
        assert f"{table} is append-only: TRUNCATE is not allowed" in refusal
        off = as_statements(
            [immediate, "SET LOCAL alexi.allow_truncate = 'off'", f"TRUNCATE {table}"]
        )
        assert "TRUNCATE is not allowed" in off
        on = as_statements(
            [immediate, "SET LOCAL alexi.allow_truncate = 'on'", f"TRUNCATE {table}"]
        )
        assert on == "ok"
    with connection.cursor() as cursor:
        cursor.execute("SELECT count(*) FROM reporting_quarterlyreturn")
        assert cursor.fetchone()[0] > 0  # the savepoints were rolled back


def test_the_app_role_cannot_truncate_even_when_it_asks(app_role, world):
    with connection.cursor() as cursor:
        cursor.execute(f'GRANT TRUNCATE ON alexi_accesslog TO "{app_role}"')  # a mistaken grant
    refusal = as_statements(
        [
            "SET LOCAL alexi.allow_truncate = 'on'",
            f'SET LOCAL ROLE "{app_role}"',
            "TRUNCATE alexi_accesslog",
        ]
    )
    assert "alexi_accesslog is append-only: TRUNCATE is not allowed" in refusal


def test_history_tables_made_later_are_append_only_too(app_role, world):
    """A history table is covered by its name as well as its model, and a table created after
    the grants is readable and insertable only, until grant_app_role runs again."""
    with connection.cursor() as cursor:
        cursor.execute("CREATE TABLE newapp_historicalthing (id int)")
    call_command("grant_app_role", app_role, stdout=open("/dev/null", "w"))  # noqa: SIM115
    assert "newapp_historicalthing" in append_only_tables()
    assert as_role(app_role, "INSERT INTO newapp_historicalthing VALUES (1)") == "ok"
    assert "permission denied" in as_role(app_role, "DELETE FROM newapp_historicalthing")
    assert "permission denied" in as_role(app_role, "UPDATE newapp_historicalthing SET id = 2")

    with connection.cursor() as cursor:
        cursor.execute("CREATE TABLE newapp_historicallater (id int)")
        cursor.execute("CREATE TABLE newapp_thing (id int)")
    assert as_role(app_role, "INSERT INTO newapp_historicallater VALUES (1)") == "ok"
    assert as_role(app_role, "SELECT * FROM newapp_historicallater") == "ok"
    for statement in ("DELETE FROM newapp_historicallater", "TRUNCATE newapp_historicallater"):
        assert "permission denied" in as_role(app_role, statement)
    assert "permission denied" in as_role(app_role, "DELETE FROM newapp_thing")
    call_command("grant_app_role", app_role, stdout=open("/dev/null", "w"))  # noqa: SIM115
    assert as_role(app_role, "DELETE FROM newapp_thing") == "ok"
    assert "permission denied" in as_role(app_role, "DELETE FROM newapp_historicallater")


def test_the_command_creates_the_login_role_with_a_hashed_password(world, monkeypatch):
    role = f"alexi_app_test_{secrets.token_hex(4)}"
    monkeypatch.setenv("TEST_APP_DB_PASSWORD", "a long random password")
    call_command(
        "grant_app_role",
        role,
        "--password-env",
        "TEST_APP_DB_PASSWORD",
        stdout=open("/dev/null", "w"),  # noqa: SIM115
    )
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT rolcanlogin, rolsuper, rolcreaterole, rolpassword FROM pg_authid "
            "WHERE rolname = %s",
            [role],
        )
        can_login, superuser, createrole, stored = cursor.fetchone()
    assert can_login and not superuser and not createrole
    # the verifier PostgreSQL would make itself from that password and salt
    salt = base64.b64decode(stored.split("$")[1].split(":")[1])
    assert stored == scram_verifier("a long random password", salt)
    assert as_role(role, "UPDATE alexi_accesslog SET user_label = 'x'") != "ok"

    with connection.cursor() as cursor:
        cursor.execute(f"ALTER ROLE \"{role}\" PASSWORD 'known to postgres'")
        cursor.execute("SELECT rolpassword FROM pg_authid WHERE rolname = %s", [role])
        by_postgres = cursor.fetchone()[0]
    salt = base64.b64decode(by_postgres.split("$")[1].split(":")[1])
    assert by_postgres == scram_verifier("known to postgres", salt)

    monkeypatch.setenv("TEST_APP_DB_PASSWORD", "")
    with pytest.raises(CommandError, match="Set TEST_APP_DB_PASSWORD"):
        call_command("grant_app_role", role, "--password-env", "TEST_APP_DB_PASSWORD")


@pytest.mark.django_db(transaction=True, serialized_rollback=True)
def test_the_flush_after_a_transactional_test_passes_the_guards():
    """Rows in the access log and the returns are committed here; the flush that follows this
    test (tests/truncate_guard.py) must empty them through the guards, or it errors."""
    from reporting.models import QuarterlyReturn, ReturnKind
    from reporting.returns import Subject, generate
    from tests.factories import FunderFactory

    with connection.cursor() as cursor:
        cursor.execute(
            "INSERT INTO alexi_accesslog (at, user_label, action, object_type, object_id, path) "
            "VALUES (now(), 'x', 'view', 'case', '1', '')"
        )
    generate(Subject(ReturnKind.FUNDER, funder=FunderFactory(name="Flush Trust")), "2026Q1")
    assert QuarterlyReturn.objects.exists()
    assert "TRUNCATE is not allowed" in as_statements(["TRUNCATE alexi_accesslog"])
