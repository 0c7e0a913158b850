"""Staff users, their roles and scope (commune or province), profiles and API tokens.

Citizens have no account: they read the catalog and track dossiers anonymously.
"""

from __future__ import annotations

import hashlib
import secrets
from typing import ClassVar

from django.contrib.auth.models import AbstractUser
from django.db import models
from django.utils.functional import cached_property
from django.utils.translation import gettext_lazy as _


class Role(models.TextChoices):
    RECEPTION_OFFICER = "reception_officer", _("Reception officer")
    SPECIALIST = "specialist", _("Specialist")
    DEPARTMENT_HEAD = "department_head", _("Department head")
    COMMUNE_LEADER = "commune_leader", _("Commune leader")
    PROVINCE_MANAGER = "province_manager", _("Province manager (Home Affairs)")
    SYSTEM_ADMIN = "system_admin", _("System administrator")


class User(AbstractUser):
    """A staff member. Scope: a commune (and department), or the province level."""

    full_name = models.CharField(_("full name"), max_length=120)
    province = models.ForeignKey(
        "places.Province", null=True, blank=True, on_delete=models.PROTECT, related_name="users"
    )
    commune = models.ForeignKey(
        "places.Commune", null=True, blank=True, on_delete=models.PROTECT, related_name="staff"
    )
    department = models.ForeignKey(
        "places.Department", null=True, blank=True, on_delete=models.SET_NULL, related_name="staff"
    )

    REQUIRED_FIELDS: ClassVar[list[str]] = ["email"]

    class Meta:
        ordering = ["full_name", "username"]
        constraints = [
            # A commune user's province is always the commune's province (set by services);
            # a user without a commune works at the province level.
            models.CheckConstraint(
                condition=models.Q(commune__isnull=True) | models.Q(province__isnull=False),
                name="commune_user_has_province",
            ),
        ]

    def __str__(self) -> str:
        return self.full_name or self.username

    @cached_property
    def roles(self) -> frozenset[str]:
        if not self.pk:
            return frozenset()
        # ``.all()`` uses a ``prefetch_related("role_grants")`` cache when there is one.
        return frozenset(grant.role for grant in self.role_grants.all())

    def has_role(self, *roles: str) -> bool:
        return bool(self.roles.intersection(roles))

    @property
    def is_province_level(self) -> bool:
        return self.commune_id is None and self.province_id is not None


class RoleGrant(models.Model):
    user = models.ForeignKey(User, on_delete=models.CASCADE, related_name="role_grants")
    role = models.CharField(max_length=30, choices=Role.choices)

    class Meta:
        constraints = [models.UniqueConstraint(fields=["user", "role"], name="one_grant_per_role")]

    def __str__(self) -> str:
        return f"{self.user} — {self.get_role_display()}"


class StaffProfile(models.Model):
    """Personal and career facts about a staff member (extended by the workforce app)."""

    class Gender(models.TextChoices):
        FEMALE = "F", _("Female")
        MALE = "M", _("Male")

    class Education(models.TextChoices):
        COLLEGE = "college", _("College")
        BACHELOR = "bachelor", _("Bachelor")
        MASTER = "master", _("Master")
        DOCTOR = "doctor", _("Doctor")

    user = models.OneToOneField(User, on_delete=models.CASCADE, related_name="profile")
    gender = models.CharField(max_length=1, choices=Gender.choices)
    birth_date = models.DateField()
    position_title = models.CharField(_("position"), max_length=150)
    education_level = models.CharField(max_length=20, choices=Education.choices)
    education_major = models.CharField(_("major"), max_length=150)
    service_start = models.DateField(_("in service since"))

    def __str__(self) -> str:
        return f"{self.user} ({self.position_title})"


class ApiToken(models.Model):
    """A per-user token for integrations. Only a SHA-256 digest is stored."""

    PREFIX = "xs_"

    user = models.ForeignKey(User, on_delete=models.CASCADE, related_name="api_tokens")
    name = models.CharField(max_length=100)
    digest = models.CharField(max_length=64, unique=True)
    created_at = models.DateTimeField(auto_now_add=True)
    last_used_at = models.DateTimeField(null=True, blank=True)
    revoked_at = models.DateTimeField(null=True, blank=True)

    def __str__(self) -> str:
        return f"{self.name} ({self.user})"

    @staticmethod
    def new_secret() -> str:
        return ApiToken.PREFIX + secrets.token_urlsafe(32)

    @staticmethod
    def digest_of(secret: str) -> str:
        return hashlib.sha256(secret.encode()).hexdigest()


class LoginFailure(models.Model):
    """A failed login, kept to lock out guessing (see ``xaso.accounts.lockout``)."""

    username = models.CharField(max_length=150, db_index=True)
    at = models.DateTimeField(auto_now_add=True, db_index=True)
    ip = models.GenericIPAddressField(null=True, blank=True)

    def __str__(self) -> str:
        return f"{self.username} at {self.at:%Y-%m-%d %H:%M}"
