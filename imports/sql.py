"""Set-based writes for the large files: staging tables filled by COPY, then one INSERT ... ON
CONFLICT per table that writes its history rows in the same statement.

This is how a million sessions go in within minutes and little memory, while every new or
changed row still gets a simple-history row with the importing user, exactly as a save in the
browser would (ARCHITECTURE.md idea 3). Rows that would not change are left alone, so
re-running an import writes nothing.
"""

from __future__ import annotations

from dataclasses import dataclass

from django.db import connection

HISTORY_OWN = {
    "history_id",
    "history_date",
    "history_change_reason",
    "history_type",
    "history_user",
}


def history_columns(model) -> list[str]:
    """The columns a model's history table copies from the model."""
    history = model.history.model
    return [f.column for f in history._meta.concrete_fields if f.name not in HISTORY_OWN]


def _fill(model, given: list[str]) -> list[tuple[str, str, object]]:
    """Columns the statement does not give, with their model default (as on a normal save)."""
    filled = []
    for field in model._meta.concrete_fields:
        if field.primary_key or field.column in given:
            continue
        filled.append((field.column, field.db_type(connection), field.get_default()))
    return filled


def keep_text(column: str) -> str:
    """An empty cell leaves what Alexi already holds."""
    return f"CASE WHEN EXCLUDED.{column} = '' THEN t.{column} ELSE EXCLUDED.{column} END"


def keep_null(column: str) -> str:
    return f"COALESCE(EXCLUDED.{column}, t.{column})"


def new(column: str) -> str:
    return f"EXCLUDED.{column}"


@dataclass
class Written:
    new: int = 0
    changed: int = 0


def _history_insert(model, dml: str) -> str:
    cols = history_columns(model)
    listed = ", ".join(cols)
    # Identifiers come from the models and this module, never from a file; values are params.
    return f"""
        WITH up AS ({dml}),
        h AS (
            INSERT INTO {model.history.model._meta.db_table}
                ({listed}, history_date, history_change_reason, history_type, history_user_id)
            SELECT {listed}, %(now)s, %(reason)s, up._history_type, %(actor)s FROM up
            RETURNING history_type
        )
        SELECT count(*) FILTER (WHERE history_type = '+'),
               count(*) FILTER (WHERE history_type = '~')
        FROM h
    """  # noqa: S608


def upsert(
    model,
    *,
    columns: list[str],
    source: str,
    key: str,
    updates: dict[str, str],
    params: dict,
) -> Written:
    """INSERT `source` (which yields `columns` in order) into the model's table; a row whose
    `key` exists is updated with `updates` only where that changes something."""
    table = model._meta.db_table
    filled = _fill(model, columns)
    fill_sql = "".join(
        f", CAST(%(fill_{i})s AS {db_type})" for i, (_, db_type, _) in enumerate(filled)
    )
    fill_params = {f"fill_{i}": value for i, (_, _, value) in enumerate(filled)}
    all_cols = columns + [column for column, _, _ in filled]
    has_version = any(f.column == "version" for f in model._meta.concrete_fields)
    sets = [f"{column} = {expr}" for column, expr in updates.items()]
    if has_version:
        sets.append("version = t.version + 1")
    old = ", ".join(f"t.{column}" for column in updates)
    changed = ", ".join(updates.values())
    returning = ", ".join(f"t.{c}" for c in history_columns(model))
    dml = f"""
        INSERT INTO {table} AS t ({", ".join(all_cols)})
        SELECT src.*{fill_sql} FROM ({source}) AS src
        ON CONFLICT ({key}) DO UPDATE SET {", ".join(sets)}
        WHERE ROW({old}) IS DISTINCT FROM ROW({changed})
        RETURNING {returning}, CASE WHEN xmax = 0 THEN '+' ELSE '~' END AS _history_type
    """  # noqa: S608 (identifiers from the models and this code; every value is a parameter)
    with connection.cursor() as cursor:
        cursor.execute(_history_insert(model, dml), {**params, **fill_params})
        created, updated = cursor.fetchone()
    return Written(created, updated)


def with_history(model, dml: str, params: dict, history_type: str, alias: str = "") -> int:
    """Run an INSERT or UPDATE on the model's table that RETURNs its history columns (as
    `returning(model)` gives them) and record a history row of `history_type` for each row."""
    sql = _history_insert(model, dml.replace("{returning}", returning(model, history_type, alias)))
    with connection.cursor() as cursor:
        cursor.execute(sql, params)
        created, updated = cursor.fetchone()
    return created + updated


def returning(model, history_type: str, alias: str = "") -> str:
    prefix = f"{alias}." if alias else ""
    cols = ", ".join(f"{prefix}{c}" for c in history_columns(model))
    return f"RETURNING {cols}, '{history_type}'::text AS _history_type"
