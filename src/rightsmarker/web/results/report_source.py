"""The cycle report's data read from the database in ``RIGHTSMARKER_DATA_DIR`` (for the
``rightsmarker report`` command without ``--framework``/``--data``).

The report takes the latest finished score run of the chosen published cycle (default: the
most recent one); a published cycle without a run is scored on the fly (nothing is stored).
"""

from __future__ import annotations

import os
from pathlib import Path

from rightsmarker.errors import RightsMarkerError


class DatabaseMissing(RightsMarkerError):
    """No database, or no published cycle to report."""


def _sqlite_path() -> Path | None:
    """The SQLite file the settings would use (None with DATABASE_URL), without creating it."""
    if os.environ.get("DATABASE_URL", "").strip():
        return None
    raw = os.environ.get("RIGHTSMARKER_DATA_DIR", "").strip()
    if raw:
        return Path(raw).expanduser() / "rightsmarker.sqlite3"
    from platformdirs import user_data_dir

    return Path(user_data_dir("rightsmarker", appauthor=False)) / "rightsmarker.sqlite3"


def _django_ready() -> bool:
    from django.apps import apps

    return apps.ready


def setup_database() -> None:
    """Set Django up on the database; DatabaseMissing when its SQLite file does not exist."""
    if not _django_ready():
        path = _sqlite_path()
        if path is not None and not path.exists():
            raise DatabaseMissing(f"no database at {path} (set RIGHTSMARKER_DATA_DIR)")
        from ..server import setup

        setup()
    from django.db import connection

    name = str(connection.settings_dict.get("NAME") or "")
    if (connection.vendor == "sqlite" and "memory" not in name
            and not Path(name).exists()):
        raise DatabaseMissing(f"no database at {name} (set RIGHTSMARKER_DATA_DIR)")


def load_for_report(period: int | None = None, with_gaps: bool = True):
    """``(result, period, uncertainty tables or None, gaps or None)`` of a published cycle."""
    setup_database()
    from django.db import DatabaseError

    from ..reporting.models import Cycle
    from .models import ScoreRun

    cycles = Cycle.objects.filter(status=Cycle.Status.PUBLISHED)
    try:
        cycle = (cycles.filter(year=period) if period else cycles).order_by(
            "-year", "-created_at").first()
    except (DatabaseError, RuntimeError) as exc:  # RuntimeError: a test without a database
        raise DatabaseMissing(f"the database cannot be read ({exc})") from None
    if cycle is None:
        which = f"for period {period}" if period else "in the database"
        raise DatabaseMissing(f"no published cycle {which}")
    run = (ScoreRun.objects.filter(cycle=cycle, status=ScoreRun.Status.DONE)
           .order_by("-created_at", "-pk").first())
    if run is not None:
        from .services import load_gaps, load_result, uncertainty_tables

        return (load_result(run), cycle.year, uncertainty_tables(run),
                load_gaps(run) if with_gaps else None)
    return _score_now(cycle, with_gaps)


def _score_now(cycle, with_gaps: bool):
    import rightsmarker as rm

    from .data import observations_for, units_frame

    frame = observations_for(cycle)
    if frame.empty:
        raise DatabaseMissing(f"cycle {cycle.name!r} has no published values")
    fw = cycle.framework_version.as_framework()
    obs = rm.read_observations(frame, fw)
    result = rm.score(fw, obs, units=units_frame(frame["unit"].unique()))
    return result, cycle.year, None, rm.gaps(obs, fw) if with_gaps else None
