"""Building a run's per-run artefacts when the run is made, not on its first visits.

:func:`warm_run` computes the run's group gaps (``gaps.parquet``) and the profile parts of
every city scored in the run's period in every configured language
(``pages/profile-<city>-<lang>-<digest>.json``), the files the pages would otherwise build on
the first request for each city; :func:`.services.score_cycle` calls it before it marks the
run done, so no visitor ever sees the run before they exist. The pages still build what is
missing (runs made by older versions, a new release with other templates): lazy building
stays the fallback.
"""

from __future__ import annotations

import logging
import time

from django.conf import settings
from django.utils import translation

from .models import ScoreRun

logger = logging.getLogger(__name__)


def languages() -> list[str]:
    """The languages the profile parts are built in (``en``, ``ko``: those of the site)."""
    return list(dict.fromkeys("ko" if code.startswith("ko") else "en"
                              for code, _name in settings.LANGUAGES))


def warm_run(run: ScoreRun, progress=None) -> dict:
    """Build and store the run's group gaps and the profile parts of every city scored in the
    run's period, in every language (those already stored are kept); ``progress(done,
    total)`` after each city and language. A city of the run without scores in its period
    (values of earlier cycles only) has no profile to build: it is skipped and named in
    ``skipped``. Returns ``{"seconds", "built", "kept", "failed", "cities", "skipped",
    "languages"}``. A failure is logged and left to the pages, which build what is missing on
    first visit; one city's failure does not keep the others from being built."""
    from .services import load_gaps, scored_units, unit_codes

    started = time.perf_counter()
    scored = scored_units(run)
    codes = sorted(c for c in unit_codes(run) if c in scored)
    skipped = sorted(c for c in unit_codes(run) if c not in scored)
    langs = languages()
    total, done = len(codes) * len(langs), {"built": 0, "kept": 0, "failed": 0}
    try:
        load_gaps(run)
    except Exception:  # the pages build what is missing; the run itself is sound
        logger.exception("building the group gaps of score run %s failed", run.pk)
        codes = []
    for language in langs:
        with translation.override(language):
            for code in codes:
                done[_warm_page(run, code, language, first=not done["failed"])] += 1
                if progress is not None:
                    progress(sum(done.values()), total)
    if done["failed"]:
        logger.error("building the pages of score run %s failed for %s of %s pages",
                     run.pk, done["failed"], total)
    return {"seconds": time.perf_counter() - started, **done, "cities": len(codes),
            "skipped": skipped, "languages": langs}


def _warm_page(run: ScoreRun, code: str, language: str, first: bool) -> str:
    """Build one city's profile parts in one language: ``built``, ``kept`` or ``failed``
    (the first failure is logged with its traceback, the others in one line)."""
    from . import pages, services

    name = pages.profile_name(code, language)
    try:
        if services.read_stored(run, name) is not None:
            return "kept"
        services.write_stored(run, name, pages.profile_page(run, code, language))
    except Exception:  # noqa: BLE001 - left to the page, which builds it on first visit
        logger.error("building the page of %s (%s) of score run %s failed", code, language,
                     run.pk, exc_info=first)
        return "failed"
    return "built"
