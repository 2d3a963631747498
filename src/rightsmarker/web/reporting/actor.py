"""Who is acting: the user every audit entry written in this context is attributed to."""

from __future__ import annotations

from contextlib import contextmanager
from contextvars import ContextVar

_actor: ContextVar = ContextVar("rightsmarker_audit_actor", default=None)


@contextmanager
def acting_as(user):
    """Attribute audit entries written inside the block to ``user`` (None: the system)."""
    token = _actor.set(user)
    try:
        yield user
    finally:
        _actor.reset(token)


def current_actor():
    return _actor.get()
