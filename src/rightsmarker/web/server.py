"""``rightsmarker serve``: check, migrate, collect static files, seed (demo), then serve.

Production servers, never Django's development server: gunicorn (POSIX) with ``workers``
processes of ``threads`` threads each, so pages use every core (Python runs one thread at a time
per process); waitress, a pure-Python server, in one process where gunicorn cannot run (Windows)
or when one worker is asked for. Everything that must happen once (checks, migrations, demo
seeding) happens in the parent before the workers start.
"""

from __future__ import annotations

import os

from rightsmarker.errors import RightsMarkerError


class ServerError(RightsMarkerError):
    """The web platform cannot start (a failed system check, a bad setting)."""


def setup(demo: bool = False) -> None:
    """Point Django at our settings (demo mode on when asked) and set it up."""
    if demo:
        os.environ["RIGHTSMARKER_DEMO"] = "1"
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "rightsmarker.web.settings")
    import django
    from django.core.exceptions import ImproperlyConfigured

    try:
        django.setup()
    except ImproperlyConfigured as exc:
        raise ServerError(str(exc)) from None


def prepare(demo: bool = False, out=None):
    """System checks, migrations, static files; in demo mode seed an empty database.

    Returns the demo accounts when this call seeded the database, else None.
    """
    import io

    from django.conf import settings
    from django.core.management import call_command
    from django.core.management.base import SystemCheckError

    try:
        call_command("check", stdout=out or io.StringIO())
    except SystemCheckError as exc:
        err = ServerError(str(exc).strip())
        err.hint = "fix the settings named above (docs/guide/web.md lists every variable)"
        raise err from None
    call_command("migrate", interactive=False, verbosity=0, stdout=out)
    call_command("collectstatic", interactive=False, verbosity=0, stdout=out)
    if not demo:
        return None
    from .seed import seed_demo

    accounts = seed_demo()
    if accounts and "rightsmarker.web.results" in settings.INSTALLED_APPS:
        call_command("score_cycles", stdout=out or io.StringIO())  # results pages show scores
    if "rightsmarker.web.practices" in settings.INSTALLED_APPS:
        from .practices.seed import seed_on_first_request

        seed_on_first_request()  # here, once: forked workers inherit it as done
    return accounts


def default_workers() -> int:
    """One worker process per CPU this process may use."""
    try:
        return max(1, len(os.sched_getaffinity(0)))
    except AttributeError:  # not Linux
        return max(1, os.cpu_count() or 1)


def gunicorn_available() -> bool:
    try:
        import gunicorn.app.base  # noqa: F401  (POSIX only: it imports fcntl)
    except ImportError:
        return False
    return True


def serve(host: str = "127.0.0.1", port: int = 8000, threads: int = 8, workers: int = 1) -> None:
    """Serve the WSGI application until interrupted (Ctrl+C stops every worker)."""
    from django.db import connections

    connections.close_all()  # never share a database connection with forked workers
    if workers > 1 and gunicorn_available():
        _serve_gunicorn(host, port, threads, workers)
        return
    import waitress
    from django.core.wsgi import get_wsgi_application

    waitress.serve(get_wsgi_application(), host=host, port=port, threads=threads,
                   ident="rightsmarker", clear_untrusted_proxy_headers=True)


def gunicorn_options(host: str, port: int, threads: int, workers: int) -> dict:
    """gunicorn's settings: threaded workers on the app loaded once in the parent."""
    bind = f"[{host}]:{port}" if ":" in host else f"{host}:{port}"
    return {
        "bind": [bind], "workers": workers, "threads": threads, "worker_class": "gthread",
        "preload_app": True,  # Django set up once, before forking
        "timeout": 120, "graceful_timeout": 10, "loglevel": "warning", "accesslog": None,
        "forwarded_allow_ips": "",  # proxy headers: only Django's own setting decides
        "proc_name": "rightsmarker", "control_socket_disable": True,
    }


def _serve_gunicorn(host: str, port: int, threads: int, workers: int) -> None:
    from django.core.wsgi import get_wsgi_application
    from gunicorn.app.base import BaseApplication

    class Server(BaseApplication):
        def load_config(self):
            for name, value in gunicorn_options(host, port, threads, workers).items():
                if name in self.cfg.settings:  # settings newer than the installed gunicorn
                    self.cfg.set(name, value)

        def load(self):
            return get_wsgi_application()

    Server().run()
