"""System checks run at start (``serve`` and ``manage.py check``): bad settings stop the server."""

from __future__ import annotations

from django.conf import settings
from django.core.checks import Error, Tags, Warning, register


@register(Tags.security, deploy=False)
def check_secret_key(app_configs=None, **kwargs):
    """Outside demo / debug mode a secret key must come from the environment."""
    if getattr(settings, "RIGHTSMARKER_SECRET_KEY_MISSING", False):
        return [Error(
            "RIGHTSMARKER_SECRET_KEY is not set.",
            hint="Set RIGHTSMARKER_SECRET_KEY to a long random string (for example the output of "
                 "`python -c \"import secrets; print(secrets.token_urlsafe(50))\"`), or run "
                 "`rightsmarker serve --demo` for a demonstration.",
            id="rightsmarker.E001")]
    if len(settings.SECRET_KEY) < 32:
        return [Error("RIGHTSMARKER_SECRET_KEY is shorter than 32 characters.",
                      hint="Use a long random string.", id="rightsmarker.E002")]
    return []


@register(Tags.security)
def check_demo_with_debug(app_configs=None, **kwargs):
    """Debug mode shows tracebacks to anyone: warn when it is on outside demo mode."""
    if settings.DEBUG and not getattr(settings, "RIGHTSMARKER_DEMO", False):
        return [Warning("RIGHTSMARKER_DEBUG is on: error pages show internals to visitors.",
                        hint="Turn it off for any server reachable by others.",
                        id="rightsmarker.W001")]
    return []


@register()
def check_evidence_types(app_configs=None, **kwargs):
    """Every allowed evidence file type is a lower-case suffix such as '.pdf'."""
    bad = [t for t in getattr(settings, "RIGHTSMARKER_EVIDENCE_TYPES", [])
           if not (isinstance(t, str) and t.startswith(".") and t == t.lower())]
    if bad:
        return [Error(f"RIGHTSMARKER_EVIDENCE_TYPES has invalid entries: {bad}",
                      hint="Write lower-case suffixes with a dot, such as '.pdf'.",
                      id="rightsmarker.E003")]
    return []
