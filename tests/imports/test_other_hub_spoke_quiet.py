"""A hub manager's import answers a spoke of another hub exactly as one that does not exist
(imports.scope): the row's worker is not checked against it either, so the report does not
say that the spoke exists or that one of their workers is waiting to join it."""

from __future__ import annotations

import pytest

from alexi.models import Spoke, WorkerProfile
from alexi.structure import worker_move
from tests.imports.test_refs_per_hub import HEADER, as_manager, text_of
from tests.imports.test_refs_per_hub import managers as managers  # noqa: F401 (fixture)

pytestmark = pytest.mark.django_db


def test_another_hubs_spoke_is_answered_as_if_it_did_not_exist(tmp_path, managers):
    admin, mia, _max = managers
    ana = WorkerProfile.objects.get(user__email="ana@import.test")
    worker_move(
        actor=admin, profile_id=ana.pk, version=ana.version, spoke=Spoke.objects.get(ref="SB1")
    )
    row = "C7,P7,Jo,Example,2010-05-01,female,,,,{spoke},ana@import.test,2026-07-01,,,\n"
    reports = {
        spoke: as_manager(
            tmp_path, spoke, {"cases.csv": HEADER["cases.csv"] + row.format(spoke=spoke)}, mia
        )
        for spoke in ("SB1", "SZ9")  # another hub's spoke, and one that does not exist
    }
    said = {spoke: text_of(report).replace(spoke, "S?") for spoke, report in reports.items()}
    assert said["SB1"] == said["SZ9"]
    assert "waiting" not in said["SB1"]
