"""Young people, cases, sessions, risk assessments, information sharing and case sharing.

Vocabulary values are exactly those of IMPORT.md. Every model here holds case data, so every
one keeps history, and every read goes through casework.access (ARCHITECTURE.md ideas 1-3).
"""

from __future__ import annotations

from django.conf import settings
from django.contrib.postgres.fields import ArrayField
from django.contrib.postgres.indexes import GinIndex
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.db.models import Q
from django.utils import timezone
from guardian.models import UserObjectPermissionBase
from simple_history.models import HistoricalRecords

from alexi.history import history_user_getter
from alexi.models import import_key_field

NOTE_MAX = 10_000
NEXT_MEETING_PLACE_MAX = 200


class Gender(models.TextChoices):
    FEMALE = "female", "Female"
    MALE = "male", "Male"
    NON_BINARY = "non_binary", "Non-binary"
    OTHER = "other", "Other"
    NOT_KNOWN = "not_known", "Not known"


class RiskLevel(models.TextChoices):
    """The risk levels, lowest first: this order is the one order of levels everywhere
    (RISK_ORDER in Python, risk_rank in the database)."""

    NONE = "none", "No apparent risk"
    LOW = "low", "Low"
    MEDIUM = "medium", "Medium"
    HIGH = "high", "High"


RISK_ORDER = {level: rank for rank, level in enumerate(RiskLevel)}  # none 0, ..., high 3


def risk_rank(field: str, *first: models.When, default: int | None = None) -> models.Case:
    """RISK_ORDER in the database: the rank of the level held in `field` (an expression for
    ordering or comparing levels); conditions in `first` are tried before the levels."""
    return models.Case(
        *first,
        *[
            models.When(**{field: level}, then=models.Value(rank))
            for level, rank in RISK_ORDER.items()
        ],
        default=models.Value(default),
        output_field=models.IntegerField(),
    )


class CaseStatus(models.TextChoices):
    OPEN = "open", "Open"
    PAUSED = "paused", "Paused"
    CLOSED = "closed", "Closed"


class ClosureReason(models.TextChoices):
    GOALS_MET = "goals_met", "Goals met or risk reduced"
    YOUNG_PERSON_ENDED = "young_person_ended", "Young person chose to end"
    NON_ENGAGEMENT = "non_engagement", "Young person did not engage"
    MOVED_AWAY = "moved_away", "Moved away"
    TRANSFERRED = "transferred", "Transferred to another service"
    AGED_OUT = "aged_out", "Turned 18"
    OTHER = "other", "Other"


class NoReductionReason(models.TextChoices):
    NON_ENGAGEMENT = "non_engagement", "Young person did not engage"
    MOVED_AWAY = "moved_away", "Moved away"
    ONGOING_EXPLOITATION = "ongoing_exploitation", "Exploitation is ongoing"
    OTHER = "other", "Other"


class ContactMethod(models.TextChoices):
    FACE_TO_FACE = "face_to_face", "Face to face"
    PHONE = "phone", "Phone"
    TEXT = "text", "Text message"
    ONLINE = "online", "Video or online"


class VenueType(models.TextChoices):
    SCHOOL = "school", "School"
    COMMUNITY_BUILDING = "community_building", "Community building"
    CAFE_OR_FAST_FOOD = "cafe_or_fast_food", "Cafe or fast food outlet"
    WORKER_CAR = "worker_car", "Worker's car"
    HOME = "home", "Home"
    HUB_OFFICE = "hub_office", "Hub office"
    OUTDOORS = "outdoors", "Outdoors"
    OTHER = "other", "Other"


class Attendance(models.TextChoices):
    ATTENDED = "attended", "Attended"
    DID_NOT_ATTEND = "did_not_attend", "Did not attend"
    DECLINED = "declined", "Chose not to meet"
    CANCELLED = "cancelled", "Cancelled by worker"


class Theme(models.TextChoices):
    RELATIONSHIPS = "relationships", "Healthy relationships"
    ONLINE_SAFETY = "online_safety", "Online safety"
    SEXUAL_HEALTH = "sexual_health", "Sexual health"
    EMOTIONAL_WELLBEING = "emotional_wellbeing", "Emotional wellbeing"
    FAMILY = "family", "Family"
    EDUCATION = "education", "Education or work"
    SUBSTANCES = "substances", "Alcohol and drugs"
    SAFETY_PLANNING = "safety_planning", "Safety planning"
    EXPLOITATION = "exploitation", "Understanding exploitation"
    ADVOCACY = "advocacy", "Advocacy with other services"
    GOALS = "goals", "Goals and interests"
    OTHER = "other", "Other"


class AssessmentKind(models.TextChoices):
    INITIAL = "initial", "Initial"
    REVIEW = "review", "Review"
    CLOSING = "closing", "Closing"


class LawfulBasis(models.TextChoices):
    CONSENT = "consent", "Consent"
    SAFEGUARDING = "safeguarding", "Safeguarding without consent"
    LEGAL_OBLIGATION = "legal_obligation", "Legal obligation (e.g. court order)"
    VITAL_INTERESTS = "vital_interests", "Vital interests (immediate danger)"
    PUBLIC_TASK = "public_task", "Public task"


class YoungPersonInformed(models.TextChoices):
    TOLD_AND_AGREED = "told_agreed", "Told, and agreed"
    TOLD_NOT_AGREED = "told_not_agreed", "Told, but did not agree"
    NOT_TOLD = "not_told", "Not told"


class Agency(models.TextChoices):
    POLICE = "police", "Police"
    CHILDRENS_SOCIAL_CARE = "childrens_social_care", "Children's social care"
    HEALTH = "health", "Health"
    SCHOOL = "school", "School or education"
    YOUTH_JUSTICE = "youth_justice", "Youth justice"
    VOLUNTARY_SECTOR = "voluntary_sector", "Voluntary sector"
    OTHER = "other", "Other"


class MultiAgencyPurpose(models.TextChoices):
    STRATEGY_MEETING = "strategy_meeting", "Strategy meeting"
    EXPLOITATION_PANEL = "exploitation_panel", "Exploitation panel"
    CHILD_PROTECTION = "child_protection", "Child protection conference or core group"
    CONSULTATION = "consultation", "Consultation or advice"
    JOINT_VISIT = "joint_visit", "Joint visit"
    OTHER = "other", "Other"


class YoungPerson(models.Model):
    """One person, possibly over several cases. Outside the case they are known by reference."""

    first_name = models.CharField(max_length=100, blank=True)
    last_name = models.CharField(max_length=100, blank=True)
    preferred_name = models.CharField(max_length=100, blank=True)
    date_of_birth = models.DateField(null=True, blank=True)
    gender = models.CharField(max_length=12, choices=Gender.choices, default=Gender.NOT_KNOWN)
    ethnicity = models.CharField(max_length=100, blank=True)
    disability_sen = models.BooleanField("disability or SEN", null=True, blank=True)
    local_authority = models.ForeignKey(
        "alexi.LocalAuthority", null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    looked_after = models.BooleanField(null=True, blank=True)
    contact_preference = models.CharField(
        "how they like to be contacted", max_length=300, blank=True
    )
    created_at = models.DateTimeField(default=timezone.now)
    version = models.PositiveIntegerField(default=1)
    history = HistoricalRecords(get_user=history_user_getter)

    class Meta:
        verbose_name_plural = "young people"
        indexes = [
            # Duplicate matching at intake (referrals): similar names and the same birth date.
            GinIndex(fields=["first_name"], opclasses=["gin_trgm_ops"], name="yp_first_name_trgm"),
            GinIndex(fields=["last_name"], opclasses=["gin_trgm_ops"], name="yp_last_name_trgm"),
            models.Index(fields=["date_of_birth"], name="yp_date_of_birth"),
        ]

    def __str__(self) -> str:
        return self.reference

    @property
    def reference(self) -> str:
        return f"YP-{self.pk:06d}" if self.pk else "YP-new"

    @property
    def display_name(self) -> str:
        """The name the young person asked to be called, for use inside the case only."""
        return self.preferred_name or self.first_name or self.reference

    @property
    def full_name(self) -> str:
        return " ".join(part for part in (self.first_name, self.last_name) if part)

    @property
    def age_on_today(self) -> int | None:
        return self.age_on(timezone.localdate())

    def age_on(self, day) -> int | None:
        """Their age in whole years on `day`; None while the date of birth is not known."""
        if self.date_of_birth is None:
            return None
        return self.age_between(self.date_of_birth, day)

    @staticmethod
    def age_between(born, day) -> int:
        """Whole years from a date of birth to `day`: the one age rule (casework, the risk
        tool, referral matching and the import all use it)."""
        return day.year - born.year - ((day.month, day.day) < (born.month, born.day))


class YoungPersonRef(models.Model):
    """The reference a hub's imported records give a young person (`person_ref`).

    References belong to the hub: the same `person_ref` at two hubs names two young people
    unless Alexi already holds them as one, so an import at one hub can neither reach nor
    reveal another hub's young people. A young person has at most one reference per hub."""

    hub = models.ForeignKey("alexi.Hub", on_delete=models.PROTECT, related_name="+")
    ref = models.CharField(max_length=40)
    young_person = models.ForeignKey(
        YoungPerson, on_delete=models.PROTECT, related_name="import_refs"
    )
    history = HistoricalRecords(get_user=history_user_getter)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["hub", "ref"], name="one_person_per_ref_per_hub"),
            models.UniqueConstraint(
                fields=["hub", "young_person"], name="one_ref_per_person_per_hub"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.ref} at {self.hub_id}"


class Case(models.Model):
    """A period of individual casework for one young person at one spoke."""

    # The case's reference in its hub's imported records: unique within the hub only.
    import_ref = models.CharField(max_length=40, null=True, blank=True)
    young_person = models.ForeignKey(YoungPerson, on_delete=models.PROTECT, related_name="cases")
    spoke = models.ForeignKey("alexi.Spoke", on_delete=models.PROTECT, related_name="cases")
    allocated_worker = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="allocated_cases",
    )
    # The spoke's hub, kept in step by a database trigger (migration 0009) so that "one open
    # case per young person per hub" is a unique index every writer meets, imports included.
    hub = models.ForeignKey("alexi.Hub", on_delete=models.PROTECT, related_name="+", editable=False)
    status = models.CharField(max_length=8, choices=CaseStatus.choices, default=CaseStatus.OPEN)
    opened_on = models.DateField()
    closed_on = models.DateField(null=True, blank=True)
    closure_reason = models.CharField(max_length=20, choices=ClosureReason.choices, blank=True)
    no_reduction_reason = models.CharField(
        max_length=20, choices=NoReductionReason.choices, blank=True
    )
    closure_requested_on = models.DateField(null=True, blank=True)
    closure_requested_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    closure_note = models.TextField(blank=True, max_length=NOTE_MAX)
    closure_returned_note = models.TextField(blank=True, max_length=NOTE_MAX)
    # Kept up to date by casework.services.case_refresh_summary, so caseloads filter and sort
    # on indexed columns instead of a subquery per row.
    current_level = models.CharField(max_length=6, choices=RiskLevel.choices, blank=True)
    next_review_due = models.DateField(null=True, blank=True)
    last_contact_on = models.DateField(null=True, blank=True)
    version = models.PositiveIntegerField(default=1)
    history = HistoricalRecords(
        get_user=history_user_getter,
        excluded_fields=["hub", "current_level", "next_review_due", "last_contact_on"],
    )

    class Meta:
        permissions = [("view_case_shared", "See a case shared with you")]
        indexes = [
            models.Index(fields=["allocated_worker", "status"]),
            models.Index(fields=["spoke", "status"]),
            models.Index(fields=["status", "next_review_due"]),
        ]
        constraints = [
            models.CheckConstraint(
                condition=Q(closed_on__isnull=True) | Q(closed_on__gte=models.F("opened_on")),
                name="case_closes_after_it_opens",
            ),
            models.CheckConstraint(
                condition=~Q(status="closed") | Q(closed_on__isnull=False),
                name="closed_case_has_closed_on",
            ),
            # Open or paused: a young person has at most one such case per hub.
            models.UniqueConstraint(
                fields=["young_person", "hub"],
                condition=~Q(status="closed"),
                name="one_open_case_per_person_per_hub",
            ),
            models.UniqueConstraint(fields=["hub", "import_ref"], name="case_ref_unique_per_hub"),
        ]

    def __str__(self) -> str:
        return self.reference

    @property
    def reference(self) -> str:
        return f"C-{self.pk:06d}" if self.pk else "C-new"

    @property
    def closure_pending(self) -> bool:
        return self.status != CaseStatus.CLOSED and self.closure_requested_on is not None


class CaseUserObjectPermission(UserObjectPermissionBase):
    """django-guardian direct foreign-key grant on a case (never the generic table)."""

    content_object = models.ForeignKey(Case, on_delete=models.CASCADE)


class Allocation(models.Model):
    """Who held the case when: the allocation history."""

    case = models.ForeignKey(Case, on_delete=models.CASCADE, related_name="allocations")
    worker = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="allocations"
    )
    started_at = models.DateTimeField(default=timezone.now)
    ended_at = models.DateTimeField(null=True, blank=True)
    allocated_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    reason = models.CharField(max_length=300, blank=True)
    history = HistoricalRecords(get_user=history_user_getter)

    class Meta:
        ordering = ["started_at"]
        constraints = [
            models.UniqueConstraint(
                fields=["case"], condition=Q(ended_at__isnull=True), name="one_current_allocation"
            )
        ]

    def __str__(self) -> str:
        return f"{self.case} allocated to {self.worker}"


class CaseSession(models.Model):
    """A session or contact with the young person (or an attempt at one)."""

    import_key = import_key_field()
    case = models.ForeignKey(Case, on_delete=models.CASCADE, related_name="sessions")
    date = models.DateField()
    duration_minutes = models.PositiveSmallIntegerField(
        null=True, blank=True, validators=[MinValueValidator(1), MaxValueValidator(720)]
    )
    worker = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="case_sessions"
    )
    contact_method = models.CharField(max_length=14, choices=ContactMethod.choices)
    venue_type = models.CharField(max_length=20, choices=VenueType.choices, blank=True)
    young_person_chose = models.BooleanField(
        "young person chose the venue and time", null=True, blank=True
    )
    attendance = models.CharField(max_length=16, choices=Attendance.choices)
    themes = ArrayField(
        models.CharField(max_length=24, choices=Theme.choices), default=list, blank=True
    )
    notes = models.TextField(blank=True, max_length=NOTE_MAX)
    young_person_words = models.TextField(
        "the young person's own words", blank=True, max_length=NOTE_MAX
    )
    # The next meeting noted with this session (all three or none): the date, time and the
    # place the young person chose. The case's planned next meeting is the one noted with its
    # latest session that has one (casework.worklist.next_meeting).
    next_meeting_on = models.DateField("next meeting date", null=True, blank=True)
    next_meeting_time = models.TimeField("next meeting time", null=True, blank=True)
    next_meeting_place = models.CharField(
        "next meeting place", max_length=NEXT_MEETING_PLACE_MAX, blank=True
    )
    recorded_at = models.DateTimeField(default=timezone.now)
    version = models.PositiveIntegerField(default=1)
    history = HistoricalRecords(get_user=history_user_getter)

    class Meta:
        verbose_name = "session"
        ordering = ["-date", "-id"]
        indexes = [
            models.Index(fields=["case", "-date"]),
            models.Index(
                fields=["case", "next_meeting_on"],
                condition=Q(next_meeting_on__isnull=False),
                name="session_next_meeting",
            ),
        ]
        constraints = [
            models.CheckConstraint(
                condition=Q(
                    next_meeting_on__isnull=True,
                    next_meeting_time__isnull=True,
                    next_meeting_place="",
                )
                | (
                    Q(next_meeting_on__isnull=False, next_meeting_time__isnull=False)
                    & ~Q(next_meeting_place="")
                ),
                name="next_meeting_all_or_nothing",
            )
        ]

    def __str__(self) -> str:
        return f"Session on {self.date:%d %b %Y}"


class RiskTool(models.Model):
    """A versioned risk tool held as data. A version in use is never edited."""

    version = models.PositiveIntegerField(unique=True)
    name = models.CharField(max_length=200)
    definition = models.JSONField()
    created_at = models.DateTimeField(default=timezone.now)
    history = HistoricalRecords(get_user=history_user_getter)

    class Meta:
        ordering = ["-version"]

    def __str__(self) -> str:
        return f"{self.name} (version {self.version})"


class RiskAssessment(models.Model):
    import_key = import_key_field()
    case = models.ForeignKey(Case, on_delete=models.CASCADE, related_name="assessments")
    kind = models.CharField(max_length=8, choices=AssessmentKind.choices)
    assessed_on = models.DateField()
    assessor = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="assessments"
    )
    tool = models.ForeignKey(RiskTool, on_delete=models.PROTECT, null=True, blank=True)
    indicators = ArrayField(models.CharField(max_length=60), default=list, blank=True)
    # The assessor's explicit "none of the indicators is present": without it (or indicators),
    # a level of "no apparent risk" is only what an empty form gives, and records nothing.
    no_indicators_present = models.BooleanField(default=False, db_default=False)
    score = models.PositiveSmallIntegerField(null=True, blank=True)
    computed_level = models.CharField(max_length=6, choices=RiskLevel.choices, blank=True)
    final_level = models.CharField(max_length=6, choices=RiskLevel.choices)
    rationale = models.TextField(blank=True, max_length=NOTE_MAX)
    young_person_view = models.TextField(
        "the young person's own view", blank=True, max_length=NOTE_MAX
    )
    next_review_due = models.DateField(null=True, blank=True)
    recorded_at = models.DateTimeField(default=timezone.now)
    version = models.PositiveIntegerField(default=1)
    history = HistoricalRecords(get_user=history_user_getter)

    class Meta:
        ordering = ["-assessed_on", "-id"]
        indexes = [models.Index(fields=["case", "-assessed_on"])]

    def __str__(self) -> str:
        return f"{self.get_kind_display()} assessment on {self.assessed_on:%d %b %Y}"

    @property
    def records_nothing(self) -> bool:
        return (
            not self.indicators
            and not self.no_indicators_present
            and (self.final_level == RiskLevel.NONE)
        )


def assessment_records_nothing() -> Q:
    """Assessments that recorded nothing: no indicators, no explicit "no indicators present",
    and "no apparent risk" -- what an empty form used to save (and an imported level "none",
    which the import format cannot tell apart from it). No figure counts them as assessed."""
    return Q(indicators=[], no_indicators_present=False, final_level=RiskLevel.NONE)


class InformationShare(models.Model):
    """Every share of information outside the service."""

    case = models.ForeignKey(Case, on_delete=models.CASCADE, related_name="information_shares")
    shared_on = models.DateField()
    recipient_agency = models.CharField(max_length=200)
    recipient_role = models.CharField(max_length=200, blank=True)
    what_shared = models.TextField(max_length=NOTE_MAX)
    lawful_basis = models.CharField(max_length=20, choices=LawfulBasis.choices)
    young_person_informed = models.CharField(max_length=16, choices=YoungPersonInformed.choices)
    reason_not_informed = models.TextField(blank=True, max_length=NOTE_MAX)
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    recorded_at = models.DateTimeField(default=timezone.now)
    history = HistoricalRecords(get_user=history_user_getter)

    class Meta:
        ordering = ["-shared_on", "-id"]

    def __str__(self) -> str:
        return f"Shared with {self.recipient_agency} on {self.shared_on:%d %b %Y}"


class MultiAgencyContact(models.Model):
    case = models.ForeignKey(Case, on_delete=models.CASCADE, related_name="agency_contacts")
    contact_on = models.DateField()
    agency = models.CharField(max_length=24, choices=Agency.choices)
    purpose = models.CharField(max_length=20, choices=MultiAgencyPurpose.choices)
    outcome = models.TextField(blank=True, max_length=NOTE_MAX)
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    history = HistoricalRecords(get_user=history_user_getter)

    class Meta:
        ordering = ["-contact_on", "-id"]

    def __str__(self) -> str:
        return f"{self.get_agency_display()} on {self.contact_on:%d %b %Y}"


class NoteKind(models.TextChoices):
    PHONE_CALL = "phone_call", "Phone call"
    MEETING = "meeting", "Meeting"
    EMAIL = "email", "Email"
    MESSAGE = "message", "Message"
    OTHER = "other", "Other"


class CaseNote(models.Model):
    """A note of something that is not a session with the young person: a phone call with
    their school, the outcome of a strategy meeting. Shown in the chronology as a case note."""

    case = models.ForeignKey(Case, on_delete=models.CASCADE, related_name="notes")
    date = models.DateField()
    kind = models.CharField("kind of note", max_length=12, choices=NoteKind.choices)
    with_whom = models.CharField("with whom", max_length=200, blank=True)
    text = models.TextField("note", max_length=NOTE_MAX)
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    recorded_at = models.DateTimeField(default=timezone.now)
    version = models.PositiveIntegerField(default=1)
    history = HistoricalRecords(get_user=history_user_getter)

    class Meta:
        verbose_name = "case note"
        ordering = ["-date", "-id"]
        indexes = [models.Index(fields=["case", "-date"], name="casenote_case_date")]

    def __str__(self) -> str:
        return f"Case note on {self.date:%d %b %Y}"


class ShareKind(models.TextChoices):
    SHARE = "share", "Shared with a worker"
    TRANSFER = "transfer", "Transfer to another hub"
    BREAK_GLASS = "break_glass", "Emergency access"


class TransferStatus(models.TextChoices):
    PENDING = "pending", "Waiting for the receiving hub"
    ACCEPTED = "accepted", "Accepted"
    DECLINED = "declined", "Declined"


ACCESS_KINDS = (ShareKind.SHARE, ShareKind.BREAK_GLASS)
"""The kinds of share that give a person access to the case (a transfer gives a summary)."""

SHARED_PERMISSION = "view_case_shared"


class CaseShareQuerySet(models.QuerySet):
    """The one rule for "is this share live" (ARCHITECTURE.md idea 2)."""

    def unexpired(self, at=None, kinds=ACCESS_KINDS) -> CaseShareQuerySet:
        """Not ended by hand and not yet at its expiry at `at` (now by default), of `kinds`
        (None: any kind). One that starts later counts: its guardian grant is already made."""
        at = at or timezone.now()
        shares = self.filter(revoked_at__isnull=True, expires_at__gt=at)
        return shares if kinds is None else shares.filter(kind__in=kinds)

    def live(self, at=None, kinds=ACCESS_KINDS) -> CaseShareQuerySet:
        """In force at `at` (now by default): not ended, started, not yet at its expiry. An
        expired share stops here at its expiry, whether or not the tidy-up job has run."""
        at = at or timezone.now()
        return self.unexpired(at, kinds).filter(starts_at__lte=at)

    def paired_with_grant(self) -> CaseShareQuerySet:
        """Only shares whose person still holds the guardian grant on the case."""
        grant = CaseUserObjectPermission.objects.filter(
            content_object=models.OuterRef("case_id"),
            user=models.OuterRef("shared_with_id"),
            permission__codename=SHARED_PERMISSION,
        )
        return self.filter(models.Exists(grant))


class CaseShare(models.Model):
    """Access beyond the structure, always with who granted it, why and until when.

    Paired with a guardian grant (CaseUserObjectPermission) for shares and break-glass access;
    a transfer gives the receiving hub's managers only its summary until they accept.
    """

    case = models.ForeignKey(Case, on_delete=models.CASCADE, related_name="shares")
    kind = models.CharField(max_length=12, choices=ShareKind.choices)
    shared_with = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="case_shares",
    )
    to_hub = models.ForeignKey(
        "alexi.Hub", null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    to_spoke = models.ForeignKey(
        "alexi.Spoke", null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    granted_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    reason = models.TextField(max_length=2000)
    starts_at = models.DateTimeField(default=timezone.now)
    expires_at = models.DateTimeField()
    revoked_at = models.DateTimeField(null=True, blank=True)
    transfer_status = models.CharField(max_length=8, choices=TransferStatus.choices, blank=True)
    decided_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    decided_at = models.DateTimeField(null=True, blank=True)
    history = HistoricalRecords(get_user=history_user_getter)

    objects = CaseShareQuerySet.as_manager()

    class Meta:
        ordering = ["-starts_at"]
        indexes = [models.Index(fields=["shared_with", "expires_at"])]

    def __str__(self) -> str:
        return f"{self.get_kind_display()} of {self.case}"

    @property
    def is_live(self) -> bool:
        now = timezone.now()
        return self.revoked_at is None and self.starts_at <= now < self.expires_at


REMINDER_NOTE_MAX = 200


class Reminder(models.Model):
    """A person's own reminder on a case: a day and a short note ("ring school about
    Tuesday"). Personal: only its author sees it, in their work list and on the case, and only
    while they may open the case. Done, changed and deleted reminders keep their history."""

    case = models.ForeignKey(Case, on_delete=models.CASCADE, related_name="reminders")
    author = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="reminders"
    )
    due_on = models.DateField("date")
    note = models.CharField(max_length=REMINDER_NOTE_MAX)
    done_at = models.DateTimeField(null=True, blank=True)
    created_at = models.DateTimeField(default=timezone.now)
    version = models.PositiveIntegerField(default=1)
    history = HistoricalRecords(get_user=history_user_getter)

    class Meta:
        ordering = ["due_on", "id"]
        indexes = [
            models.Index(
                fields=["author", "due_on"],
                condition=Q(done_at__isnull=True),
                name="reminder_to_do_by_author",
            ),
            models.Index(fields=["case", "author"], name="reminder_case_author"),
        ]

    def __str__(self) -> str:
        return f"Reminder for {self.due_on:%d %b %Y}"
