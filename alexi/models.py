"""The programme core: people and roles, funders, hubs, spokes, LA areas, invitations, audit."""

from __future__ import annotations

import hashlib

from django.contrib.auth.models import AbstractBaseUser, BaseUserManager, PermissionsMixin
from django.contrib.postgres.fields import ArrayField
from django.contrib.postgres.indexes import GinIndex
from django.core.validators import MaxValueValidator, MinValueValidator, RegexValidator
from django.db import models
from django.db.models import Q
from django.utils import timezone
from simple_history.models import HistoricalRecords

from alexi.history import history_user_getter

ref_validator = RegexValidator(
    r"^[A-Za-z0-9][A-Za-z0-9_.-]{0,39}$",
    "Use letters, numbers, dots, dashes or underscores (up to 40).",
)


def import_key_field() -> models.CharField:
    """How an imported row with no ref of its own (a session, an assessment, groupwork,
    training, a consultation) is recognised when the same files are imported again."""
    return models.CharField(max_length=200, unique=True, null=True, blank=True, editable=False)


class Role(models.TextChoices):
    SPOKE_WORKER = "spoke_worker", "Spoke worker"
    HUB_MANAGER = "hub_manager", "Hub manager"
    FUNDER = "funder", "Funder"
    PROGRAMME_ADMIN = "programme_admin", "Programme administrator"


class UserManager(BaseUserManager):
    use_in_migrations = True

    def create_user(self, email, password=None, **extra):
        if not email:
            raise ValueError("An email address is required.")
        user = self.model(email=self.normalize_email(email).lower(), **extra)
        if password:
            user.set_password(password)
        else:
            user.set_unusable_password()
        user.save(using=self._db)
        return user

    def create_superuser(self, email, password=None, **extra):
        extra.setdefault("role", Role.PROGRAMME_ADMIN)
        extra.setdefault("full_name", "Programme administrator")
        extra.setdefault("is_superuser", True)
        return self.create_user(email, password, **extra)


class User(AbstractBaseUser, PermissionsMixin):
    """A person who signs in. Email is the sign-in name; one role decides what they see."""

    email = models.EmailField(unique=True)
    full_name = models.CharField(max_length=200)
    role = models.CharField(max_length=20, choices=Role.choices)
    funder = models.ForeignKey(
        "Funder", null=True, blank=True, on_delete=models.PROTECT, related_name="users"
    )
    is_active = models.BooleanField(default=True)
    date_joined = models.DateTimeField(default=timezone.now)
    # Part of the session hash: raising it ends every session of this user on their next request.
    session_epoch = models.PositiveIntegerField(default=0)
    history = HistoricalRecords(
        get_user=history_user_getter, excluded_fields=["password", "last_login", "session_epoch"]
    )

    objects = UserManager()

    USERNAME_FIELD = "email"
    EMAIL_FIELD = "email"
    REQUIRED_FIELDS = ["full_name"]

    class Meta:
        ordering = ["full_name"]
        constraints = [
            models.CheckConstraint(
                condition=Q(role="funder", funder__isnull=False) | ~Q(role="funder"),
                name="funder_user_has_funder",
            )
        ]

    def __str__(self) -> str:
        return self.full_name or self.email

    @property
    def is_staff(self) -> bool:
        """The Django admin is for superusers only (alexi/admin.py); everyone else uses
        Alexi's own pages for the programme structure."""
        return self.is_active and self.role == Role.PROGRAMME_ADMIN and self.is_superuser

    def _get_session_auth_hash(self, secret=None):
        from django.utils.crypto import salted_hmac

        return salted_hmac(
            "alexi.User.session_auth_hash",
            f"{self.password}:{self.session_epoch}",
            secret=secret,
            algorithm="sha256",
        ).hexdigest()

    def get_full_name(self) -> str:
        return self.full_name

    def get_short_name(self) -> str:
        return self.full_name.split(" ")[0] if self.full_name else self.email


class LocalAuthority(models.Model):
    """An English upper-tier local authority, identified by its ONS (GSS) code."""

    gss_code = models.CharField("ONS code", max_length=9, unique=True)
    name = models.CharField(max_length=120)
    official_name = models.CharField(max_length=200, blank=True)
    kind = models.CharField("type", max_length=60, blank=True)
    region = models.CharField(max_length=60, blank=True)
    start_date = models.DateField(null=True, blank=True)
    end_date = models.DateField(null=True, blank=True)
    replaced_by = models.CharField(max_length=200, blank=True)
    # Optimistic locking: an edit made from an out-of-date page is refused (alexi.structure).
    version = models.PositiveIntegerField(default=1, db_default=1, editable=False)
    history = HistoricalRecords(get_user=history_user_getter)

    class Meta:
        ordering = ["name"]
        verbose_name = "local authority"
        verbose_name_plural = "local authorities"

    def __str__(self) -> str:
        return self.name

    @property
    def is_current(self) -> bool:
        return self.end_date is None


class Funder(models.Model):
    ref = models.CharField(max_length=40, unique=True, validators=[ref_validator])
    name = models.CharField(max_length=200)
    # Optimistic locking: an edit made from an out-of-date page is refused (alexi.structure).
    version = models.PositiveIntegerField(default=1, db_default=1, editable=False)
    history = HistoricalRecords(get_user=history_user_getter)

    class Meta:
        ordering = ["name"]

    def __str__(self) -> str:
        return self.name


class Hub(models.Model):
    """A voluntary organisation with CSE expertise that places spoke workers."""

    ref = models.CharField(max_length=40, unique=True, validators=[ref_validator])
    name = models.CharField(max_length=200)
    home_las = models.ManyToManyField(
        LocalAuthority, blank=True, related_name="home_hubs", verbose_name="LA areas served"
    )
    funders = models.ManyToManyField(Funder, blank=True, related_name="hubs")
    managers = models.ManyToManyField(
        User, through="HubManagement", related_name="managed_hubs", blank=True
    )
    # Optimistic locking: an edit made from an out-of-date page is refused (alexi.structure).
    version = models.PositiveIntegerField(default=1, db_default=1, editable=False)
    history = HistoricalRecords(get_user=history_user_getter)

    class Meta:
        ordering = ["name"]

    def __str__(self) -> str:
        return self.name


def management_current(on=None, *, via: str = "") -> Q:
    """The one rule for "who manages this hub on this day": started on or before `on` (today
    by default) and not ended before it. `via` is the path from another model, e.g.
    "managements__" from a hub, so a query over hubs uses the same rule in its own join."""
    on = on or timezone.localdate()
    return Q(**{f"{via}start_date__lte": on}) & management_not_ended(on, via=via)


def management_not_ended(on=None, *, via: str = "") -> Q:
    """Not ended before `on` (today by default), whether or not it has started yet."""
    on = on or timezone.localdate()
    return Q(**{f"{via}end_date__isnull": True}) | Q(**{f"{via}end_date__gte": on})


class HubManagementQuerySet(models.QuerySet):
    def current(self, on=None) -> HubManagementQuerySet:
        """Managements in force on `on` (today by default): the gate's rule."""
        return self.filter(management_current(on))

    def not_ended(self, on=None) -> HubManagementQuerySet:
        """Managements not ended before `on`, including any that start later (to end them, or
        not to offer the same manager twice)."""
        return self.filter(management_not_ended(on))


class HubManagement(models.Model):
    """A hub manager's responsibility for a hub, with dates so figures can ask 'at period end'."""

    hub = models.ForeignKey(Hub, on_delete=models.CASCADE, related_name="managements")
    manager = models.ForeignKey(User, on_delete=models.CASCADE, related_name="hub_managements")
    start_date = models.DateField(default=timezone.localdate)
    end_date = models.DateField(null=True, blank=True)
    history = HistoricalRecords(get_user=history_user_getter)

    objects = HubManagementQuerySet.as_manager()

    class Meta:
        constraints = [
            models.UniqueConstraint(
                fields=["hub", "manager"],
                condition=Q(end_date__isnull=True),
                name="one_current_management_per_hub_manager",
            )
        ]

    def __str__(self) -> str:
        return f"{self.manager} manages {self.hub}"


class SpokeModel(models.TextChoices):
    CO_LOCATED = "co-located", "Co-located"
    OUTREACH = "outreach", "Outreach"
    HYBRID = "hybrid", "Hybrid"


class Spoke(models.Model):
    """A hub's placement in one LA area, usually hosted by a partner agency."""

    ref = models.CharField(max_length=40, unique=True, validators=[ref_validator])
    hub = models.ForeignKey(Hub, on_delete=models.PROTECT, related_name="spokes")
    local_authority = models.ForeignKey(
        LocalAuthority, on_delete=models.PROTECT, related_name="spokes", verbose_name="LA area"
    )
    host_agency = models.CharField(max_length=200, blank=True)
    model = models.CharField("delivery model", max_length=12, choices=SpokeModel.choices)
    start_date = models.DateField()
    end_date = models.DateField(null=True, blank=True)
    # Optimistic locking: an edit made from an out-of-date page is refused (alexi.structure).
    version = models.PositiveIntegerField(default=1, db_default=1, editable=False)
    history = HistoricalRecords(get_user=history_user_getter)

    class Meta:
        ordering = ["hub__name", "local_authority__name"]
        constraints = [
            models.CheckConstraint(
                condition=Q(end_date__isnull=True) | Q(end_date__gte=models.F("start_date")),
                name="spoke_ends_after_it_starts",
            )
        ]

    def __str__(self) -> str:
        return f"{self.hub.name}: {self.local_authority.name}"


class WorkerProfile(models.Model):
    """A spoke worker's attachment and background. History keeps earlier spokes and FTE."""

    user = models.OneToOneField(User, on_delete=models.CASCADE, related_name="worker_profile")
    spoke = models.ForeignKey(Spoke, on_delete=models.PROTECT, related_name="workers")
    fte = models.DecimalField(
        "FTE",
        max_digits=3,
        decimal_places=2,
        default=1,
        validators=[MinValueValidator(0.05), MaxValueValidator(1)],
    )
    background = models.CharField("professional background", max_length=200, blank=True)
    qualifications = models.TextField(blank=True)
    years_experience = models.PositiveSmallIntegerField(
        "years of experience", null=True, blank=True, validators=[MaxValueValidator(60)]
    )
    # Optimistic locking: an edit made from an out-of-date page is refused (alexi.structure).
    version = models.PositiveIntegerField(default=1, db_default=1, editable=False)
    history = HistoricalRecords(get_user=history_user_getter)

    def __str__(self) -> str:
        return f"{self.user} at {self.spoke}"


class Invitation(models.Model):
    """A single-use, expiring link that lets a new user choose their own password."""

    user = models.ForeignKey(User, on_delete=models.CASCADE, related_name="invitations")
    token_hash = models.CharField(max_length=64, unique=True)
    created_at = models.DateTimeField(default=timezone.now)
    created_by = models.ForeignKey(
        User, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    expires_at = models.DateTimeField()
    used_at = models.DateTimeField(null=True, blank=True)
    revoked_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["-created_at"]

    def __str__(self) -> str:
        return f"Invitation for {self.user}"

    @staticmethod
    def hash_token(token: str) -> str:
        return hashlib.sha256(token.encode()).hexdigest()

    @property
    def is_usable(self) -> bool:
        return self.used_at is None and self.revoked_at is None and self.expires_at > timezone.now()


class UserSession(models.Model):
    """Which server-side sessions belong to whom, so deactivation can end them all at once."""

    user = models.ForeignKey(User, on_delete=models.CASCADE, related_name="sessions")
    session_key = models.CharField(max_length=40, unique=True)
    created_at = models.DateTimeField(default=timezone.now)

    def __str__(self) -> str:
        return f"Session of {self.user}"


class AccessAction(models.TextChoices):
    VIEW = "view", "Viewed"
    EXPORT = "export", "Exported"
    DOWNLOAD = "download", "Downloaded"
    PRINT = "print", "Printed"
    SIGN_IN = "sign_in", "Signed in"
    SIGN_IN_FAILED = "sign_in_failed", "Sign-in not accepted"
    SECOND_FACTOR_FAILED = "second_factor_failed", "Code not accepted"
    LOCKED_OUT = "locked_out", "Sign-in paused after repeated attempts"
    SIGN_OUT = "sign_out", "Signed out"
    SECOND_FACTOR_ENROLLED = "second_factor_enrolled", "Second factor set up"
    RECOVERY_CODE_USED = "recovery_code_used", "Recovery code used"
    PASSWORD_SET = "password_set", "Password set"
    REFUSED = "refused", "Access refused"
    BREAK_GLASS = "break_glass", "Emergency access"
    SESSIONS_ENDED = "sessions_ended", "Sessions ended"
    SECOND_FACTOR_RESET = "second_factor_reset", "Second factor reset"
    PASSWORD_CHANGED = "password_changed", "Password changed"
    ACCOUNT_REACTIVATED = "account_reactivated", "Account reactivated"
    INVITATION_SENT = "invitation_sent", "Invitation sent"
    GRANT_REQUESTED = "grant_requested", "Access to a hub asked for"
    GRANT_CONFIRMED = "grant_confirmed", "Access to a hub confirmed"
    GRANT_REFUSED = "grant_refused", "Access to a hub refused"
    SHARE_ENDED = "share_ended", "Sharing of a case ended"
    ADMIN_INVITED = "admin_invited", "Administrator invited (identity confirmed)"
    ADMIN_REACTIVATED = "admin_reactivated", "Administrator reactivated (identity confirmed)"
    CALENDAR_FEED_MADE = "calendar_feed_made", "Calendar feed address made"
    CALENDAR_FEED_OFF = "calendar_feed_off", "Calendar feed turned off"
    SEARCH = "search", "Searched"


class GrantKind(models.TextChoices):
    HUB_MANAGER = "hub_manager", "Manage the hub"
    SPOKE_WORKER = "spoke_worker", "Work at a spoke"


class GrantStatus(models.TextChoices):
    PENDING = "pending", "Waiting for confirmation"
    CONFIRMED = "confirmed", "Confirmed"
    REFUSED = "refused", "Refused"


class AccessGrant(models.Model):
    """A request to let someone reach a hub's child records (manage the hub, or work at one
    of its spokes). Nothing is granted until a current manager of the hub confirms it (a
    second programme administrator for a hub with no manager); the person asking never can.
    Confirmation makes the HubManagement or WorkerProfile (alexi.grants)."""

    user = models.ForeignKey(User, on_delete=models.CASCADE, related_name="access_grants")
    kind = models.CharField(max_length=20, choices=GrantKind.choices)
    hub = models.ForeignKey(Hub, on_delete=models.PROTECT, related_name="access_grants")
    spoke = models.ForeignKey(
        Spoke, null=True, blank=True, on_delete=models.PROTECT, related_name="access_grants"
    )
    # A new worker's FTE, background, qualifications and years of experience, as invited.
    worker_details = models.JSONField(default=dict, blank=True)
    status = models.CharField(
        max_length=12, choices=GrantStatus.choices, default=GrantStatus.PENDING
    )
    requested_by = models.ForeignKey(
        User, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    requested_at = models.DateTimeField(default=timezone.now)
    decided_by = models.ForeignKey(
        User, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    decided_at = models.DateTimeField(null=True, blank=True)
    history = HistoricalRecords(get_user=history_user_getter)

    class Meta:
        ordering = ["requested_at", "pk"]
        constraints = [
            models.CheckConstraint(
                condition=Q(kind="hub_manager") | Q(spoke__isnull=False),
                name="worker_grant_names_a_spoke",
            ),
            models.UniqueConstraint(
                fields=["user", "kind", "hub"],
                condition=Q(status="pending"),
                name="one_pending_grant_per_person_kind_hub",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.user} to {self.get_kind_display().lower()} at {self.hub}"


class AccessLog(models.Model):
    """Append-only record of reads and authentication events. Never holds case content.

    The database refuses UPDATE and DELETE on this table (trigger in migration 0002).
    """

    at = models.DateTimeField(default=timezone.now, db_index=True)
    user = models.ForeignKey(
        User,
        null=True,
        blank=True,
        on_delete=models.DO_NOTHING,
        related_name="+",
        db_constraint=False,
    )
    user_label = models.CharField(max_length=254, blank=True)
    action = models.CharField(max_length=30, choices=AccessAction.choices)
    object_type = models.CharField(max_length=60, blank=True)
    object_id = models.CharField(max_length=64, blank=True)
    address = models.GenericIPAddressField(null=True, blank=True)
    path = models.CharField(max_length=300, blank=True)
    # A search: what was typed (a search for a name is itself sensitive, so it is kept here,
    # where only the audit reads it) and the ids of the records of `object_type` it listed.
    # The database fills it in too, so a row written without it (by a server still running
    # the code of before 0012 while a new release is rolled out, or by SQL) is still kept.
    terms = models.CharField(max_length=200, blank=True, db_default="")
    object_ids = ArrayField(models.BigIntegerField(), null=True, blank=True)

    class Meta:
        ordering = ["-at", "-id"]
        indexes = [
            models.Index(fields=["object_type", "object_id", "-at"]),
            # "Who opened this case" lists the searches that showed it.
            GinIndex(
                fields=["object_ids"], name="accesslog_search_ids", condition=Q(action="search")
            ),
        ]

    def __str__(self) -> str:
        return f"{self.at:%Y-%m-%d %H:%M} {self.user_label} {self.action} {self.object_type}"
