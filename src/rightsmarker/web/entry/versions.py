"""Cache keys that change whenever what a page shows changes, so a cached part is never stale.

- :func:`row_key` of a submission or cycle: its id and creation time (a test database rolled
  back may give an id again, never with the same creation time).
- :func:`content_key` of a submission or cycle: its :func:`row_key` and ``content_version``,
  the counter bumped in the database by every save and delete of its values (and, for a
  submission, its comments), in the same transaction (:func:`..reporting.models.mark_changed`).
  Read with the object itself: no query of its own.

:func:`cached` keeps a value in Django's cache (per process with the default local-memory
cache; any backend works, as the keys hold the versions).
"""

from __future__ import annotations

import hashlib

from django.core.cache import cache

CACHE_S = 3600
CSRF_PLACEHOLDER = "\x00csrf\x00"  # cached HTML holds this; each answer gets its own token


def row_key(obj) -> str:
    return f"{obj.pk}.{obj.created_at.timestamp():.6f}"


def content_key(obj) -> str:
    return f"{row_key(obj)}.{obj.content_version}"


def cached(key: str, build):
    """The value cached under ``key`` (any text: stored under its digest), built (and kept)
    when missing."""
    key = "rightsmarker:" + hashlib.sha256(key.encode("utf-8")).hexdigest()
    value = cache.get(key)
    if value is None:
        value = build()
        cache.set(key, value, CACHE_S)
    return value
