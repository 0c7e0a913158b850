"""Stored work-assignment proposals: what the solver proposed for a department, and what the
department head accepted or overrode (with the reason, kept for the record)."""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _


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
    explanation = models.TextField(blank=True)
    late = models.BooleanField(default=False)
    accepted = models.BooleanField(default=False)
    overridden_to = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    override_reason = models.TextField(blank=True)

    class Meta:
        ordering = ["officer_id", "position", "pk"]
        constraints = [
            models.UniqueConstraint(fields=["proposal", "dossier"], name="one_row_per_proposal_dossier"),
        ]

    def __str__(self) -> str:
        return f"{self.proposal_id}: {self.dossier_id} → {self.officer_id}"
