"""Who is calling: a bearer token, the browser session, or an anonymous visitor.

Every operation gets a :class:`Caller` as ``request.auth``. A token acts with its owner's roles
(W1's access helpers take ``caller.user``); only ``can_write`` tokens may change data. A session
write must pass Django's CSRF check (``X-CSRFToken`` header). A request that sends an
``Authorization`` header is judged by it alone: a wrong or expired token is a 401, never a
silent fall back to anonymous.
"""

from __future__ import annotations

from dataclasses import dataclass

from django.conf import settings
from django.contrib.auth.models import AnonymousUser
from ninja.errors import AuthenticationError
from ninja.security import APIKeyCookie, HttpBearer

from ..accounts.models import ApiToken
from .errors import ApiError


@dataclass(frozen=True)
class Caller:
    """The user acting (possibly anonymous), the token used (if any) and how they came in."""

    user: object
    token: ApiToken | None = None
    via: str = "anonymous"

    def __bool__(self) -> bool:  # django-ninja accepts any truthy result
        return True

    @property
    def is_authenticated(self) -> bool:
        return bool(getattr(self.user, "is_authenticated", False))

    @property
    def may_write(self) -> bool:
        """Signed in, and not through a read-only token."""
        return self.is_authenticated and (self.token is None or self.token.can_write)

    def require_write(self) -> None:
        """Refuse an anonymous caller (401) or a read-only token (403)."""
        if not self.is_authenticated:
            raise ApiError(401)
        if self.token is not None and not self.token.can_write:
            raise ApiError(403, "This token may only read; issue a token that may write.",
                           code="token_read_only")


class BearerToken(HttpBearer):
    """``Authorization: Bearer <token>`` with a token issued by ``ApiToken.issue``."""

    def __call__(self, request):
        header = request.headers.get("Authorization")
        if not header:
            return None
        scheme, _, plain = header.partition(" ")
        if scheme.lower() != "bearer" or not plain.strip():
            raise AuthenticationError(message="Send the token as 'Authorization: Bearer <token>'.")
        return self.authenticate(request, plain.strip())

    def authenticate(self, request, token):
        found = ApiToken.authenticate(token)
        if found is None:
            raise AuthenticationError(message="The token is unknown, expired or revoked.")
        return Caller(user=found.user, token=found, via="token")


class SessionCookie(APIKeyCookie):
    """The browser's Django session; writes need the CSRF token."""

    param_name = settings.SESSION_COOKIE_NAME

    def _get_key(self, request):
        user = getattr(request, "user", None)
        if user is None or not user.is_authenticated:
            return None  # nothing to protect: let the operation answer 401 or anonymously
        return super()._get_key(request)

    def authenticate(self, request, key):
        if key is None:
            return None
        return Caller(user=request.user, via="session")


def anonymous(request) -> Caller:
    """Anyone: reads of published material (the access helpers decide what is visible)."""
    return Caller(user=AnonymousUser())


TOKEN, SESSION = BearerToken(), SessionCookie()
READ = [TOKEN, SESSION, anonymous]
WRITE = [TOKEN, SESSION]
