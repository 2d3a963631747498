"""CLI command ``report``: the cycle report as PDF or HTML.

With ``--framework`` and ``--data`` the observations are scored on the fly from files; without
both, the published cycle is read from the database in ``RIGHTSMARKER_DATA_DIR`` (its latest
score run; ``--cycle`` picks the period, default the latest published cycle).
:func:`rightsmarker.reports.build_report` takes the Result either way.
"""

from __future__ import annotations

import time
from pathlib import Path

import typer

from .common import err_console


def report_command(
    out: Path = typer.Option(..., "--out", "-o", help="File to write (.pdf or .html)."),
    fmt: str = typer.Option(None, "--format", help="pdf or html (default: from --out, else pdf)."),
    cycle: int | None = typer.Option(None, "--cycle", help="Period reported (default: latest)."),
    city: list[str] | None = typer.Option(None, "--city", help="Unit code; repeat for several "
                                          "(default: all)."),
    framework: str | None = typer.Option(None, "--framework", "-f",
                                         help="Framework YAML or bundled name (without "
                                         "--framework and --data: read the database)."),
    data: Path | None = typer.Option(None, "--data", "-d", help="Observations (CSV/XLSX/Parquet)."),
    method: str = typer.Option("default", "--method", "-m", help="Method YAML (or 'default')."),
    units: Path | None = typer.Option(None, "--units", help="Unit attributes, e.g. names."),
    uncertainty: Path | None = typer.Option(
        None, "--uncertainty", help="Folder written by 'rightsmarker uncertainty -o' "
        "(rank_stats.csv, score_stats.csv, levels.csv)."),
    gaps: bool = typer.Option(True, "--gaps/--no-gaps", help="Include who is left behind."),
    lang: str = typer.Option("en", "--lang", help="Language: en or ko."),
) -> None:
    """Write the cycle report (network heat map and levels, one section per city)."""
    import rightsmarker as rm

    from ..reports import FORMATS, build_report

    fmt = (fmt or (out.suffix.lstrip(".").lower() if out.suffix else "pdf")).lower()
    if fmt not in FORMATS:
        raise typer.BadParameter("use pdf or html", param_hint="--format")
    t0 = time.perf_counter()
    if framework is None and data is None:
        result, cycle, extras, gap_table = _from_database(cycle, gaps)
    elif framework is None or data is None:
        raise typer.BadParameter(
            "give --framework and --data (the observations to score), or neither to read the "
            "database", param_hint="--framework/--data")
    else:
        fw = rm.load_framework(framework)
        obs = rm.read_observations(data, fw)
        result = rm.score(fw, obs, rm.load_method(method), units=units)
        gap_table = rm.gaps(obs, fw) if gaps else None
        extras = None
    if uncertainty:
        extras = _uncertainty_tables(uncertainty)
    t1 = time.perf_counter()
    report = build_report(result, cycle=cycle, cities=city or None, uncertainty=extras,
                          gaps=gap_table, lang=lang, format=fmt)
    out.parent.mkdir(parents=True, exist_ok=True)
    out.write_bytes(report)
    err_console.print(
        f"scored in {t1 - t0:.1f} s; wrote the {fmt.upper()} report ({len(report) / 1e6:.1f} MB)"
        f" to {out} in {time.perf_counter() - t1:.1f} s", highlight=False)


def _from_database(cycle: int | None, gaps: bool):
    """The latest score run of a published cycle in the database (see the module)."""
    from ..web.results.report_source import DatabaseMissing, load_for_report

    try:
        return load_for_report(cycle, with_gaps=gaps)
    except DatabaseMissing as exc:
        raise typer.BadParameter(
            f"{exc}; or give --framework and --data (the observations to score)",
            param_hint="--framework/--data") from None


def _uncertainty_tables(folder: Path) -> dict:
    import pandas as pd

    tables = {}
    for key, name in (("rank_stats", "rank_stats.csv"), ("score_stats", "score_stats.csv"),
                      ("levels", "levels.csv")):
        path = folder / name
        if path.exists():
            tables[key] = pd.read_csv(path)
    if not tables:
        raise typer.BadParameter(f"no rank_stats.csv, score_stats.csv or levels.csv in {folder}",
                                 param_hint="--uncertainty")
    return tables


def register(app: typer.Typer) -> None:
    app.command("report")(report_command)
