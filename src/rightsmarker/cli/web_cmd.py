"""CLI commands ``serve`` and ``createuser``: the web platform (Django inside the package)."""

from __future__ import annotations

import typer

from .common import console

ROLES = "secretariat_admin, secretariat_reviewer, city_editor, city_viewer"


def serve_command(
    host: str = typer.Option("127.0.0.1", "--host", help="Address to listen on."),
    port: int = typer.Option(8000, "--port", min=1, max=65535, help="Port to listen on."),
    demo: bool = typer.Option(False, "--demo", help="Demo mode: seed an empty database with the "
                              "bundled framework, fictional cities, cycles and demo accounts."),
    threads: int = typer.Option(8, "--threads", min=1, max=256,
                                help="Threads per worker process."),
    workers: int | None = typer.Option(
        None, "--workers", min=1, max=64, help="Worker processes (default: one per CPU). More "
        "than one runs gunicorn (POSIX); one, or on Windows, runs waitress."),
) -> None:
    """Run the web platform: checks, migrations, static files, then a production WSGI server."""
    from ..web import server

    server.setup(demo=demo)
    from django.conf import settings

    accounts = server.prepare(demo=demo)
    console.print(f"[dim]Data folder: {settings.DATA_DIR}[/]", highlight=False)
    if demo:
        _print_demo(accounts)
    shown = "localhost" if host in ("127.0.0.1", "0.0.0.0") else host
    workers = workers or server.default_workers()
    if workers > 1 and not server.gunicorn_available():
        console.print("[dim]gunicorn is not available here: one waitress process.[/]",
                      highlight=False)
        workers = 1
    console.print(f"Serving on [bold]http://{shown}:{port}/[/] with {workers} worker "
                  f"process(es) x {threads} threads (Ctrl+C to stop)", highlight=False)
    server.serve(host=host, port=port, threads=threads, workers=workers)


def _print_demo(accounts) -> None:
    if accounts is None:
        console.print("[dim]Demo mode: the database already holds data; nothing seeded. Demo "
                      "accounts (if this database was seeded by the demo): admin/admin-demo, "
                      "reviewer/reviewer-demo, editor-<city>/editor-demo.[/]", highlight=False)
        return
    console.print("[bold]Demo database seeded.[/] FICTIONAL data. Demo accounts:")
    for a in accounts:
        where = f" ({a.city})" if a.city else ""
        console.print(f"  {a.username:<22} {a.password:<15} {a.role}{where}", highlight=False)


def createuser_command(
    username: str = typer.Argument(..., help="Login name."),
    email: str = typer.Option("", "--email", help="E-mail address."),
    role: str = typer.Option(..., "--role", help=f"One of {ROLES}."),
    city: str | None = typer.Option(None, "--city", help="City code (for city roles)."),
    password: str | None = typer.Option(None, "--password",
                                        help="Password (asked for when not given)."),
) -> None:
    """Create a user of the web platform with a role (for a city, or for the secretariat)."""
    from ..web import server

    server.setup()
    from django.core.management import call_command

    call_command("migrate", interactive=False, verbosity=0)
    if password is None:
        password = typer.prompt("Password", hide_input=True, confirmation_prompt=True)
    from ..web.accounts.users import create_user

    user = create_user(username, email, role, city, password=password)
    where = f" of {city}" if city else ""
    console.print(f"created {user.username} as {role}{where}", highlight=False)


def register(app: typer.Typer) -> None:
    app.command("serve")(serve_command)
    app.command("createuser")(createuser_command)
