"""Shared CLI helpers: error handling, the console, progress bars."""

from __future__ import annotations

import sys
import traceback

import typer
from rich.console import Console

from ..errors import RightsMarkerError, ValidationError

console = Console()
err_console = Console(stderr=True)


def run_app(app: typer.Typer, argv: list[str]) -> int:
    """Run the Typer app; turn library errors into one line, a hint and exit code 2."""
    debug = "--debug" in argv
    try:
        app(args=argv, prog_name="rightsmarker", standalone_mode=True)
    except SystemExit as exc:
        code = exc.code
        return code if isinstance(code, int) else (0 if code is None else 1)
    except RightsMarkerError as exc:
        if debug:
            traceback.print_exc()
        report_error(exc)
        return 2
    except (FileNotFoundError, IsADirectoryError, PermissionError) as exc:
        if debug:
            traceback.print_exc()
        err_console.print(f"[bold red]Error:[/] {exc.strerror}: {exc.filename}", highlight=False)
        return 2
    return 0


def report_error(exc: RightsMarkerError) -> None:
    """Print a library error for a person: the summary, each problem, and a hint."""
    if isinstance(exc, ValidationError):
        err_console.print(f"[bold red]Error:[/] {exc.summary}", highlight=False)
        for p in exc.problems[:50]:
            err_console.print(f"  - {p}", highlight=False, markup=False)
        if len(exc.problems) > 50:
            err_console.print(f"  ... and {len(exc.problems) - 50} more", highlight=False)
    else:
        err_console.print(f"[bold red]Error:[/] {exc}", highlight=False, markup=False)
    hint = getattr(exc, "hint", None)
    if hint:
        err_console.print(f"[dim]Hint:[/] {hint}", highlight=False)
    err_console.print("[dim](run with --debug for a traceback)[/]", highlight=False)


def progress():
    """A Rich progress bar writing to stderr (silent when stderr is not a terminal? no: always)."""
    from rich.progress import BarColumn, Progress, TextColumn, TimeElapsedColumn

    return Progress(
        TextColumn("{task.description}"),
        BarColumn(),
        TextColumn("{task.completed}/{task.total}"),
        TimeElapsedColumn(),
        console=Console(stderr=True),
        transient=not sys.stderr.isatty(),
    )
