"""The history of one value (indicator and group of a submission): who, when, old, new.

Read from the audit log: every Value row that ever held this indicator and group (found by the
``create`` entries, so a value deleted and entered again keeps its whole story), then every
entry about those rows. Shown to the city's members and the secretariat, like the submission's
history (:func:`~rightsmarker.web.reporting.access.may_see_history`).
"""

from __future__ import annotations

from django.core.exceptions import PermissionDenied
from django.http import Http404

from ..reporting.access import get_submission_for_user, may_see_history
from ..reporting.models import AuditEntry
from ..twins import respond
from .changelog import readable_rows
from .pages import language
from .slots import group_label

VALUE_MODEL = "reporting.value"
SHOWN_FIELDS = ("value_number", "value_text", "source", "note", "flag", "evidence_url",
                "evidence_file")


def value_entries(submission, indicator: str, group: str) -> list[AuditEntry]:
    ids = set(AuditEntry.objects.filter(
        model=VALUE_MODEL, submission_id=submission.pk, action=AuditEntry.Action.CREATE,
        new_value__indicator=indicator, new_value__group=group,
    ).values_list("object_id", flat=True))
    current = submission.values.filter(indicator=indicator, group=group).first()
    if current is not None:
        ids.add(str(current.pk))
    if not ids:
        return []
    return list(AuditEntry.objects.filter(model=VALUE_MODEL, object_id__in=ids,
                                          submission_id=submission.pk)
                .select_related("actor").order_by("-at", "-id")[:500])


def entry_rows(entries) -> list[dict]:
    """One row per change, raw (the JSON twin): creates and deletes show the value fields
    only. The page shows :func:`.changelog.readable_rows` instead."""
    rows = []
    for e in entries:
        base = {"at": e.at.isoformat(), "actor": e.actor.get_username() if e.actor else None,
                "action": e.action, "object_id": e.object_id}
        if e.action == AuditEntry.Action.UPDATE:
            rows.append({**base, "field": e.field, "old": e.old_value, "new": e.new_value})
            continue
        snap = (e.new_value if e.action == AuditEntry.Action.CREATE else e.old_value) or {}
        for name in SHOWN_FIELDS:
            if snap.get(name) not in (None, ""):
                old, new = (None, snap[name]) if e.action == "create" else (snap[name], None)
                rows.append({**base, "field": name, "old": old, "new": new})
    return rows


def value_history(request, pk: int, fmt: str = "/"):
    submission, _can_write = get_submission_for_user(request.user, pk)
    if not may_see_history(request.user, submission):
        raise PermissionDenied
    indicator = request.GET.get("indicator", "")
    group = request.GET.get("group", "total") or "total"
    fw = submission.cycle.framework_version.as_framework()
    if indicator not in fw.indicator_codes:
        raise Http404
    entries = value_entries(submission, indicator, group)
    rows = entry_rows(entries)
    lang = language(request)
    context = {"submission": submission, "indicator": indicator, "group": group,
               "indicator_label": fw.node(indicator).label(lang),
               "group_label": group_label(group, fw, lang),
               "rows": readable_rows(entries, fw, lang) if fmt == "/" else [],
               "query": request.GET.urlencode()}
    return respond(request, fmt, "entry/value_history.html", context,
                   data={"submission": submission.pk, "indicator": indicator, "group": group,
                         "history": rows})
