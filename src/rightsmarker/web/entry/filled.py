"""The XLSX data-entry template of one submission, with its stored values filled in.

:func:`rightsmarker.template.write_template` writes the sheets for the city and period; each
stored value goes into its row (value as typed: yes/no, stage code, number or text; source,
note, flag). Values for groups the template has no row for (``income=lowest``, conjunctions)
are added as rows at the end of their theme's sheet. The filled file reads back through the
upload unchanged.
"""

from __future__ import annotations

import io
import tempfile
from pathlib import Path

from openpyxl import load_workbook

from rightsmarker.template import HEADERS, write_template

from .cells import display_value


def filled_template(submission, lang: str = "en") -> bytes:
    fw = submission.cycle.framework_version.as_framework()
    values = {(v.indicator, v.group): v for v in submission.values.all()}
    with tempfile.TemporaryDirectory() as tmp:
        path = write_template(fw, Path(tmp) / "template.xlsx", units=[submission.city.code],
                              periods=[submission.cycle.year], lang=lang)
        wb = load_workbook(path)
    col = {h: i for i, h in enumerate(HEADERS)}
    placed: set[tuple[str, str]] = set()
    sheet_of: dict[str, object] = {}
    for ws in wb.worksheets:
        if ws.title.casefold() == "instructions" or ws.title.startswith("_"):
            continue
        for row in ws.iter_rows(min_row=2):
            key = (row[col["indicator"]].value, row[col["group"]].value)
            sheet_of.setdefault(key[0], ws)
            value = values.get(key)
            if value is None:
                continue
            placed.add(key)
            _fill(row, col, fw.node(key[0]), value)
    for key, value in sorted(values.items()):
        ws = sheet_of.get(key[0])
        if key in placed or ws is None:
            continue
        node = fw.node(key[0])
        ws.append([submission.city.code, submission.cycle.year, node.code, node.label(lang),
                   node.kind, node.value_type, node.unit, key[1]] + [None] * 4)
        _fill(ws[ws.max_row], col, node, value)
    buf = io.BytesIO()
    wb.save(buf)
    return buf.getvalue()


def _fill(row, col: dict, node, value) -> None:
    shown = display_value(node, value.value_number, value.value_text)
    if node.value_type in ("number", "percent", "rate") and value.value_number is not None:
        shown = value.value_number
    row[col["value"]].value = shown if shown != "" else None
    for name in ("source", "note", "flag"):
        row[col[name]].value = getattr(value, name) or None
