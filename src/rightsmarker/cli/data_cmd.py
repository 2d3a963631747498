"""CLI commands ``rightsmarker validate`` and ``rightsmarker template``.

``validate`` reads an observation table against a framework and prints a summary; when the table
has problems the library raises ObservationError and :func:`rightsmarker.cli.common.run_app`
prints every problem and exits with code 2. ``template`` writes the XLSX data-entry template.
"""

from __future__ import annotations

from pathlib import Path

import typer
from rich.table import Table

from .common import console

FRAMEWORK_OPT = typer.Option(..., "--framework", "-f", help="Framework YAML file or bundled name.")


def validate_command(
    framework: str = FRAMEWORK_OPT,
    data: Path = typer.Option(..., "--data", "-d", help="Observations (CSV, XLSX or Parquet)."),
    sheet: str | None = typer.Option(None, "--sheet", help="Read only this sheet of a workbook."),
) -> None:
    """Check an observation table against a framework; print a summary or every problem."""
    from ..framework.io import load_framework
    from ..observations import read_observations

    fw = load_framework(framework)
    obs = read_observations(data, fw, sheet=sheet)
    console.print(summary_table(obs))


def summary_table(obs) -> Table:
    """A two-column Rich table: rows, units, periods, indicators, groups, coverage."""
    d = obs.data
    n_ind = len(obs.framework.indicator_codes)
    cov = obs.coverage()["coverage"] if len(obs) else None
    table = Table(title=f"{obs.source}: valid observations for {obs.framework.code}")
    table.add_column("", style="bold")
    table.add_column("")
    table.add_row("rows", f"{len(obs):,}")
    table.add_row("units", f"{len(obs.units):,}")
    table.add_row("periods", ", ".join(str(p) for p in obs.periods) or "-")
    table.add_row("indicators", f"{d['indicator'].nunique():,} of {n_ind:,} reported")
    table.add_row("groups", f"{d['group'].nunique():,} (incl. total)" if len(obs) else "0")
    missing = int((d["value"].isna() & d["text"].isna()).sum())
    table.add_row("empty values (flagged)", f"{missing:,}")
    if cov is not None and len(cov):
        table.add_row("coverage (totals)",
                      f"mean {cov.mean():.0%}, lowest {cov.min():.0%}, highest {cov.max():.0%}")
    return table


def template_command(
    framework: str = FRAMEWORK_OPT,
    out: Path = typer.Option(..., "--out", "-o", help="The XLSX file to write."),
    units: Path | None = typer.Option(None, "--units", help="Unit table to pre-fill unit codes."),
    period: list[int] | None = typer.Option(None, "--period", "-p",
                                            help="Year(s) to pre-fill; repeat for several."),
    lang: str = typer.Option("en", "--lang", "-l", help="Language of indicator labels."),
) -> None:
    """Write the XLSX data-entry template of a framework."""
    from ..framework.io import load_framework
    from ..template import write_template

    fw = load_framework(framework)
    path = write_template(fw, out, units=units, periods=period or None, lang=lang)
    console.print(f"wrote {path} ({len(fw.indicators)} indicators)", highlight=False)


def register(app: typer.Typer) -> None:
    app.command("validate")(validate_command)
    app.command("template")(template_command)
