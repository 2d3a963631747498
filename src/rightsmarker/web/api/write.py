"""Write operations: create and update values, move a submission. Every change is audited
under the caller (``acting_as``) and values are optimistically locked by their ``version``.

Order of refusals: 401 (no caller) / 403 (read-only token) / 404 / 403 (no right on this
submission) / 409 (not editable now, stale version, already exists) / 422 (does not fit the
framework).
"""

from __future__ import annotations

from django.db import IntegrityError, transaction
from django.http import Http404, HttpResponse
from ninja import Query

from ..accounts.roles import roles_of
from ..reporting import transitions
from ..reporting.access import get_submission_for_user
from ..reporting.actor import acting_as
from ..reporting.audit import StaleVersionError
from ..reporting.models import Submission, Value
from ..reporting.services import move
from . import serialize as s
from .auth import WRITE
from .checks import check_number, check_value
from .errors import ApiError
from .router import router
from .schemas import SubmissionOut, TransitionIn, ValueIn, ValueOut, ValuePatch, errors_for

WRITE_ERRORS = errors_for(400, 401, 403, 404, 409, 413)


def writable_submission(request, pk: int) -> Submission:
    """The submission if the caller may change its values now; refuse otherwise."""
    caller = request.auth
    caller.require_write()
    sub, can_write = get_submission_for_user(caller.user, pk)
    if not can_write:
        raise ApiError(403, "Only the city's editors and secretariat admins change values.")
    if not sub.is_editable:
        raise ApiError(409, f"The submission is {sub.status} in a {sub.cycle.status} cycle: "
                       "values change only in a draft or returned submission of an open cycle.",
                       code="not_editable")
    return sub


@router.post("/submissions/{int:pk}/values", response={201: ValueOut, **WRITE_ERRORS},
             tags=["values"], auth=WRITE)
def create_value(request, pk: int, payload: ValueIn):
    """Add a value of an indicator for a group (409 ``already_exists`` when there is one)."""
    sub = writable_submission(request, pk)
    fw = sub.cycle.framework_version.as_framework()
    group = check_value(fw, payload.indicator, payload.group, payload.value_number)
    fields = payload.model_dump(exclude={"indicator", "group"})
    user = request.auth.user
    try:
        with transaction.atomic(), acting_as(user):
            value = Value(submission=sub, indicator=payload.indicator, group=group,
                          updated_by=user, **fields)
            value.save()
    except IntegrityError:
        existing = sub.values.filter(indicator=payload.indicator, group=group).first()
        raise ApiError(409, "This indicator already has a value for this group: update it "
                       "with PATCH and its version.", code="already_exists",
                       details=[{"id": existing.pk if existing else None,
                                 "version": existing.version if existing else None}]) from None
    return s.ok(s.value_row(value), status=201)


@router.patch("/submissions/{int:pk}/values/{int:value_id}",
              response={200: ValueOut, **WRITE_ERRORS}, tags=["values"], auth=WRITE)
def update_value(request, pk: int, value_id: int, payload: ValuePatch):
    """Change the given fields of a value; ``version`` must be the one read (else 409)."""
    sub = writable_submission(request, pk)
    try:
        value = sub.values.get(pk=value_id)
    except Value.DoesNotExist:
        raise Http404 from None
    changes = payload.model_dump(exclude_unset=True, exclude={"version"})
    if "value_number" in changes:
        problems: list[dict] = []
        fw = sub.cycle.framework_version.as_framework()
        if value.indicator in set(fw.indicator_codes):
            check_number(fw.node(value.indicator), changes["value_number"], problems)
        if problems:
            raise ApiError(422, "The value does not fit the framework.", details=problems)
    for name, new in changes.items():
        setattr(value, name, "" if new is None and name != "value_number" else new)
    value.version = payload.version
    value.updated_by = request.auth.user
    with acting_as(request.auth.user):
        value.save()  # StaleVersionError -> 409 stale_version
    return s.ok(s.value_row(value))


@router.delete("/submissions/{int:pk}/values/{int:value_id}",
               response={204: None, **WRITE_ERRORS}, tags=["values"], auth=WRITE)
def delete_value(request, pk: int, value_id: int, version: int = Query(..., ge=1)):
    """Delete a value; ``?version=`` must be the one read (else 409). The audit log keeps it."""
    sub = writable_submission(request, pk)
    with transaction.atomic(), acting_as(request.auth.user):
        try:
            value = sub.values.select_for_update().get(pk=value_id)
        except Value.DoesNotExist:
            raise Http404 from None
        if value.version != version:
            raise StaleVersionError(value, version)
        value.delete()
    return HttpResponse(status=204)


def _refusal_status(role: str | None, target: str) -> int:
    """403 when the caller's role may never make this kind of move, 409 when not now."""
    roles = set().union(*(r.roles for r in transitions.RULES if r.target == target))
    return 409 if role in roles else 403


@router.post("/submissions/{int:pk}/transitions", response={200: SubmissionOut, **WRITE_ERRORS},
             tags=["submissions"], auth=WRITE)
def move_submission(request, pk: int, payload: TransitionIn):
    """Submit, return (with a comment), approve or publish a submission."""
    caller = request.auth
    caller.require_write()
    sub, _ = get_submission_for_user(caller.user, pk)
    role = roles_of(caller.user).role_for(sub.city_id)
    try:
        move(sub, payload.target, caller.user, comment=payload.comment,
             expected_version=payload.version)
    except transitions.TransitionRefused as exc:
        status = _refusal_status(role, payload.target)
        raise ApiError(status, str(exc.reason), code="transition_refused") from None
    sub.refresh_from_db()
    return s.ok(s.submission_row(sub))
