"""Model objects as API dicts (matching :mod:`.schemas`) and the JSON answer :func:`ok`.

Operations answer through :func:`ok`, which skips django-ninja's validation of the answer
against the schema (it doubled the time of long lists); the schemas still document every
answer, and a test checks each answer against them. Lists read plain rows (``values_list``)
instead of model objects, for the same reason.
"""

from __future__ import annotations

from django.core.serializers.json import DjangoJSONEncoder
from django.http import JsonResponse

from ..reporting.models import AuditEntry, Cycle, Submission, Value


def ok(data, status: int = 200) -> JsonResponse:
    return JsonResponse(data, status=status, safe=False, encoder=DjangoJSONEncoder,
                        json_dumps_params={"ensure_ascii": False})


def framework_row(fv) -> dict:
    return {"id": fv.pk, "code": fv.code, "version": fv.version, "label_en": fv.label_en,
            "label_ko": fv.label_ko, "sha256": fv.sha256, "imported_at": fv.imported_at}


def node_tree(fw) -> dict:
    """The framework's nodes as one nested tree from the root (``children`` lists)."""
    def build(code: str) -> dict:
        node = fw.node(code).model_dump(mode="json", exclude_defaults=True)
        node["code"] = code
        node["children"] = [build(child) for child in fw.children(code)]
        return node

    return build(fw.root)


def framework_detail(fv) -> dict:
    fw = fv.as_framework()
    row = framework_row(fv)
    row["framework"] = fw.model_dump(mode="json", exclude={"nodes"}, exclude_none=True)
    row["tree"] = node_tree(fw)
    return row


def cycle_row(c: Cycle) -> dict:
    return {"id": c.pk, "name": c.name, "year": c.year, "status": c.status,
            "framework_id": c.framework_version_id, "framework": str(c.framework_version),
            "opens_on": c.opens_on, "closes_on": c.closes_on, "published_at": c.published_at}


SUBMISSION_COLUMNS = {
    "id": "id", "cycle_id": "cycle_id", "cycle": "cycle__name", "year": "cycle__year",
    "city": "city__code", "city_name": "city__name_en", "status": "status",
    "version": "version", "updated_at": "updated_at", "submitted_at": "submitted_at",
    "reviewed_at": "reviewed_at", "published_at": "published_at"}
VALUE_COLUMNS = ["id", "submission_id", "indicator", "group", "value_number", "value_text",
                 "evidence_url", "evidence_file", "source", "note", "flag", "version",
                 "updated_at"]


def submission_rows(qs) -> list[dict]:
    keys = list(SUBMISSION_COLUMNS)
    return [dict(zip(keys, row, strict=True))
            for row in qs.values_list(*SUBMISSION_COLUMNS.values())]


def value_rows(qs) -> list[dict]:
    rows = [dict(zip(VALUE_COLUMNS, row, strict=True))
            for row in qs.values_list(*VALUE_COLUMNS)]
    for row in rows:
        row["evidence_file"] = row["evidence_file"] or None
    return rows


def submission_row(s: Submission) -> dict:
    return {"id": s.pk, "cycle_id": s.cycle_id, "cycle": s.cycle.name, "year": s.cycle.year,
            "city": s.city.code, "city_name": s.city.name_en, "status": s.status,
            "version": s.version, "updated_at": s.updated_at, "submitted_at": s.submitted_at,
            "reviewed_at": s.reviewed_at, "published_at": s.published_at}


def value_row(v: Value) -> dict:
    return {"id": v.pk, "submission_id": v.submission_id, "indicator": v.indicator,
            "group": v.group, "value_number": v.value_number, "value_text": v.value_text,
            "evidence_url": v.evidence_url, "evidence_file": v.evidence_file.name or None,
            "source": v.source, "note": v.note, "flag": v.flag, "version": v.version,
            "updated_at": v.updated_at}


def audit_row(e: AuditEntry) -> dict:
    return {"at": e.at, "actor": e.actor.get_username() if e.actor else None,
            "action": e.action, "field": e.field, "old_value": e.old_value,
            "new_value": e.new_value}


def comment_row(c) -> dict:
    return {"indicator": c.indicator, "author": c.author.get_username() if c.author else None,
            "text": c.text, "created": c.created}
