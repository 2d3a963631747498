"""Create a user with a role (used by ``rightsmarker createuser`` and the demo seeding)."""

from __future__ import annotations

from django.contrib.auth import get_user_model
from django.contrib.auth.hashers import make_password
from django.db import transaction

from rightsmarker.errors import RightsMarkerError

from ..network.models import City
from .models import CITY_ROLES, SECRETARIAT_ROLES, Membership, Role


class UserError(RightsMarkerError):
    """A user cannot be created as asked (unknown role or city, name taken)."""


def create_user(username: str, email: str, role: str, city_code: str | None = None,
                password: str | None = None, password_hash: str | None = None):
    """Create an active user with one membership. Secretariat admins also get Django admin access.

    ``password_hash`` (from ``make_password``) may replace ``password`` to avoid re-hashing the
    same password for many demo accounts.
    """
    if role not in Role.values:
        raise UserError(f"unknown role {role!r}; expected one of {', '.join(Role.values)}")
    city = _city_for_role(role, city_code)
    User = get_user_model()
    if User.objects.filter(username=username).exists():
        raise UserError(f"a user named {username!r} already exists")
    with transaction.atomic():
        is_admin = role == Role.SECRETARIAT_ADMIN
        user = User(username=username, email=email, is_staff=is_admin, is_superuser=is_admin)
        user.password = password_hash or (make_password(password) if password else
                                          make_password(None))
        user.save()
        Membership.objects.create(user=user, city=city, role=role)
    return user


def _city_for_role(role: str, city_code: str | None) -> City | None:
    if role in SECRETARIAT_ROLES:
        if city_code:
            raise UserError(f"the role {role} is for the secretariat; give no --city")
        return None
    assert role in CITY_ROLES
    if not city_code:
        raise UserError(f"the role {role} needs --city CODE")
    try:
        return City.objects.get(code=city_code)
    except City.DoesNotExist:
        known = ", ".join(City.objects.values_list("code", flat=True)[:20]) or "none yet"
        raise UserError(f"unknown city {city_code!r} (known: {known})") from None
