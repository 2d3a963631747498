"""CLI command ``discover``: worse-off groups in microdata (and emerging groups between waves)."""

from __future__ import annotations

import time
from pathlib import Path

import typer
from rich.table import Table

from .common import console, err_console, progress

STAGES = ["reading", "aggregating", "statistics", "writing"]


def _split(text: str | None) -> list[str]:
    return [p.strip() for p in (text or "").split(",") if p.strip()]


def discover_command(
    data: str = typer.Option(
        ...,
        "--data",
        "-d",
        help="CSV or Parquet file, Parquet folder, or a database table: duckdb:PATH::TABLE, "
        "sqlite:PATH::TABLE or postgresql://USER@HOST/DB::TABLE (read-only).",
    ),
    outcome: str = typer.Option(..., "--outcome", help="Outcome column (binary or numeric)."),
    attributes: str = typer.Option(..., "--attributes", "-a", help="Comma-separated columns."),
    out: Path = typer.Option(..., "--out", "-o", help="Folder for the results."),
    positive: str | None = typer.Option(
        None, "--positive", help="Outcome value that counts as worse off (e.g. '<=50K')."
    ),
    weight: str | None = typer.Option(None, "--weight", help="Survey weight column."),
    max_depth: int = typer.Option(3, "--max-depth", min=1, help="Most conditions per group."),
    min_size: int = typer.Option(30, "--min-size", min=1, help="Smallest group ever shown."),
    alpha: float = typer.Option(0.05, "--alpha", help="False discovery rate."),
    engine: str = typer.Option("duckdb", "--engine", help="duckdb or spark."),
    bins: int = typer.Option(4, "--bins", min=2, help="Quantile bins for numeric attributes."),
    na_values: str | None = typer.Option(
        None, "--na-values", help="Comma-separated extra codes for missing values (e.g. '?')."
    ),
    lower_is_worse: bool = typer.Option(
        False, "--lower-is-worse", help="For a numeric outcome: lower values are worse."
    ),
    wave: str | None = typer.Option(None, "--wave", help="Wave or period column."),
    waves: str | None = typer.Option(None, "--waves", help="Two waves to compare: A,B."),
    top: int = typer.Option(10, "--top", min=0, help="Groups shown in the terminal."),
) -> None:
    """Find groups worse off than everyone else; writes subgroups.csv, bins.csv, summary.json.

    With --wave and --waves A,B: groups whose gap grew from A to B (waves.csv, emerging.csv).
    """
    from ..discovery.sources import DiscoveryError
    from ..errors import Problem

    if (wave is None) != (waves is None):
        raise DiscoveryError(
            "--wave and --waves go together",
            [
                Problem(
                    "give both the wave column and two waves",
                    column=wave,
                    value=waves,
                    expected="--wave COLUMN --waves A,B",
                )
            ],
        )
    settings = dict(
        positive=positive,
        weight=weight,
        max_depth=max_depth,
        min_size=min_size,
        alpha=alpha,
        engine=engine,
        bins=bins,
        higher_is_worse=not lower_is_worse,
        na_values=_split(na_values),
    )
    t0 = time.perf_counter()
    result = _run(data, outcome, _split(attributes), wave, _split(waves), out, settings)
    if wave is None:
        _print_groups(result, top)
    else:
        _print_waves(result, top)
    err_console.print(f"wrote {out} in {time.perf_counter() - t0:.2f} s", highlight=False)


def _run(data, outcome, attributes, wave, waves, out, settings):
    """Run discovery (or waves) and write the results, with a progress bar on stderr."""
    from ..discovery import discover, discover_waves
    from ..discovery.sources import DiscoveryError
    from ..errors import Problem

    if (wave is None) != (not waves):
        raise DiscoveryError(
            "--wave and --waves go together",
            [
                Problem(
                    "give both the wave column and two waves",
                    column=wave,
                    value=waves,
                    expected="--wave COLUMN --waves A,B",
                )
            ],
        )
    with progress() as bar:
        task = bar.add_task("reading", total=len(STAGES))

        def step(stage: str) -> None:
            bar.update(task, description=stage, completed=STAGES.index(stage))

        if wave is None:
            result = discover(data, outcome, attributes, progress=step, **settings)
        else:
            result = discover_waves(
                data, outcome, attributes, wave, waves, progress=step, **settings
            )
        step("writing")
        result.write(out)
        bar.update(task, completed=len(STAGES))
    return result


def _fmt(x: float, digits: int = 3) -> str:
    return "" if x != x else f"{x:.{digits}f}"


def _fmt_q(q: float) -> str:
    """A q-value for the terminal: blank when untested, ``<1e-300`` when it underflows."""
    if q != q:
        return ""
    return "<1e-300" if q == 0 else f"{q:.0e}"


def _print_groups(result, k: int) -> None:
    top = result.top(k)
    counts = result.summary["counts"]
    table = Table(
        title=f"Top {len(top)} of {len(result.subgroups):,} groups; "
        f"* = flagged worse off ({counts['flagged_not_redundant']:,})"
    )
    table.add_column("group", overflow="fold", min_width=20)
    for col in ("n", "estimate (95% CI)", "rest", "diff", "q"):
        table.add_column(col, justify="right", no_wrap=True)
    for r in top.itertuples():
        table.add_row(
            r.definition + (" *" if r.flagged else ""),
            f"{r.n:,}",
            f"{_fmt(r.estimate, 2)} ({_fmt(r.ci_low, 2)}-{_fmt(r.ci_high, 2)})",
            _fmt(r.rest_estimate, 2),
            _fmt(r.difference, 2),
            _fmt_q(r.q_value),
        )
    console.print(table)


def _print_waves(result, k: int) -> None:
    top = result.emerging.head(k)
    table = Table(title=f"{len(result.emerging):,} emerging groups (top {len(top)})")
    table.add_column("group", overflow="fold", min_width=24)
    for col in ("n 1", "n 2", "gap 1", "gap 2", "change", "q", "status", "folded"):
        table.add_column(col, justify="left" if col == "status" else "right", no_wrap=True)
    for r in top.itertuples():
        nfold = len(r.folded.split(" | ")) if r.folded else 0
        table.add_row(
            r.definition,
            f"{r.n_1:,}",
            f"{r.n_2:,}",
            _fmt(r.gap_1),
            _fmt(r.gap_2),
            _fmt(r.change),
            _fmt_q(r.q_value),
            r.status,
            str(nfold),
        )
    console.print(table)


def register(app: typer.Typer) -> None:
    app.command("discover")(discover_command)
