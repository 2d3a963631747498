"""Import and export of practices as JSON or CSV.

JSON: a list of practice objects (or ``{"practices": [...]}``) in the form of
:class:`~.model.Practice`. CSV: one row per practice with the columns of :data:`CSV_COLUMNS`;
localised texts in ``<field>_<lang>`` columns (``title_en``, ``title_ko``), lists separated by
``;``, evidence as a JSON array or ``;``-separated links. Reading checks every row and reports
every problem at once, naming the file, row (CSV: the line, header = 1; JSON: the item, from 1)
and field; nothing is returned when anything is wrong.
"""

from __future__ import annotations

import csv
import io
import json
from collections.abc import Iterable
from pathlib import Path

from pydantic import ValidationError as PydanticError

from ..errors import Problem
from .model import Practice, PracticeError, check_codes, problems_from

LOCALISED = ("title", "summary", "description", "results")
LISTS = ("themes", "sub_themes", "indicators", "groups", "rights", "sdg_targets", "partners")
LANGS = ("en", "ko")
CSV_COLUMNS = [
    "id", "city", "country", "region", *(f"{f}_{lang}" for f in LOCALISED[:2] for lang in LANGS),
    "period_start", "period_end", *LISTS, "budget_amount", "budget_currency",
    *(f"{f}_{lang}" for f in LOCALISED[2:] for lang in LANGS), "evidence", "contact_name",
    "contact_email", "contact_organisation", "language", "status", "version",
]
MAX_FILE_BYTES = 50 * 1024 * 1024


def read_practices(path_or_text, *, format: str | None = None, framework=None,
                   check: bool = True) -> list[Practice]:
    """Practices from a JSON or CSV file (or its text with ``format``); all or nothing.

    With ``check`` (the default) codes are also checked against ``framework`` (the bundled
    framework when None). Raises :class:`PracticeError` listing every problem.
    """
    text, label, fmt = _source(path_or_text, format)
    if fmt == "json":
        items, rows = _json_items(text, label)
    else:
        items, rows = _csv_items(text, label)
    practices, problems, seen = [], [], {}
    for item, row in zip(items, rows, strict=True):
        try:
            p = Practice.model_validate(item)
        except PydanticError as exc:
            problems += problems_from(exc, row=row, file=label,
                                      value_of=lambda loc, it=item: _value_at(it, loc),
                                      column_of=csv_column if fmt == "csv" else None)
            continue
        if p.id in seen:
            problems.append(Problem(f"id used twice (first in row {seen[p.id]})", file=label,
                                    row=row, column="id", value=p.id))
        seen.setdefault(p.id, row)
        if check:
            problems += check_codes(p, framework, row=row, file=label)
        practices.append(p)
    if problems:
        raise PracticeError(f"{label}: invalid practices", problems,
                            hint="fix the rows listed; nothing was imported")
    return practices


def write_practices(practices: Iterable[Practice], path: str | Path | None = None, *,
                    format: str | None = None) -> str:
    """Practices as JSON or CSV text; written to ``path`` when given (format from its suffix)."""
    fmt = format or (Path(path).suffix.lstrip(".").lower() if path else "json")
    if fmt not in ("json", "csv"):
        raise PracticeError(f"unknown practice file format {fmt!r}",
                            hint="use a .json or .csv file, or format='json' / 'csv'")
    practices = list(practices)
    if fmt == "json":
        data = [p.model_dump(mode="json", exclude_none=True) for p in practices]
        text = json.dumps(data, ensure_ascii=False, indent=2) + "\n"
    else:
        buf = io.StringIO()
        writer = csv.DictWriter(buf, fieldnames=CSV_COLUMNS, lineterminator="\n")
        writer.writeheader()
        writer.writerows(to_row(p) for p in practices)
        text = buf.getvalue()
    if path is not None:
        Path(path).write_text(text, encoding="utf-8")
    return text


def to_row(p: Practice) -> dict[str, str]:
    """One practice as a flat CSV row."""
    row = {c: "" for c in CSV_COLUMNS}
    row.update(id=p.id, city=p.city, country=p.country, region=p.region, language=p.language,
               status=p.status, version=str(p.version))
    for field in LOCALISED:
        for lang, value in getattr(p, field).items():
            row[f"{field}_{lang}"] = value
    for field in LISTS:
        row[field] = ";".join(getattr(p, field))
    if p.period:
        row["period_start"] = str(p.period.start)
        row["period_end"] = "" if p.period.end is None else str(p.period.end)
    if p.budget:
        row["budget_amount"] = f"{p.budget.amount:.15g}"
        row["budget_currency"] = p.budget.currency
    if p.evidence:
        row["evidence"] = json.dumps([e.model_dump(exclude_none=True) for e in p.evidence],
                                     ensure_ascii=False)
    if p.contact:
        for k in ("name", "email", "organisation"):
            row[f"contact_{k}"] = getattr(p.contact, k)
    return row


def csv_column(loc: tuple) -> str:
    """The CSV column of a field location (``("title", "en")`` -> ``title_en``)."""
    head = str(loc[0]) if loc else ""
    if len(loc) > 1 and head in (*LOCALISED, "period", "budget", "contact"):
        return f"{head}_{loc[1]}"
    return head


def from_row(row: dict[str, str]) -> dict:
    """A flat CSV row as a practice mapping (validated later by :class:`Practice`)."""
    row = {k.strip(): (v or "").strip() for k, v in row.items() if k}
    out: dict = {k: row[k] for k in ("id", "city", "country", "region", "language", "status",
                                     "version") if row.get(k)}
    for field in LOCALISED:
        texts = {k.split("_", 1)[1]: v for k, v in row.items()
                 if k.startswith(field + "_") and v}
        if texts or field == "title":
            out[field] = texts
    for field in LISTS:
        if row.get(field):
            out[field] = [x.strip() for x in row[field].split(";") if x.strip()]
    if row.get("period_start") or row.get("period_end"):
        out["period"] = {"start": row.get("period_start") or None,
                         "end": row.get("period_end") or None}
    if row.get("budget_amount") or row.get("budget_currency"):
        out["budget"] = {"amount": row.get("budget_amount") or None,
                         "currency": row.get("budget_currency") or None}
    if row.get("evidence"):
        out["evidence"] = _evidence(row["evidence"])
    contact = {k: row[f"contact_{k}"] for k in ("name", "email", "organisation")
               if row.get(f"contact_{k}")}
    if contact:
        out["contact"] = contact
    return out


def _evidence(cell: str):
    if cell.startswith("["):
        try:
            return json.loads(cell)
        except json.JSONDecodeError:
            return cell  # reported by validation as not a list
    return [{"kind": "link", "url": u.strip()} for u in cell.split(";") if u.strip()]


def _source(path_or_text, format: str | None) -> tuple[str, str, str]:
    if format is not None:
        if format not in ("json", "csv"):
            raise PracticeError(f"unknown practice file format {format!r}", hint="json or csv")
        return str(path_or_text), "<text>", format
    path = Path(path_or_text)
    fmt = path.suffix.lstrip(".").lower()
    if fmt not in ("json", "csv"):
        raise PracticeError(f"{path}: not a .json or .csv file",
                            hint="practices are imported from JSON or CSV")
    if path.stat().st_size > MAX_FILE_BYTES:
        raise PracticeError(f"{path}: larger than {MAX_FILE_BYTES // 2**20} MB")
    return path.read_text(encoding="utf-8-sig"), str(path), fmt


def _json_items(text: str, label: str) -> tuple[list, list[int]]:
    try:
        data = json.loads(text)
    except json.JSONDecodeError as exc:
        raise PracticeError(f"{label}: not valid JSON", [Problem(
            exc.msg, file=label, row=exc.lineno, column=f"character {exc.colno}")]) from None
    if isinstance(data, dict) and "practices" in data:
        data = data["practices"]
    if not isinstance(data, list):
        raise PracticeError(f"{label}: expected a list of practices",
                            [Problem("top level is not a list", file=label,
                                     value=type(data).__name__, expected="[{...}, ...]")])
    return data, list(range(1, len(data) + 1))


def _csv_items(text: str, label: str) -> tuple[list, list[int]]:
    reader = csv.DictReader(io.StringIO(text))
    header = reader.fieldnames or []
    missing = [c for c in ("id", "city") if c not in header]
    if missing or not any(h.startswith("title_") for h in header):
        need = missing + ([] if any(h.startswith("title_") for h in header) else ["title_en"])
        raise PracticeError(f"{label}: missing columns", [
            Problem(f"missing required column {c!r}", file=label, row=1, column=c)
            for c in need])
    rows = list(reader)
    return [from_row(r) for r in rows], [reader_line + 2 for reader_line in range(len(rows))]


def _value_at(item: dict, loc: tuple):
    value = item
    for key in loc:
        try:
            value = value[key]
        except (KeyError, IndexError, TypeError):
            return None
    return value
