"""CLI command ``uncertainty``: Monte Carlo rank intervals, optionally Sobol' indices."""

from __future__ import annotations

import time
from pathlib import Path

import typer
from rich.table import Table

from .common import console, err_console, progress


def uncertainty_command(
    framework: str = typer.Option(..., "--framework", "-f", help="Framework YAML or bundled name."),
    data: Path = typer.Option(..., "--data", "-d", help="Observations (CSV, XLSX or Parquet)."),
    method: str = typer.Option("default", "--method", "-m", help="Method YAML (or 'default')."),
    factors: Path = typer.Option(..., "--factors", help="Uncertain factors (YAML)."),
    runs: int = typer.Option(1000, "--runs", "-n", min=1, help="Number of Monte Carlo runs."),
    out: Path = typer.Option(..., "--out", "-o", help="Folder for the results."),
    units: Path | None = typer.Option(None, "--units", help="Unit attributes (CSV/XLSX/Parquet)."),
    seed: int = typer.Option(0, "--seed", help="Random seed (results are reproducible)."),
    node: str | None = typer.Option(None, "--node", help="Report this node only (default all)."),
    robust_share: float = typer.Option(0.9, "--robust-share", min=0, max=1,
                                       help="Share of runs a recognition level must hold in."),
    sensitivity: bool = typer.Option(False, "--sensitivity", help="Also Sobol' indices."),
    n_sensitivity: int = typer.Option(100, "--n-sensitivity", min=2,
                                      help="Base sample N of the sensitivity design."),
    bootstrap: int = typer.Option(100, "--bootstrap", min=0, help="Bootstrap resamples."),
) -> None:
    """Re-run the build with uncertain choices sampled; write rank_stats.csv and more."""
    from ..uncertainty import uncertainty

    t0 = time.perf_counter()
    with progress() as bar:
        task = bar.add_task("uncertainty runs", total=runs)
        res = uncertainty(framework, data, method, factors, runs=runs, seed=seed, units=units,
                          node=node, robust_share=robust_share,
                          progress=lambda k: bar.advance(task, k))
    written = res.write(out)
    _print_ranks(res, node or res.plan.framework.root)
    _print_levels(res)
    if sensitivity:
        plan = res.plan   # inputs already loaded and checked
        written += _run_sensitivity(plan.framework, plan.nominal.observations, plan.method,
                                    plan.factors, plan.units, seed, node, n_sensitivity,
                                    bootstrap, out)
    err_console.print(
        f"{runs:,} runs ({int(res.failed.sum())} failed) computed in {res.seconds:.2f} s, "
        f"{time.perf_counter() - t0:.2f} s with the nominal build, statistics and files; "
        f"wrote {len(written)} files to {out}",
        highlight=False)


def _run_sensitivity(framework, data, method, factors, units, seed, node, n, bootstrap, out):
    from ..sensitivity import sensitivity

    with progress() as bar:
        task = bar.add_task("sensitivity runs", total=None)
        res = sensitivity(framework, data, method, factors, n=n, seed=seed, units=units,
                          node=node, bootstrap=bootstrap, progress=lambda k: bar.advance(task, k))
    table = Table(title=f"Sensitivity of the mean absolute rank shift of {res.node} "
                        f"({len(res.output):,} runs)")
    for col in ("factor", "Si", "STi", "Si 95% CI", "STi 95% CI"):
        table.add_column(col, justify="left" if col == "factor" else "right")
    for r in res.indices.itertuples():
        table.add_row(str(r.factor), f"{r.Si:.3f}", f"{r.STi:.3f}",
                      f"{r.Si_low:.3f} to {r.Si_high:.3f}", f"{r.STi_low:.3f} to {r.STi_high:.3f}")
    console.print(table)
    return res.write(out)


def _print_ranks(res, node: str, n: int = 15) -> None:
    rs = res.summary(node)
    last = rs["period"].max()
    top = rs[rs["period"] == last].head(n)
    table = Table(title=f"Ranks of {node} - {last}: nominal and 5th-95th percentile "
                        f"over {len(res.failed):,} runs (top {len(top)})")
    for col in ("nominal", "unit", "median", "mean", "interval"):
        table.add_column(col, justify="left" if col == "unit" else "right")
    for r in top.itertuples():
        table.add_row(f"{r.nominal:.0f}", str(r.unit), f"{r.median:.0f}", f"{r.mean:.1f}",
                      f"{r.q05:.0f} - {r.q95:.0f}")
    console.print(table)


def _print_levels(res) -> None:
    lv = res.levels
    if lv.empty:
        return
    held = lv[lv["level"] > 0]
    robust = int(held["robust"].sum())
    console.print(f"recognition: {robust} of {len(held)} levels reached hold in at least "
                  f"{res.robust_share:.0%} of the runs (see levels.csv)", highlight=False)


def register(app: typer.Typer) -> None:
    app.command("uncertainty")(uncertainty_command)
