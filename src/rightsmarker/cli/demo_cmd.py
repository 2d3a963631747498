"""CLI command ``demo``: score the bundled framework on the fictional demo cities."""

from __future__ import annotations

from pathlib import Path

import typer
from rich.table import Table

from .common import console
from .score_cmd import COLOUR_STYLE

BLOCK = "■"


def demo_command(
    out: Path = typer.Option(Path("out/demo"), "--out", "-o", help="Folder for data and results."),
    seed: int = typer.Option(2026, "--seed", help="Seed of the fictional data."),
    cities: int = typer.Option(12, "--cities", min=2, max=16),
    lang: str = typer.Option("en", "--lang", help="Label language: en or ko."),
) -> None:
    """Generate the fictional demo cities, score them and show the dashboard and levels."""
    import rightsmarker as rm

    from ..demo import demo_data

    fw = rm.load_framework("social-inclusion-marker")
    demo = demo_data(seed=seed, n_cities=cities, framework=fw)
    demo.write(out / "data")
    obs = rm.read_observations(out / "data" / "observations.csv", fw)
    result = rm.score(fw, obs)
    result.write(out / "results")
    names = demo.cities.set_index("unit")["name_ko" if lang == "ko" else "name_en"].to_dict()
    _dashboard_table(result, names, lang)
    console.print(
        f"[dim]FICTIONAL demo data (seed {seed}). Data: {out / 'data'}; "
        f"results: {out / 'results'} (scores.csv, dashboard.csv, trends.csv, levels.csv, "
        "build.json).[/]", highlight=False)


def _dashboard_table(result, names: dict, lang: str) -> None:
    fw = result.framework
    themes = fw.children(fw.root)
    period = int(result.scores["period"].max())
    dash = result.dashboard
    dash = dash[dash["period"] == period].set_index(["unit", "node"])
    levels = result.levels
    levels = levels[levels["period"] == period].set_index(["unit", "node"])
    table = Table(title=f"{fw.node(fw.root).label(lang)} - {period} (fictional cities)")
    table.add_column("city")
    table.add_column("index", justify="right")
    for t in themes:
        table.add_column(t, justify="center")
    table.add_column("level")
    scores = result.scores
    top = scores[(scores["node"] == fw.root) & (scores["period"] == period)]
    for r in top.sort_values("rank").itertuples():
        cells = []
        for t in themes:
            row = dash.loc[(r.unit, t)]
            colour = str(row["colour"])
            lv = levels.loc[(r.unit, t), "level"] if (r.unit, t) in levels.index else 0
            cells.append(f"[{COLOUR_STYLE[colour]}]{BLOCK}[/] {row['score']:.0f} L{lv}")
        key = "label_ko" if lang == "ko" else "label"
        overall = levels.loc[(r.unit, fw.root)] if (r.unit, fw.root) in levels.index else None
        level = f"{overall['level']} {overall[key]}" if overall is not None else "-"
        table.add_row(str(names.get(r.unit, r.unit)), f"{r.score:.1f}", *cells, level)
    console.print(table)


def register(app: typer.Typer) -> None:
    app.command("demo")(demo_command)
