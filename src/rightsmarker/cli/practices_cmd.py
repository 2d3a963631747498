"""CLI commands ``practices import|export|search|similar|tag``: the good-practice library."""

from __future__ import annotations

import json
from pathlib import Path

import typer
from rich.table import Table

from .common import console, err_console

practices_app = typer.Typer(help="Good practices: import, export, search and tag suggestions.",
                            no_args_is_help=True)

DB_OPTION = typer.Option(..., "--db",
                         help="Practice store (SQLite file) made by 'practices import'.")


@practices_app.command("import")
def import_command(
    file: Path = typer.Argument(..., help="Practices as JSON or CSV."),
    out: Path = typer.Option(..., "--out", "-o", help="Practice store (SQLite file), created "
                             "or updated; practices with the same id are replaced."),
    framework: str = typer.Option("social-inclusion-marker", "--framework", "-f",
                                  help="Framework whose theme and group codes are allowed."),
    no_check: bool = typer.Option(False, "--no-check", help="Do not check codes."),
) -> None:
    """Read practices (all or nothing: every problem is listed) into a practice store."""
    from ..framework.io import load_framework
    from ..practices.io import read_practices
    from ..practices.search import PracticeIndex

    practices = read_practices(file, framework=load_framework(framework), check=not no_check)
    with PracticeIndex(str(out)) as index:
        index.add(practices)
        total = len(index)
    console.print(f"imported {len(practices):,} practices into {out} ({total:,} in the store)",
                  highlight=False)


@practices_app.command("export")
def export_command(
    db: Path = DB_OPTION,
    out: Path = typer.Option(..., "--out", "-o", help="Output file, .json or .csv."),
) -> None:
    """Write every practice of a store to JSON or CSV."""
    from ..practices.io import write_practices

    with _open(db) as index:
        practices = list(index.all())
    write_practices(practices, out)
    console.print(f"wrote {len(practices):,} practices to {out}", highlight=False)


@practices_app.command("search")
def search_command(
    query: str = typer.Argument("", help="Words to find (English or Korean); empty lists all."),
    db: Path = DB_OPTION,
    theme: list[str] = typer.Option([], "--theme", help="Theme, sub-theme or indicator code "
                                    "(repeat for any of several)."),
    group: list[str] = typer.Option([], "--group", help="Group code (repeat for any of several)."),
    city: list[str] = typer.Option([], "--city", help="City (unit) code."),
    region: list[str] = typer.Option([], "--region", help="Region."),
    year: int | None = typer.Option(None, "--year", help="Practices running in this year."),
    limit: int = typer.Option(20, "--limit", min=1),
    as_json: bool = typer.Option(False, "--json", help="JSON lines instead of a table."),
) -> None:
    """Full-text search with filters, best matches first."""
    with _open(db) as index:
        hits = index.search(query, themes=theme, groups=group, cities=city, regions=region,
                            year=year, limit=limit)
    _print_hits(hits, as_json, f"{len(hits)} practice(s) for {query!r}")


@practices_app.command("similar")
def similar_command(
    practice_id: str = typer.Argument(..., help="Id of a practice in the store."),
    db: Path = DB_OPTION,
    limit: int = typer.Option(5, "--limit", min=1),
    as_json: bool = typer.Option(False, "--json", help="JSON lines instead of a table."),
) -> None:
    """Practices most like the given one (BM25 on its words; shared codes break ties)."""
    with _open(db) as index:
        hits = index.similar(practice_id, limit=limit)
    _print_hits(hits, as_json, f"practices similar to {practice_id}")


@practices_app.command("tag")
def tag_command(
    text: str = typer.Argument(..., help="Text to tag, or a path to a UTF-8 text file."),
    kind: list[str] = typer.Option([], "--kind", help="theme, group or sdg (repeat); default all."),
    threshold: float | None = typer.Option(None, "--threshold", help="Score needed (default 0.5)."),
    no_embeddings: bool = typer.Option(False, "--no-embeddings", help="Lexicon only."),
    as_json: bool = typer.Option(False, "--json", help="JSON instead of a table."),
) -> None:
    """Suggest theme, group and SDG codes for a text, with the evidence for each."""
    from ..practices.tagging import KINDS, suggest_tags

    path = Path(text)
    if len(text) < 260 and "\n" not in text and path.is_file():
        text = path.read_text(encoding="utf-8")
    kinds = tuple(kind) or KINDS
    bad = [k for k in kinds if k not in KINDS]
    if bad:
        raise typer.BadParameter(f"unknown kind(s) {', '.join(bad)}; use theme, group or sdg",
                                 param_hint="--kind")
    tags = suggest_tags(text, threshold=threshold, kinds=kinds,
                        embeddings=False if no_embeddings else None)
    if as_json:
        console.print_json(json.dumps(tags, ensure_ascii=False))
        return
    table = Table(title=f"{len(tags)} suggestion(s)")
    for col in ("kind", "code", "score", "evidence"):
        table.add_column(col, justify="right" if col == "score" else "left",
                         overflow="fold" if col == "evidence" else "ellipsis")
    for t in tags:
        table.add_row(t["kind"], t["code"], f"{t['score']:.2f}", "; ".join(t["evidence"]))
    console.print(table)


def _open(db: Path):
    from ..errors import DataError
    from ..practices.search import PracticeIndex

    if not db.is_file():
        raise DataError(f"no practice store at {db}; make one with "
                        "'rightsmarker practices import FILE --out DB'")
    return PracticeIndex(str(db))


def _print_hits(hits, as_json: bool, title: str) -> None:
    if as_json:
        for h in hits:
            console.print(json.dumps(h.to_dict(), ensure_ascii=False), highlight=False,
                          markup=False, soft_wrap=True)
        return
    table = Table(title=title)
    for col in ("score", "id", "city", "title", "themes", "groups"):
        table.add_column(col, justify="right" if col == "score" else "left")
    for h in hits:
        p = h.practice
        table.add_row(f"{h.score:.2f}", h.id, p.city, " / ".join(p.title.values()),
                      " ".join(p.themes), " ".join(p.groups))
    console.print(table)
    if not hits:
        err_console.print("no practice matched; try fewer words or filters", highlight=False)


def register(app: typer.Typer) -> None:
    app.add_typer(practices_app, name="practices")
