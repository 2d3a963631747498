"""Cache keys that change whenever what a page shows changes, so a cached part is never stale.

- :func:`values_version` of a set of values: their count (a deletion lowers it), the highest id
  (ids only grow: an insertion raises it) and the sum of their versions (every save of a value
  adds one, see :mod:`..reporting.audit`). One aggregate query.
- :func:`row_key` of a submission or cycle: its id and creation time (a test database rolled
  back may give an id again, never with the same creation time).
- :func:`comments_signature`: a digest of the comments shown (id, author, time, text).

:func:`cached` keeps a value in Django's cache (per process with the default local-memory
cache; any backend works, as the keys hold the versions).
"""

from __future__ import annotations

import hashlib

from django.core.cache import cache
from django.db.models import Count, Max, Sum

CACHE_S = 3600
CSRF_PLACEHOLDER = "\x00csrf\x00"  # cached HTML holds this; each answer gets its own token


def values_version(values) -> str:
    agg = values.aggregate(n=Count("id"), top=Max("id"), versions=Sum("version"))
    return f"{agg['n']}.{agg['top']}.{agg['versions']}"


def row_key(obj) -> str:
    return f"{obj.pk}.{obj.created_at.timestamp():.6f}"


def comments_signature(comments) -> str:
    text = repr([(c.pk, c.author_id, c.created.isoformat(), c.indicator, c.text)
                 for c in comments])
    return hashlib.sha256(text.encode("utf-8")).hexdigest()[:16]


def cached(key: str, build):
    """The value cached under ``key`` (any text: stored under its digest), built (and kept)
    when missing."""
    key = "rightsmarker:" + hashlib.sha256(key.encode("utf-8")).hexdigest()
    value = cache.get(key)
    if value is None:
        value = build()
        cache.set(key, value, CACHE_S)
    return value
