"""The access gate answers 'which hubs may this person see', and outsiders get nothing."""

from alexi import access
from alexi.models import HubManagement
from tests.factories import give_totp


def names(queryset):
    return sorted(hub.name for hub in queryset)


def verified(user):
    """What the OTP middleware does for a request whose session passed the second factor."""
    user.otp_device = give_totp(user)
    user.is_verified = lambda: True
    return user


def test_structure_visible_to_each_persona(world):
    for persona in world.users.values():
        if persona is not None:
            verified(persona)
    assert names(access.hubs_for(world.user("programme_admin"))) == ["Home Hub", "Other Hub"]
    assert names(access.hubs_for(world.user("hub_manager"))) == ["Home Hub"]
    assert names(access.hubs_for(world.user("other_hub_manager"))) == ["Other Hub"]
    assert names(access.hubs_for(world.user("funder"))) == ["Home Hub"]
    assert names(access.hubs_for(world.user("allocated_worker"))) == ["Home Hub"]
    assert names(access.hubs_for(world.user("other_hub_worker"))) == ["Other Hub"]


def test_nothing_is_visible_before_the_second_factor(world):
    # Without the OTP middleware the user object is not verified: the gate gives nothing.
    user = world.user("programme_admin")
    assert names(access.hubs_for(user)) == []
    assert access.role_of(user) is None


def test_an_ended_management_gives_no_access(world):
    from datetime import date

    manager = verified(world.user("hub_manager"))
    assert access.managed_hubs(manager).exists()
    HubManagement.objects.filter(manager=manager).update(end_date=date(2025, 6, 30))
    fresh = verified(type(manager).objects.get(pk=manager.pk))  # a new request's user
    assert not access.managed_hubs(fresh).exists()


def test_anonymous_gets_nothing(db):
    from django.contrib.auth.models import AnonymousUser

    assert access.hubs_for(AnonymousUser()).count() == 0
    assert access.role_of(AnonymousUser()) is None


def test_no_shared_anonymous_account_exists(db):
    from alexi.models import User

    assert not User.objects.filter(email__iexact="AnonymousUser").exists()


def test_every_english_upper_tier_la_is_shipped(db):
    from alexi.models import LocalAuthority

    assert LocalAuthority.objects.count() == 162
    birmingham = LocalAuthority.objects.get(gss_code="E08000025")
    assert birmingham.name == "Birmingham" and birmingham.is_current
    assert LocalAuthority.objects.filter(end_date__isnull=False).exists()  # abolished ones too
