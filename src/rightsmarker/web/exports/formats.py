"""Write export rows as CSV, XLSX or Parquet bytes (columns :data:`.rows.COLUMNS`).

CSV and XLSX cells go through :func:`.safety.neutralise`; XLSX text cells are written as text
(never as formulas); Parquet keeps types (``period`` int, ``value`` float, the rest text).
"""

from __future__ import annotations

import csv
import io

from .rows import COLUMNS
from .safety import neutralise

MEDIA_TYPES = {
    "csv": "text/csv; charset=utf-8",
    "xlsx": "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
    "parquet": "application/vnd.apache.parquet",
}


def to_csv(rows: list[dict]) -> bytes:
    buf = io.StringIO()
    writer = csv.writer(buf, lineterminator="\n")
    writer.writerow(COLUMNS)
    for row in rows:
        writer.writerow(["" if row[c] is None else neutralise(row[c]) for c in COLUMNS])
    return buf.getvalue().encode("utf-8")


def to_xlsx(rows: list[dict]) -> bytes:
    """One sheet ``values``. openpyxl writes a text cell as a formula only when it starts with
    ``=``; after :func:`neutralise` no text does, so every text cell is written as text."""
    from openpyxl import Workbook

    wb = Workbook(write_only=True)
    ws = wb.create_sheet("values")
    ws.append(COLUMNS)
    for row in rows:
        ws.append([neutralise(row[c]) for c in COLUMNS])
    buf = io.BytesIO()
    wb.save(buf)
    return buf.getvalue()


def to_parquet(rows: list[dict]) -> bytes:
    import pyarrow as pa
    import pyarrow.parquet as pq

    types = {"period": pa.int32(), "value": pa.float64()}
    schema = pa.schema([(c, types.get(c, pa.string())) for c in COLUMNS])
    table = pa.Table.from_pylist(rows, schema=schema)
    buf = io.BytesIO()
    pq.write_table(table, buf)
    return buf.getvalue()


WRITERS = {"csv": to_csv, "xlsx": to_xlsx, "parquet": to_parquet}


def render(rows: list[dict], fmt: str) -> bytes:
    return WRITERS[fmt](rows)
