"""Changing practices: create, edit, workflow moves, each one a new version; the search index.

Every change goes through :func:`save_version`, which validates the record (the library's
``validate_practice``, then ``check_codes`` against the city's current framework and the bundled
one, :mod:`.codes`), bumps ``version``
(optimistic lock: a stale version is refused), writes a :class:`PracticeVersion` and updates the
search index. The index (published records only) is the library's :class:`PracticeIndex`, and
:func:`open_index` alone chooses its backend: on PostgreSQL the database's own full-text search
(:mod:`.pg_search`, tables in the same database), otherwise SQLite FTS5 in a file
(``RIGHTSMARKER_PRACTICE_INDEX``, default ``<data dir>/practices-index.sqlite3``).
:func:`ensure_index` rebuilds it from the database when it disagrees.
"""

from __future__ import annotations

import math
import threading
import time
from pathlib import Path

from django.conf import settings
from django.db import connection, transaction

from rightsmarker.practices import PracticeError, check_codes
from rightsmarker.practices.model import TRANSITIONS
from rightsmarker.practices.search import PracticeIndex

from ..accounts.roles import roles_of
from .models import PracticeRecord, PracticeVersion

_index_lock = threading.Lock()


class StalePracticeError(Exception):
    """The practice was saved by someone else since it was read."""


class MoveRefused(Exception):
    """A workflow move that the status or the user's role does not allow."""


def index_path() -> Path:
    default = Path(settings.DATA_DIR) / "practices-index.sqlite3"
    return Path(getattr(settings, "RIGHTSMARKER_PRACTICE_INDEX", default))


def search_backend() -> str:
    """``"postgresql"`` when the web app runs on PostgreSQL, else ``"sqlite"``."""
    return "postgresql" if connection.vendor == "postgresql" else "sqlite"


def open_index() -> PracticeIndex:
    """The practices' search index on the backend for this database (the one place to choose)."""
    if search_backend() == "postgresql":
        from . import pg_search  # noqa: F401  (registers "postgresql")

        return PracticeIndex(backend="postgresql")
    return PracticeIndex(str(index_path()))


def validated(record: PracticeRecord):
    """The record's Practice, or PracticeError naming every bad field and unknown code."""
    from .codes import known_codes

    practice = record.practice()
    problems = check_codes(practice, known=known_codes(record.city))
    if problems:
        raise PracticeError("invalid practice", problems)
    return practice


@transaction.atomic
def save_version(record: PracticeRecord, user, action: str, *, expected_version=None,
                 comment: str = "") -> PracticeRecord:
    """Validate and save ``record`` as its next version; keep the version; update the index."""
    validated(record)
    if record.pk:
        current = PracticeRecord.objects.select_for_update().get(pk=record.pk).version
        if expected_version is not None and int(expected_version) != current:
            raise StalePracticeError(record.code)
        record.version = current + 1
    else:
        record.version = 1
    record.save()
    PracticeVersion.objects.create(record=record, version=record.version, data=record.data,
                                   status=record.status, action=action, comment=comment,
                                   author=user if getattr(user, "is_authenticated", False)
                                   else None)
    update_index(record)
    return record


def may_move(user, record: PracticeRecord, target: str) -> bool:
    """Editors submit their city's drafts; the secretariat publishes, returns or withdraws."""
    if target not in TRANSITIONS[record.status]:
        return False
    roles = roles_of(user)
    if target == "submitted":
        return roles.is_admin or roles.is_editor(record.city_id)
    if record.status == "published":  # withdraw
        return roles.is_admin
    return roles.is_secretariat


def move(record: PracticeRecord, user, target: str, comment: str = "",
         expected_version=None) -> PracticeRecord:
    if not may_move(user, record, target):
        raise MoveRefused(f"{record.status} -> {target}")
    if record.status == "submitted" and target == "draft" and not comment.strip():
        raise MoveRefused("a comment is required to return a practice")
    action = {"submitted": "submit", "published": "publish"}.get(target, "return")
    if record.status == "published":
        action = "withdraw"
    record.status = target
    if action in ("return", "withdraw"):
        record.review_comment = comment.strip()
    return save_version(record, user, action, expected_version=expected_version,
                        comment=comment.strip())


# ------------------------------------------------------------------------------ search index
def update_index(record: PracticeRecord) -> None:
    """Published: in the index; anything else: out of it."""
    with _index_lock, open_index() as index:
        if record.status == PracticeRecord.Status.PUBLISHED:
            index.add(record.practice())
        else:
            index.remove(record.code)


def rebuild_index() -> int:
    """The index from the database's published records (the index file is replaced)."""
    published = PracticeRecord.objects.filter(status="published").select_related("city")
    with _index_lock, open_index() as index:
        index.remove([p.id for p in index.all()])
        return index.add([r.practice() for r in published])


POSTGRES_CHECK_EVERY_S = 300.0
_last_check = {"at": -math.inf}


def ensure_index() -> None:
    """Rebuild when the index does not hold as many practices as are published (a restored
    database, a new data folder, a save that was rolled back): one count on each side.

    On PostgreSQL the index tables are written in the same transaction as the records, so they
    can only disagree after changes made outside the site (or an upgrade that adds them): the
    counts (a few ms each over 10,000 rows) are made at most every 5 minutes per process."""
    if search_backend() == "postgresql":
        now = time.monotonic()
        if now - _last_check["at"] < POSTGRES_CHECK_EVERY_S:
            return
        _last_check["at"] = now
    published = PracticeRecord.objects.filter(status="published").count()
    with open_index() as index:
        held = len(index)
    if held != published:
        rebuild_index()
