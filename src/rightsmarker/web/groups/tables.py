"""Database tables as the source of a discovery job (the secretariat only).

The tables a job may read are configured, never typed by users: the Django setting
``RIGHTSMARKER_MICRODATA_TABLES`` (a list) or else the environment variable of the same name
(comma-separated). Each entry is either

- ``TABLE`` or ``SCHEMA.TABLE``: a table or view of the web app's own database (SQLite or
  PostgreSQL), read through Django's connection with quoted identifiers; or
- a library source ``duckdb:PATH::TABLE``, ``sqlite:PATH::TABLE`` or
  ``postgresql://USER@HOST/DB::TABLE`` (read-only; see ``rightsmarker.discovery.tables``).

A job stores the entry as given; it is checked again against the setting when the job runs.
Only ``SELECT`` of the chosen columns is ever sent; grant the database user no more than read
access to these tables if they hold sensitive microdata.
"""

from __future__ import annotations

from django.conf import settings
from django.core.checks import Error, register
from django.core.exceptions import ValidationError
from django.db import connection, transaction
from django.utils.translation import gettext as _

from rightsmarker.errors import RightsMarkerError

from ..env import env_list
from .uploads import SAMPLE_ROWS, frame_columns

LIBRARY_PREFIXES = ("duckdb:", "sqlite:", "postgresql://", "postgres://")


def allowed_tables() -> list[str]:
    configured = getattr(settings, "RIGHTSMARKER_MICRODATA_TABLES", None)
    if configured is None:
        configured = env_list("RIGHTSMARKER_MICRODATA_TABLES", [])
    return [str(t).strip() for t in configured if str(t).strip()]


def is_library_source(name: str) -> bool:
    return name.startswith(LIBRARY_PREFIXES)


def label(name: str) -> str:
    """How a configured table is shown: its table name, and the database for library sources."""
    if not is_library_source(name):
        return name
    from rightsmarker.discovery.tables import safe_label

    where, _sep, table = name.rpartition("::")
    return f"{table} ({safe_label(where)})"


def check_allowed(name: str) -> str:
    """``name`` if configured, else a ValidationError (never reveals what is configured)."""
    if name not in allowed_tables():
        raise ValidationError(_("This table is not offered for discovery."))
    return name


def sample(name: str):
    """The first ``SAMPLE_ROWS`` rows of a configured table, as a DataFrame."""
    from rightsmarker.discovery.tables import connect, read_table, split_source

    if not is_library_source(name):
        with transaction.atomic():  # a failed read (PostgreSQL) is undone to here
            return read_table(connection, name, quote=connection.ops.quote_name,
                              limit=SAMPLE_ROWS)
    if name.startswith("duckdb:"):
        from rightsmarker.discovery.engines import open_engine
        from rightsmarker.discovery.sources import resolve_source
        from rightsmarker.discovery.sums import SOURCE_VIEW

        with open_engine("duckdb", resolve_source(name)) as engine:
            return engine.run(f"SELECT * FROM {SOURCE_VIEW} LIMIT {SAMPLE_ROWS}")
    url, table = split_source(name)
    con = connect(url)
    try:
        return read_table(con, table, limit=SAMPLE_ROWS)
    finally:
        con.close()


def table_columns(name: str) -> list[dict]:
    """The columns of a configured table (as :func:`.uploads.read_columns` describes a file)."""
    check_allowed(name)
    try:
        frame = sample(name)
    except RightsMarkerError as exc:
        raise ValidationError(_("The table cannot be read: %(error)s") % {"error": exc}) from exc
    return frame_columns(frame)


def job_source(job, columns: list[str]):
    """What :func:`rightsmarker.discovery.discover` reads for ``job``: the uploaded file, a
    library source string, or the needed ``columns`` of a table of the app's database."""
    from rightsmarker.discovery.tables import read_table

    if not job.source_table:
        return job.data_file.path
    name = job.source_table
    if name not in allowed_tables():
        from rightsmarker.discovery import DiscoveryError

        raise DiscoveryError(f"the table {name!r} is no longer offered for discovery "
                             "(RIGHTSMARKER_MICRODATA_TABLES)")
    if is_library_source(name):
        return name
    with transaction.atomic():
        return read_table(connection, name, list(dict.fromkeys(columns)),
                          quote=connection.ops.quote_name)


@register()
def check_microdata_tables(app_configs=None, **kwargs) -> list[Error]:
    """Each configured entry is a table name or a library source ``...::TABLE``."""
    from rightsmarker.discovery.tables import table_parts

    errors = []
    for name in allowed_tables():
        try:
            table_parts(name.rpartition("::")[2] if is_library_source(name) else name)
            if is_library_source(name) and "::" not in name:
                raise ValueError
        except (RightsMarkerError, ValueError):
            errors.append(Error(f"RIGHTSMARKER_MICRODATA_TABLES: {name!r} is not a table name",
                                hint="Write TABLE, SCHEMA.TABLE or a source such as "
                                     "duckdb:PATH::TABLE.", id="groups.E001"))
    return errors
