"""The English upper-tier local authorities shipped in alexi/data (mySociety, MIT)."""

from __future__ import annotations

import csv
from datetime import date
from pathlib import Path

DATA = Path(__file__).resolve().parent / "data" / "english_upper_tier_local_authorities.csv"


def _date(value: str):
    return date.fromisoformat(value) if value else None


def load_local_authorities(model) -> int:
    """Add any shipped LA not yet present (matched on ONS code). Returns how many were added.

    `model` is passed in so the data migration can use its historical model.
    """
    with DATA.open(encoding="utf-8-sig", newline="") as handle:
        rows = list(csv.DictReader(handle))
    existing = set(model.objects.values_list("gss_code", flat=True))
    created = model.objects.bulk_create(
        model(
            gss_code=row["gss_code"],
            name=row["name"],
            official_name=row["official_name"],
            kind=row["type"],
            region=row["region"],
            start_date=_date(row["start_date"]),
            end_date=_date(row["end_date"]),
            replaced_by=row["replaced_by"],
        )
        for row in rows
        if row["gss_code"] not in existing
    )
    return len(created)
