"""Cache keys that change whenever what a page shows changes, so a cached part is never stale.

- :func:`row_key` of a submission or cycle: its id and creation time (a test database rolled
  back may give an id again, never with the same creation time).
- :func:`content_key` of a submission or cycle: its :func:`row_key` and ``content_version``,
  the counter bumped in the database by every save and delete of its values (and, for a
  submission, its comments), in the same transaction (:func:`..reporting.models.mark_changed`).
  Read with the object itself: no query of its own.

:func:`cached` keeps a value in Django's cache (the file cache shared by the server's worker
processes; any backend works, as the keys hold the versions) and, in front of it, in a small
dictionary of the process (:data:`LOCAL_ENTRIES` most recently used values): what a key names
never changes, so a copy kept in memory is never stale, and a warm page reads no file, unpickles
and decompresses nothing. :func:`clear_local` empties the dictionary (tests that count builds
after ``cache.clear()``). Every key also holds :func:`code_version`, a digest of the package's
code, templates and translations: the file cache outlives a restart, and parts built by another
release (other markup, other words) must not be served after an upgrade.
"""

from __future__ import annotations

import hashlib
import threading
from collections import OrderedDict
from functools import cache as once
from pathlib import Path

from django.core.cache import cache

CACHE_S = 3600
CSRF_PLACEHOLDER = "\x00csrf\x00"  # cached HTML holds this; each answer gets its own token
LOCAL_ENTRIES = 64  # ~100 kB each (a theme's rows, a review page's blocks)
_local: OrderedDict[str, object] = OrderedDict()
_lock = threading.Lock()


def row_key(obj) -> str:
    return f"{obj.pk}.{obj.created_at.timestamp():.6f}"


def content_key(obj) -> str:
    return f"{row_key(obj)}.{obj.content_version}"


@once
def code_version() -> str:
    """A digest of the rightsmarker package's Python files, templates and compiled
    translations (read once per process, a few milliseconds)."""
    root = Path(__file__).resolve().parents[2]
    digest = hashlib.sha256()
    for path in sorted(root.rglob("*")):
        if path.suffix in (".py", ".html", ".mo") and "__pycache__" not in path.parts:
            digest.update(str(path.relative_to(root)).encode("utf-8"))
            digest.update(path.read_bytes())
    return digest.hexdigest()[:16]


def cached(key: str, build):
    """The value cached under ``key`` (any text: stored under its digest, with the code's
    version), built (and kept) when missing. Callers must not change the value (it is
    shared)."""
    key = f"rightsmarker:{code_version()}:" + hashlib.sha256(key.encode("utf-8")).hexdigest()
    with _lock:
        value = _local.get(key)
        if value is not None:
            _local.move_to_end(key)
            return value
    value = cache.get(key)
    if value is None:
        value = build()
        cache.set(key, value, CACHE_S)
    with _lock:
        _local[key] = value
        while len(_local) > LOCAL_ENTRIES:
            _local.popitem(last=False)
    return value


def clear_local() -> None:
    with _lock:
        _local.clear()
