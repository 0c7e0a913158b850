"""The procedure catalog: administrative procedures (thủ tục hành chính) as the national
database describes them, their versions, and each commune's offer and local fees."""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _


class Procedure(models.Model):
    class Source(models.TextChoices):
        NATIONAL_PORTAL = "national_portal", _("National Public Service Portal")
        MANUAL = "manual", _("Entered by hand")

    class OnlineLevel(models.TextChoices):
        NONE = "", _("Not online")
        PARTIAL = "partial", _("Partly online")
        FULL = "full", _("Fully online")

    code = models.CharField(_("procedure code"), max_length=40, unique=True)
    name = models.CharField(_("name"), max_length=2000)
    field = models.CharField(_("field"), max_length=200, db_index=True)
    levels = models.JSONField(_("implementing levels"), default=list, blank=True)
    procedure_type = models.CharField(_("procedure type"), max_length=200, blank=True)
    decision_number = models.CharField(_("announcing decision"), max_length=200, blank=True)
    applicants = models.TextField(_("who may apply"), blank=True)
    steps = models.JSONField(_("steps"), default=list, blank=True)
    steps_text = models.TextField(_("steps (original text)"), blank=True)
    conditions = models.TextField(_("conditions"), blank=True)
    competent_authority = models.TextField(_("competent authority"), blank=True)
    results = models.JSONField(_("results"), default=list, blank=True)
    online_level = models.CharField(
        _("online level"), max_length=10, choices=OnlineLevel.choices, blank=True, default=""
    )
    responsible_department = models.CharField(_("responsible department"), max_length=20, blank=True)
    offered_by_default = models.BooleanField(
        _("offered by communes by default"),
        default=True,
        help_text=_("Commune-level procedures handled by the commune's center; communes can change this."),
    )
    source = models.CharField(max_length=20, choices=Source.choices, default=Source.NATIONAL_PORTAL)
    source_url = models.URLField(_("source"), max_length=500, blank=True)
    source_notes = models.TextField(
        _("legal source of each fact"), blank=True, help_text=_("Required for procedures entered by hand.")
    )
    needs_review = models.BooleanField(default=False, db_index=True)
    review_notes = models.JSONField(default=list, blank=True)  # [{field, text, reason}]
    keywords = models.TextField(
        _("keywords"),
        blank=True,
        help_text=_("How people name this procedure, one per line (e.g. “làm giấy khai sinh”, “gks”)."),
    )
    keywords_en = models.TextField(
        _("keywords in English"), blank=True, help_text=_("The same in English, one per line.")
    )
    search_text = models.TextField(editable=False, blank=True)
    content_hash = models.CharField(max_length=64, editable=False, blank=True)
    version = models.PositiveIntegerField(default=1)
    is_active = models.BooleanField(default=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        ordering = ["code"]

    def __str__(self) -> str:
        return f"{self.code} — {self.name}"

    def keyword_list(self, *, english: bool = False) -> list[str]:
        """The keywords (or the English ones) as a list: one per line, blank lines left out."""
        text = self.keywords_en if english else self.keywords
        return [k.strip() for k in text.splitlines() if k.strip()]


class Channel(models.Model):
    """A way to submit (in person, online, postal) with its time and fee."""

    class Kind(models.TextChoices):
        IN_PERSON = "in_person", _("In person")
        ONLINE = "online", _("Online")
        POSTAL = "postal", _("By post")

    class TimeUnit(models.TextChoices):
        WORKING_DAYS = "working_days", _("working days")
        DAYS = "days", _("days")
        WORKING_HOURS = "working_hours", _("working hours")
        HOURS = "hours", _("hours")
        MONTHS = "months", _("months")
        SAME_DAY = "same_day", _("same day")
        UNKNOWN = "unknown", _("not stated")

    procedure = models.ForeignKey(Procedure, on_delete=models.CASCADE, related_name="channels")
    position = models.PositiveSmallIntegerField(default=0)
    kind = models.CharField(max_length=12, choices=Kind.choices)
    time_value = models.DecimalField(max_digits=8, decimal_places=2, null=True, blank=True)
    time_unit = models.CharField(max_length=15, choices=TimeUnit.choices, default=TimeUnit.UNKNOWN)
    time_text = models.TextField(blank=True)
    fee_amount_vnd = models.BigIntegerField(null=True, blank=True)
    fee_amount = models.DecimalField(max_digits=14, decimal_places=2, null=True, blank=True)
    fee_currency = models.CharField(max_length=3, blank=True)  # "VND", "USD"… when stated
    fee_set_locally = models.BooleanField(default=False)  # left to the provincial People's Council
    fee_per_unit = models.CharField(max_length=40, blank=True)
    fee_exempt = models.BooleanField(default=False)
    fee_text = models.TextField(blank=True)
    description = models.TextField(blank=True)

    class Meta:
        ordering = ["procedure_id", "position"]

    def __str__(self) -> str:
        return f"{self.procedure.code} {self.kind}"


class RequiredDocument(models.Model):
    class Copy(models.TextChoices):
        ORIGINAL = "original", _("original")
        COPY = "copy", _("copy")
        EITHER = "original_or_copy", _("original or copy")
        UNSTATED = "", _("not stated")

    procedure = models.ForeignKey(Procedure, on_delete=models.CASCADE, related_name="documents")
    position = models.PositiveSmallIntegerField(default=0)
    name = models.TextField()
    template = models.CharField(max_length=500, blank=True)
    quantity = models.PositiveSmallIntegerField(null=True, blank=True)
    original_or_copy = models.CharField(max_length=20, choices=Copy.choices, blank=True)
    quantity_text = models.CharField(max_length=200, blank=True)
    case = models.TextField(blank=True)

    class Meta:
        ordering = ["procedure_id", "position"]

    def __str__(self) -> str:
        return self.name[:80]


class LegalBasis(models.Model):
    procedure = models.ForeignKey(Procedure, on_delete=models.CASCADE, related_name="legal_bases")
    position = models.PositiveSmallIntegerField(default=0)
    number = models.CharField(max_length=120, blank=True)
    title = models.TextField()

    class Meta:
        ordering = ["procedure_id", "position"]

    def __str__(self) -> str:
        return self.number or self.title[:60]


class ProcedureVersion(models.Model):
    """A snapshot of a procedure as it was before a change, and what the change touched."""

    procedure = models.ForeignKey(Procedure, on_delete=models.CASCADE, related_name="versions")
    version = models.PositiveIntegerField()
    snapshot = models.JSONField()
    changed_fields = models.JSONField(default=list)
    reason = models.CharField(max_length=20)  # "import" or "edit"
    actor = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["procedure_id", "-version"]
        constraints = [
            models.UniqueConstraint(fields=["procedure", "version"], name="one_snapshot_per_version"),
        ]

    def __str__(self) -> str:
        return f"{self.procedure.code} v{self.version}"


class CommuneProcedure(models.Model):
    """A commune's choice about one procedure: offered or not. No row = the default."""

    commune = models.ForeignKey("places.Commune", on_delete=models.CASCADE, related_name="procedure_offer")
    procedure = models.ForeignKey(Procedure, on_delete=models.CASCADE, related_name="commune_offers")
    offered = models.BooleanField()
    note = models.CharField(max_length=300, blank=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["commune", "procedure"], name="one_offer_per_commune_procedure"),
        ]

    def __str__(self) -> str:
        return f"{self.commune} {self.procedure.code} offered={self.offered}"


class LocalFee(models.Model):
    """A fee set locally (often by the provincial People's Council) for one channel."""

    commune = models.ForeignKey("places.Commune", on_delete=models.CASCADE, related_name="local_fees")
    procedure = models.ForeignKey(Procedure, on_delete=models.CASCADE, related_name="local_fees")
    channel_kind = models.CharField(max_length=12, choices=Channel.Kind.choices)
    amount_vnd = models.BigIntegerField()
    legal_basis = models.CharField(_("decided by"), max_length=300, blank=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        constraints = [
            models.UniqueConstraint(
                fields=["commune", "procedure", "channel_kind"], name="one_local_fee_per_channel"
            ),
            models.CheckConstraint(condition=models.Q(amount_vnd__gte=0), name="local_fee_not_negative"),
        ]

    def __str__(self) -> str:
        return f"{self.commune} {self.procedure.code} {self.channel_kind}: {self.amount_vnd}"
