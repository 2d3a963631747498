"""Saving a theme's form: validate the touched slots, refuse stale versions, write in one go.

Only slots the person changed are written (their digest differs from the one shown, or a file
was attached). Each is read by the library's rules (:func:`.cells.check_cells`); a changed slot
whose value someone else saved meanwhile (another version) is a conflict. When anything is
wrong nothing is written; otherwise every change is written in one transaction, as the user
(:func:`~rightsmarker.web.reporting.actor.acting_as`), so the audit log says who.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from django.core.exceptions import ValidationError
from django.core.validators import URLValidator
from django.db import IntegrityError, transaction
from django.utils.translation import gettext as _

from ..reporting.actor import acting_as
from ..reporting.audit import StaleVersionError
from ..reporting.models import Value, validate_evidence_file
from .cells import CellError, check_cells, shown_value
from .slots import Slot, stored_data


@dataclass
class SaveResult:
    written: int = 0
    deleted: int = 0
    errors: int = 0
    conflicts: int = 0
    slots: list[Slot] = field(default_factory=list)

    @property
    def ok(self) -> bool:
        return not (self.errors or self.conflicts)


def save_slots(submission, user, slots: list[Slot], fw, lang: str = "en") -> SaveResult:
    """Write the touched slots of a posted form (all or nothing); see the module docstring."""
    result = SaveResult(slots=slots)
    current = {(v.indicator, v.group): v for v in submission.values.select_related("updated_by")}
    touched = [s for s in slots if s.touched()]
    deletes = [s for s in touched if s.is_blank()]
    writes = [s for s in touched if not s.is_blank()]
    check_evidence(writes)
    parsed, errors = check_cells([s.cell() for s in writes], fw, submission.city.code,
                                 submission.cycle.year)
    for i, errs in errors.items():
        writes[i].errors.extend(errs)
    result.errors = sum(1 for s in writes if s.errors)
    if result.errors:
        return result
    plans = []
    for s, p in zip(writes, parsed, strict=True):
        stored = current.get((p.indicator, p.group))
        _check_version(s, stored, lang)
        plans.append((s, p, stored))
    for s in deletes:
        stored = current.get((s.indicator, s.group)) if not s.free_ground else None
        _check_version(s, stored, lang)
    result.conflicts = sum(1 for s in touched if s.conflict)
    if result.conflicts:
        return result
    try:
        with transaction.atomic(), acting_as(user):
            for s, p, stored in plans:
                _write(submission, user, s, p, stored)
                result.written += 1
            for s in deletes:
                stored = current.get((s.indicator, s.group))
                if stored is not None and not s.free_ground:
                    _delete(stored, s.version)
                    result.deleted += 1
    except (StaleVersionError, IntegrityError):
        result.written = result.deleted = 0
        result.conflicts = 1
        for s in touched:
            s.conflict = s.conflict or {"message": _("Someone else saved values of this "
                                                    "submission meanwhile. Nothing was saved; "
                                                    "check and save again.")}
    return result


def check_evidence(writes: list[Slot]) -> None:
    """Evidence: a file of an allowed type and size, a link that is a web address."""
    for s in writes:
        url = str(s.data.get("evidence_url") or "").strip()
        if url:
            try:
                URLValidator(schemes=["http", "https"])(url)
            except ValidationError:
                s.errors.append(CellError(_("not a web address"), _("a link such as "
                                          "https://example.org/report.pdf"), url, "evidence_url"))
        if s.file is None:
            continue
        try:
            validate_evidence_file(s.file)
        except ValidationError as exc:
            s.errors.append(CellError(" ".join(exc.messages), column="evidence_file"))


def _check_version(slot: Slot, stored, lang: str) -> None:
    """Mark ``slot`` as a conflict when the value it was shown is no longer the stored one."""
    if stored is None and slot.version == 0:
        return
    if stored is not None and stored.version == slot.version:
        return
    if stored is None:
        slot.conflict = {"message": _("Someone else deleted this value after you opened the "
                                      "page. Save again to enter yours.")}
        slot.version = 0
    else:
        who = stored.updated_by.get_username() if stored.updated_by else _("someone else")
        slot.conflict = {
            "message": _("%(who)s saved this value after you opened the page (%(when)s UTC): "
                         "%(value)s. Your entry is kept below and was not saved; save again to "
                         "replace their value with yours.") % {
                "who": who, "when": stored.updated_at.strftime("%Y-%m-%d %H:%M"),
                "value": shown_value(slot.node, stored.value_number, stored.value_text, lang)
                or "-"},
            "who": who, "theirs": stored_data(slot.node, stored)}
        slot.version = stored.version
    slot.initial = ""  # a conflicting slot counts as touched when saved again


def _write(submission, user, slot: Slot, parsed, stored) -> Value:
    value = stored or Value(submission=submission, indicator=parsed.indicator,
                            group=parsed.group)
    if stored is not None:
        value.version = slot.version
    for name, v in parsed.fields().items():
        setattr(value, name, v)
    value.evidence_url = str(slot.data.get("evidence_url") or "").strip()
    if slot.file is not None:
        value.evidence_file = slot.file
    value.updated_by = user
    value.save()
    return value


def _delete(stored: Value, version: int) -> None:
    locked = Value.objects.select_for_update().filter(pk=stored.pk, version=version).first()
    if locked is None:
        raise StaleVersionError(stored, version)
    locked.delete()
