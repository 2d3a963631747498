"""Read operations: frameworks, cycles, submissions, values and a value's audit history.

What a caller sees is decided by the same helpers as the pages (:mod:`..reporting.access`,
:mod:`..frameworks.access`), so the API and the pages never disagree.
"""

from __future__ import annotations

from django.core.exceptions import PermissionDenied
from django.http import Http404
from ninja import Query, Schema
from pydantic import Field

from rightsmarker.observations import canonical_group

from ..accounts.roles import roles_of
from ..frameworks.access import get_framework_version_for_user
from ..frameworks.models import FrameworkVersion
from ..reporting import transitions
from ..reporting.access import (
    get_cycle_for_user,
    get_submission_for_user,
    may_see_history,
    visible_cycles,
    visible_submissions,
)
from ..reporting.models import AuditEntry, Value
from . import serialize as s
from .auth import READ
from .router import router
from .schemas import (
    AuditEntryOut,
    CycleDetailOut,
    CycleOut,
    FrameworkDetailOut,
    FrameworkOut,
    SubmissionDetailOut,
    SubmissionOut,
    ValueOut,
    errors_for,
)


class CycleFilter(Schema):
    status: str | None = None
    year: int | None = None


class SubmissionFilter(Schema):
    cycle: int | None = None
    city: str | None = None
    status: str | None = None
    limit: int = Field(1000, ge=1, le=5000, description="At most this many (newest first)")
    offset: int = Field(0, ge=0, description="Skip this many; the X-Total-Count header says "
                        "how many match")


class ValueFilter(Schema):
    indicator: str | None = None
    group: str | None = None


@router.get("/frameworks", response={200: list[FrameworkOut], **errors_for(401)},
            tags=["frameworks"], auth=READ)
def list_frameworks(request):
    """Every imported framework version (public)."""
    return s.ok([s.framework_row(fv) for fv in FrameworkVersion.objects.all()])


@router.get("/frameworks/{int:pk}", response={200: FrameworkDetailOut, **errors_for(401, 404)},
            tags=["frameworks"], auth=READ)
def get_framework(request, pk: int):
    """One framework version with its full node tree."""
    fv, _ = get_framework_version_for_user(request.auth.user, pk)
    return s.ok(s.framework_detail(fv))


@router.get("/cycles", response={200: list[CycleOut], **errors_for(401)}, tags=["cycles"],
            auth=READ)
def list_cycles(request, filters: Query[CycleFilter]):
    """Cycles the caller may see (visitors: published cycles only)."""
    qs = visible_cycles(request.auth.user)
    if filters.status:
        qs = qs.filter(status=filters.status)
    if filters.year is not None:
        qs = qs.filter(year=filters.year)
    return s.ok([s.cycle_row(c) for c in qs])


@router.get("/cycles/{int:pk}", response={200: CycleDetailOut, **errors_for(401, 403, 404)},
            tags=["cycles"], auth=READ)
def get_cycle(request, pk: int):
    """A cycle and the submissions in it that the caller may see."""
    user = request.auth.user
    cycle, can_write = get_cycle_for_user(user, pk)
    subs = visible_submissions(user).filter(cycle=cycle).order_by("city__code")
    return s.ok({**s.cycle_row(cycle), "can_write": can_write,
                 "submissions": s.submission_rows(subs)})


@router.get("/submissions", response={200: list[SubmissionOut], **errors_for(401)},
            tags=["submissions"], auth=READ)
def list_submissions(request, filters: Query[SubmissionFilter]):
    """Submissions the caller may see: published ones, their cities' and (secretariat) all."""
    qs = visible_submissions(request.auth.user).order_by("-cycle__year", "city__code")
    if filters.cycle is not None:
        qs = qs.filter(cycle_id=filters.cycle)
    if filters.city:
        qs = qs.filter(city__code=filters.city)
    if filters.status:
        qs = qs.filter(status=filters.status)
    response = s.ok(s.submission_rows(qs[filters.offset:filters.offset + filters.limit]))
    response["X-Total-Count"] = str(qs.count())
    return response


@router.get("/submissions/{int:pk}",
            response={200: SubmissionDetailOut, **errors_for(401, 403, 404)},
            tags=["submissions"], auth=READ)
def get_submission(request, pk: int):
    """A submission, whether the caller may write it, the moves open to them and comments."""
    user = request.auth.user
    sub, can_write = get_submission_for_user(user, pk)
    if request.auth.token is not None and not request.auth.token.can_write:
        can_write = False
    role = roles_of(user).role_for(sub.city_id) if request.auth.may_write else None
    moves = [r.target for r in transitions.allowed(sub.status, role,
                                                   cycle_open=sub.cycle.status == "open")]
    comments = sub.comments.select_related("author") if may_see_history(user, sub) else []
    return s.ok({**s.submission_row(sub), "can_write": can_write, "editable": sub.is_editable,
                 "moves": moves, "comments": [s.comment_row(c) for c in comments]})


@router.get("/submissions/{int:pk}/values",
            response={200: list[ValueOut], **errors_for(401, 403, 404)}, tags=["values"],
            auth=READ)
def list_values(request, pk: int, filters: Query[ValueFilter]):
    """The values of a submission, optionally of one indicator and / or one group."""
    sub, _ = get_submission_for_user(request.auth.user, pk)
    qs = sub.values.all()
    if filters.indicator:
        qs = qs.filter(indicator=filters.indicator)
    if filters.group:
        try:  # a group code such as 'women' finds 'sex=female'
            group = canonical_group(filters.group, sub.cycle.framework_version.as_framework())
        except ValueError:
            group = filters.group
        qs = qs.filter(group=group)
    return s.ok(s.value_rows(qs))


def get_value_for_user(user, pk: int, value_id: int) -> tuple[Value, bool]:
    """A value of a submission the caller may see: ``(value, can_write)``; 404 / 403."""
    sub, can_write = get_submission_for_user(user, pk)
    try:
        value = sub.values.get(pk=value_id)
    except Value.DoesNotExist:
        raise Http404 from None
    value.submission = sub
    return value, can_write


@router.get("/submissions/{int:pk}/values/{int:value_id}",
            response={200: ValueOut, **errors_for(401, 403, 404)}, tags=["values"],
            auth=READ)
def get_value(request, pk: int, value_id: int):
    """One value."""
    value, _ = get_value_for_user(request.auth.user, pk, value_id)
    return s.ok(s.value_row(value))


@router.get("/submissions/{int:pk}/values/{int:value_id}/history",
            response={200: list[AuditEntryOut], **errors_for(401, 403, 404)}, tags=["values"],
            auth=READ)
def value_history(request, pk: int, value_id: int):
    """Every audited change of a value, newest first (city members and the secretariat)."""
    user = request.auth.user
    value, _ = get_value_for_user(user, pk, value_id)
    if not may_see_history(user, value.submission):
        raise PermissionDenied
    entries = (AuditEntry.objects.filter(model=Value._meta.label_lower, object_id=str(value.pk))
               .select_related("actor")[:1000])
    return s.ok([s.audit_row(e) for e in entries])
