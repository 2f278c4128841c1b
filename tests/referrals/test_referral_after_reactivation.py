"""A worker reads a referral through the case it opened only while they reach that case
(referrals.access follows casework.access): reactivated and waiting for the hub to confirm
them again, or moved to another spoke, they reach neither the case nor its referral."""

from __future__ import annotations

from django.urls import reverse

from alexi.services import user_deactivate, user_reactivate
from referrals.models import Referral
from tests.factories import make_admin


def test_a_reactivated_worker_reaches_neither_the_case_nor_its_referral(world, client_for):
    Referral.objects.filter(pk=world.referral.pk).update(case=world.case, decision="accepted")
    worker = world.user("allocated_worker")
    before = client_for("allocated_worker")
    assert before.get(reverse("referrals:referral", args=[world.referral.pk])).status_code == 200
    admin = make_admin()
    user_deactivate(actor=admin, user=worker)
    user_reactivate(actor=admin, user=worker)  # waits for the hub to confirm them again
    after = client_for("allocated_worker")
    assert after.get(reverse("casework:case", args=[world.case.pk])).status_code == 404
    assert after.get(reverse("referrals:referral", args=[world.referral.pk])).status_code == 404
