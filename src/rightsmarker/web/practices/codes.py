"""The framework codes a practice may address: those of its city's current reporting cycle.

A city's current framework is the framework version of the latest cycle (by year) the city has
a submission in; without one, the latest cycle's; without any cycle, the bundled
``social-inclusion-marker``. The editor offers that framework's sub-themes and indicators
(grouped by their theme); the codes accepted on save are that framework's plus the bundled
framework's (the network's shared vocabulary, which imports and the API use).
"""

from __future__ import annotations

from functools import lru_cache

from django.utils.translation import get_language

from rightsmarker.practices.model import framework_codes


def city_framework(city):
    """The library Framework of the city's current cycle (bundled when there is none)."""
    from ..reporting.models import Cycle

    cycles = Cycle.objects.select_related("framework_version").order_by("-year", "-created_at")
    cycle = (cycles.filter(submissions__city=city).first() if city is not None else None) \
        or cycles.first()
    if cycle is None:
        return bundled_framework()
    return cycle.framework_version.as_framework()


@lru_cache(maxsize=1)
def bundled_framework():
    """The bundled framework, loaded once per process."""
    from rightsmarker.framework.io import load_framework

    return load_framework("social-inclusion-marker")


def known_codes(city) -> dict[str, set[str]]:
    """Codes accepted for a practice of ``city``: its current framework's and the bundled ones."""
    mine, shared = framework_codes(city_framework(city)), framework_codes()
    return {kind: mine[kind] | shared[kind] for kind in shared}


def _lang() -> str:
    return "ko" if (get_language() or "en").startswith("ko") else "en"


def code_choices(fw, kind: str, stored=()) -> list:
    """Grouped choices ``[(theme label, [(code, "code label"), ...]), ...]`` of the framework's
    sub-themes (``kind="sub_themes"``) or indicators; stored codes the framework lacks are kept
    in a last group so editing never drops them silently."""
    lang, codes = _lang(), framework_codes(fw)[kind]
    groups: dict[str, list] = {}
    for node in fw.nodes:
        if node.code not in codes:
            continue
        theme = next((a for a in reversed(fw.ancestors(node.code)) if fw.depth(a) == 1),
                     node.code)
        heading = f"{theme} {fw.node(theme).label(lang)}"
        groups.setdefault(heading, []).append((node.code, f"{node.code} {node.label(lang)}"))
    choices = list(groups.items())
    others = [c for c in stored if c not in codes]
    if others:
        choices.append(("—", [(c, c) for c in others]))
    return choices


def code_labels(fw, codes) -> list[tuple[str, str]]:
    """(code, label in the current language) of each code; a code the framework lacks keeps
    itself as its label."""
    lang = _lang()
    return [(c, fw.node(c).label(lang) if c in fw else c) for c in codes]


def group_labels(codes, fw=None) -> list[tuple[str, str]]:
    """(code, label in the current language) of each group code (``migrants`` -> ``Migrants``
    / ``이주민``), from ``fw``'s groups and the bundled vocabulary; an unknown code keeps
    itself as its label."""
    lang = _lang()
    known = {g.code: g for g in bundled_framework().groups}
    known.update({g.code: g for g in (getattr(fw, "groups", None) or [])})
    return [(c, known[c].label(lang) if c in known else c) for c in codes]


def theme_labels(codes, fw=None) -> list[tuple[str, str]]:
    """(code, label in the current language) of each theme code, from ``fw`` else the bundled
    framework (``SPA`` -> ``Spatial inclusion``)."""
    out = []
    for code, label in code_labels(bundled_framework(), codes):
        if fw is not None and code in fw:
            label = fw.node(code).label(_lang())
        out.append((code, label))
    return out
