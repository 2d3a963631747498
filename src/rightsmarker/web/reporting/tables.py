"""Rows of the reporting pages and their data twins (plain dicts, JSON-ready)."""

from __future__ import annotations

from collections import defaultdict

VALUE = "reporting.value"  # the audit log's name of a value entry
VALUE_COLUMNS = ["indicator", "group", "value", "text", "evidence_url", "evidence_file",
                 "source", "note", "flag", "version", "updated_at"]


def submission_row(s) -> dict:
    return {"id": s.pk, "cycle": s.cycle.name, "year": s.cycle.year, "city": s.city.code,
            "status": s.status, "version": s.version, "updated_at": s.updated_at.isoformat()}


def value_rows(values) -> list[dict]:
    return [{"indicator": v.indicator, "group": v.group, "value": v.value_number,
             "text": v.value_text or None, "evidence_url": v.evidence_url or None,
             "evidence_file": v.evidence_file.name or None, "source": v.source or None,
             "note": v.note or None, "flag": v.flag or None, "version": v.version,
             "updated_at": v.updated_at.isoformat() if v.updated_at else None}
            for v in values]


def history_rows(entries, value_keys: dict | None = None) -> list[dict]:
    """The audit entries as stored (the twins' raw data); ``value_keys`` (object id ->
    (indicator, group)) adds the indicator and group of a value's entries."""
    keys = value_keys or {}
    return [{"at": e.at.isoformat(), "actor": e.actor.username if e.actor else None,
             "action": e.action, "model": e.model, "object_id": e.object_id,
             "indicator": keys.get(e.object_id, (None, None))[0] if e.model == VALUE else None,
             "group": keys.get(e.object_id, (None, None))[1] if e.model == VALUE else None,
             "field": e.field, "old_value": e.old_value, "new_value": e.new_value}
            for e in entries]


def values_by_theme(fw, values, lang: str) -> list[dict]:
    """Sections per theme: ``{code, label, indicators: [{code, label, unit, type, values}]}``.

    Values whose indicator is not in the framework are listed last, under 'other'.
    """
    by_indicator = defaultdict(list)
    for v in values:
        by_indicator[v.indicator].append(v)
    sections, seen = [], set()
    for theme in fw.children(fw.root):
        items = []
        for code in fw.descendants(theme, indicators_only=True):
            node = fw.node(code)
            seen.add(code)
            rows = sorted(by_indicator.get(code, []), key=lambda v: (v.group != "total", v.group))
            items.append({"code": code, "label": node.label(lang),
                          "unit": node.unit_label(lang) or "",
                          "type": node.value_type, "values": rows, "node": node})
        sections.append({"code": theme, "label": fw.node(theme).label(lang), "indicators": items})
    other = [c for c in by_indicator if c not in seen]
    if other:
        sections.append({"code": "other", "label": "other", "indicators": [
            {"code": c, "label": c, "unit": "", "type": None, "values": by_indicator[c],
             "node": None} for c in sorted(other)]})
    return sections
