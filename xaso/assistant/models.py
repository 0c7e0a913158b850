"""The assistant's learning loop: questions asked (personal data removed) and officers'
verdicts on the answers."""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _


class Question(models.Model):
    """One question and what the assistant did with it. ``text`` has ID numbers, phone
    numbers, e-mail addresses and dossier check digits removed before it is stored."""

    class Mode(models.TextChoices):
        CITIZEN = "citizen", _("Citizen")
        OFFICER = "officer", _("Officer")

    text = models.CharField(_("question"), max_length=600)
    key = models.CharField(max_length=300, db_index=True)  # folded search words: groups the same question
    mode = models.CharField(max_length=10, choices=Mode.choices, default=Mode.CITIZEN)
    language = models.CharField(max_length=5, default="vi")
    commune = models.ForeignKey(
        "places.Commune", null=True, blank=True, on_delete=models.SET_NULL, related_name="assistant_questions"
    )
    context_code = models.CharField(max_length=40, blank=True)  # asked on this procedure's page
    decision = models.CharField(max_length=20)
    top_code = models.CharField(max_length=40, blank=True)
    codes = models.JSONField(default=list, blank=True)
    confidence = models.FloatField(default=0.0)
    abstained = models.BooleanField(default=False, db_index=True)
    asked_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True, db_index=True)

    class Meta:
        ordering = ["-created_at"]

    def __str__(self) -> str:
        return self.text[:80]


class Feedback(models.Model):
    """An officer's verdict on one answer (one per officer; a new verdict replaces it)."""

    class Verdict(models.TextChoices):
        RIGHT = "right", _("Right")
        WRONG = "wrong", _("Wrong")

    question = models.ForeignKey(Question, on_delete=models.CASCADE, related_name="feedback")
    officer = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="+")
    verdict = models.CharField(max_length=10, choices=Verdict.choices)
    note = models.CharField(max_length=300, blank=True)
    created_at = models.DateTimeField(auto_now=True)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["question", "officer"], name="one_verdict_per_officer"),
        ]

    def __str__(self) -> str:
        return f"{self.question_id} {self.verdict}"
