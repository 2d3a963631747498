"""The audit log as a city officer reads it (the history pages of a submission and of a value).

The log itself is raw (:mod:`..reporting.audit`: model, object id, attribute names, JSON
values); its data twins stay raw. For the pages each entry becomes rows that say:

- **when**, as an aware time (the page shows it to the minute in the site's time zone);
- **who**, by name (full name, else user name);
- **what**: the indicator (code and label) and the group ('Sex: female') of a value, found from
  the value's ``create`` or ``delete`` entry or the value itself; or the submission;
- **the field** by its translated name ('Source', 'Reviewed by'), one row per field of a
  created or deleted value (empty fields left out);
- **old and new** as the entry page shows them: yes/no, '2 · Adopted', numbers with their unit,
  statuses by their label, users by name, times to the minute, files by name.

Fields that only repeat what the row already says (a value's indicator, group, submission and
``updated_by``; a submission's city and cycle) are left out.
"""

from __future__ import annotations

import datetime as dt

from django.contrib.auth import get_user_model
from django.utils import timezone
from django.utils.dateparse import parse_datetime
from django.utils.text import capfirst
from django.utils.translation import pgettext

from ..reporting.models import AuditEntry, Cycle, Submission, Value
from .cells import shown_with_unit
from .slots import group_label

VALUE_MODEL = "reporting.value"
MODELS = {VALUE_MODEL: Value, "reporting.submission": Submission, "reporting.cycle": Cycle}
VALUE_FIELDS = ("value_number", "value_text", "source", "note", "flag", "evidence_url",
                "evidence_file")
HIDDEN = {VALUE_MODEL: {"submission_id", "indicator", "group", "updated_by_id"},
          "reporting.submission": {"cycle_id", "city_id"}}


def action_label(action: str) -> str:
    return {AuditEntry.Action.CREATE: pgettext("history action", "added"),
            AuditEntry.Action.UPDATE: pgettext("history action", "changed"),
            AuditEntry.Action.DELETE: pgettext("history action", "deleted")}.get(action, action)


def person(user) -> str:
    return (user.get_full_name() or user.get_username()) if user is not None else "–"


def value_keys(entries) -> dict[str, tuple[str, str]]:
    """Value object id -> (indicator, group) for the value entries among ``entries``."""
    ids = {e.object_id for e in entries if e.model == VALUE_MODEL}
    keys = {}
    for e in entries:
        snap = e.new_value if e.action == AuditEntry.Action.CREATE else e.old_value
        if e.model == VALUE_MODEL and isinstance(snap, dict) and "indicator" in snap:
            keys[e.object_id] = (snap["indicator"], snap.get("group", "total"))
    missing = ids - keys.keys()
    if missing:
        keys.update({str(pk): (ind, g) for pk, ind, g in Value.objects.filter(
            pk__in=[int(i) for i in missing if i.isdigit()]).values_list(
            "pk", "indicator", "group")})
    missing = ids - keys.keys()
    if missing:
        for object_id, snap in AuditEntry.objects.filter(
                model=VALUE_MODEL, object_id__in=missing,
                action=AuditEntry.Action.CREATE).values_list("object_id", "new_value"):
            if isinstance(snap, dict) and "indicator" in snap:
                keys[object_id] = (snap["indicator"], snap.get("group", "total"))
    return keys


def _user_names(entries) -> dict[int, str]:
    ids = set()
    for e in entries:
        for snap in (e.old_value, e.new_value):
            if e.field.endswith("_by_id") and isinstance(snap, int):
                ids.add(snap)
            elif isinstance(snap, dict):
                ids.update(v for k, v in snap.items()
                           if k.endswith("_by_id") and isinstance(v, int))
    return {u.pk: person(u) for u in get_user_model().objects.filter(pk__in=ids)}


def _changes(e) -> list[tuple[str, object, object]]:
    """(attribute, old, new) of each field the entry changed, hidden ones left out."""
    hidden = HIDDEN.get(e.model, set())
    if e.action == AuditEntry.Action.UPDATE:
        return [] if e.field in hidden else [(e.field, e.old_value, e.new_value)]
    snap = (e.new_value if e.action == AuditEntry.Action.CREATE else e.old_value) or {}
    if not isinstance(snap, dict):
        return []
    names = VALUE_FIELDS if e.model == VALUE_MODEL else [k for k in snap if k not in hidden]
    out = []
    for name in names:
        if snap.get(name) not in (None, ""):
            created = e.action == AuditEntry.Action.CREATE
            out.append((name, None, snap[name]) if created else (name, snap[name], None))
    return out


def field_label(model_label: str, attname: str) -> str:
    model = MODELS.get(model_label)
    if model is not None:
        for f in model._meta.concrete_fields:
            if f.attname == attname:
                return str(capfirst(f.verbose_name))
    return attname


def shown(attname: str, value, node, users: dict, lang: str) -> str:
    """One stored field as the entry page shows it."""
    if value is None or value == "":
        return ""
    if attname == "value_number" and isinstance(value, (int, float)):
        return shown_with_unit(node, float(value), lang)
    if attname == "status":
        try:
            return str(Submission.Status(value).label)
        except ValueError:
            return str(value)
    if attname.endswith("_by_id"):
        return users.get(value, str(value))
    if attname.endswith("_at") and isinstance(value, str):
        moment = parse_datetime(value)
        if moment is not None:
            if timezone.is_naive(moment):
                moment = timezone.make_aware(moment, dt.UTC)
            return timezone.localtime(moment).strftime("%Y-%m-%d %H:%M")
    if attname == "evidence_file":
        return str(value).rsplit("/", 1)[-1]
    return str(value)


def readable_rows(entries, fw, lang: str) -> list[dict]:
    """The page rows of ``entries`` (newest first, as given): see the module's docstring."""
    entries = list(entries)
    keys, users = value_keys(entries), _user_names(entries)
    rows = []
    for e in entries:
        node = indicator = group = None
        what = str(capfirst(MODELS[e.model]._meta.verbose_name)) if e.model in MODELS else e.model
        if e.model == VALUE_MODEL:
            indicator, group = keys.get(e.object_id, (None, None))
            node = fw.node(indicator) if indicator in fw.indicator_codes else None
            what = node.label(lang) if node is not None else (indicator or what)
        base = {"at": e.at, "who": person(e.actor), "action": action_label(e.action),
                "indicator": indicator, "what": what,
                "group": group_label(group, fw, lang) if group else ""}
        for attname, old, new in _changes(e):
            rows.append({**base, "field": field_label(e.model, attname),
                         "old": shown(attname, old, node, users, lang),
                         "new": shown(attname, new, node, users, lang)})
    return rows
