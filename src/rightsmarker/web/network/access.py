"""Access to cities: every city's public page is visible; who may change it."""

from __future__ import annotations

from django.http import Http404

from ..accounts.roles import roles_of
from .models import City


def get_city_for_user(user, code: str) -> tuple[City, bool]:
    """``(city, can_write)``; Http404 for an unknown code. Admins and the city's editors write."""
    try:
        city = City.objects.get(code=code)
    except City.DoesNotExist:
        raise Http404 from None
    roles = roles_of(user)
    return city, roles.is_admin or roles.is_editor(city.pk)
