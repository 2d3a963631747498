"""Who sees and changes a practice: one helper that views call and nothing else."""

from __future__ import annotations

from django.core.exceptions import PermissionDenied
from django.http import Http404

from ..accounts.roles import roles_of
from .models import PracticeRecord


def get_practice_for_user(user, pk: int) -> tuple[PracticeRecord, bool]:
    """``(record, can_edit)``. Published: everyone sees it; otherwise the city's members and the
    secretariat (others: 403). City editors and admins edit drafts and published practices (an
    edit of a published one is a new draft version); submitted ones wait for the reviewer."""
    try:
        record = PracticeRecord.objects.select_related("city").get(pk=pk)
    except PracticeRecord.DoesNotExist:
        raise Http404 from None
    roles = roles_of(user)
    visible = (record.status == PracticeRecord.Status.PUBLISHED or roles.is_secretariat
               or roles.is_member(record.city_id))
    if not visible:
        raise PermissionDenied
    return record, may_edit(user, record)


def may_edit(user, record: PracticeRecord) -> bool:
    roles = roles_of(user)
    writer = roles.is_admin or roles.is_editor(record.city_id)
    return writer and record.status != PracticeRecord.Status.SUBMITTED


def may_create_for(user, city) -> bool:
    roles = roles_of(user)
    return roles.is_admin or roles.is_editor(city.pk)
