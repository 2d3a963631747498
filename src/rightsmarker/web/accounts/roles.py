"""What a user may do, from their memberships: one place for every role question.

A Django superuser counts as a secretariat admin. Results are cached on the user object for
the request (``_rightsmarker_roles``).
"""

from __future__ import annotations

from dataclasses import dataclass, field

from .models import Role


@dataclass(frozen=True)
class Roles:
    """A user's roles: the secretariat role (or None) and the role per city code."""

    secretariat: str | None = None
    cities: dict[str, str] = field(default_factory=dict)
    city_ids: dict[int, str] = field(default_factory=dict)
    authenticated: bool = False
    city_names: dict[str, str] = field(default_factory=dict)  # code -> name, for the menu

    @property
    def is_admin(self) -> bool:
        return self.secretariat == Role.SECRETARIAT_ADMIN

    @property
    def is_secretariat(self) -> bool:
        return self.secretariat is not None

    def city_role(self, city_id: int) -> str | None:
        return self.city_ids.get(city_id)

    def is_member(self, city_id: int) -> bool:
        return city_id in self.city_ids

    def is_editor(self, city_id: int) -> bool:
        return self.city_ids.get(city_id) == Role.CITY_EDITOR

    def role_for(self, city_id: int) -> str | None:
        """The role that decides about a city's material: secretariat first, then the city's."""
        return self.secretariat or self.city_ids.get(city_id)

    @property
    def editor_city_codes(self) -> list[str]:
        return sorted(c for c, r in self.cities.items() if r == Role.CITY_EDITOR)


ANONYMOUS = Roles()


def roles_of(user) -> Roles:
    """The roles of ``user`` (anonymous or None: no roles)."""
    if user is None or not user.is_authenticated:
        return ANONYMOUS
    cached = getattr(user, "_rightsmarker_roles", None)
    if cached is not None:
        return cached
    secretariat = Role.SECRETARIAT_ADMIN if user.is_superuser else None
    cities, city_ids, names = {}, {}, {}
    for m in user.memberships.select_related("city"):
        if m.city_id is None:
            if secretariat is None or m.role == Role.SECRETARIAT_ADMIN:
                secretariat = m.role
        else:
            cities[m.city.code] = m.role
            city_ids[m.city_id] = m.role
            names[m.city.code] = m.city.name
    roles = Roles(secretariat=secretariat, cities=cities, city_ids=city_ids, authenticated=True,
                  city_names=names)
    user._rightsmarker_roles = roles
    return roles
