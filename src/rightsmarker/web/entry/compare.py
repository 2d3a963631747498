"""What a reviewer checks: each value against the city's previous cycle, goalposts and colours.

- previous: the city's submission in the latest earlier cycle (approved or published first);
- change = value - previous; % change = change / |previous| x 100 (none when previous is 0);
- a jump is flagged when |% change| > ``jump_pct`` (``RIGHTSMARKER_REVIEW_JUMP_PCT``, default
  50) or, for totals, when the change is more than ``jump_sd`` robust standard deviations
  (``RIGHTSMARKER_REVIEW_JUMP_SD``, default 3; 1.4826 x the median absolute deviation) from
  the median change of all cities between the same two cycles (at least 5 cities);
- outside the goalposts: a number, percentage or rate below min(lower, optimum) or above max;
- colour: the dashboard colour of the total from the indicator's thresholds
  (:func:`rightsmarker.engine.dashboard.indicator_colour_codes`; yes/no and stages use their
  scale when no thresholds are given); grey without value or thresholds.
"""

from __future__ import annotations

from collections import defaultdict

import numpy as np
from django.conf import settings
from django.utils.translation import gettext as _

from rightsmarker.engine.dashboard import COLOURS, indicator_colour_codes

from ..reporting.models import Submission, Value
from .cells import flag_label, format_number, shown_value
from .slots import group_label
from .versions import cached, content_key

QUANTITATIVE = ("number", "percent", "rate")
MIN_CITIES = 5


def thresholds(jump_pct=None, jump_sd=None) -> tuple[float, float]:
    pct = jump_pct if jump_pct is not None else getattr(settings, "RIGHTSMARKER_REVIEW_JUMP_PCT",
                                                        50.0)
    sd = jump_sd if jump_sd is not None else getattr(settings, "RIGHTSMARKER_REVIEW_JUMP_SD", 3.0)
    return float(pct), float(sd)


def previous_submission(submission: Submission) -> Submission | None:
    """The city's submission in the latest cycle before this one (approved/published first)."""
    earlier = Submission.objects.filter(city_id=submission.city_id,
                                        cycle__year__lt=submission.cycle.year).select_related(
        "cycle")
    done = earlier.filter(status__in=[Submission.Status.APPROVED, Submission.Status.PUBLISHED])
    return (done.order_by("-cycle__year", "-cycle_id").first()
            or earlier.order_by("-cycle__year", "-cycle_id").first())


def robust_spread(submission: Submission, previous: Submission | None,
                  key: str | None = None) -> dict[str, tuple]:
    """Per indicator: (median, robust SD) of all cities' total changes between the two cycles.

    The same for every city of the cycle, so cached (Django's cache) under the two cycles and
    their content versions (:func:`spread_key`; ``key`` when the caller has it).
    """
    if previous is None:
        return {}
    cycles = [submission.cycle_id, previous.cycle_id]
    totals = Value.objects.filter(submission__cycle_id__in=cycles, group="total")
    return cached(key or spread_key(submission, previous), lambda: _spread(totals, cycles))


def spread_key(submission: Submission, previous: Submission) -> str:
    """The two cycles and their content versions (any edit of a value bumps its cycle's)."""
    return f"entry:spread:{content_key(submission.cycle)}:{content_key(previous.cycle)}"


def _spread(totals, cycles) -> dict[str, tuple]:
    rows = totals.filter(value_number__isnull=False).order_by().values_list(
        "submission__city_id", "submission__cycle_id", "indicator", "value_number")
    by = defaultdict(dict)
    for city, cycle, indicator, number in rows:
        by[(indicator, city)][cycle] = number
    changes = defaultdict(list)
    for (indicator, _city), pair in by.items():
        if len(pair) == 2:
            changes[indicator].append(pair[cycles[0]] - pair[cycles[1]])
    out = {}
    for indicator, xs in changes.items():
        if len(xs) >= MIN_CITIES:
            a = np.asarray(xs)
            med = float(np.median(a))
            out[indicator] = (med, 1.4826 * float(np.median(np.abs(a - med))))
    return out


def colour_of(node, number: float | None) -> str:
    green, red = node.green, node.red
    if node.value_type in ("yes_no", "stage") and green is None:
        green, red = node.scale_max(), 0.0
    if number is None or green is None or red is None:
        return "grey"
    code = int(indicator_colour_codes(np.array([number]), green, red, node.direction)[0])
    return "grey" if code < 0 else str(COLOURS[code])


def value_flags(node, group: str, number, previous, spread, jump_pct, jump_sd) -> list[str]:
    flags = []
    if number is not None and previous is not None and previous != 0:
        pct = (number - previous) / abs(previous) * 100
        if abs(pct) > jump_pct:
            flags.append(_("jump of %(pct)s%% since the previous cycle")
                         % {"pct": format_number(round(pct, 1))})
    if number is not None and previous is not None and group == "total" and spread:
        med, sd = spread
        if sd > 0 and abs((number - previous) - med) > jump_sd * sd:
            flags.append(_("change far from other cities' (more than %(k)s robust SDs)")
                         % {"k": format_number(jump_sd)})
    lower, optimum = node.goalposts()
    if (number is not None and node.value_type in QUANTITATIVE and lower is not None
            and optimum is not None):
        lo, hi = sorted((lower, optimum))
        if number < lo or number > hi:
            flags.append(_("outside the goalposts (%(lo)s to %(hi)s)")
                         % {"lo": format_number(lo), "hi": format_number(hi)})
    return flags


def review_blocks(submission: Submission, fw, lang: str, jump_pct: float, jump_sd: float,
                  comments, previous=False, spread_key: str | None = None
                  ) -> tuple[list[dict], Submission | None]:
    """Per indicator (framework order): its rows (value, previous, change, flags), colour and
    comments; indicators without any value have no rows. ``previous``: the submission compared
    with when already known (None: none), else looked up; ``spread_key`` when known."""
    if previous is False:
        previous = previous_submission(submission)
    # No order (Value's default orders by submission, joining cycle and city to sort them).
    before = ({(v.indicator, v.group): v for v in previous.values.order_by()} if previous
              else {})
    spread = robust_spread(submission, previous, spread_key)
    mine = defaultdict(list)
    for v in submission.values.order_by():
        mine[v.indicator].append(v)
    blocks = []
    for code in fw.indicator_codes:
        node = fw.node(code)
        rows = [_row(node, v, before.get((code, v.group)), spread.get(code), fw, lang,
                     jump_pct, jump_sd)
                for v in sorted(mine.get(code, []), key=lambda v: (v.group != "total", v.group))]
        total = next((v for v in mine.get(code, []) if v.group == "total"), None)
        blocks.append({"code": code, "label": node.label(lang), "type": node.value_type,
                       "unit": node.unit_label(lang) or "", "rows": rows,
                       "colour": colour_of(node, total.value_number if total else None),
                       "flagged": any(r["flags"] for r in rows),
                       "comments": [c for c in comments if c.indicator == code]})
    return blocks, previous


def _row(node, v, prev, spread, fw, lang, jump_pct, jump_sd) -> dict:
    number = v.value_number
    p = prev.value_number if prev is not None else None
    change = number - p if number is not None and p is not None else None
    pct = change / abs(p) * 100 if change is not None and p else None
    return {
        "indicator": node.code, "group": v.group, "group_label": group_label(v.group, fw, lang),
        "value": number, "text": v.value_text or None, "shown": shown_value(
            node, number, v.value_text, lang, numbered=True), "source": v.source, "note": v.note,
        "flag": v.flag, "flag_label": flag_label(v.flag), "evidence_url": v.evidence_url,
        "version": v.version,
        "has_file": bool(v.evidence_file), "pk": v.pk,
        "previous": p,
        "previous_shown": shown_value(node, p, prev.value_text, lang, numbered=True)
        if prev is not None else "",
        "change": change, "pct_change": round(pct, 2) if pct is not None else None,
        "change_shown": format_number(round(change, 6)) if change is not None else "",
        "pct_shown": format_number(round(pct, 1)) if pct is not None else "",
        "flags": value_flags(node, v.group, number, p, spread, jump_pct, jump_sd),
    }

