"""Emergency access is for a manager of another hub. A hub manager who manages no hub today
(reactivated and waiting for a hub to confirm them again, or whose management has ended)
reaches no child record through it: 9197406 ends every old share on reactivation, and
break-glass must not give the same reach back without the hub's confirmation."""

from __future__ import annotations

import pytest
from django.core.exceptions import ValidationError
from django.urls import reverse

from alexi.services import user_deactivate, user_reactivate
from casework import services
from casework.models import CaseShare
from tests.factories import make_admin

REASON = "Police report the young person missing tonight; we need the safety plan."


def test_a_reactivated_manager_waiting_for_confirmation_cannot_use_emergency_access(
    world, client_for
):
    manager = world.user("other_hub_manager")
    admin = make_admin()
    user_deactivate(actor=admin, user=manager)
    user_reactivate(actor=admin, user=manager)  # their hub is asked to confirm them again
    response = client_for("other_hub_manager").post(
        reverse("casework:break_glass"),
        {"reference": world.case.reference, "justification": REASON},
    )
    assert response.status_code == 400
    assert "manage a hub" in response.content.decode()
    assert not CaseShare.objects.filter(kind="break_glass").exists()
    with pytest.raises(ValidationError):
        services.break_glass(actor=manager, case=world.case, justification=REASON)
    assert (
        client_for("other_hub_manager")
        .get(reverse("casework:case", args=[world.case.pk]))
        .status_code
        == 404
    )
