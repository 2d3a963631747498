"""CLI commands ``rightsmarker framework ...``: list, show, check, export, import, schema.

F may be a path to a YAML file or the name of a bundled framework. Library errors propagate to
:func:`rightsmarker.cli.common.run_app`, which prints them as one line and a hint.
"""

from __future__ import annotations

import json
from enum import StrEnum
from pathlib import Path

import typer
from rich.table import Table
from rich.tree import Tree

from .common import console, err_console

FRAMEWORK_ARG = typer.Argument(
    ..., help="Framework: a YAML file, a table (.csv, .xlsx) or a bundled name."
)


class TableFormat(StrEnum):
    csv = "csv"
    xlsx = "xlsx"


app = typer.Typer(
    help="Frameworks: list, show, check, export to and import from tables, JSON Schema.",
    no_args_is_help=True,
)


@app.command("list")
def list_command() -> None:
    """List the bundled frameworks."""
    from ..errors import FrameworkError
    from ..framework.io import bundled_frameworks, load_framework

    table = Table()
    table.add_column("name", no_wrap=True)
    for column in ("version", "label", "nodes", "indicators"):
        table.add_column(column)
    for name in bundled_frameworks():
        try:
            fw = load_framework(name)
        except FrameworkError as exc:  # one broken file must not hide the others
            table.add_row(name, "", f"[red]invalid: {len(exc.problems)} problem(s)[/]", "", "")
            continue
        table.add_row(
            name, fw.version, fw.labels.get("en", ""), str(len(fw.nodes)), str(len(fw.indicators))
        )
    console.print(table)


@app.command("show")
def show_command(
    framework: str = FRAMEWORK_ARG,
    lang: str = typer.Option("en", "--lang", "-l", help="Language of the labels."),
    depth: int = typer.Option(-1, "--depth", help="Show nodes down to this depth (-1: all)."),
) -> None:
    """Show the tree of nodes with their labels."""
    from ..framework.io import load_framework

    fw = load_framework(framework)
    title = f"[bold]{fw.labels.get(lang) or fw.code}[/] ({fw.code}, version {fw.version})"
    tree = Tree(title)
    branches = {fw.root: tree.add(_node_text(fw, fw.root, lang))}
    for code in fw.descendants(fw.root):  # depth first: a parent always comes before its children
        if depth >= 0 and fw.depth(code) > depth:
            continue
        branches[code] = branches[fw.node(code).parent].add(_node_text(fw, code, lang))
    console.print(tree)
    console.print(
        f"{len(fw.nodes)} nodes, {len(fw.indicators)} indicators, "
        f"{len(fw.grounds)} grounds, {len(fw.groups)} groups",
        highlight=False,
    )


def _node_text(fw, code: str, lang: str) -> str:
    from rich.markup import escape

    node = fw.node(code)
    text = f"[bold]{escape(code)}[/] {escape(node.label(lang))}"
    if node.is_indicator:
        details = [node.kind or "", node.value_type or ""]
        if node.unit:
            details.append(node.unit)
        if node.direction == -1:
            details.append("lower is better")
        text += f" [dim]({escape(', '.join(d for d in details if d))})[/]"
    if node.weight != 1:
        text += f" [dim]weight {node.weight:g}[/]"
    return text


@app.command("check")
def check_command(framework: str = FRAMEWORK_ARG) -> None:
    """Validate a framework; print every problem (exit 2) or a one-line summary."""
    from ..framework.io import load_framework

    fw = load_framework(framework)
    console.print(
        f"ok: {fw.code} version {fw.version}: {len(fw.nodes)} nodes, "
        f"{len(fw.indicators)} indicators",
        highlight=False,
    )


@app.command("export")
def export_command(
    framework: str = FRAMEWORK_ARG,
    format: TableFormat | None = typer.Option(
        None, "--format", help="csv or xlsx (default: from --out, else csv)."
    ),
    out: Path | None = typer.Option(
        None, "--out", "-o", help="Output file (default <code>.<format>)."
    ),
) -> None:
    """Export a framework as a table (one row per node) for spreadsheet users."""
    from ..framework.io import load_framework
    from ..framework.table import export_table, metadata_path

    fw = load_framework(framework)
    if format is None:
        suffix = out.suffix.lower().lstrip(".") if out else ""
        fmt = suffix if suffix in ("csv", "xlsx") else "csv"
    else:
        fmt = format.value
    out = out or Path(f"{fw.code}.{fmt}")
    export_table(fw, out, format=fmt)
    extra = f" and {metadata_path(out)}" if fmt == "csv" else ""
    err_console.print(f"wrote {out}{extra} ({len(fw.nodes)} nodes)", highlight=False)


@app.command("import")
def import_command(
    table: Path = typer.Argument(..., help="Framework table: CSV (with .meta.yaml) or XLSX."),
    out: Path | None = typer.Option(None, "--out", "-o", help="Output YAML (default <code>.yaml)."),
) -> None:
    """Import a framework table, validate it and write the framework YAML."""
    from ..framework.io import save_framework
    from ..framework.table import from_table

    fw = from_table(table)
    out = out or Path(f"{fw.code}.yaml")
    save_framework(fw, out)
    err_console.print(
        f"wrote {out} ({len(fw.nodes)} nodes, {len(fw.indicators)} indicators)", highlight=False
    )


@app.command("schema")
def schema_command(
    out: Path | None = typer.Option(None, "--out", "-o", help="Output file (default: stdout)."),
) -> None:
    """Write the JSON Schema of the framework file."""
    from ..framework.io import framework_schema

    text = json.dumps(framework_schema(), indent=2, ensure_ascii=False) + "\n"
    if out is None:
        typer.echo(text, nl=False)
    else:
        out.write_text(text, encoding="utf-8")
        err_console.print(f"wrote {out}", highlight=False)


def register(root: typer.Typer) -> None:
    """Add the ``framework`` sub-app to the root CLI."""
    root.add_typer(app, name="framework")
