"""CLI commands: ``score``, ``synth`` and ``demo``."""

from __future__ import annotations

import time
from pathlib import Path

import typer
from rich.table import Table

from .common import console, err_console

COLOUR_STYLE = {"green": "green", "yellow": "yellow", "orange": "dark_orange", "red": "red",
                "grey": "grey50"}


def score_command(
    framework: str = typer.Option(..., "--framework", "-f", help="Framework YAML or bundled name."),
    data: Path = typer.Option(..., "--data", "-d", help="Observations (CSV, XLSX or Parquet)."),
    method: str = typer.Option("default", "--method", "-m", help="Method YAML (or 'default')."),
    out: Path = typer.Option(..., "--out", "-o", help="Folder for the results."),
    units: Path | None = typer.Option(None, "--units", help="Unit attributes (CSV/XLSX/Parquet)."),
    no_stages: bool = typer.Option(False, "--no-stages", help="Do not write the stage tables."),
    fmt: str = typer.Option("csv", "--format",
                            help="Format of scores, dashboard, trends, levels: csv or parquet "
                                 "(every column of the Python tables)."),
    stages_format: str = typer.Option("parquet", "--stages-format",
                                      help="Format of the stage tables: parquet or csv."),
) -> None:
    """Score observations: writes scores.csv, dashboard, trends, levels, stages/ and build.json.

    See docs/guide/7-results.md for what each file holds.
    """
    t0 = time.perf_counter()  # "read" includes importing pandas, as it always has
    import rightsmarker as rm
    from rightsmarker.engine.output import FORMATS, ResultWriter

    for given, hint in ((fmt, "--format"), (stages_format, "--stages-format")):
        if given not in FORMATS:
            raise typer.BadParameter("use csv or parquet", param_hint=hint)
    fw = rm.load_framework(framework)
    obs = rm.read_observations(data, fw)
    t1 = time.perf_counter()
    steps = rm.load_method(method)
    with ResultWriter(out, stages=not no_stages, format=fmt, stages_format=stages_format,
                      framework=fw, method=steps) as writer:
        # each stage is written while the build computes the next one
        result = rm.score(fw, obs, steps, units=units, on_stage=writer.stage)
        t2 = time.perf_counter()
        # The tables still to write come from the stages; the observations (half of the
        # process's memory on large runs) are let go before they are built.
        rows = len(obs)
        result.observations = obs = None
        writer.finish(result)
    t3 = time.perf_counter()
    _print_top(result)
    err_console.print(
        f"read {rows:,} observations in {t1 - t0:.2f} s, scored in {t2 - t1:.2f} s "
        f"(engine {result.meta['engine_seconds']:.2f} s), wrote {out} in {t3 - t2:.2f} s",
        highlight=False)


def _print_top(result, n: int = 10) -> None:
    fw = result.framework
    s = result.scores
    top = s[(s["node"] == fw.root)]
    if top.empty:
        return
    last = top["period"].max()
    top = top[top["period"] == last].sort_values("rank").head(n)
    table = Table(title=f"{fw.node(fw.root).label()} - {last} (top {len(top)})")
    for col in ("rank", "unit", "score"):
        table.add_column(col, justify="right" if col != "unit" else "left")
    for r in top.itertuples():
        table.add_row(str(r.rank), str(r.unit), f"{r.score:.1f}")
    console.print(table)


def synth_command(
    cities: int = typer.Option(20, "--cities", min=1),
    indicators: int = typer.Option(30, "--indicators", min=1),
    periods: int = typer.Option(3, "--periods", min=1),
    seed: int = typer.Option(0, "--seed"),
    out: Path = typer.Option(..., "--out", "-o"),
) -> None:
    """Write synthetic framework.yaml, observations.parquet and method.yaml (for benchmarks)."""
    from ..synth import synthesize

    syn = synthesize(cities, indicators, periods, seed)
    paths = syn.write(out)
    console.print(f"wrote {len(syn.observations):,} synthetic observations: "
                  + ", ".join(str(p) for p in paths), highlight=False)


def register(app: typer.Typer) -> None:
    app.command("score")(score_command)
    app.command("synth")(synth_command)
