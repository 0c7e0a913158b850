"""Dossiers (hồ sơ) received at a commune's one-stop center and their whole history."""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _


class Status(models.TextChoices):
    SUBMITTED = "submitted", _("Submitted online, not yet received")
    RECEIVED = "received", _("Received")
    REFUSED = "refused", _("Refused")
    IN_PROGRESS = "in_progress", _("In progress")
    SUPPLEMENT_REQUESTED = "supplement_requested", _("Waiting for the applicant's supplement")
    FINANCIAL_OBLIGATION = "financial_obligation", _("Waiting for the applicant's payment")
    DONE = "done", _("Result ready")
    RETURNED = "returned", _("Result returned")
    WITHDRAWN = "withdrawn", _("Withdrawn by the applicant")
    STOPPED = "stopped", _("Handling stopped")


OPEN_STATUSES = (
    Status.SUBMITTED,
    Status.RECEIVED,
    Status.IN_PROGRESS,
    Status.SUPPLEMENT_REQUESTED,
    Status.FINANCIAL_OBLIGATION,
    Status.DONE,
)
PAUSED_STATUSES = (Status.SUPPLEMENT_REQUESTED, Status.FINANCIAL_OBLIGATION)


class Channel(models.TextChoices):
    IN_PERSON = "in_person", _("At the counter")
    ONLINE = "online", _("Online")
    POSTAL = "postal", _("By post")


class StepKind(models.TextChoices):
    RECEPTION = "reception", _("Reception")
    PROCESSING = "processing", _("Processing by the specialist department")
    SIGNOFF = "signoff", _("Leader sign-off")
    RETURN = "return", _("Return of the result")


class DailySequence(models.Model):
    """The last dossier number given out by a unit on a day (for the dossier code)."""

    unit = models.CharField(max_length=40)
    day = models.DateField()
    last = models.PositiveIntegerField(default=0)

    class Meta:
        constraints = [models.UniqueConstraint(fields=["unit", "day"], name="one_sequence_per_unit_day")]

    def __str__(self) -> str:
        return f"{self.unit} {self.day}: {self.last}"


class Dossier(models.Model):
    code = models.CharField(_("dossier code"), max_length=60, unique=True)
    commune = models.ForeignKey(
        "places.Commune",
        on_delete=models.PROTECT,
        related_name="dossiers",
        help_text=_("The commune competent to handle it; the dossier belongs to it."),
    )
    received_by = models.ForeignKey(
        "places.Commune",
        on_delete=models.PROTECT,
        related_name="dossiers_received",
        help_text=_("The center that received it (any commune of the province)."),
    )
    procedure = models.ForeignKey("catalog.Procedure", on_delete=models.PROTECT, related_name="dossiers")
    channel = models.CharField(max_length=12, choices=Channel.choices)
    status = models.CharField(max_length=24, choices=Status.choices, db_index=True)
    applicant_name = models.CharField(_("full name"), max_length=150)
    applicant_id_number = models.CharField(_("citizen ID number"), max_length=12)
    applicant_phone = models.CharField(_("phone"), max_length=20)
    applicant_email = models.EmailField(_("email"), blank=True)
    applicant_address = models.CharField(_("address"), max_length=300)
    submitted_at = models.DateTimeField()
    received_at = models.DateTimeField(null=True, blank=True)
    due_at = models.DateTimeField(null=True, blank=True, db_index=True)
    original_due_at = models.DateTimeField(null=True, blank=True)
    time_value = models.DecimalField(max_digits=8, decimal_places=2, null=True, blank=True)
    time_unit = models.CharField(max_length=15, blank=True)  # as in catalog Channel.TimeUnit
    paused_since = models.DateTimeField(null=True, blank=True)
    pauses = models.JSONField(default=list, blank=True)  # [[start ISO, end ISO], ...]
    finished_at = models.DateTimeField(null=True, blank=True)
    returned_at = models.DateTimeField(null=True, blank=True)
    closed_at = models.DateTimeField(null=True, blank=True)
    department = models.ForeignKey(
        "places.Department", null=True, blank=True, on_delete=models.PROTECT, related_name="dossiers"
    )
    assignee = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="dossiers"
    )
    fee_vnd = models.BigIntegerField(null=True, blank=True)
    paid_online = models.BooleanField(default=False)
    missing_items = models.JSONField(default=list, blank=True)  # what the applicant must supply
    result_note = models.TextField(blank=True)
    late = models.BooleanField(default=False, db_index=True)
    due_warning_sent = models.BooleanField(default=False)
    version = models.PositiveIntegerField(default=0)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )

    class Meta:
        ordering = ["-submitted_at"]
        indexes = [
            models.Index(fields=["commune", "status", "due_at"]),
            models.Index(fields=["commune", "submitted_at"]),
            # period figures (insights) select by when dossiers were submitted or finished
            models.Index(fields=["submitted_at"]),
            models.Index(fields=["finished_at"]),
        ]

    def __str__(self) -> str:
        return self.code


class DossierDocument(models.Model):
    """One line of the procedure's checklist, ticked against what was handed in."""

    dossier = models.ForeignKey(Dossier, on_delete=models.CASCADE, related_name="documents")
    position = models.PositiveSmallIntegerField(default=0)
    name = models.TextField()
    quantity_text = models.CharField(max_length=200, blank=True)
    submitted = models.BooleanField(default=False)
    note = models.CharField(max_length=300, blank=True)

    class Meta:
        ordering = ["dossier_id", "position"]

    def __str__(self) -> str:
        return self.name[:60]


class Attachment(models.Model):
    dossier = models.ForeignKey(Dossier, on_delete=models.CASCADE, related_name="attachments")
    original_name = models.CharField(max_length=255)
    stored_name = models.CharField(max_length=255, unique=True)
    content_type = models.CharField(max_length=50)
    size = models.PositiveIntegerField()
    sha256 = models.CharField(max_length=64)
    uploaded_at = models.DateTimeField(auto_now_add=True)
    uploaded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )

    def __str__(self) -> str:
        return self.original_name


class Step(models.Model):
    """One hand-off on the dossier's route: reception → department → sign-off → return."""

    dossier = models.ForeignKey(Dossier, on_delete=models.CASCADE, related_name="steps")
    sequence = models.PositiveSmallIntegerField()
    kind = models.CharField(max_length=12, choices=StepKind.choices)
    department = models.ForeignKey("places.Department", null=True, blank=True, on_delete=models.PROTECT)
    assignee = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="steps"
    )
    started_at = models.DateTimeField()
    due_at = models.DateTimeField(null=True, blank=True)
    finished_at = models.DateTimeField(null=True, blank=True)
    finished_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    note = models.TextField(blank=True)

    class Meta:
        ordering = ["dossier_id", "sequence"]
        constraints = [models.UniqueConstraint(fields=["dossier", "sequence"], name="one_step_per_sequence")]

    def __str__(self) -> str:
        return f"{self.dossier.code} #{self.sequence} {self.kind}"


class Event(models.Model):
    """The dossier's history: every move, who, when, from, to and why (typed rows)."""

    dossier = models.ForeignKey(Dossier, on_delete=models.CASCADE, related_name="events")
    at = models.DateTimeField()
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    action = models.CharField(max_length=40)
    from_status = models.CharField(max_length=24, blank=True)
    to_status = models.CharField(max_length=24, blank=True)
    reason = models.TextField(blank=True)
    public = models.BooleanField(default=True)  # shown on public tracking
    data = models.JSONField(default=dict, blank=True)

    class Meta:
        ordering = ["dossier_id", "at", "id"]

    def __str__(self) -> str:
        return f"{self.dossier.code} {self.action} {self.at:%Y-%m-%d %H:%M}"


class Rating(models.Model):
    class Score(models.IntegerChoices):
        VERY_SATISFIED = 4, _("Very satisfied")
        SATISFIED = 3, _("Satisfied")
        NEUTRAL = 2, _("Neither satisfied nor unsatisfied")
        UNSATISFIED = 1, _("Unsatisfied")

    dossier = models.OneToOneField(Dossier, on_delete=models.CASCADE, related_name="rating")
    score = models.PositiveSmallIntegerField(choices=Score.choices)
    comment = models.TextField(blank=True)
    at = models.DateTimeField()

    def __str__(self) -> str:
        return f"{self.dossier.code}: {self.score}"


class Notification(models.Model):
    """The outbox: every message to an applicant or officer, retried until sent."""

    class Medium(models.TextChoices):
        EMAIL = "email", _("Email")
        SMS = "sms", _("SMS")

    class State(models.TextChoices):
        PENDING = "pending", _("Pending")
        SENT = "sent", _("Sent")
        FAILED = "failed", _("Failed for good")

    dossier = models.ForeignKey(
        Dossier, null=True, blank=True, on_delete=models.CASCADE, related_name="notifications"
    )
    medium = models.CharField(max_length=8, choices=Medium.choices)
    to = models.CharField(max_length=200)
    subject = models.CharField(max_length=200, blank=True)
    body = models.TextField()
    kind = models.CharField(max_length=40)
    state = models.CharField(max_length=8, choices=State.choices, default=State.PENDING, db_index=True)
    attempts = models.PositiveSmallIntegerField(default=0)
    next_attempt_at = models.DateTimeField(db_index=True)
    last_error = models.TextField(blank=True)
    created_at = models.DateTimeField(auto_now_add=True)
    sent_at = models.DateTimeField(null=True, blank=True)
    claimed_until = models.DateTimeField(null=True, blank=True)

    def __str__(self) -> str:
        return f"{self.medium} to {self.to}: {self.kind} ({self.state})"


class CalendarOverride(models.Model):
    """A day off or a make-up working day decided for a year (applies to the deployment)."""

    class Kind(models.TextChoices):
        DAY_OFF = "day_off", _("Extra day off")
        MAKEUP_WORKDAY = "makeup", _("Make-up working day")

    day = models.DateField(unique=True)
    kind = models.CharField(max_length=10, choices=Kind.choices)
    note = models.CharField(max_length=200, blank=True)

    def __str__(self) -> str:
        return f"{self.day} {self.kind}"


class TrackingAttempt(models.Model):
    """Failed public tracking look-ups, to slow down guessing of codes and check digits."""

    ip = models.GenericIPAddressField(null=True, db_index=True)
    code = models.CharField(max_length=60, db_index=True)
    at = models.DateTimeField(db_index=True)

    def __str__(self) -> str:
        return f"{self.code} from {self.ip}"
