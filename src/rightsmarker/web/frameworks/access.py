"""Access to framework versions: public to read; only secretariat admins import."""

from __future__ import annotations

from django.http import Http404

from ..accounts.roles import roles_of
from .models import FrameworkVersion


def get_framework_version_for_user(user, pk) -> tuple[FrameworkVersion, bool]:
    """``(framework version, can_write)``; Http404 for an unknown id."""
    try:
        fv = FrameworkVersion.objects.get(pk=int(pk))
    except (ValueError, TypeError, FrameworkVersion.DoesNotExist):
        raise Http404 from None
    return fv, roles_of(user).is_admin
