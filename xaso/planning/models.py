"""Stored work-assignment proposals: what the solver proposed for a department, and what the
department head accepted or overrode (with the reason, kept for the record)."""

from __future__ import annotations

from django.conf import settings
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.utils.translation import gettext_lazy as _

from xaso.planning.explanations import CompetencyNames, assignment_text, move_reason_texts


class ProposalStatus(models.TextChoices):
    PROPOSED = "proposed", _("Proposed")
    ACCEPTED = "accepted", _("Accepted")


class AssignmentProposal(models.Model):
    commune = models.ForeignKey("places.Commune", on_delete=models.CASCADE, related_name="+")
    department = models.ForeignKey(
        "places.Department", on_delete=models.CASCADE, related_name="assignment_proposals"
    )
    created_at = models.DateTimeField(auto_now_add=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    status = models.CharField(max_length=12, choices=ProposalStatus.choices, default=ProposalStatus.PROPOSED)
    summary = models.JSONField(default=dict, blank=True)
    """``late``, ``lower_bound``, ``gap``, ``unassigned``, ``seconds``, ``absent`` (user ids)."""
    accepted_at = models.DateTimeField(null=True, blank=True)
    accepted_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )

    class Meta:
        ordering = ["-created_at", "-pk"]
        verbose_name = _("assignment proposal")
        verbose_name_plural = _("assignment proposals")

    def __str__(self) -> str:
        return f"{self.department_id} #{self.pk} ({self.status})"


class ProposedAssignment(models.Model):
    """One dossier's place in the proposal; ``officer`` is null when nobody may take it."""

    proposal = models.ForeignKey(AssignmentProposal, on_delete=models.CASCADE, related_name="assignments")
    dossier = models.ForeignKey("dossiers.Dossier", on_delete=models.CASCADE, related_name="+")
    officer = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    position = models.PositiveIntegerField(default=0)
    terms = models.JSONField(default=list, blank=True)
    """Why it goes there (or why nobody may take it): ``[{"code", "params"}]``, the solver's
    ``assignment.Term``s, said in the reader's language by ``explanations``."""
    explanation = models.TextField(blank=True)
    """English text of rows made before ``terms`` existed (shown as it is when ``terms`` is empty)."""
    late = models.BooleanField(default=False)
    accepted = models.BooleanField(default=False)
    overridden_to = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    override_reason = models.TextField(blank=True)
    pool = models.ForeignKey(
        "planning.SharedPool", null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    """The shared pool the dossier could go to besides its department (null: the department only)."""

    class Meta:
        ordering = ["officer_id", "position", "pk"]
        constraints = [
            models.UniqueConstraint(fields=["proposal", "dossier"], name="one_row_per_proposal_dossier"),
        ]

    def __str__(self) -> str:
        return f"{self.proposal_id}: {self.dossier_id} → {self.officer_id}"

    @property
    def explanation_text(self) -> str:
        """The explanation in the active language (``explanation`` as it is for older rows)."""
        return assignment_text(self.terms) if self.terms else self.explanation


class SharedPool(models.Model):
    """A commune's shared pool (e.g. "Tổ tiếp nhận và giải quyết chung"): named officers from
    several departments who may take the dossiers of some procedure fields or procedures.

    The commune maintains the members by name (a pool is set up by a decision that lists its
    people); a department *takes part* in the pool when one of its officers is a member.  A
    dossier held by a department that takes part, whose procedure's field is in ``fields`` or
    whose procedure code is in ``procedure_codes``, may go to its department's officers or to
    any member of the pool.  Edited by the commune's leader and the heads of the departments
    that take part (``services.can_edit_pool``), each change audited."""

    commune = models.ForeignKey("places.Commune", on_delete=models.CASCADE, related_name="shared_pools")
    name = models.CharField(_("name"), max_length=200)
    members = models.ManyToManyField(
        settings.AUTH_USER_MODEL, blank=True, related_name="shared_pools", verbose_name=_("members")
    )
    fields = models.JSONField(_("procedure fields"), default=list, blank=True)
    """Procedure fields (``catalog.Procedure.field``, e.g. ``"Hộ tịch"``) whose dossiers may go to it."""
    procedure_codes = models.JSONField(_("procedure codes"), default=list, blank=True)
    """Procedure codes (e.g. ``"1.001193"``) whose dossiers may go to it."""
    is_active = models.BooleanField(_("active"), default=True)
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        ordering = ["commune_id", "name", "pk"]
        verbose_name = _("shared pool")
        verbose_name_plural = _("shared pools")
        constraints = [
            models.UniqueConstraint(fields=["commune", "name"], name="one_shared_pool_per_name"),
        ]

    def __str__(self) -> str:
        return self.name

    def takes(self, field_name: str, procedure_code: str) -> bool:
        """Whether a dossier of this procedure may go to the pool."""
        return field_name in self.fields or procedure_code in self.procedure_codes


# --- rotation (periodic transfer) ---------------------------------------------------------


class RotationField(models.Model):
    """A field with a periodic-transfer duty in a province: the positions it covers (by code)
    and how often their holders must change (2–5 years, Decree 59/2019/NĐ-CP)."""

    province = models.ForeignKey("places.Province", on_delete=models.CASCADE, related_name="+")
    code = models.SlugField(_("code"), max_length=40)
    label = models.CharField(_("field"), max_length=200)
    period_years = models.PositiveSmallIntegerField(
        _("period (years)"), validators=[MinValueValidator(2), MaxValueValidator(5)]
    )
    position_codes = models.JSONField(_("position codes"), default=list, blank=True)

    class Meta:
        ordering = ["province_id", "code"]
        verbose_name = _("rotation field")
        verbose_name_plural = _("rotation fields")
        constraints = [
            models.UniqueConstraint(fields=["province", "code"], name="one_rotation_field_per_code"),
            models.CheckConstraint(
                condition=models.Q(period_years__gte=2, period_years__lte=5), name="rotation_period_2_to_5"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.label} ({self.period_years})"


class RotationExemption(models.Model):
    """A reason to postpone an officer's transfer while it lasts (kinds: ``rotation.json``)."""

    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="rotation_exemptions"
    )
    code = models.CharField(_("exemption"), max_length=30)
    until = models.DateField(_("until"))
    note = models.CharField(_("note"), max_length=300, blank=True)
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["user_id", "-until"]
        verbose_name = _("rotation exemption")
        verbose_name_plural = _("rotation exemptions")

    def __str__(self) -> str:
        return f"{self.user_id}: {self.code} until {self.until}"


class DecisionKind(models.TextChoices):
    LOCK = "lock", _("Must hold")
    FORBID = "forbid", _("May not hold")


class RotationDecision(models.Model):
    """A commune leader's decision the rotation plan must respect until it is withdrawn.

    Lock: ``user`` holds ``position`` in ``year`` (their current one: stays).  Forbid: ``user``
    may not hold ``position`` (empty: may not move at all) in ``year`` (empty: any year)."""

    commune = models.ForeignKey("places.Commune", on_delete=models.CASCADE, related_name="+")
    kind = models.CharField(_("decision"), max_length=8, choices=DecisionKind.choices)
    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="+")
    position = models.ForeignKey(
        "workforce.Position", null=True, blank=True, on_delete=models.CASCADE, related_name="+"
    )
    year = models.PositiveSmallIntegerField(_("year"), null=True, blank=True)
    reason = models.TextField(_("reason"))
    decided_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)
    withdrawn_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["commune_id", "created_at", "pk"]
        verbose_name = _("rotation decision")
        verbose_name_plural = _("rotation decisions")
        constraints = [
            models.CheckConstraint(
                condition=~models.Q(kind="lock") | models.Q(position__isnull=False, year__isnull=False),
                name="rotation_lock_has_position_and_year",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.kind} {self.user_id} → {self.position_id} ({self.year})"


class RotationPlan(models.Model):
    """One solved rotation plan: the moves with their reasons, every transfer duty and how it
    is met, the solver's figures and the disclosure document as proposed.

    Its scope is either one commune (``commune``; made by the commune's leader) or several
    communes of a province (``commune`` empty, ``province`` and ``communes`` set; made by the
    province's Home Affairs, officers may move between the communes)."""

    commune = models.ForeignKey(
        "places.Commune", null=True, blank=True, on_delete=models.CASCADE, related_name="rotation_plans"
    )
    province = models.ForeignKey(
        "places.Province", null=True, blank=True, on_delete=models.CASCADE, related_name="+"
    )
    """Set for a province plan (the communes' province)."""
    communes = models.ManyToManyField("places.Commune", blank=True, related_name="province_rotation_plans")
    """The communes a province plan covers (empty for a commune plan)."""
    start_year = models.PositiveSmallIntegerField(_("first year"))
    years = models.PositiveSmallIntegerField(_("years"))
    status = models.CharField(max_length=12, choices=ProposalStatus.choices, default=ProposalStatus.PROPOSED)
    created_at = models.DateTimeField(auto_now_add=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    summary = models.JSONField(default=dict, blank=True)
    """``objective``, ``bound``, ``gap``, ``status``, ``seconds``, ``terms``, ``plan`` (officer →
    [position, plan year]), ``duties`` (list of dicts), ``vacancies``, ``decisions`` (ids)."""
    disclosure = models.TextField(blank=True)
    accepted_at = models.DateTimeField(null=True, blank=True)
    accepted_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )

    class Meta:
        ordering = ["-created_at", "-pk"]
        verbose_name = _("rotation plan")
        verbose_name_plural = _("rotation plans")
        constraints = [
            models.CheckConstraint(
                condition=models.Q(commune__isnull=False) | models.Q(province__isnull=False),
                name="rotation_plan_has_a_scope",
            ),
        ]

    def __str__(self) -> str:
        scope = self.commune_id if self.commune_id is not None else f"province {self.province_id}"
        return f"{scope} {self.start_year}+{self.years} #{self.pk}"

    @property
    def end_year(self) -> int:
        return self.start_year + self.years - 1

    @property
    def is_province_plan(self) -> bool:
        return self.commune_id is None


class RotationMove(models.Model):
    plan = models.ForeignKey(RotationPlan, on_delete=models.CASCADE, related_name="moves")
    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="+")
    from_position = models.ForeignKey("workforce.Position", on_delete=models.CASCADE, related_name="+")
    to_position = models.ForeignKey("workforce.Position", on_delete=models.CASCADE, related_name="+")
    year = models.PositiveSmallIntegerField(_("year"))
    reason_terms = models.JSONField(default=list, blank=True)
    """Why: ``[{"code", "params"}]``, the solver's ``rotation.Reason``s with plan years turned
    into calendar years, said in the reader's language by ``explanations``."""
    reasons = models.JSONField(default=list)
    """English texts of moves made before ``reason_terms`` existed (shown as they are)."""
    cost = models.JSONField(default=dict)

    class Meta:
        ordering = ["plan_id", "year", "to_position_id", "user_id"]

    def __str__(self) -> str:
        return f"{self.plan_id}: {self.user_id} → {self.to_position_id} in {self.year}"

    competency_names: CompetencyNames | None = None
    """Not stored: the competencies' names when a selector looked them up for many moves at
    once (``selectors.name_competencies``); otherwise ``reason_texts`` looks them up itself."""

    @property
    def between_communes(self) -> bool:
        """A move to a post of another commune (province plans)."""
        return bool(self.from_position.commune_id != self.to_position.commune_id)

    @property
    def reason_texts(self) -> list[str]:
        """The reasons in the active language (``reasons`` as they are for older moves)."""
        if not self.reason_terms:
            return [str(r) for r in self.reasons]
        return move_reason_texts(self.reason_terms, competencies=self.competency_names)
