"""factory-boy factories for the programme core."""

from datetime import date
from decimal import Decimal

import factory
from django_otp.plugins.otp_totp.models import TOTPDevice

from alexi.models import (
    Funder,
    Hub,
    HubManagement,
    LocalAuthority,
    Role,
    Spoke,
    User,
    WorkerProfile,
)

TEST_PASSWORD = "correct horse battery staple 42"


class FunderFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Funder

    ref = factory.Sequence(lambda n: f"FUND-{n}")
    name = factory.Sequence(lambda n: f"Test Funder {n}")


class HubFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Hub

    ref = factory.Sequence(lambda n: f"HUB-{n}")
    name = factory.Sequence(lambda n: f"Test Hub {n}")


def local_authority(code: str = "E08000025") -> LocalAuthority:
    """A real LA loaded by the data migration (default Birmingham). A browser test's database
    flush empties the table, so reload the shipped list if it is gone."""
    from alexi.reference_data import load_local_authorities

    found = LocalAuthority.objects.filter(gss_code=code).first()
    if found is None:
        load_local_authorities(LocalAuthority)
        found = LocalAuthority.objects.get(gss_code=code)
    return found


class SpokeFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Spoke

    ref = factory.Sequence(lambda n: f"SPOKE-{n}")
    hub = factory.SubFactory(HubFactory)
    local_authority = factory.LazyFunction(local_authority)
    host_agency = "Test Host Agency"
    model = "co-located"
    start_date = date(2025, 4, 1)


class UserFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = User
        skip_postgeneration_save = True

    email = factory.Sequence(lambda n: f"person{n}@example.org")
    full_name = factory.Sequence(lambda n: f"Test Person {n}")
    role = Role.SPOKE_WORKER
    password = factory.PostGenerationMethodCall("set_password", TEST_PASSWORD)

    @factory.post_generation
    def save_password(obj, create, extracted, **kwargs):
        if create:
            obj.save()


def make_worker(spoke: Spoke, **kwargs) -> User:
    user = UserFactory(role=Role.SPOKE_WORKER, **kwargs)
    WorkerProfile.objects.create(user=user, spoke=spoke, fte=Decimal("1.00"))
    return user


def make_manager(*hubs: Hub, **kwargs) -> User:
    user = UserFactory(role=Role.HUB_MANAGER, **kwargs)
    for hub in hubs:
        HubManagement.objects.create(hub=hub, manager=user, start_date=date(2025, 1, 1))
    return user


def make_funder_user(funder: Funder, **kwargs) -> User:
    return UserFactory(role=Role.FUNDER, funder=funder, **kwargs)


def make_admin(**kwargs) -> User:
    return UserFactory(role=Role.PROGRAMME_ADMIN, **kwargs)


def give_totp(user: User) -> TOTPDevice:
    device, _ = TOTPDevice.objects.get_or_create(
        user=user, name="Test authenticator", defaults={"confirmed": True}
    )
    return device
