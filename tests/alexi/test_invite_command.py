"""The first programme administrator is invited from the command line."""

from io import StringIO

import pytest
from django.core.management import CommandError, call_command

from alexi.models import Invitation, Role, User


def test_invite_creates_a_programme_admin_and_prints_a_link(db):
    out = StringIO()
    call_command("invite", "First.Admin@Example.org", "--name", "First Admin", stdout=out)
    user = User.objects.get(email="first.admin@example.org")
    assert user.role == Role.PROGRAMME_ADMIN and not user.has_usable_password()
    assert "/invitation/" in out.getvalue()
    assert Invitation.objects.filter(user=user, used_at__isnull=True).count() == 1


def test_invite_again_replaces_the_earlier_link(db):
    call_command("invite", "a@example.org", "--name", "A", stdout=StringIO())
    call_command("invite", "a@example.org", stdout=StringIO())
    assert Invitation.objects.filter(revoked_at__isnull=True).count() == 1


@pytest.mark.parametrize(
    ("args", "message"), [(["not-an-email"], "not an email"), (["new@example.org"], "--name")]
)
def test_invite_refuses_bad_input_clearly(db, args, message):
    with pytest.raises(CommandError, match=message):
        call_command("invite", *args, stdout=StringIO())
