"""Alerts as sentences in the page's language: the city's name, the indicator's label and the
group's label instead of codes (the library's ``message`` is English with codes, for the CLI).

The numbers are those of :func:`rightsmarker.gaps.gap_alerts` with relative thresholds (the pages
use no other): ``measure`` is how much the value worsened, as a share of its previous value, or
how much the gap grew, as a share of the reference group's value; ``severity`` is ``measure``
divided by the alert threshold (the same kind of share). So a gap that grew by 29.2% of the
reference value against a threshold of 5% reads "5.8 × the alert threshold (5%)".
"""

from __future__ import annotations

import math

from django.utils.translation import gettext as _

from rightsmarker.charts.groups import group_label


def number(value) -> str:
    """A value as the library's messages write it (4 significant digits; ``–`` when missing)."""
    if value is None or (isinstance(value, float) and math.isnan(value)):
        return "–"
    return f"{float(value):.4g}"


def percent(share) -> str:
    """0.292 -> ``29.2%``, 0.05 -> ``5%``."""
    if share is None or (isinstance(share, float) and math.isnan(share)):
        return "–"
    return f"{100 * float(share):.1f}".rstrip("0").rstrip(".") + "%"


def year(value) -> str:
    return "–" if value is None else f"{float(value):.0f}"


def group_text(group: str, fw, lang: str) -> str:
    """The group's label in ``lang``: ``Total`` / ``전체``, a framework group's name (``Women``),
    else each part as ``<ground label>: <value>`` (``Migration status: migrant``)."""
    if not group or group == "total":
        return _("Total")
    return group_label(group, fw, lang)


def localize(alert: dict, city_name: str, indicator_label: str, fw, lang: str) -> dict:
    """The alert row with ``group_label``, ``severity_text`` and ``message`` in ``lang``."""
    group = group_text(alert["group"], fw, lang)
    severity = _("%(severity)s × the alert threshold (%(threshold)s)") % {
        "severity": f"{alert['severity']:.1f}", "threshold": percent(alert["threshold"])}
    values = {"city": city_name, "indicator": indicator_label, "group": group,
              "then": year(alert.get("previous_period")), "now": year(alert["period"]),
              "share": percent(alert["measure"])}
    if alert["reason"] == "value_worsened":
        text = _("%(city)s, %(indicator)s, %(group)s: worsened from %(before)s (%(then)s) to "
                 "%(after)s (%(now)s), %(share)s worse than before.") % {
            **values, "before": number(alert.get("previous_value")),
            "after": number(alert["value"])}
    else:
        reference = group_text(alert.get("reference_group") or "total", fw, lang)
        text = _("%(city)s, %(indicator)s, %(group)s: the gap to %(reference)s widened from "
                 "%(before)s (%(then)s) to %(after)s (%(now)s), by %(change)s, that is %(share)s "
                 "of the value of %(reference)s (%(reference_value)s).") % {
            **values, "reference": reference, "before": number(alert.get("previous_gap")),
            "after": number(alert["gap"]), "change": number(alert.get("gap_change")),
            "reference_value": number(alert.get("reference_value"))}
    significant = alert.get("significant")
    if significant is not None:
        text += " " + (_("The change is statistically significant.") if significant
                       else _("The change is not statistically significant."))
    return {**alert, "group_label": group, "severity_text": severity, "message": text}
