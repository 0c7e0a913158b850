"""Provinces, communes (xã/phường/đặc khu) and the standard commune departments."""

from __future__ import annotations

from django.db import models
from django.utils.translation import gettext_lazy as _


class Province(models.Model):
    """A province-level unit (tỉnh/thành phố), keyed by its official code."""

    code = models.PositiveIntegerField(primary_key=True)
    name = models.CharField(max_length=100)
    codename = models.CharField(max_length=100)

    class Meta:
        ordering = ["code"]

    def __str__(self) -> str:
        return self.name


class Commune(models.Model):
    """A commune-level unit (xã, phường or đặc khu), keyed by its official code."""

    class Kind(models.TextChoices):
        COMMUNE = "xa", _("Commune")
        WARD = "phuong", _("Ward")
        SPECIAL_ZONE = "dac_khu", _("Special zone")

    code = models.PositiveIntegerField(primary_key=True)
    province = models.ForeignKey(Province, on_delete=models.PROTECT, related_name="communes")
    name = models.CharField(max_length=100)
    codename = models.CharField(max_length=100)
    kind = models.CharField(max_length=10, choices=Kind.choices)
    address = models.CharField(max_length=200, blank=True)
    phone = models.CharField(max_length=30, blank=True)
    email = models.EmailField(blank=True)

    class Meta:
        ordering = ["province_id", "name"]

    def __str__(self) -> str:
        return self.name


class Department(models.Model):
    """One of the standard departments of a commune People's Committee (Decree 150/2025)."""

    class Kind(models.TextChoices):
        OFFICE = "office", _("Office of the People's Council and People's Committee")
        ECONOMY = "economy", _("Economic Department")
        CULTURE_SOCIAL = "culture_social", _("Culture and Social Affairs Department")
        SERVICE_CENTER = "service_center", _("Public Administrative Service Center")

    commune = models.ForeignKey(Commune, on_delete=models.CASCADE, related_name="departments")
    kind = models.CharField(max_length=20, choices=Kind.choices)
    name = models.CharField(max_length=200)

    class Meta:
        ordering = ["commune_id", "kind"]
        constraints = [
            models.UniqueConstraint(fields=["commune", "kind"], name="one_department_of_each_kind"),
        ]

    def __str__(self) -> str:
        return f"{self.name} — {self.commune.name}"
