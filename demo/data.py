"""Clearly fake demonstration data for `make run` (never for production)."""

from __future__ import annotations

import base64
import hashlib
from datetime import date, datetime
from decimal import Decimal
from zoneinfo import ZoneInfo

from django.contrib.auth.hashers import make_password
from django.db import transaction
from django.test.utils import override_settings
from django_otp.plugins.otp_totp.models import TOTPDevice

from alexi.grants import grant_setup
from alexi.history import acting_as
from alexi.models import (
    Funder,
    GrantKind,
    Hub,
    HubManagement,
    LocalAuthority,
    Role,
    Spoke,
    User,
    WorkerProfile,
)
from alexi.reference_data import load_local_authorities

DEMO_DOMAIN = "demo.alexi.invalid"
DEMO_PASSWORD = "demo-password-not-secret"  # noqa: S105  (documented demo sign-in)
# One well-known authenticator key for every demo account, so a newcomer can add it once.
DEMO_TOTP_KEY_HEX = hashlib.sha256(b"alexi demo authenticator").hexdigest()[:40]

DEMO_PEOPLE = [
    # email local part, full name, role, extra
    ("admin", "Demo Admin Avery", Role.PROGRAMME_ADMIN, {}),
    ("funder", "Demo Funder Fern", Role.FUNDER, {"funder": "DEMO-FUND"}),
    ("manager.north", "Demo Manager Morgan", Role.HUB_MANAGER, {"hubs": ["DEMO-NORTH"]}),
    ("manager.south", "Demo Manager Sam", Role.HUB_MANAGER, {"hubs": ["DEMO-SOUTH"]}),
    (
        "worker.leeds1",
        "Demo Worker Riley",
        Role.SPOKE_WORKER,
        {"spoke": "DEMO-LEEDS", "fte": "1.00"},
    ),
    (
        "worker.leeds2",
        "Demo Worker Jordan",
        Role.SPOKE_WORKER,
        {"spoke": "DEMO-LEEDS", "fte": "0.60"},
    ),
    (
        "worker.bradford",
        "Demo Worker Casey",
        Role.SPOKE_WORKER,
        {"spoke": "DEMO-BRADFORD", "fte": "0.80"},
    ),
    (
        "worker.bristol",
        "Demo Worker Quinn",
        Role.SPOKE_WORKER,
        {"spoke": "DEMO-BRISTOL", "fte": "1.00"},
    ),
]


DEMO_START = date(2025, 4, 1)  # the day the demo spokes started and their managers took over
DEMO_START_AT = datetime(2025, 4, 1, 9, 0, tzinfo=ZoneInfo("Europe/London"))


def demo_totp_secret() -> str:
    """The base32 key to type into an authenticator app for the demo accounts."""
    return base64.b32encode(bytes.fromhex(DEMO_TOTP_KEY_HEX)).decode().rstrip("=")


def demo_email(local: str) -> str:
    return f"{local}@{DEMO_DOMAIN}"


def _ensure(model, ref: str, defaults: dict):
    """The record with this ref, made or brought to `defaults`; saved only when something
    differs, so loading the demo again writes no history rows."""
    record = model.objects.filter(ref=ref).first()
    if record is None:
        return model.objects.create(ref=ref, **defaults)
    changed = [name for name, value in defaults.items() if getattr(record, name) != value]
    if changed:
        for name in changed:
            setattr(record, name, defaults[name])
        record.save(update_fields=changed)
    return record


def load_demo() -> list[tuple[str, str]]:
    """Create or update the demo programme. Safe to run again: it changes nothing new. The
    emails the services send on the way (closures to approve, access confirmed) go nowhere:
    there is nobody to read them."""
    with override_settings(EMAIL_BACKEND="django.core.mail.backends.dummy.EmailBackend"):
        return _load_demo()


@transaction.atomic
def _load_demo() -> list[tuple[str, str]]:
    load_local_authorities(LocalAuthority)  # normally already there from the migration
    la = {
        la.gss_code: la
        for la in LocalAuthority.objects.filter(
            gss_code__in=["E08000035", "E08000032", "E06000023", "E08000036"]
        )
    }
    with acting_as(None):
        funder = _ensure(
            Funder, ref="DEMO-FUND", defaults={"name": "Demo Children's Trust (fictional)"}
        )
        north = _ensure(Hub, ref="DEMO-NORTH", defaults={"name": "Demo North Hub (fictional)"})
        south = _ensure(Hub, ref="DEMO-SOUTH", defaults={"name": "Demo South Hub (fictional)"})
        north.home_las.set([la["E08000036"]])  # Wakefield
        south.home_las.set([la["E06000023"]])  # Bristol
        north.funders.add(funder)
        south.funders.add(funder)
        spokes = {}
        for ref, hub, code, host, model in [
            ("DEMO-LEEDS", north, "E08000035", "Demo Leeds Children's Services", "co-located"),
            ("DEMO-BRADFORD", north, "E08000032", "Demo Bradford Youth Service", "outreach"),
            ("DEMO-BRISTOL", south, "E06000023", "Demo Bristol Partnership", "hybrid"),
        ]:
            spokes[ref] = _ensure(
                Spoke,
                ref=ref,
                defaults={
                    "hub": hub,
                    "local_authority": la[code],
                    "host_agency": host,
                    "model": model,
                    "start_date": DEMO_START,
                },
            )
        hubs = {"DEMO-NORTH": north, "DEMO-SOUTH": south}
        sign_ins = []
        hashed = ""
        for local, name, role, extra in DEMO_PEOPLE:
            email = demo_email(local)
            user = User.objects.filter(email=email).first()
            if user is None:
                user = User.objects.create_user(
                    email=email,
                    full_name=name,
                    role=role,
                    funder=funder if role == Role.FUNDER else None,
                )
                # One hash for every demo account: the password is the same and published,
                # and hashing it eight times (Argon2) took two of the demo's ten seconds.
                hashed = hashed or make_password(DEMO_PASSWORD)
                user.password = hashed
                user.save(update_fields=["password"])
            # System set-up, run from the command line: the grants are made at once and
            # logged as such (a page can only ask for them; alexi.grants).
            for hub_ref in extra.get("hubs", []):
                if not HubManagement.objects.filter(
                    hub=hubs[hub_ref], manager=user, end_date=None
                ).exists():
                    grant_setup(
                        user=user,
                        kind=GrantKind.HUB_MANAGER,
                        hub=hubs[hub_ref],
                        start_date=DEMO_START,
                    )
            if "spoke" in extra:
                spoke = spokes[extra["spoke"]]
                details = {
                    "fte": Decimal(extra["fte"]),
                    "background": "Youth work (demo)",
                    "years_experience": 5,
                }
                if not WorkerProfile.objects.filter(user=user, spoke=spoke).exists():
                    grant_setup(
                        user=user,
                        kind=GrantKind.SPOKE_WORKER,
                        hub=spoke.hub,
                        spoke=spoke,
                        worker_details=details,
                    )
                    # The demo's workers have been at their spokes since the spokes started:
                    # the figures read who was a worker at a quarter's end from this history,
                    # so last quarter's returns count them.
                    WorkerProfile.history.filter(user=user).update(history_date=DEMO_START_AT)
                profile = WorkerProfile.objects.get(user=user)
                if any(getattr(profile, key) != value for key, value in details.items()):
                    for key, value in details.items():
                        setattr(profile, key, value)
                    profile.save()
            if not TOTPDevice.objects.filter(user=user, confirmed=True).exists():
                TOTPDevice.objects.create(
                    user=user, name="Demo authenticator", key=DEMO_TOTP_KEY_HEX, confirmed=True
                )
            sign_ins.append((email, Role(role).label))
    _demo_cases()
    _demo_returns()
    return sign_ins


DEMO_YOUNG_PEOPLE = [
    # worker, first name, preferred, years old, (indicators), sessions, closed
    (
        "worker.leeds1",
        "Demo Amber",
        "Amber",
        15,
        ["missing_repeat", "older_controlling_partner", "out_late"],
        6,
        False,
    ),
    (
        "worker.leeds1",
        "Demo Billie",
        "Bee",
        14,
        ["secretive_phone_online", "online_grooming_images"],
        3,
        False,
    ),
    ("worker.leeds1", "Demo Carmen", "", 16, ["school_absence", "substance_use"], 8, False),
    (
        "worker.leeds2",
        "Demo Devon",
        "Dev",
        15,
        ["drugs_cash_weapons_phones", "found_out_of_area"],
        4,
        False,
    ),
    ("worker.bradford", "Demo Ellis", "", 13, ["abuse_or_neglect", "out_late"], 2, False),
    ("worker.bristol", "Demo Frankie", "Frankie", 17, ["peers_exploited"], 5, False),
]


def _demo_cases() -> None:
    """The six original cases, then a year of activity around them (demo.year), created once:
    if the demo hubs have any case, nothing is added."""
    from datetime import timedelta

    from django.utils import timezone
    from simple_history.utils import bulk_create_with_history

    from casework import services
    from casework.models import Case, CaseSession
    from demo.year import born_on, build_year

    if Case.objects.filter(spoke__ref__startswith="DEMO-").exists():
        return
    _demo_referrals()
    today = timezone.localdate()
    named = []
    for local, name, preferred, age, indicators, sessions, _closed in DEMO_YOUNG_PEOPLE:
        worker = User.objects.get(email=demo_email(local))
        spoke = worker.worker_profile.spoke
        manager = HubManagement.objects.filter(hub=spoke.hub).first().manager
        opened = today - timedelta(days=20 + 7 * sessions)
        first, last = name.split(" ", 1)
        case = services.case_open(
            actor=manager,
            spoke=spoke,
            worker=worker,
            opened_on=opened,
            person_data={
                "first_name": first + " " + last,
                "preferred_name": preferred,
                "date_of_birth": born_on(today, age, 40),
                "gender": "not_known",
                "local_authority": spoke.local_authority,
                "contact_preference": "Text first (demo)",
            },
        )
        named.append((local, case))
        services.assessment_record(
            actor=worker,
            case=case,
            data={
                "kind": "initial",
                "assessed_on": opened,
                "indicators": indicators,
                "young_person_view": "Demo: they said they feel mostly safe.",
            },
        )
        # Written in bulk, with history, as session_log writes them one by one; the case
        # summaries are worked out once at the end of build_year.
        rows = [
            CaseSession(
                case=case,
                worker=worker,
                date=opened + timedelta(days=7 * (n + 1)),
                duration_minutes=45 + 15 * (n % 3),
                contact_method="face_to_face" if n % 3 else "phone",
                venue_type=["cafe_or_fast_food", "school", "community_building"][n % 3],
                young_person_chose=n % 2 == 0,
                attendance="attended" if n % 4 else "declined",
                themes=["relationships", "online_safety"][: 1 + n % 2],
                notes="Demo note: made-up session for the demonstration.",
                young_person_words="" if n % 2 else "Demo: I liked choosing the cafe.",
            )
            for n in range(sessions)
        ]
        bulk_create_with_history(rows, CaseSession, default_user=worker)
    build_year(today, named)


def _demo_returns() -> None:
    """The last ended quarter's returns, made as the Returns page makes them (one per funder
    and per hub, with their files and SHA-256). Made only if not there yet, so a demo loaded
    again in a later quarter gains that quarter's returns and keeps the earlier ones."""
    from reporting.returns import generate_quarter, previous_quarter, programme_today

    admin = User.objects.get(email=demo_email("admin"))
    with acting_as(admin):
        generate_quarter(previous_quarter(programme_today()), actor=admin)


def _demo_referrals() -> None:
    """Three made-up referrals waiting at the north hub, one a likely re-referral."""
    from datetime import timedelta

    from django.utils import timezone

    from referrals.services import referral_record

    hub = Hub.objects.get(ref="DEMO-NORTH")
    manager = User.objects.get(email=demo_email("manager.north"))
    today = timezone.localdate()
    for days, source, urgency, first, age, concerns in [
        (2, "school", "urgent", "Demo Amba", 15, "Demo: seen getting into cars after school."),
        (9, "police", "routine", "Demo Kestrel", 14, "Demo: found out of area at night."),
        (1, "parent_carer", "immediate", "Demo Tuppence", 13, "Demo: new older 'boyfriend'."),
    ]:
        referral_record(
            actor=manager,
            hub=hub,
            data={
                "received_on": today - timedelta(days=days),
                "source": source,
                "urgency": urgency,
                "first_name": first,
                "age": age,
                "concerns": concerns,
            },
        )
