"""The ``rightsmarker`` command line: a thin layer over the library.

Each command module defines ``register(app)``; this module assembles them. Library errors
become one clear line and a hint on stderr with exit code 2; ``--debug`` shows the traceback.
"""

from __future__ import annotations

import importlib
import sys

import typer

from .common import run_app

COMMAND_MODULES = [
    "rightsmarker.cli.framework_cmd",
    "rightsmarker.cli.data_cmd",
    "rightsmarker.cli.score_cmd",
    "rightsmarker.cli.demo_cmd",
    "rightsmarker.cli.uncertainty_cmd",
    "rightsmarker.cli.gaps_cmd",
    "rightsmarker.cli.discover_cmd",
    "rightsmarker.cli.web_cmd",
    "rightsmarker.cli.practices_cmd",
    "rightsmarker.cli.report_cmd",
]

app = typer.Typer(
    name="rightsmarker",
    help="Social Inclusion / Human Rights Marker System for cities.",
    no_args_is_help=True,
    add_completion=False,
    pretty_exceptions_enable=False,
)


@app.callback()
def _root(
    debug: bool = typer.Option(False, "--debug", help="Show full tracebacks on errors."),
) -> None:
    """Social Inclusion / Human Rights Marker System for cities."""


for _name in COMMAND_MODULES:
    try:
        _mod = importlib.import_module(_name)
    except ModuleNotFoundError as exc:  # a command module not written yet
        if exc.name != _name:
            raise
        continue
    _mod.register(app)


def main(argv: list[str] | None = None) -> None:
    """Entry point of the console script."""
    argv = list(sys.argv[1:] if argv is None else argv)
    sys.exit(run_app(app, argv))
