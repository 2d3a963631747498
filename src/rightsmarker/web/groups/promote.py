"""Promoting a discovered group: its mapping to the framework's grounds, proposed and checked.

The proposal is :func:`rightsmarker.gaps.map_group` with the framework of the latest reporting
cycle and, for the spelling of open-ground values, the groups the city's (else every city's)
reported values use. The stored definition is the canonical ``ground=value;...`` string the
observations use, so the city's gap page finds the group's values in later cycles.
"""

from __future__ import annotations

from django.utils.translation import get_language
from django.utils.translation import gettext_lazy as _

from rightsmarker.gaps.mapping import GroupMapping, map_group, mapped_group

from ..reporting.models import Cycle, Value

HOW = {
    "code": _("column named as the ground"),
    "label": _("column named as the ground's label"),
    "synonym": _("column name is a synonym of the ground"),
    "exact": _("value of the ground"),
    "band": _("numeric bin equal to an age band"),
    "open": _("the ground takes any value"),
    "edited": _("as edited"),
}


def how_text(how: str) -> list[str]:
    """``code/exact`` -> the two explanations, translated (see ``map_group``)."""
    ground, _sep, value = how.partition("/")
    value = _("value is a synonym") if value == "synonym" else HOW.get(value)
    return [str(t) for t in (HOW.get(ground), value) if t]


def current_framework():
    """The framework of the latest reporting cycle (None: the default vocabulary)."""
    cycle = (Cycle.objects.select_related("framework_version")
             .order_by("-year", "-created_at").first())
    return cycle.framework_version.as_framework() if cycle else None


def known_groups(city=None) -> list[str]:
    values = Value.objects.exclude(group="total")
    if city is not None and values.filter(submission__city=city).exists():
        values = values.filter(submission__city=city)
    return list(values.values_list("group", flat=True).distinct()[:2000])


def propose(definition: str, city=None, framework=None) -> GroupMapping:
    return map_group(definition, framework, known_groups=known_groups(city))


def check(definition: str, choices, framework=None) -> GroupMapping:
    return mapped_group(definition, choices, framework)


def ground_options(framework) -> list[dict]:
    """``[{"code", "label", "values"}]`` of the framework's grounds (defaults if None)."""
    from rightsmarker.framework.vocabulary import DEFAULT_GROUNDS

    lang = "ko" if (get_language() or "en").startswith("ko") else "en"
    grounds = list(framework.grounds) if framework is not None else list(DEFAULT_GROUNDS)
    return [{"code": g.code, "label": g.label(lang),
             "values": list(g.values)} for g in grounds]


def group_label(mapping: GroupMapping, framework) -> str:
    """The vocabulary group's label when the mapping is one (``Women``), else ''."""
    if not mapping.group_code:
        return ""
    from rightsmarker.framework.vocabulary import DEFAULT_GROUPS

    lang = "ko" if (get_language() or "en").startswith("ko") else "en"
    groups = list(framework.groups) if framework is not None else list(DEFAULT_GROUPS)
    for group in groups:
        if group.code == mapping.group_code:
            return group.label(lang)
    return ""
