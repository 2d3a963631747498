"""Who may see and run discovery jobs and follow groups: one helper per object type.

- A job is visible to its owner, its city's members (editors and viewers) and the secretariat;
  never to anonymous visitors.
- The secretariat (admins and reviewers) and city editors may create jobs (editors for their
  own cities, or without a city).
- ``can_write`` on a job (choose settings, promote groups): its owner, the secretariat and the
  editors of its city.
- Promoting a group to a city's monitored groups: the secretariat and the city's editors.
"""

from __future__ import annotations

from django.core.exceptions import PermissionDenied
from django.db.models import Q, QuerySet
from django.http import Http404

from ..accounts.roles import roles_of
from ..network.models import City
from .models import DiscoveryJob


def may_create_jobs(user) -> bool:
    roles = roles_of(user)
    return roles.is_secretariat or bool(roles.editor_city_codes)


def job_cities(user) -> QuerySet[City]:
    """The cities a user may attach a new job to or promote groups for."""
    roles = roles_of(user)
    if roles.is_secretariat:
        return City.objects.all()
    return City.objects.filter(code__in=roles.editor_city_codes)


def may_follow_groups(user, city: City) -> bool:
    roles = roles_of(user)
    return roles.is_secretariat or roles.is_editor(city.pk)


def visible_jobs(user) -> QuerySet[DiscoveryJob]:
    roles = roles_of(user)
    qs = DiscoveryJob.objects.select_related("owner", "city")
    if not roles.authenticated:
        return qs.none()
    if roles.is_secretariat:
        return qs
    return qs.filter(Q(owner=user) | Q(city_id__in=list(roles.city_ids)))


def get_job_for_user(user, pk) -> tuple[DiscoveryJob, bool]:
    """``(job, can_write)``; Http404 for an unknown job, 403 for one the user may not see."""
    try:
        job = DiscoveryJob.objects.select_related("owner", "city").get(pk=int(pk))
    except (ValueError, TypeError, DiscoveryJob.DoesNotExist):
        raise Http404 from None
    roles = roles_of(user)
    if not roles.authenticated:
        raise PermissionDenied
    owner = job.owner_id == user.pk
    member = job.city_id is not None and roles.is_member(job.city_id)
    if not (owner or member or roles.is_secretariat):
        raise PermissionDenied
    editor = job.city_id is not None and roles.is_editor(job.city_id)
    return job, owner or editor or roles.is_secretariat
