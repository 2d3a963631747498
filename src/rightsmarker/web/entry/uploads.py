"""Uploads: check a file, read it with the library, preview every change, apply all or nothing.

1. :func:`check_file`: the extension (``.xlsx`` or ``.csv``), the size limit
   (``RIGHTSMARKER_MAX_UPLOAD_MB``) and the content (an XLSX is a zip with a workbook inside, a
   CSV is UTF-8 text without NUL bytes) before anything is parsed.
2. :func:`read_upload`: the library reads the file (:func:`rightsmarker.read_observations`, the
   template's sheets included); rows for another city or period are problems too. Every
   problem names the sheet, row, column, the value found and what is expected.
3. :func:`plan_changes`: each row compared with the stored value: new, changed or unchanged.
4. :func:`stage` / :func:`load_staged`: the plan kept server-side (a JSON file under
   ``MEDIA_ROOT/staging``) between the preview and the apply, with a fingerprint of the
   submission's values; :func:`apply_staged` refuses when the fingerprint changed and otherwise
   writes every change in one transaction.
"""

from __future__ import annotations

import hashlib
import json
import re
import secrets
import time
import zipfile
from dataclasses import dataclass, field
from pathlib import Path

import pandas as pd
from django.conf import settings
from django.db import IntegrityError, connection, transaction
from django.utils.translation import gettext as _

from rightsmarker.errors import ObservationError, Problem
from rightsmarker.observations import (
    _drop_unfilled,
    _read_parts,
    _select_columns,
    read_observations,
)

from ..reporting.actor import acting_as
from ..reporting.audit import AuditEntry, StaleVersionError, snapshot
from ..reporting.models import Submission, Value, mark_changed
from .cells import LIMITS, problem_expected, problem_message

EXTENSIONS = (".xlsx", ".csv")
FIELDS = ("value_number", "value_text", "source", "note", "flag")
STAGING_MAX_AGE = 24 * 3600


class UploadRefused(Exception):
    """The file is refused before reading (type, size, content); ``reason`` is for a person."""

    def __init__(self, reason: str):
        super().__init__(reason)
        self.reason = reason


class StaleUpload(Exception):
    """The submission changed between the preview and the apply."""


def max_bytes() -> int:
    return int(settings.RIGHTSMARKER_MAX_UPLOAD_MB) * 1024 * 1024


def check_file(upload) -> str:
    """The file's extension, or :class:`UploadRefused` (wrong type, too large, bad content)."""
    name = upload.name or ""
    ext = Path(name).suffix.lower()
    if ext not in EXTENSIONS:
        raise UploadRefused(_("Files of type %(type)s are not accepted; upload the XLSX template "
                              "or a CSV file.") % {"type": ext or "?"})
    if upload.size is not None and upload.size > max_bytes():
        raise UploadRefused(_("The file is larger than %(limit)s MB.")
                            % {"limit": settings.RIGHTSMARKER_MAX_UPLOAD_MB})
    upload.seek(0)
    head = upload.read(8192)
    upload.seek(0)
    if ext == ".xlsx":
        ok = head.startswith(b"PK\x03\x04")
        if ok:
            try:
                ok = "xl/workbook.xml" in zipfile.ZipFile(upload).namelist()
            except zipfile.BadZipFile:
                ok = False
            upload.seek(0)
        if not ok:
            raise UploadRefused(_("This file is not an XLSX workbook."))
    elif b"\x00" in head or not _is_utf8(head):
        raise UploadRefused(_("This file is not a CSV text file (UTF-8)."))
    return ext


def _is_utf8(head: bytes) -> bool:
    for cut in range(4):  # the sample may end inside a multi-byte character
        try:
            head[: len(head) - cut].decode("utf-8")
            return True
        except UnicodeDecodeError:
            continue
    return False


@dataclass
class Reading:
    """What a file holds: parsed rows (library form) or problems, with the file's name."""

    name: str
    rows: list[dict] = field(default_factory=list)
    problems: list[dict] = field(default_factory=list)
    columns: set[str] = field(default_factory=set)

    def kept_fields(self) -> tuple[str, ...]:
        """Stored fields the file has no column for (the template has no ``text`` column):
        an empty cell there must not erase what is stored."""
        optional = {"value_text": "text", "source": "source", "note": "note", "flag": "flag"}
        return tuple(f for f, column in optional.items() if column not in self.columns)


def _problem_row(p: Problem, where: tuple[str, int] | None = None) -> dict:
    file, row = where if where else (p.file, p.row)
    return {"file": file, "row": row, "column": p.column or "", "value": p.value,
            "message": problem_message(p), "expected": problem_expected(p)}


def read_upload(path: Path, fw, unit: str, period: int) -> Reading:
    """Read a stored upload for ``unit`` and ``period``; every problem, or every row."""
    try:
        name, parts, is_template = _read_parts(path, None)
        _select_columns(parts, name)
    except ObservationError as exc:
        return Reading(path.name, problems=[_problem_row(p) for p in exc.problems])
    except Exception:  # noqa: BLE001  (a damaged file: zip, encoding, CSV quoting)
        return Reading(path.name, problems=[{"file": path.name, "row": None, "column": "",
                                             "value": None, "message": _("The file cannot be "
                                             "read."), "expected": _("the XLSX template or a CSV "
                                             "file with a header row")}])
    if is_template:
        for part in parts:
            _drop_unfilled(part)
    where = [(p.label, int(r)) for p in parts for r in
             (p.rows if p.rows is not None else range(2, len(p.frame) + 2))]
    frames = [p.frame for p in parts if len(p.frame.columns)]
    df = pd.concat(frames, ignore_index=True) if frames else pd.DataFrame()
    reading = Reading(name, columns={str(c).strip().lower() for c in df.columns})
    if df.empty:
        reading.problems.append({"file": name, "row": None, "column": "", "value": None,
                                 "message": _("The file has no values."), "expected": ""})
        return reading
    reading.problems += _place_problems(df, where, unit, period)
    df = _districts_as_units(df, fw)
    try:
        data = _districts_back(read_observations(df, fw).data)
    except ObservationError as exc:
        for p in exc.problems:
            i = p.row - 2 if p.row is not None else -1
            loc = where[i] if 0 <= i < len(where) else None
            reading.problems.append(_unmangled(_problem_row(_renumber(p, where), loc)))
        reading.problems.sort(key=lambda r: (str(r["file"]), r["row"] or 0))
        return reading
    if reading.problems:
        return reading
    reading.rows = [_row(r) for r in data.itertuples(index=False)]
    reading.problems += _length_problems(reading.rows, where)
    return reading


DISTRICT = "\x1f"  # joins a unit and its district while the library checks the rows


def _districts_as_units(df: pd.DataFrame, fw) -> pd.DataFrame:
    """Rows by district (group ``district=<id>``, the district maps' values; see
    ``results.services.split_districts``) checked as rows of their own unit: the library knows
    no ``district`` ground unless the framework declares one, but checks their indicator,
    value, duplicates and the rest as for any row. :func:`_districts_back` undoes it."""
    if "group" not in df or "unit" not in df or "district" in {g.code for g in fw.grounds}:
        return df
    group = df["group"].map(lambda v: v.strip() if isinstance(v, str) else v)
    mask = group.map(lambda v: isinstance(v, str) and v.startswith("district=")).astype(bool)
    if not mask.any():
        return df
    df = df.copy()
    df["unit"] = df["unit"].astype(object)
    df.loc[mask, "unit"] = df.loc[mask, "unit"].astype(str) + DISTRICT + group[mask]
    df.loc[mask, "group"] = "total"
    return df


def _unmangled(row: dict) -> dict:
    """A problem about a district row as the file wrote it: ``unit | period | indicator |
    district=<id>`` (the library saw ``unit<DISTRICT>district=<id> | ... | total``)."""
    def fix(text):
        if not isinstance(text, str) or DISTRICT not in text:
            return text
        text = re.sub(f"([^\\s|]*){DISTRICT}(district=[^\\s|]*)( \\| [^|]+ \\| [^|]+ \\| )total",
                      r"\1\3\2", text)
        return re.sub(f"{DISTRICT}district=[^\\s|]*", "", text)
    return {k: fix(v) for k, v in row.items()}


def _districts_back(data: pd.DataFrame) -> pd.DataFrame:
    units = data["unit"].astype(str)
    mask = units.str.contains(DISTRICT, regex=False)
    if not mask.any():
        return data
    data = data.copy()
    parts = units[mask].str.split(DISTRICT, n=1, regex=False)
    data["unit"] = data["unit"].astype(object)
    data["group"] = data["group"].astype(object)
    data.loc[mask, "unit"] = parts.str[0]
    data.loc[mask, "group"] = parts.str[1]
    return data


def _renumber(p: Problem, where) -> Problem:
    """Row numbers inside a message ('duplicate of row 5') as rows of the file."""
    def sub(m):
        i = int(m.group(1)) - 2
        return f"{where[i][0]} row {where[i][1]}" if 0 <= i < len(where) else m.group(0)
    return Problem(re.sub(r"\brow (\d+)", sub, p.message), p.file, p.row, p.column, p.value,
                   p.expected)


def _place_problems(df, where, unit: str, period: int) -> list[dict]:
    """Rows for another city or period than the submission's."""
    out = []
    for column, wanted in (("unit", unit), ("period", str(period))):
        if column not in df:
            continue
        found = df[column].map(lambda v: "" if v is None or v != v else (
            str(int(v)) if isinstance(v, float) and v.is_integer() else str(v).strip()))
        for i in (found != wanted).to_numpy().nonzero()[0].tolist():
            if found.iloc[i] == "":
                continue  # the library reports empty cells
            out.append({"file": where[i][0], "row": where[i][1], "column": column,
                        "value": found.iloc[i], "expected": wanted,
                        "message": _("this upload is for %(column)s %(wanted)s only")
                        % {"column": column, "wanted": wanted}})
    return out


def _length_problems(rows, where) -> list[dict]:
    out = []
    for i, r in enumerate(rows):
        for column, limit in LIMITS.items():
            if len(r[column] or "") > limit:
                out.append({"file": where[i][0], "row": where[i][1], "column": column,
                            "value": r[column][:40] + "…", "expected": "",
                            "message": _("longer than %(n)s characters") % {"n": limit}})
    return out


def _text(v) -> str:
    return "" if v is None or (isinstance(v, float) and v != v) else str(v)


def _row(r) -> dict:
    number = None if r.value is None or r.value != r.value else float(r.value)
    return {"indicator": r.indicator, "group": r.group, "value_number": number,
            "value_text": _text(r.text), "source": _text(r.source), "note": _text(r.note),
            "flag": _text(r.flag)}


def fingerprint(submission: Submission) -> str:
    """A digest of the submission's status, version and every value's key and version."""
    keys = sorted(submission.values.values_list("indicator", "group", "version"))
    text = json.dumps([submission.status, submission.version, keys])
    return hashlib.sha256(text.encode("utf-8")).hexdigest()


def plan_changes(submission: Submission, rows: list[dict], keep: tuple[str, ...] = ()) -> dict:
    """Each row as new, changed (with the old fields and the version) or unchanged.

    ``keep``: fields the file has no column for; an empty cell there keeps the stored value,
    so uploading the template unchanged never erases evidence text.
    """
    stored = {(v["indicator"], v["group"]): v for v in submission.values.values(
        "indicator", "group", "version", *FIELDS)}
    new, changed, unchanged = [], [], 0
    for r in rows:
        old = stored.get((r["indicator"], r["group"]))
        if old is not None:
            r = {**r, **{f: old[f] for f in keep if r.get(f) in (None, "")}}
        if old is None:
            new.append({**r, "version": 0})
        elif any(old[f] != r[f] and not (old[f] in (None, "") and r[f] in (None, ""))
                 for f in FIELDS):
            changed.append({**r, "version": old["version"],
                            "old": {f: old[f] for f in FIELDS}})
        else:
            unchanged += 1
    return {"new": new, "changed": changed, "unchanged": unchanged,
            "fingerprint": fingerprint(submission)}


def staging_dir() -> Path:
    path = Path(settings.MEDIA_ROOT) / "staging"
    path.mkdir(parents=True, exist_ok=True)
    return path


def stage(submission: Submission, user, plan: dict, name: str) -> str:
    """Keep ``plan`` for the apply; return its token (old staged plans are removed)."""
    folder = staging_dir()
    now = time.time()
    for old in folder.glob("*.json"):
        if now - old.stat().st_mtime > STAGING_MAX_AGE:
            old.unlink(missing_ok=True)
    token = secrets.token_urlsafe(16)
    payload = {"submission": submission.pk, "user": user.pk, "name": name, **plan}
    (folder / f"{token}.json").write_text(json.dumps(payload), encoding="utf-8")
    return token


def load_staged(token: str, submission: Submission, user) -> dict | None:
    if not re.fullmatch(r"[A-Za-z0-9_\-]{10,64}", token or ""):
        return None
    path = staging_dir() / f"{token}.json"
    if not path.is_file():
        return None
    plan = json.loads(path.read_text(encoding="utf-8"))
    if plan.get("submission") != submission.pk or plan.get("user") != user.pk:
        return None
    return plan


def discard(token: str) -> None:
    (staging_dir() / f"{token}.json").unlink(missing_ok=True)


def apply_staged(submission: Submission, user, plan: dict) -> int:
    """Write every staged change in one transaction; :class:`StaleUpload` when anything changed
    since the preview (nothing is written then). Returns the number of values written."""
    try:
        with transaction.atomic(), acting_as(user):
            locked = Submission.objects.select_for_update().get(pk=submission.pk)
            if fingerprint(locked) != plan["fingerprint"] or not locked.is_editable:
                raise StaleUpload
            stored = {(v.indicator, v.group): v for v in locked.values.all()}
            for r in plan["changed"]:
                value = stored.get((r["indicator"], r["group"]))
                if value is None:
                    raise StaleUpload
                value.version = r["version"]
                for f in FIELDS:
                    setattr(value, f, r[f])
                value.updated_by = user
                value.save()
            _create_values(locked, user, plan["new"])
    except (StaleVersionError, IntegrityError):
        raise StaleUpload from None
    return len(plan["new"]) + len(plan["changed"])


def _create_values(submission: Submission, user, rows: list[dict]) -> None:
    """New values in batches, each with its audit entry (what ``Value.save`` would write)."""
    if not connection.features.can_return_rows_from_bulk_insert:
        for r in rows:
            Value(submission=submission, updated_by=user, indicator=r["indicator"],
                  group=r["group"], **{f: r[f] for f in FIELDS}).save()
        return
    for start in range(0, len(rows), 1000):
        created = Value.objects.bulk_create([
            Value(submission=submission, updated_by=user, indicator=r["indicator"],
                  group=r["group"], **{f: r[f] for f in FIELDS})
            for r in rows[start:start + 1000]])
        AuditEntry.objects.bulk_create([
            AuditEntry(actor=user, model=Value._meta.label_lower, object_id=str(v.pk),
                       action=AuditEntry.Action.CREATE, new_value=snapshot(v),
                       submission_id=submission.pk) for v in created])
    mark_changed([submission.pk])  # bulk_create sends no signal
