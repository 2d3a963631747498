"""Memberships (a role, for a city or for the secretariat) and hashed API tokens."""

from __future__ import annotations

import hashlib
import hmac
import secrets
from datetime import timedelta

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

LAST_USED_EVERY = timedelta(minutes=1)  # writes of last_used queue up on SQLite


class Role(models.TextChoices):
    SECRETARIAT_ADMIN = "secretariat_admin", _("Secretariat admin")
    SECRETARIAT_REVIEWER = "secretariat_reviewer", _("Secretariat reviewer")
    CITY_EDITOR = "city_editor", _("City editor")
    CITY_VIEWER = "city_viewer", _("City viewer")


SECRETARIAT_ROLES = (Role.SECRETARIAT_ADMIN, Role.SECRETARIAT_REVIEWER)
CITY_ROLES = (Role.CITY_EDITOR, Role.CITY_VIEWER)


class Membership(models.Model):
    """A user's role: for one city (editor, viewer) or for the secretariat (city is empty)."""

    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE,
                             related_name="memberships", verbose_name=_("user"))
    city = models.ForeignKey("network.City", null=True, blank=True, on_delete=models.CASCADE,
                             related_name="memberships", verbose_name=_("city"))
    role = models.CharField(_("role"), max_length=32, choices=Role.choices)
    created = models.DateTimeField(_("created"), auto_now_add=True)

    class Meta:
        verbose_name = _("membership")
        verbose_name_plural = _("memberships")
        constraints = [
            models.CheckConstraint(
                condition=(Q(role__in=SECRETARIAT_ROLES, city__isnull=True)
                           | Q(role__in=CITY_ROLES, city__isnull=False)),
                name="membership_city_matches_role"),
            models.UniqueConstraint(fields=["user", "city"], condition=Q(city__isnull=False),
                                    name="one_membership_per_user_and_city"),
            models.UniqueConstraint(fields=["user"], condition=Q(city__isnull=True),
                                    name="one_secretariat_membership_per_user"),
        ]

    def __str__(self) -> str:
        where = self.city.code if self.city_id else "secretariat"
        return f"{self.user} - {self.get_role_display()} ({where})"


TOKEN_PREFIX_LEN = 8


def _digest(token: str) -> str:
    return hashlib.sha256(token.encode("utf-8")).hexdigest()


class ApiToken(models.Model):
    """A bearer token for the API, stored hashed (SHA-256); shown once, when it is issued.

    ``can_write`` tokens may change data within the owner's roles; others only read.
    """

    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE,
                             related_name="api_tokens", verbose_name=_("user"))
    name = models.CharField(_("name"), max_length=100)
    prefix = models.CharField(_("prefix"), max_length=TOKEN_PREFIX_LEN, db_index=True,
                              editable=False)
    digest = models.CharField(_("SHA-256 of the token"), max_length=64, unique=True,
                              editable=False)
    can_write = models.BooleanField(_("may write"), default=False)
    created = models.DateTimeField(_("created"), auto_now_add=True)
    last_used = models.DateTimeField(_("last used"), null=True, blank=True)
    expires = models.DateTimeField(_("expires"), null=True, blank=True)
    revoked = models.DateTimeField(_("revoked"), null=True, blank=True)

    class Meta:
        verbose_name = _("API token")
        verbose_name_plural = _("API tokens")

    def __str__(self) -> str:
        return f"{self.name} ({self.prefix}…, {self.user})"

    @classmethod
    def issue(cls, user, name: str, can_write: bool = False, expires=None) -> tuple[ApiToken, str]:
        """Create a token; return it and the plain text (shown once, never stored)."""
        plain = "rm_" + secrets.token_urlsafe(32)
        token = cls.objects.create(user=user, name=name, prefix=plain[:TOKEN_PREFIX_LEN],
                                   digest=_digest(plain), can_write=can_write, expires=expires)
        return token, plain

    @classmethod
    def authenticate(cls, plain: str) -> ApiToken | None:
        """The live token matching ``plain`` (and mark it used), or None."""
        if not plain or len(plain) < TOKEN_PREFIX_LEN:
            return None
        digest = _digest(plain)
        now = timezone.now()
        for token in cls.objects.filter(prefix=plain[:TOKEN_PREFIX_LEN], revoked__isnull=True):
            if hmac.compare_digest(token.digest, digest):
                if (token.expires and token.expires <= now) or not token.user.is_active:
                    return None
                if token.last_used is None or now - token.last_used > LAST_USED_EVERY:
                    cls.objects.filter(pk=token.pk).update(last_used=now)  # once a minute at most
                return token
        return None

    def revoke(self) -> None:
        self.revoked = timezone.now()
        self.save(update_fields=["revoked"])
