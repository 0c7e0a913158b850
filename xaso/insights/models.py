"""Generated monthly reports, kept so the worker makes each one once."""

from __future__ import annotations

from django.db import models


class MonthlyReport(models.Model):
    scope = models.CharField(max_length=40)  # "commune:20122" or "province:46"
    period = models.CharField(max_length=10)  # "2026-10"
    pdf = models.BinaryField()
    xlsx = models.BinaryField()
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["scope", "period"], name="one_report_per_scope_period")
        ]

    def __str__(self) -> str:
        return f"{self.scope} {self.period}"
