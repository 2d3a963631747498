"""Request plumbing: the audit actor of the request and the site-wide template context."""

from __future__ import annotations

from django.conf import settings

from .reporting.actor import acting_as


class AuditActorMiddleware:
    """Make the signed-in user the actor of every audit entry written during the request."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        user = getattr(request, "user", None)
        actor = user if user is not None and user.is_authenticated else None
        with acting_as(actor):
            return self.get_response(request)


def site_context(request) -> dict:
    """Context on every page: the demo flag (banner), the user's roles and the version."""
    from rightsmarker import __version__

    from .accounts.roles import roles_of

    user = getattr(request, "user", None)
    return {
        "demo_mode": getattr(settings, "RIGHTSMARKER_DEMO", False),
        "roles": roles_of(user),
        "rightsmarker_version": __version__,
    }
