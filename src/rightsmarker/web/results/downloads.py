"""Bulk download: a run's published data and scores as one zip of CSV files."""

from __future__ import annotations

import io
import json
import zipfile

from django.http import HttpResponse

from ..reporting.models import Submission
from ..twins import safe_cell
from .access import chosen_run
from .data import observations_for
from .pages import run_query
from .services import read_table, uncertainty_tables

TABLES = ("scores", "levels", "dashboard", "trends")
README = """Open data of the Human Rights Marker: cycle {cycle} (period {period}), score run {run}.

observations.csv  the published values scored (unit = city code, period = year, group
                  'total' or 'ground=value'); values of unpublished submissions are left out
units.csv         the cities (name, country, region, population, peer group)
scores.csv        unit, period, node, level, score (0-100), rank (1 = best)
levels.csv        recognition level of every city per theme and overall
dashboard.csv     every indicator's dashboard colour (green, yellow, orange, red)
trends.csv        every indicator's trend arrow and change since the previous period
build.json        the build record: framework, method, every step and what it learned
uncertainty_*.csv rank and score percentiles and level robustness (when the run has them)
"""


def to_csv(frame) -> str:
    frame = frame.copy()
    for col in frame.select_dtypes(include="object").columns:
        frame[col] = frame[col].map(safe_cell)
    return frame.to_csv(index=False, lineterminator="\n")


def bulk_download(request):
    """``/results/download.zip`` (``?cycle=``, ``?run=``): the zip of the chosen run."""
    cycle, run_id = run_query(request)
    run = chosen_run(request.user, cycle, run_id)
    buf = io.BytesIO()
    with zipfile.ZipFile(buf, "w", zipfile.ZIP_DEFLATED) as zf:
        zf.writestr("README.txt", README.format(cycle=run.cycle.name, period=run.period,
                                                run=run.pk))
        published = observations_for(run.cycle, (Submission.Status.PUBLISHED,))
        zf.writestr("observations.csv", to_csv(published))
        zf.writestr("units.csv", to_csv(read_table(run, "units")))
        for name in TABLES:
            zf.writestr(f"{name}.csv", to_csv(read_table(run, name)))
        for name, frame in (uncertainty_tables(run) or {}).items():
            zf.writestr(f"uncertainty_{name}.csv", to_csv(frame))
        zf.writestr("build.json", json.dumps(run.build, indent=1, ensure_ascii=False))
    response = HttpResponse(buf.getvalue(), content_type="application/zip")
    response["Content-Disposition"] = (
        f'attachment; filename="rightsmarker-{run.period}-run{run.pk}.zip"')
    return response
