"""API tokens of the signed-in user: list, issue (the plain text is shown once), revoke.

Only a browser session manages tokens: a token cannot issue or revoke tokens.
"""

from __future__ import annotations

from datetime import datetime, timedelta

from django.http import Http404
from django.utils import timezone
from ninja import Schema
from pydantic import ConfigDict, Field

from ..accounts.models import ApiToken
from .auth import WRITE
from .errors import ApiError
from .router import router
from .schemas import errors_for
from .serialize import ok


class TokenOut(Schema):
    id: int
    name: str
    prefix: str
    can_write: bool
    created: datetime
    last_used: datetime | None = None
    expires: datetime | None = None
    revoked: datetime | None = None


class IssuedTokenOut(Schema):
    token: TokenOut
    plain: str = Field(description="The token itself: shown once, never stored")


class TokenIn(Schema):
    model_config = ConfigDict(extra="forbid", strict=True)

    name: str = Field(min_length=1, max_length=100)
    can_write: bool = False
    expires_in_days: int | None = Field(None, ge=1, le=3650)


def _row(t: ApiToken) -> dict:
    return {"id": t.pk, "name": t.name, "prefix": t.prefix, "can_write": t.can_write,
            "created": t.created, "last_used": t.last_used, "expires": t.expires,
            "revoked": t.revoked}


def _session_user(request):
    if request.auth.via != "session":
        raise ApiError(403, "Tokens are managed from a signed-in browser session.",
                       code="session_required")
    return request.auth.user


@router.get("/tokens", response={200: list[TokenOut], **errors_for(401, 403)}, tags=["tokens"],
            auth=WRITE)
def list_tokens(request):
    """The caller's own tokens (never their plain text)."""
    user = _session_user(request)
    return ok([_row(t) for t in ApiToken.objects.filter(user=user).order_by("-created")])


@router.post("/tokens", response={201: IssuedTokenOut, **errors_for(400, 401, 403)},
             tags=["tokens"], auth=WRITE)
def issue_token(request, payload: TokenIn):
    """Issue a token acting with the caller's roles; ``can_write`` lets it change data."""
    user = _session_user(request)
    expires = (timezone.now() + timedelta(days=payload.expires_in_days)
               if payload.expires_in_days else None)
    token, plain = ApiToken.issue(user, payload.name, can_write=payload.can_write,
                                  expires=expires)
    return ok({"token": _row(token), "plain": plain}, status=201)


@router.delete("/tokens/{int:pk}", response={200: TokenOut, **errors_for(401, 403, 404)},
               tags=["tokens"], auth=WRITE)
def revoke_token(request, pk: int):
    """Revoke one of the caller's tokens (another person's token is a 404)."""
    user = _session_user(request)
    try:
        token = ApiToken.objects.get(pk=pk, user=user)
    except ApiToken.DoesNotExist:
        raise Http404 from None
    if token.revoked is None:
        token.revoke()
    return ok(_row(token))
