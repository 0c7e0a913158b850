"""Workforce capacity: the competency framework, job positions and their requirements, staff
profile extensions (qualifications, positions history), append-only evidence, training, the
self-test question bank and evaluation under Decree 335/2025/NĐ-CP.

The current level of a competency is never stored by hand: it is derived from the evidence
(``xaso.workforce.levels``). Vietnamese is the language of the shipped data; the ``*_en``
columns carry the English names shown when a user switches language.
"""

from __future__ import annotations

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import models
from django.utils.translation import get_language
from django.utils.translation import gettext_lazy as _

from xaso.places.models import Department


def _pick(vi: str, en: str) -> str:
    """The Vietnamese text, or the English one when the user reads in English."""
    return en if en and (get_language() or "vi").startswith("en") else vi


# --- the competency framework ------------------------------------------------------------


class CompetencyType(models.Model):
    """A family of competencies with one level scale (digital, digital government, professional)."""

    code = models.CharField(_("code"), max_length=20, unique=True)
    name = models.CharField(_("name"), max_length=200)
    name_en = models.CharField(_("name in English"), max_length=200, blank=True)
    source = models.TextField(_("source"), blank=True)
    position = models.PositiveSmallIntegerField(_("order"), default=0)

    class Meta:
        ordering = ["position", "code"]
        verbose_name = _("competency type")
        verbose_name_plural = _("competency types")

    def __str__(self) -> str:
        return self.label

    @property
    def label(self) -> str:
        return _pick(self.name, self.name_en)


class Competency(models.Model):
    type = models.ForeignKey(
        CompetencyType, on_delete=models.PROTECT, related_name="competencies", verbose_name=_("type")
    )
    code = models.CharField(_("code"), max_length=20, unique=True)
    area = models.CharField(_("area"), max_length=200, blank=True)
    area_en = models.CharField(_("area in English"), max_length=200, blank=True)
    name = models.CharField(_("name"), max_length=200)
    name_en = models.CharField(_("name in English"), max_length=200, blank=True)
    max_level = models.PositiveSmallIntegerField(_("highest level"))
    key_level = models.PositiveSmallIntegerField(
        _("level every commune needs"),
        null=True,
        blank=True,
        help_text=_("When set, a commune with no officer at this level is flagged in the gap report."),
    )
    self_test = models.BooleanField(_("has a self-test"), default=False)
    is_active = models.BooleanField(_("active"), default=True)
    position = models.PositiveSmallIntegerField(_("order"), default=0)

    class Meta:
        ordering = ["type__position", "position", "code"]
        verbose_name = _("competency")
        verbose_name_plural = _("competencies")

    def __str__(self) -> str:
        return f"{self.code} {self.label}"

    @property
    def label(self) -> str:
        return _pick(self.name, self.name_en)

    @property
    def area_label(self) -> str:
        return _pick(self.area, self.area_en)


class CompetencyLevel(models.Model):
    competency = models.ForeignKey(
        Competency, on_delete=models.CASCADE, related_name="levels", verbose_name=_("competency")
    )
    level = models.PositiveSmallIntegerField(_("level"))
    name = models.CharField(_("name"), max_length=100)
    name_en = models.CharField(_("name in English"), max_length=100, blank=True)
    descriptor = models.TextField(_("descriptor"))
    descriptor_en = models.TextField(_("descriptor in English"), blank=True)

    class Meta:
        ordering = ["competency_id", "level"]
        verbose_name = _("competency level")
        verbose_name_plural = _("competency levels")
        constraints = [
            models.UniqueConstraint(fields=["competency", "level"], name="one_row_per_competency_level"),
        ]

    def __str__(self) -> str:
        return f"{self.competency.code} {self.level}"

    @property
    def label(self) -> str:
        return _pick(self.name, self.name_en)

    @property
    def descriptor_label(self) -> str:
        return _pick(self.descriptor, self.descriptor_en)


# --- job positions -------------------------------------------------------------------------


class PositionTemplate(models.Model):
    """The province's model of a commune job position (vị trí việc làm)."""

    province = models.ForeignKey(
        "places.Province",
        on_delete=models.CASCADE,
        related_name="position_templates",
        verbose_name=_("province"),
    )
    code = models.CharField(_("code"), max_length=30)
    title = models.CharField(_("title"), max_length=200)
    department_kind = models.CharField(
        _("department"), max_length=20, choices=Department.Kind.choices, blank=True
    )
    headcount = models.PositiveSmallIntegerField(_("headcount"), default=1)
    leadership = models.BooleanField(_("leadership position"), default=False)

    class Meta:
        ordering = ["province_id", "code"]
        verbose_name = _("position template")
        verbose_name_plural = _("position templates")
        constraints = [models.UniqueConstraint(fields=["province", "code"], name="one_template_per_code")]

    def __str__(self) -> str:
        return f"{self.code} {self.title}"


class TemplateRequirement(models.Model):
    template = models.ForeignKey(PositionTemplate, on_delete=models.CASCADE, related_name="requirements")
    competency = models.ForeignKey(Competency, on_delete=models.PROTECT, related_name="+")
    min_level = models.PositiveSmallIntegerField(_("minimum level"))
    essential = models.BooleanField(_("essential"), default=False)

    class Meta:
        verbose_name = _("template requirement")
        verbose_name_plural = _("template requirements")
        constraints = [
            models.UniqueConstraint(fields=["template", "competency"], name="one_template_requirement"),
        ]

    def __str__(self) -> str:
        return f"{self.template.code}: {self.competency.code} ≥ {self.min_level}"


class Position(models.Model):
    """A job position of one commune, in one of its departments (or its leadership)."""

    commune = models.ForeignKey(
        "places.Commune", on_delete=models.CASCADE, related_name="positions", verbose_name=_("commune")
    )
    department = models.ForeignKey(
        "places.Department",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="positions",
        verbose_name=_("department"),
    )
    template = models.ForeignKey(
        PositionTemplate,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="positions",
        verbose_name=_("template"),
    )
    code = models.CharField(_("code"), max_length=30)
    title = models.CharField(_("title"), max_length=200)
    headcount = models.PositiveSmallIntegerField(_("headcount"), default=1)
    leadership = models.BooleanField(_("leadership position"), default=False)
    is_active = models.BooleanField(_("active"), default=True)

    class Meta:
        ordering = ["commune_id", "department__kind", "code"]
        verbose_name = _("job position")
        verbose_name_plural = _("job positions")
        constraints = [models.UniqueConstraint(fields=["commune", "code"], name="one_position_per_code")]

    def __str__(self) -> str:
        return f"{self.title} — {self.commune.name}"


class PositionRequirement(models.Model):
    position = models.ForeignKey(Position, on_delete=models.CASCADE, related_name="requirements")
    competency = models.ForeignKey(
        Competency, on_delete=models.PROTECT, related_name="requirements", verbose_name=_("competency")
    )
    min_level = models.PositiveSmallIntegerField(_("minimum level"))
    essential = models.BooleanField(_("essential"), default=False)

    class Meta:
        ordering = ["position_id", "-essential", "competency__code"]
        verbose_name = _("position requirement")
        verbose_name_plural = _("position requirements")
        constraints = [
            models.UniqueConstraint(fields=["position", "competency"], name="one_requirement_per_competency"),
        ]

    def __str__(self) -> str:
        return f"{self.position.code}: {self.competency.code} ≥ {self.min_level}"


# --- staff profile extensions -------------------------------------------------------------


class Assignment(models.Model):
    """One line of a person's positions history; the open line is the current position.

    ``position`` is empty for posts outside Xã Số (held before the 2025 reform or elsewhere):
    then ``title`` and ``organisation`` say what it was."""

    user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.CASCADE,
        related_name="assignments",
        verbose_name=_("officer"),
    )
    position = models.ForeignKey(
        Position,
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="assignments",
        verbose_name=_("job position"),
    )
    title = models.CharField(_("title"), max_length=200)
    organisation = models.CharField(_("organisation"), max_length=200, blank=True)
    started_on = models.DateField(_("from"))
    ended_on = models.DateField(_("until"), null=True, blank=True)

    class Meta:
        ordering = ["user_id", "-started_on"]
        verbose_name = _("position held")
        verbose_name_plural = _("positions held")
        constraints = [
            models.UniqueConstraint(
                fields=["user"], condition=models.Q(ended_on__isnull=True), name="one_current_position"
            ),
            models.CheckConstraint(
                condition=models.Q(ended_on__isnull=True) | models.Q(ended_on__gte=models.F("started_on")),
                name="assignment_ends_after_start",
            ),
        ]
        indexes = [models.Index(fields=["position", "ended_on"])]

    def __str__(self) -> str:
        return f"{self.user} — {self.title} ({self.started_on}–{self.ended_on or ''})"


class SuccessorDesignation(models.Model):
    """A designated successor (quy hoạch cán bộ): ``user`` is designated, from ``starts_on`` to
    ``ends_on``, as a successor for a leadership ``position`` of their commune.

    Recorded by the commune's leader or the province's Home Affairs (``authz.
    can_designate_successors``) on the position's page or in the admin; a designation is
    withdrawn, not deleted, so the record of who was designated when stays.  Rotation planning
    favours moving a designated successor into the post (reason ``succession``)."""

    position = models.ForeignKey(
        Position,
        on_delete=models.CASCADE,
        related_name="successors",
        limit_choices_to={"leadership": True},
        verbose_name=_("leadership position"),
    )
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.CASCADE,
        related_name="successor_designations",
        verbose_name=_("officer"),
    )
    starts_on = models.DateField(_("from"))
    ends_on = models.DateField(_("until"))
    decision = models.CharField(
        _("decision"),
        max_length=200,
        blank=True,
        help_text=_("The number and date of the decision approving the designation."),
    )
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
        verbose_name=_("recorded by"),
    )
    created_at = models.DateTimeField(auto_now_add=True)
    withdrawn_at = models.DateTimeField(_("withdrawn on"), null=True, blank=True)

    class Meta:
        ordering = ["position_id", "starts_on", "pk"]
        verbose_name = _("designated successor")
        verbose_name_plural = _("designated successors")
        constraints = [
            models.CheckConstraint(
                condition=models.Q(ends_on__gte=models.F("starts_on")),
                name="successor_period_ends_after_start",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.user} → {self.position.title} ({self.starts_on}–{self.ends_on})"

    def clean(self) -> None:
        """The admin form's checks (the service makes the same ones)."""
        errors: dict[str, str] = {}
        if self.position_id is not None and not self.position.leadership:
            errors["position"] = str(_("Successors are designated for active leadership positions."))
        if (
            self.position_id is not None
            and self.user_id is not None
            and self.user.commune_id != self.position.commune_id
        ):
            errors["user"] = str(_("Choose an officer of this commune."))
        if self.starts_on and self.ends_on and self.ends_on < self.starts_on:
            errors["ends_on"] = str(_("The period must end after it starts."))
        if errors:
            raise ValidationError(errors)


class Qualification(models.Model):
    """A degree or a certificate a person holds."""

    class Kind(models.TextChoices):
        DEGREE = "degree", _("Degree")
        CERTIFICATE = "certificate", _("Certificate")

    user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.CASCADE,
        related_name="qualifications",
        verbose_name=_("officer"),
    )
    kind = models.CharField(_("kind"), max_length=12, choices=Kind.choices)
    name = models.CharField(_("name"), max_length=200)
    major = models.CharField(_("major"), max_length=150, blank=True)
    issuer = models.CharField(_("issued by"), max_length=200, blank=True)
    issued_on = models.DateField(_("issued on"), null=True, blank=True)
    valid_until = models.DateField(_("valid until"), null=True, blank=True)

    class Meta:
        ordering = ["user_id", "kind", "-issued_on"]
        verbose_name = _("qualification")
        verbose_name_plural = _("qualifications")

    def __str__(self) -> str:
        return self.name


# --- evidence --------------------------------------------------------------------------------


class EvidenceKind(models.TextChoices):
    SELF = "self", _("Self-assessment")
    MANAGER = "manager", _("Manager assessment")
    TEST = "test", _("Test result")
    TRAINING = "training", _("Completed training")
    WORK = "work_record", _("Work record")


class Evidence(models.Model):
    """One dated piece of evidence of a person's level in a competency. Append-only: rows are
    never changed or deleted by the product; a newer piece of the same kind supersedes it."""

    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="evidence", verbose_name=_("officer")
    )
    competency = models.ForeignKey(
        Competency, on_delete=models.PROTECT, related_name="evidence", verbose_name=_("competency")
    )
    kind = models.CharField(_("kind"), max_length=12, choices=EvidenceKind.choices)
    level = models.PositiveSmallIntegerField(_("level shown"))
    observed_on = models.DateField(_("date"))
    valid_until = models.DateField(_("valid until"))
    score = models.DecimalField(_("score (%)"), max_digits=5, decimal_places=2, null=True, blank=True)
    comment = models.TextField(_("comment"), blank=True)
    data = models.JSONField(default=dict, blank=True)
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
        verbose_name=_("recorded by"),
    )
    enrolment = models.ForeignKey(
        "workforce.Enrolment", null=True, blank=True, on_delete=models.SET_NULL, related_name="evidence"
    )
    attempt = models.ForeignKey(
        "workforce.SelfTestAttempt", null=True, blank=True, on_delete=models.SET_NULL, related_name="evidence"
    )
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["user_id", "competency_id", "-observed_on", "-id"]
        verbose_name = _("evidence")
        verbose_name_plural = _("evidence")
        indexes = [
            models.Index(fields=["user", "competency", "valid_until"]),
            models.Index(fields=["valid_until", "observed_on"]),
        ]
        constraints = [
            models.CheckConstraint(
                condition=models.Q(valid_until__gte=models.F("observed_on")), name="evidence_valid_after_date"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.user} {self.competency.code} {self.kind} {self.level} ({self.observed_on})"


# --- training ---------------------------------------------------------------------------------


class Programme(models.Model):
    code = models.CharField(_("code"), max_length=20, unique=True)
    name = models.CharField(_("name"), max_length=200)
    name_en = models.CharField(_("name in English"), max_length=200, blank=True)

    class Meta:
        ordering = ["code"]
        verbose_name = _("training programme")
        verbose_name_plural = _("training programmes")

    def __str__(self) -> str:
        return self.label

    @property
    def label(self) -> str:
        return _pick(self.name, self.name_en)


class Course(models.Model):
    programme = models.ForeignKey(
        Programme, on_delete=models.PROTECT, related_name="courses", verbose_name=_("programme")
    )
    code = models.CharField(_("code"), max_length=20, unique=True)
    name = models.CharField(_("name"), max_length=200)
    hours = models.PositiveSmallIntegerField(_("hours"))
    cost_vnd = models.PositiveBigIntegerField(_("cost per participant (VND)"))
    pass_score = models.PositiveSmallIntegerField(_("post-test pass mark (%)"), default=70)
    is_active = models.BooleanField(_("active"), default=True)

    class Meta:
        ordering = ["code"]
        verbose_name = _("course")
        verbose_name_plural = _("courses")

    def __str__(self) -> str:
        return f"{self.code} {self.name}"


class CourseOutcome(models.Model):
    """The level of a competency that passing the course's post-test shows."""

    course = models.ForeignKey(Course, on_delete=models.CASCADE, related_name="outcomes")
    competency = models.ForeignKey(
        Competency, on_delete=models.PROTECT, related_name="course_outcomes", verbose_name=_("competency")
    )
    level = models.PositiveSmallIntegerField(_("level"))

    class Meta:
        ordering = ["course_id", "competency__code"]
        verbose_name = _("course outcome")
        verbose_name_plural = _("course outcomes")
        constraints = [
            models.UniqueConstraint(fields=["course", "competency"], name="one_outcome_per_competency")
        ]

    def __str__(self) -> str:
        return f"{self.course.code} → {self.competency.code} {self.level}"


class Session(models.Model):
    """One run of a course: a class on given dates, in a place or online."""

    course = models.ForeignKey(
        Course, on_delete=models.PROTECT, related_name="sessions", verbose_name=_("course")
    )
    province = models.ForeignKey("places.Province", on_delete=models.CASCADE, related_name="+")
    commune = models.ForeignKey(
        "places.Commune",
        null=True,
        blank=True,
        on_delete=models.CASCADE,
        related_name="training_sessions",
        verbose_name=_("commune"),
        help_text=_("Empty: open to officers of every commune of the province."),
    )
    starts_on = models.DateField(_("starts on"))
    ends_on = models.DateField(_("ends on"))
    place = models.CharField(_("place"), max_length=200, blank=True)
    online = models.BooleanField(_("online"), default=False)
    capacity = models.PositiveSmallIntegerField(_("capacity"))
    trainer = models.CharField(_("trainer"), max_length=150, blank=True)

    class Meta:
        ordering = ["starts_on", "course__code", "id"]
        verbose_name = _("training session")
        verbose_name_plural = _("training sessions")
        constraints = [
            models.CheckConstraint(
                condition=models.Q(ends_on__gte=models.F("starts_on")), name="session_ends_after_start"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.course.code} {self.starts_on:%d/%m/%Y}"


class EnrolmentStatus(models.TextChoices):
    ENROLLED = "enrolled", _("Enrolled")
    COMPLETED = "completed", _("Completed")
    FAILED = "failed", _("Did not pass")
    CANCELLED = "cancelled", _("Cancelled")


class Enrolment(models.Model):
    session = models.ForeignKey(Session, on_delete=models.CASCADE, related_name="enrolments")
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.CASCADE,
        related_name="enrolments",
        verbose_name=_("officer"),
    )
    status = models.CharField(
        _("status"), max_length=10, choices=EnrolmentStatus.choices, default=EnrolmentStatus.ENROLLED
    )
    attended = models.BooleanField(_("attended"), null=True, blank=True)
    score = models.DecimalField(
        _("post-test score (%)"), max_digits=5, decimal_places=2, null=True, blank=True
    )
    enrolled_at = models.DateTimeField()
    enrolled_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    completed_on = models.DateField(_("completed on"), null=True, blank=True)
    completed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )

    class Meta:
        ordering = ["session_id", "user__full_name"]
        verbose_name = _("enrolment")
        verbose_name_plural = _("enrolments")
        constraints = [models.UniqueConstraint(fields=["session", "user"], name="one_enrolment_per_session")]

    def __str__(self) -> str:
        return f"{self.user} in {self.session}"


class TrainingPlan(models.Model):
    """A commune's training plan for a year, with its budget."""

    commune = models.ForeignKey(
        "places.Commune", on_delete=models.CASCADE, related_name="training_plans", verbose_name=_("commune")
    )
    year = models.PositiveSmallIntegerField(_("year"))
    budget_vnd = models.PositiveBigIntegerField(_("budget (VND)"))
    created_at = models.DateTimeField()
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )

    class Meta:
        ordering = ["commune_id", "-year"]
        verbose_name = _("training plan")
        verbose_name_plural = _("training plans")
        constraints = [models.UniqueConstraint(fields=["commune", "year"], name="one_plan_per_commune_year")]

    def __str__(self) -> str:
        return f"{self.commune.name} {self.year}"


class PlanItemStatus(models.TextChoices):
    PLANNED = "planned", _("Planned")
    ENROLLED = "enrolled", _("Enrolled")
    COMPLETED = "completed", _("Completed")
    FAILED = "failed", _("Did not pass")
    CANCELLED = "cancelled", _("Cancelled")


class PlanItem(models.Model):
    """Who should attend which course, for which gap, in the plan."""

    plan = models.ForeignKey(TrainingPlan, on_delete=models.CASCADE, related_name="items")
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.CASCADE,
        related_name="plan_items",
        verbose_name=_("officer"),
    )
    course = models.ForeignKey(
        Course, on_delete=models.PROTECT, related_name="plan_items", verbose_name=_("course")
    )
    competency = models.ForeignKey(Competency, on_delete=models.PROTECT, related_name="+")
    gap = models.PositiveSmallIntegerField(_("levels missing"))
    urgency = models.PositiveSmallIntegerField(_("urgency"))
    cost_vnd = models.PositiveBigIntegerField(_("cost (VND)"))
    status = models.CharField(
        _("status"), max_length=10, choices=PlanItemStatus.choices, default=PlanItemStatus.PLANNED
    )
    enrolment = models.OneToOneField(
        Enrolment, null=True, blank=True, on_delete=models.SET_NULL, related_name="plan_item"
    )

    class Meta:
        ordering = ["plan_id", "-urgency", "id"]
        verbose_name = _("training plan item")
        verbose_name_plural = _("training plan items")
        constraints = [
            models.UniqueConstraint(fields=["plan", "user", "course"], name="one_plan_item_per_course")
        ]

    def __str__(self) -> str:
        return f"{self.user} — {self.course.code}"


# --- self-tests ---------------------------------------------------------------------------------


class Question(models.Model):
    """A multiple-choice question of a competency's self-test, at a level of its scale."""

    competency = models.ForeignKey(
        Competency, on_delete=models.PROTECT, related_name="questions", verbose_name=_("competency")
    )
    level = models.PositiveSmallIntegerField(_("level"))
    text = models.TextField(_("question"))
    choices = models.JSONField(_("choices"))
    answer = models.PositiveSmallIntegerField(_("right choice (from 0)"))
    explanation = models.TextField(_("explanation"), blank=True)
    province = models.ForeignKey(
        "places.Province",
        null=True,
        blank=True,
        on_delete=models.CASCADE,
        related_name="+",
        help_text=_("Empty: shipped with Xã Số; otherwise added by this province."),
    )
    shipped_key = models.CharField(max_length=40, blank=True)
    is_active = models.BooleanField(_("active"), default=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )

    class Meta:
        ordering = ["competency_id", "level", "id"]
        verbose_name = _("test question")
        verbose_name_plural = _("test questions")
        constraints = [
            models.UniqueConstraint(
                fields=["shipped_key"],
                condition=~models.Q(shipped_key=""),
                name="one_shipped_question_per_key",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.competency.code} L{self.level}: {self.text[:60]}"


class SelfTestAttempt(models.Model):
    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="test_attempts")
    competency = models.ForeignKey(Competency, on_delete=models.PROTECT, related_name="+")
    question_ids = models.JSONField(default=list)
    answers = models.JSONField(default=list, blank=True)
    started_at = models.DateTimeField()
    submitted_at = models.DateTimeField(null=True, blank=True)
    correct = models.PositiveSmallIntegerField(null=True, blank=True)
    score = models.DecimalField(max_digits=5, decimal_places=2, null=True, blank=True)
    level = models.PositiveSmallIntegerField(null=True, blank=True)

    class Meta:
        ordering = ["-started_at"]
        verbose_name = _("self-test attempt")
        verbose_name_plural = _("self-test attempts")

    def __str__(self) -> str:
        return f"{self.user} {self.competency.code} {self.started_at:%Y-%m-%d}"


# --- evaluation (Decree 335/2025/NĐ-CP) ------------------------------------------------------------


class EvaluationPolicy(models.Model):
    """A province's figures for the evaluation: points, penalties, grade thresholds."""

    province = models.OneToOneField(
        "places.Province",
        on_delete=models.CASCADE,
        related_name="evaluation_policy",
        verbose_name=_("province"),
    )
    task_points = models.DecimalField(
        _("points for task results"), max_digits=5, decimal_places=2, default=70
    )
    general_points = models.DecimalField(
        _("points for general criteria"), max_digits=5, decimal_places=2, default=30
    )
    late_penalty = models.DecimalField(
        _("share of an item's points lost when late"), max_digits=4, decimal_places=3, default=0.25
    )
    fault_penalty = models.DecimalField(
        _("share of an item's points lost when faulty"), max_digits=4, decimal_places=3, default=0.25
    )
    excellent_min = models.DecimalField(_("excellent from"), max_digits=5, decimal_places=2, default=90)
    good_min = models.DecimalField(_("good from"), max_digits=5, decimal_places=2, default=70)
    completed_min = models.DecimalField(_("completed from"), max_digits=5, decimal_places=2, default=50)
    excellent_share_of_good = models.DecimalField(
        _("excellent at most this share of good"), max_digits=4, decimal_places=3, default=0.20
    )

    class Meta:
        verbose_name = _("evaluation policy")
        verbose_name_plural = _("evaluation policies")

    def __str__(self) -> str:
        return str(self.province)


class Grade(models.TextChoices):
    EXCELLENT = "excellent", _("Excellently completed")
    GOOD = "good", _("Well completed")
    COMPLETED = "completed", _("Completed")
    NOT_COMPLETED = "not_completed", _("Not completed")


class Evaluation(models.Model):
    """One officer's evaluation for a quarter (1–4) or a whole year (quarter 0)."""

    user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.CASCADE,
        related_name="evaluations",
        verbose_name=_("officer"),
    )
    commune = models.ForeignKey("places.Commune", on_delete=models.CASCADE, related_name="evaluations")
    year = models.PositiveSmallIntegerField(_("year"))
    quarter = models.PositiveSmallIntegerField(_("quarter"), help_text=_("0 for the whole year."))
    assigned = models.PositiveIntegerField(_("items assigned"), default=0)
    completed = models.PositiveIntegerField(_("items completed"), default=0)
    late = models.PositiveIntegerField(_("items late"), default=0)
    faulty = models.PositiveIntegerField(_("items with a fault"), default=0)
    computed_task_points = models.DecimalField(max_digits=5, decimal_places=2, null=True, blank=True)
    task_points = models.DecimalField(
        _("task results (points)"), max_digits=5, decimal_places=2, null=True, blank=True
    )
    task_adjusted = models.BooleanField(default=False)
    general_points = models.DecimalField(
        _("general criteria (points)"), max_digits=5, decimal_places=2, null=True, blank=True
    )
    total = models.DecimalField(max_digits=5, decimal_places=2, null=True, blank=True)
    grade = models.CharField(_("grade"), max_length=14, choices=Grade.choices, blank=True)
    computed_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["commune_id", "-year", "-quarter", "user__full_name"]
        verbose_name = _("evaluation")
        verbose_name_plural = _("evaluations")
        constraints = [
            models.UniqueConstraint(fields=["user", "year", "quarter"], name="one_evaluation_per_period"),
            models.CheckConstraint(condition=models.Q(quarter__lte=4), name="quarter_0_to_4"),
        ]

    def __str__(self) -> str:
        period = f"Q{self.quarter}/{self.year}" if self.quarter else str(self.year)
        return f"{self.user} {period}"


class EvaluationChange(models.Model):
    """A manager's entry or adjustment of an evaluation, with the written reason."""

    evaluation = models.ForeignKey(Evaluation, on_delete=models.CASCADE, related_name="changes")
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+"
    )
    at = models.DateTimeField()
    field = models.CharField(max_length=20)
    old = models.DecimalField(max_digits=5, decimal_places=2, null=True, blank=True)
    new = models.DecimalField(max_digits=5, decimal_places=2, null=True, blank=True)
    reason = models.TextField()

    class Meta:
        ordering = ["evaluation_id", "at", "id"]
        verbose_name = _("evaluation change")
        verbose_name_plural = _("evaluation changes")

    def __str__(self) -> str:
        return f"{self.evaluation} {self.field}: {self.old} → {self.new}"
