"""The search form's option lists, rendered in Python (a template loop over 200 cities and 70
codes cost more than the search itself): the filter ``<option>`` elements with the chosen ones
selected, escaped with :func:`django.utils.html.escape`."""

from __future__ import annotations

from django.utils.html import escape
from django.utils.safestring import SafeString, mark_safe
from django.utils.translation import get_language
from django.utils.translation import gettext as _

from ..network.models import City
from .codes import city_framework, code_choices, group_labels, theme_labels

THEMES = ("SPA", "SOC", "CUL", "ECO", "POL")


def _lang() -> str:
    return "ko" if (get_language() or "en").startswith("ko") else "en"


def options(items, chosen) -> SafeString:
    """``<option>`` elements of ``(value, text)`` pairs, or ``(heading, [pairs])`` groups."""
    chosen = set(chosen or [])
    out = []
    for value, text in items:
        if isinstance(text, list):
            out.append(f'<optgroup label="{escape(value)}">{options(text, chosen)}</optgroup>')
        else:
            selected = " selected" if value in chosen else ""
            out.append(f'<option value="{escape(value)}"{selected}>{escape(text)}</option>')
    return mark_safe("".join(out))  # noqa: S308 - every value and text escaped above


_CODE_ITEMS: dict[tuple, list] = {}


def theme_items() -> list:
    """Themes, then the current framework's sub-themes and indicators (a practice tagged
    ``SPA.1.P1`` is found by ``SPA.1.P1``, ``SPA.1`` and ``SPA``); built once per framework
    and language."""
    fw = city_framework(None)
    key = (id(fw), fw.code, fw.version, _lang())
    if key not in _CODE_ITEMS:
        if len(_CODE_ITEMS) > 32:
            _CODE_ITEMS.clear()
        _CODE_ITEMS[key] = [(c, f"{c} {label}") for c, label in theme_labels(THEMES, fw)] + [
            (_("Sub-themes"), [c for _g, grp in code_choices(fw, "sub_themes") for c in grp]),
            (_("Indicators"), [c for _g, grp in code_choices(fw, "indicators") for c in grp])]
    return _CODE_ITEMS[key]


def form_options(chosen: dict, groups: list[str]) -> dict[str, SafeString]:
    """The option lists of the theme, group, city and region filters."""
    lang = _lang()
    cities = list(City.objects.order_by("code").values_list("code", "name_en", "name_ko",
                                                            "region"))
    return {"theme": options(theme_items(), chosen["theme"]),
            "group": options(group_labels(groups), chosen["group"]),
            "city": options([(c, (ko if lang == "ko" and ko else en)) for c, en, ko, _r in cities],
                            chosen["city"]),
            "region": options([(r, r) for r in sorted({r for *_x, r in cities if r})],
                              chosen["region"])}
