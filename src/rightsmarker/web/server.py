"""``rightsmarker serve``: check, migrate, collect static files, seed (demo), then serve with
waitress, a production-grade pure-Python WSGI server (not Django's development server)."""

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
    return accounts


def serve(host: str = "127.0.0.1", port: int = 8000, threads: int = 8) -> None:
    """Serve the WSGI application until interrupted."""
    import waitress
    from django.core.wsgi import get_wsgi_application

    waitress.serve(get_wsgi_application(), host=host, port=port, threads=threads,
                   ident="rightsmarker", clear_untrusted_proxy_headers=True)
