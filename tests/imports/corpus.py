"""Broken import folders, each with the message it must get (tests and the upload page)."""

from __future__ import annotations

import io
import zipfile

from tests.imports.folder import VALID


def _replace(name: str, old: str, new: str) -> dict:
    assert old in VALID[name], (name, old)
    return {**VALID, name: VALID[name].replace(old, new, 1)}


def _zip(entries: dict[str, str]) -> bytes:
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as archive:
        for name, text in entries.items():
            archive.writestr(name, text)
    return buffer.getvalue()


HEADER = VALID["sessions.csv"].splitlines()[0]
FLOOD_ROW = "C404,2026-07-01,ana@import.test,,phone,,,attended,\n"

# id -> (files, expected text in the problems)
CORPUS = {
    "date not ISO": (
        _replace("cases.csv", "2026-07-01,,,\nC2", "01/07/2026,,,\nC2"),
        "cases.csv:2: opened_on: '01/07/2026' is not a date written YYYY-MM-DD.",
    ),
    "impossible date": (
        _replace("cases.csv", "2010-05-01", "2010-02-30"),
        "cases.csv:2: date_of_birth: 2010-02-30 is not a date in the calendar.",
    ),
    "date in the future": (
        _replace("sessions.csv", "C2,2026-08-01", "C2,2099-08-01"),
        "sessions.csv:7: date: 2099-08-01 is in the future.",
    ),
    "closed before it opened": (
        _replace("cases.csv", "2026-08-15,goals_met", "2025-08-15,goals_met"),
        "cases.csv:3: closed_on: 2025-08-15 is before the case opened (2026-01-10).",
    ),
    "session before the case opened": (
        _replace("sessions.csv", "C2,2026-02-01", "C2,2025-02-01"),
        "sessions.csv:6: date: 2025-02-01 is before the case opened (2026-01-10).",
    ),
    "unknown vocabulary": (
        _replace("sessions.csv", "30,online", "30,zoom"),
        "sessions.csv:7: contact_method: 'zoom' is not one of face_to_face, phone, text, online.",
    ),
    "unknown gender": (
        _replace("cases.csv", "2010-05-01,female", "2010-05-01,girl"),
        "cases.csv:2: gender: 'girl' is not one of",
    ),
    "case that does not exist": (
        _replace("assessments.csv", "C5,2026-07-01", "C404,2026-07-01"),
        "assessments.csv:7: case_ref: there is no case C404 (in cases.csv or Alexi).",
    ),
    "hub that does not exist": (
        _replace("referrals.csv", "R3,HA", "R3,HZ"),
        "referrals.csv:4: hub_ref: there is no hub HZ (in hubs.csv or Alexi).",
    ),
    "duplicate ref": (
        _replace("cases.csv", "C4,P2", "C1,P2"),
        "cases.csv:5: case_ref: C1 is already used on line 2.",
    ),
    "worker at the wrong spoke": (
        _replace("cases.csv", "SB1,cal@import.test", "SB1,ana@import.test"),
        "cases.csv:6: worker_email: ana@import.test works at spoke SA1, not SB1; a case is "
        "allocated to a worker at its own spoke.",
    ),
    "non-UTF-8 bytes": (
        {**VALID, "cases.csv": VALID["cases.csv"].replace("Madeup", "Zo\xe9").encode("latin-1")},
        "cases.csv:6: line: this line is not UTF-8 text (byte 0xe9 at position 13); save the "
        "file as 'CSV UTF-8' and import it again.",
    ),
    "empty file": ({**VALID, "groupwork.csv": ""}, "groupwork.csv:1: file: the file is empty"),
    "header only": (
        {**VALID, "groupwork.csv": "spoke_ref,date,setting,title,young_people\n"},
        "groupwork.csv:2: file: the file has a header row but no rows",
    ),
    "unknown column": (
        _replace("consultations.csv", "minutes\n", "minutes,notes\n"),
        "consultations.csv:1: notes: unknown column; consultations.csv has the columns",
    ),
    "unknown column in staff.csv": (
        _replace("staff.csv", "years_experience\n", "years_experience,start\n"),
        "staff.csv:1: start: unknown column; staff.csv has the columns",
    ),
    "missing column": (
        _replace("consultations.csv", ",minutes\n", "\n"),
        "consultations.csv:1: minutes: missing from the header",
    ),
    "formula in a reference": (
        _replace("groupwork.csv", "SB1,2026-08-02", "=SB1,2026-08-02"),
        "groupwork.csv:4: spoke_ref: '=SB1' is not a reference",
    ),
    "wrong number of cells": (
        _replace("consultations.csv", ",30\n", ",30,extra\n"),
        "consultations.csv:3: line: this row has 6 cells; the header has 5.",
    ),
    "quote never closed": (
        _replace("consultations.csv", "Police (fictional)", '"Police (fictional)'),
        "consultations.csv:3: line: a quoted cell starting here is never closed",
    ),
    "NUL byte": (
        {**VALID, "training.csv": VALID["training.csv"].replace("Briefing", "Brief\x00ing")},
        "training.csv:4: line: this line holds a NUL byte",
    ),
    "cell too long": (
        _replace("sessions.csv", "30,online,,,attended,", "30,online,,,attended," + "x" * 150_000),
        "sessions.csv:7: line: a cell here is longer than 100,000 characters",
    ),
    "line over a megabyte": (
        _replace("sessions.csv", "30,online,,,attended,", "30,online,,,attended," + "y," * 600_000),
        "sessions.csv:7: line: this line is longer than 1 MB",
    ),
    "file Alexi does not import": (
        {**VALID, "notes.csv": "a,b\n1,2\n"},
        "notes.csv:0: file: not a file Alexi imports",
    ),
    "declined without a reason": (
        _replace("referrals.csv", "Not exploitation; passed to the youth service", ""),
        "referrals.csv:3: decline_reason: needed when the referral was declined.",
    ),
}

ZIP_CORPUS = {
    "zip path escaping the folder": (
        _zip({"../evil.csv": "a\n1\n", "cases.csv": VALID["cases.csv"]}),
        "upload.zip:0: ../evil.csv: this entry points outside the folder",
    ),
    "zip absolute path": (
        _zip({"/etc/cases.csv": VALID["cases.csv"]}),
        "upload.zip:0: /etc/cases.csv: this entry points outside the folder",
    ),
    "not a zip": (b"PK\x03\x04 this is not really a zip", "upload.zip:0: zip: this is not a zip"),
    "zip nested too deep": (
        _zip({"a/b/cases.csv": VALID["cases.csv"]}),
        "upload.zip:0: a/b/cases.csv: put the CSV files at the top of the zip",
    ),
}


def flood(megabytes: int = 50) -> bytes:
    """A file of `megabytes` MB whose every row names a case that does not exist."""
    rows = (megabytes * 1024 * 1024) // len(FLOOD_ROW)
    return (HEADER + "\n" + FLOOD_ROW * rows).encode()
