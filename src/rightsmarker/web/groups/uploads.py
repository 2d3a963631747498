"""Microdata uploads for discovery: limits, a content check, and the columns of the file.

Accepted: CSV (``.csv``, ``.tsv``, ``.txt``; UTF-8 text with a header row) and Parquet
(``.parquet``, ``.pq``), at most ``RIGHTSMARKER_DISCOVERY_MAX_MB`` megabytes (default 100; a
Django setting of the same name overrides the environment). The columns are read the way the
discovery engine (DuckDB) reads them, with a few frequent values of each text column from the
first rows as hints for the "worse value" field.
"""

from __future__ import annotations

from pathlib import PurePosixPath

from django.conf import settings
from django.core.exceptions import ValidationError
from django.utils.translation import gettext as _

from ..env import env_int

CSV_TYPES = (".csv", ".tsv", ".txt")
PARQUET_TYPES = (".parquet", ".pq")
SAMPLE_ROWS = 50_000
MAX_HINTS = 12


def max_upload_mb() -> int:
    configured = getattr(settings, "RIGHTSMARKER_DISCOVERY_MAX_MB", None)
    if configured is not None:
        return int(configured)
    return env_int("RIGHTSMARKER_DISCOVERY_MAX_MB", 100, minimum=1)


def check_upload(file) -> str:
    """Check type, size and content of an uploaded file; return its suffix (``.csv`` ...)."""
    suffix = PurePosixPath(file.name or "").suffix.lower()
    allowed = CSV_TYPES + PARQUET_TYPES
    if suffix not in allowed:
        raise ValidationError(_("Files of type %(type)s are not accepted; use one of "
                                "%(allowed)s.") % {"type": suffix or "?",
                                                   "allowed": ", ".join(allowed)})
    limit = max_upload_mb()
    if file.size is not None and file.size > limit * 1024 * 1024:
        raise ValidationError(_("The file is larger than %(limit)s MB.") % {"limit": limit})
    if not file.size:
        raise ValidationError(_("The file is empty."))
    file.seek(0)
    head = file.read(64 * 1024)
    file.seek(0)
    if suffix in PARQUET_TYPES:
        if not head.startswith(b"PAR1"):
            raise ValidationError(_("This is not a Parquet file."))
    elif b"\0" in head or not _utf8(head):
        raise ValidationError(_("A CSV file must be UTF-8 text with a header row."))
    return suffix


def _utf8(head: bytes) -> bool:
    try:
        head.decode("utf-8")
    except UnicodeDecodeError as exc:
        return exc.start >= len(head) - 3  # a character cut at the end of the sample
    return True


def _reader(path: str) -> str:
    from rightsmarker.discovery.sums import literal

    if PurePosixPath(path).suffix.lower() in PARQUET_TYPES:
        return f"read_parquet({literal(path)})"
    return (f"read_csv({literal(path)}, header = true, "
            "auto_type_candidates = ['BIGINT', 'DOUBLE', 'VARCHAR'])")


def read_columns(path: str) -> list[dict]:
    """``[{"name", "kind" (numeric / boolean / text), "values" (hints)}]`` of the file.

    Raises :class:`ValidationError` when DuckDB cannot read the file.
    """
    return describe(_reader(path), _("The file cannot be read: %(error)s"))


def frame_columns(frame) -> list[dict]:
    """The same description of a DataFrame (a sample of a database table)."""
    import duckdb

    message = _("The table cannot be read: %(error)s")
    con = duckdb.connect()
    try:
        con.register("rm_sample", frame)
        return describe("rm_sample", message, con)
    except (duckdb.Error, TypeError, ValueError) as exc:  # types DuckDB cannot hold
        raise ValidationError(message % {"error": str(exc).splitlines()[0]}) from exc
    finally:
        con.close()


def describe(source: str, message: str, con=None) -> list[dict]:
    """Columns of ``source`` (SQL: a table function or a registered view), with up to
    ``MAX_HINTS`` frequent values of text columns, and the values of numeric columns that
    have no more than ``MAX_HINTS`` of them (waves, years, 0/1 codes), from the first rows."""
    import duckdb

    from rightsmarker.discovery.engines import _kind
    from rightsmarker.discovery.sums import ident

    own = con is None
    con = duckdb.connect() if own else con
    try:
        described = con.execute(f"DESCRIBE SELECT * FROM {source}").fetchall()
        columns = []
        for name, type_name, *_rest in described:
            kind = _kind(type_name)
            rows = con.execute(
                f"SELECT trim(CAST({ident(name)} AS VARCHAR)) AS v, count(*) AS n "
                f"FROM (SELECT * FROM {source} LIMIT {SAMPLE_ROWS}) "
                f"WHERE {ident(name)} IS NOT NULL GROUP BY 1 ORDER BY 2 DESC, 1 "
                f"LIMIT {MAX_HINTS + 1}").fetchall() if kind != "boolean" else []
            values = [str(v) for v, _n in rows[:MAX_HINTS] if v not in (None, "")]
            if kind == "numeric":
                values = sorted(values, key=float) if len(rows) <= MAX_HINTS else []
            columns.append({"name": name.strip(), "kind": kind, "values": values})
    except duckdb.Error as exc:
        raise ValidationError(message % {"error": str(exc).splitlines()[0]}) from exc
    finally:
        if own:
            con.close()
    if len(columns) < 2:
        raise ValidationError(_("The file needs at least two columns (an outcome and an "
                                "attribute); found %(n)s.") % {"n": len(columns)})
    return columns
