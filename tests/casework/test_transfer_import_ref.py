"""A case's import reference belongs to its hub's records (casework 0010): the same ref may be
used by another hub for one of its own cases. Accepting a transfer of an imported case into a
hub that already uses its ref must not fail with a server error (the ref unique per hub)."""

from __future__ import annotations

from django.urls import reverse


def test_accepting_a_transfer_whose_ref_the_receiving_hub_already_uses(world, client_for):
    for case in (world.case, world.other_case):  # as if imported (with history)
        case.import_ref = "C1"
        case.save(update_fields=["import_ref"])
    accepted = client_for("other_hub_manager").post(
        reverse("casework:transfer_decide", args=[world.transfer.pk]),
        {"decision": "accept", "worker": world.user("other_hub_worker").pk},
    )
    assert accepted.status_code == 302
    world.case.refresh_from_db()
    world.other_case.refresh_from_db()
    assert world.case.spoke == world.other_spoke
    # The receiving hub's own C1 keeps its ref; the moved case no longer answers to it.
    assert world.other_case.import_ref == "C1"
    assert world.case.import_ref is None
    # The ref it had at the hub it came from stays in its history.
    assert "C1" in set(world.case.history.values_list("import_ref", flat=True))
