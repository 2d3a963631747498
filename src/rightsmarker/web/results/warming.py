"""Building a run's per-run artefacts when the run is made, not on its first visits.

:func:`warm_run` computes the run's group gaps (``gaps.parquet``) and every city's profile
parts in every configured language (``pages/profile-<city>-<lang>-<digest>.json``), the files
the pages would otherwise build on the first request for each city; :func:`.services.score_cycle`
calls it before it marks the run done, so no visitor ever sees the run before they exist.
The pages still build what is missing (runs made by older versions, a new release with other
templates): lazy building stays the fallback.
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
    """Build and store the run's group gaps and every city's profile parts in every language
    (those already stored are kept); ``progress(done, total)`` after each city and language.
    Returns ``{"seconds", "built", "kept", "cities", "languages"}``. A failure is logged and
    left to the pages, which build what is missing on first visit."""
    from .pages import profile_name, profile_page
    from .services import load_gaps, read_stored, unit_codes, write_stored

    started = time.perf_counter()
    codes = sorted(unit_codes(run))
    langs = languages()
    total, built, kept = len(codes) * len(langs), 0, 0
    try:
        load_gaps(run)
        for language in langs:
            with translation.override(language):
                for code in codes:
                    name = profile_name(code, language)
                    if read_stored(run, name) is None:
                        write_stored(run, name, profile_page(run, code, language))
                        built += 1
                    else:
                        kept += 1
                    if progress is not None:
                        progress(built + kept, total)
    except Exception:  # the pages build what is missing; the run itself is sound
        logger.exception("building the pages of score run %s failed", run.pk)
    return {"seconds": time.perf_counter() - started, "built": built, "kept": kept,
            "cities": len(codes), "languages": langs}
