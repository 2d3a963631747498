"""CLI command ``gaps``: group gaps, disaggregation coverage and alerts."""

from __future__ import annotations

from pathlib import Path

import typer
from rich.table import Table

from .common import console, err_console


def gaps_command(
    framework: str = typer.Option(..., "--framework", "-f", help="Framework YAML or bundled name."),
    data: Path = typer.Option(..., "--data", "-d", help="Observations (CSV, XLSX or Parquet); "
                              "optional columns ci_low, ci_high or se give confidence bounds."),
    reference: str = typer.Option("total", "--reference", "-r",
                                  help="Reference group: 'total' or 'best' (best-off group)."),
    out: Path = typer.Option(Path("."), "--out", "-o", help="Folder for the CSV files."),
    worsen: float = typer.Option(0.05, "--worsen", help="Alert when a group's value worsens "
                                 "by at least this (share of the previous value; see --absolute)."),
    widen: float = typer.Option(0.05, "--widen", help="Alert when a worse-off group's gap grows "
                                "by at least this (share of the reference value; see --absolute)."),
    absolute: bool = typer.Option(False, "--absolute",
                                  help="Thresholds in the indicator's unit instead of shares."),
    significant: bool = typer.Option(False, "--significant-only",
                                     help="Alert only on changes significant at the 5% level."),
    top: int = typer.Option(10, "--top", min=0, help="Alerts to print."),
) -> None:
    """Gaps between groups: writes gaps.csv, coverage.csv, coverage_summary.csv and alerts.csv."""
    import rightsmarker as rm
    from rightsmarker.framework.io import load_framework

    from ..gaps import (
        attach_uncertainty,
        coverage_summary,
        disaggregation_coverage,
        gap_alerts,
    )
    from ..gaps import gaps as compute_gaps

    fw = load_framework(framework)
    obs = rm.read_observations(data, fw)
    frame = attach_uncertainty(obs, data, fw)
    table = compute_gaps(frame, fw, reference=reference)
    coverage = disaggregation_coverage(frame, fw)
    summary = coverage_summary(coverage)
    alerts = gap_alerts(table, worsen, widen, relative=not absolute,
                        require_significance=significant, framework=fw)
    out.mkdir(parents=True, exist_ok=True)
    files = {"gaps.csv": table, "coverage.csv": coverage,
             "coverage_summary.csv": summary, "alerts.csv": alerts}
    for name, df in files.items():
        df.to_csv(out / name, index=False)
    _print_summary(table, summary, alerts, top)
    err_console.print(f"wrote {', '.join(str(out / n) for n in files)}", highlight=False)


def _print_summary(table, summary, alerts, top: int) -> None:
    worse = table["worse"].fillna(False).astype(bool)
    console.print(
        f"{len(table):,} group observations, {int(worse.sum()):,} worse off than their "
        f"reference; {len(alerts):,} alerts", highlight=False)
    cov = Table(title="Disaggregation coverage per unit")
    for col in ("unit", "n", "fully", "partly", "not", "missing grounds"):
        cov.add_column(col, justify="left" if col in ("unit", "missing grounds") else "right")
    shown = summary[["unit", "n", "fully", "partly", "not", "missing_grounds"]].head(20)
    for values in shown.astype(str).to_numpy().tolist():
        cov.add_row(*values)
    if len(summary) > len(shown):
        cov.caption = f"... and {len(summary) - len(shown)} more units in coverage_summary.csv"
    console.print(cov)
    if top and not alerts.empty:
        tab = Table(title=f"Top {min(top, len(alerts))} alerts (most severe first)")
        tab.add_column("severity", justify="right")
        tab.add_column("reason")
        tab.add_column("alert", overflow="fold")
        for r in alerts.head(top).itertuples(index=False):
            tab.add_row(f"{r.severity:.1f}", r.reason, r.message)
        console.print(tab)


def register(app: typer.Typer) -> None:
    app.command("gaps")(gaps_command)
