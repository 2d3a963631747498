"""The rows an export holds: values of approved and published submissions the caller may see.

Visibility comes from :func:`..reporting.access.visible_submissions` (anonymous visitors and
outsiders: published submissions only), so an export never shows more than the pages.
"""

from __future__ import annotations

from ..network.access import get_city_for_user
from ..reporting.access import get_cycle_for_user, visible_submissions
from ..reporting.models import Submission, Value

COLUMNS = ["cycle", "period", "unit", "indicator", "group", "value", "text", "source", "note",
           "flag", "status"]
EXPORTED = (Submission.Status.APPROVED, Submission.Status.PUBLISHED)
_FIELDS = ("submission__cycle__name", "submission__cycle__year", "submission__city__code",
           "indicator", "group", "value_number", "value_text", "source", "note", "flag",
           "submission__status")


def _rows(submissions) -> list[dict]:
    qs = (Value.objects.filter(submission__in=submissions.values("pk"))
          .order_by("-submission__cycle__year", "submission__cycle__name",
                    "submission__city__code", "indicator", "group")
          .values_list(*_FIELDS))
    rows = []
    for cycle, period, unit, ind, grp, number, text, source, note, flag, status in qs.iterator():
        rows.append({"cycle": cycle, "period": period, "unit": unit, "indicator": ind,
                     "group": grp, "value": number, "text": text or None,
                     "source": source or None, "note": note or None, "flag": flag or None,
                     "status": status})
    return rows


def cycle_rows(user, pk) -> tuple[str, list[dict]]:
    """``(file name stem, rows)`` of one cycle; Http404 / PermissionDenied as the pages."""
    cycle, _ = get_cycle_for_user(user, pk)
    subs = visible_submissions(user).filter(cycle=cycle, status__in=EXPORTED)
    return f"values-cycle-{cycle.pk}-{cycle.year}", _rows(subs)


def city_rows(user, code: str) -> tuple[str, list[dict]]:
    """``(file name stem, rows)`` of one city over every cycle; Http404 for an unknown city."""
    city, _ = get_city_for_user(user, code)
    subs = visible_submissions(user).filter(city=city, status__in=EXPORTED)
    return f"values-city-{city.code}", _rows(subs)
