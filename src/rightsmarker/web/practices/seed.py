"""Demo practices: the drafts of ``rightsmarker.demo.demo_data().practices`` as records.

:func:`seed_demo_practices` adds them (status from the demo: drafts; the first half published so
that search shows something) when no practice was ever stored and the demo's cities exist. In demo
mode it runs once per process on the first request (`serve --demo` seeds the cities first), so no
file of the foundation needs to change; ``seed.py`` may also call it directly.
"""

from __future__ import annotations

import logging
import threading

from django.conf import settings
from django.db import DatabaseError

log = logging.getLogger(__name__)
_done = False
_lock = threading.Lock()


def seed_demo_practices() -> int:
    """Add the demo practices; returns how many (0 when practices exist or cities are missing)."""
    from rightsmarker.demo import demo_data
    from rightsmarker.practices.examples import from_demo

    from ..network.models import City
    from ..seed import DEMO_SEED
    from .models import PracticeRecord, PracticeVersion
    from .services import save_version

    if PracticeRecord.objects.exists() or PracticeVersion.objects.exists():
        return 0
    drafts = demo_data(seed=DEMO_SEED, n_cities=12).practices
    cities = City.objects.in_bulk([d["city"] for d in drafts], field_name="code")
    practices = [p for p in from_demo(drafts) if p.city in cities]
    for i, p in enumerate(practices):
        record = PracticeRecord(code=p.id, city=cities[p.city], status="draft",
                                data=p.model_dump(mode="json"))
        save_version(record, None, "demo")
        if i < (len(practices) + 1) // 2:
            record.status = "published"
            save_version(record, None, "publish")
    return len(practices)


def seed_on_first_request(sender=None, **kwargs) -> None:
    """Demo mode only, once per process."""
    global _done
    if _done:
        return
    with _lock:  # the first requests may come in on several threads at once
        if _done:
            return
        _done = True
        if not getattr(settings, "RIGHTSMARKER_DEMO", False):
            return
        try:
            added = seed_demo_practices()
        except DatabaseError:  # tables not migrated yet
            log.warning("demo practices not seeded: the database is not ready", exc_info=True)
            return
    if added:
        log.warning("demo: %d fictional good practices added", added)
