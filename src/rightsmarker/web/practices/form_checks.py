"""The practice form's field checks, in plain words, every field at once.

They mirror the library's checks of a practice (:mod:`rightsmarker.practices.model`): a title in
one language, the currency as an ISO 4217 code, SDG targets such as ``10.2`` or ``11.a``, theme and
group codes the framework knows, years in order, http(s) links and an e-mail address.
"""

from __future__ import annotations

import re

from django.utils.translation import gettext as _

from rightsmarker.practices.model import CURRENCY_PATTERN, EMAIL, SDG_PATTERN

CURRENCY = re.compile(CURRENCY_PATTERN, re.IGNORECASE)  # the form writes it in capitals
SDG_TARGET = re.compile(SDG_PATTERN)
LINK = re.compile(r"^https?://[^\s<>\"]+$")
FIRST_YEAR, LAST_YEAR = 1900, 2100
MAX_SHOWN = 20


def check_form(data: dict, known: dict[str, set[str]] | None = None) -> list[tuple[str, str]]:
    """``(field, message)`` for each wrong field of the cleaned form ``data``."""
    from .forms import split_codes, split_lines

    if known is None:
        from rightsmarker.practices.model import framework_codes

        known = framework_codes()
    problems = []
    if not (data.get("title_en") or "").strip() and not (data.get("title_ko") or "").strip():
        problems.append(("title_en", _("Give a title in English or in Korean.")))
    problems += _budget(data)
    problems += _period(data)
    targets = [t for t in split_codes(data.get("sdg_targets", "")) if not SDG_TARGET.match(t)]
    if targets:
        problems.append(("sdg_targets", _("An SDG target looks like 10.2 or 11.a (goals 1 to "
                                          "17); not valid: %(values)s.")
                         % {"values": ", ".join(targets)}))
    for field, message in (("themes", _("Unknown theme code: %(codes)s. Known codes: "
                                        "%(known)s.")),
                           ("groups", _("Unknown group code: %(codes)s. Known codes: "
                                        "%(known)s."))):
        unknown = [c for c in split_codes(data.get(field, "")) if c not in known[field]]
        if unknown:
            shown = ", ".join(sorted(known[field])[:MAX_SHOWN])
            problems.append((field, message % {"codes": ", ".join(unknown), "known": shown}))
    links = [u for u in split_lines(data.get("evidence", "")) if not LINK.match(u)]
    if links:
        problems.append(("evidence", _("A link must start with http:// or https://; not "
                                       "valid: %(links)s.") % {"links": ", ".join(links)}))
    email = (data.get("contact_email") or "").strip()
    if email and not EMAIL.match(email):
        problems.append(("contact_email", _("Give an e-mail address such as "
                                            "name@example.org.")))
    return problems


def _budget(data: dict) -> list[tuple[str, str]]:
    amount, currency = data.get("budget_amount"), (data.get("budget_currency") or "").strip()
    wrong = _("Give the currency as a three-letter ISO 4217 code such as KRW or EUR.")
    if currency and not CURRENCY.match(currency):
        return [("budget_currency", wrong)]
    if amount is not None and not currency:
        return [("budget_currency", wrong)]
    if currency and amount is None:
        return [("budget_amount", _("Give the amount of the budget, or leave the currency "
                                    "empty."))]
    return []


def _period(data: dict) -> list[tuple[str, str]]:
    start, end = data.get("period_start"), data.get("period_end")
    out = []
    outside = _("Give a year from %(first)s to %(last)s.") % {"first": FIRST_YEAR,
                                                              "last": LAST_YEAR}
    for field, year in (("period_start", start), ("period_end", end)):
        if year is not None and not FIRST_YEAR <= year <= LAST_YEAR:
            out.append((field, outside))
    if end is not None and start is None:
        out.append(("period_start", _("Give the year the practice started.")))
    elif start is not None and end is not None and end < start and not out:
        out.append(("period_end", _("The end year is before the start year.")))
    return out

