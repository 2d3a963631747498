"""Who may see and change cycles and submissions: one helper per object type.

Each ``get_<object>_for_user(user, key)`` returns ``(object, can_write)``, raises ``Http404``
when there is no such object and ``PermissionDenied`` (403) when it exists but the user may not
see it. Views call these helpers and nothing else to decide about access.

- Anonymous visitors and outsiders see published cycles and published submissions only.
- City members (editor, viewer) see every submission of their city; the secretariat sees all.
- ``can_write`` on a submission: its city's editors and secretariat admins (whether the values
  can change now also depends on the status: ``Submission.is_editable``).
- ``can_write`` on a cycle: secretariat admins.
"""

from __future__ import annotations

from django.core.exceptions import PermissionDenied
from django.db.models import Q, QuerySet
from django.http import Http404

from ..accounts.roles import roles_of
from .models import Cycle, Submission


def visible_cycles(user) -> QuerySet[Cycle]:
    """Published cycles for visitors; every cycle for signed-in members and the secretariat."""
    roles = roles_of(user)
    qs = Cycle.objects.select_related("framework_version")
    if roles.is_secretariat or roles.city_ids:
        return qs
    return qs.filter(status=Cycle.Status.PUBLISHED)


def visible_submissions(user) -> QuerySet[Submission]:
    """Published submissions, plus every submission of the user's cities (all for secretariat)."""
    roles = roles_of(user)
    qs = Submission.objects.select_related("cycle", "city")
    if roles.is_secretariat:
        return qs
    published = Q(status=Submission.Status.PUBLISHED)
    return qs.filter(published | Q(city_id__in=list(roles.city_ids)))


def get_cycle_for_user(user, pk) -> tuple[Cycle, bool]:
    cycle = _get_or_404(Cycle.objects.select_related("framework_version"), pk)
    roles = roles_of(user)
    if not visible_cycles(user).filter(pk=cycle.pk).exists():
        raise PermissionDenied
    return cycle, roles.is_admin


def get_submission_for_user(user, pk) -> tuple[Submission, bool]:
    submission = _get_or_404(Submission.objects.select_related("cycle", "city",
                                                                "cycle__framework_version"), pk)
    roles = roles_of(user)
    member = roles.is_secretariat or roles.is_member(submission.city_id)
    if not member and submission.status != Submission.Status.PUBLISHED:
        raise PermissionDenied
    return submission, roles.is_admin or roles.is_editor(submission.city_id)


def may_see_history(user, submission: Submission) -> bool:
    """The audit history names people: for the city's members and the secretariat only."""
    roles = roles_of(user)
    return roles.is_secretariat or roles.is_member(submission.city_id)


def _get_or_404(qs, pk):
    try:
        return qs.get(pk=int(pk))
    except (ValueError, TypeError, qs.model.DoesNotExist):
        raise Http404 from None
