"""``/results/indicators/<code>/``: one indicator across the network, and what cities did.

The page shows the indicator's definition (from the run's framework), every city's value in the
run's period, and the cities whose value improved since the previous compared period (the
run's trends: ``change = direction * (value - previous_value)`` > 0), ranked by that change
(largest first; ties by the Gwangju improvement rate, then by city code). Each improving city
comes with its *published* good practices that address the indicator, else its sub-theme,
else its theme (exact codes of the practice record; the closest match is listed first).

The run is the one every results page shows (:func:`.access.chosen_run`: ``?run=``,
``?cycle=`` or the latest run of the most recent published cycle); anonymous visitors see only
published runs and published practices. Twins: ``.json`` (definition, rows, improved cities
with their practices) and ``.csv`` (one row per city).
"""

from __future__ import annotations

import math

from django.apps import apps
from django.http import Http404
from django.urls import NoReverseMatch, reverse
from django.utils.translation import get_language

from ..frameworks.labels import kind_label, value_type_label
from ..twins import respond
from .access import chosen_run
from .services import load_result, read_table
from .tables import clean

COLUMNS = ["unit", "name", "period", "value", "display", "colour", "score", "previous_period",
           "previous_value", "change", "improvement_rate", "improved", "improvement_rank",
           "practices"]
MATCH_ORDER = {"indicator": 0, "sub_theme": 1, "theme": 2}


def _lang() -> str:
    return "ko" if (get_language() or "en").startswith("ko") else "en"


def definition(fw, code: str, lang: str) -> dict:
    """The indicator's metadata as the framework defines it, with its theme path."""
    node = fw.node(code)
    path = [a for a in reversed(fw.ancestors(code)) if fw.depth(a) >= 1]
    return {"code": code, "label": node.label(lang),
            "definition": node.definitions.get(lang) or node.definitions.get("en", ""),
            "rationale": node.rationale.get(lang) or node.rationale.get("en", ""),
            "kind": node.kind, "value_type": node.value_type,
            "kind_label": kind_label(node.kind),
            "value_type_label": value_type_label(node.value_type),
            "unit": "" if node.value_type in ("yes_no", "stage", "text") else (
                node.unit_label(lang) or ""),
            "direction": node.direction, "green": node.green, "red": node.red,
            "formula": node.formula or "", "sources": list(node.sources),
            "path": [{"code": a, "label": fw.node(a).label(lang), "depth": fw.depth(a)}
                     for a in path]}


def city_rows(run, result, code: str, lang: str) -> list[dict]:
    """One row per city of the run: its value in the run's period and its change."""
    from rightsmarker.charts.tables import format_value

    node = result.framework.node(code)
    dash = result.dashboard
    dash = dash[(dash["node"] == code) & (dash["period"] == run.period)]
    trends = result.trends
    if len(trends) and "change" in trends.columns:
        trends = trends[(trends["indicator"] == code) & (trends["period"] == run.period)]
        trend_of = {str(r["unit"]): r for r in trends.to_dict("records")}
    else:
        trend_of = {}
    units = read_table(run, "units")
    names = dict(zip(units["unit"].astype(str),
                     units["name_ko" if lang == "ko" else "name_en"], strict=True))
    rows = []
    for r in dash.to_dict("records"):
        unit, t = str(r["unit"]), trend_of.get(str(r["unit"]), {})
        change = clean(t.get("change"))
        value = clean(r["value"])
        rows.append({"unit": unit, "name": names.get(unit, unit), "period": run.period,
                     "value": value, "display": format_value(node, value if value is not None
                                                             else math.nan, lang),
                     "colour": str(r["colour"]), "score": clean(r["score"]),
                     "previous_period": clean(t.get("previous_period")),
                     "previous_value": clean(t.get("previous_value")), "change": change,
                     "improvement_rate": clean(t.get("improvement_rate")),
                     "improved": change is not None and change > 0,
                     "improvement_rank": None, "practices": ""})
    return rows


def rank_improvements(rows: list[dict]) -> list[dict]:
    """The improved rows, largest change first (then improvement rate, then city code);
    sets each one's ``improvement_rank`` (1 = most improved)."""
    improved = sorted((r for r in rows if r["improved"]),
                      key=lambda r: (-r["change"], -(r["improvement_rate"] or 0.0), r["unit"]))
    for rank, row in enumerate(improved, start=1):
        row["improvement_rank"] = rank
    return improved


def practices_for(fw, code: str, units: list[str]) -> dict[str, list[dict]]:
    """Per city, its published practices addressing the indicator, its sub-theme or its theme
    (exact codes), closest match first; empty when the practices app is not installed."""
    if not units or not apps.is_installed("rightsmarker.web.practices"):
        return {}
    from ..practices.models import PracticeRecord

    up = fw.ancestors(code)
    wanted = {"indicator": {code},
              "sub_theme": {a for a in up if fw.depth(a) == 2},
              "theme": {a for a in up if fw.depth(a) == 1}}
    fields = {"indicator": "indicators", "sub_theme": "sub_themes", "theme": "themes"}
    found: dict[str, list[dict]] = {}
    records = (PracticeRecord.objects.filter(status="published", city__code__in=units)
               .select_related("city").order_by("code"))
    for record in records:
        data = record.data or {}
        match = next((kind for kind in MATCH_ORDER
                      if wanted[kind] & set(data.get(fields[kind]) or [])), None)
        if match is None:
            continue
        found.setdefault(record.city.code, []).append(
            {"id": record.code, "title": record.title, "match": match,
             "url": practice_url(record.pk)})
    for items in found.values():
        items.sort(key=lambda p: (MATCH_ORDER[p["match"]], p["id"]))
    return found


def practice_url(pk: int) -> str:
    try:
        return reverse("practices:detail", kwargs={"pk": pk, "fmt": "/"})
    except NoReverseMatch:
        return ""


def indicator_page(request, code: str, fmt: str):
    """``/results/indicators/<code>/`` and its twins."""
    run = chosen_run(request.user, request.GET.get("cycle") or None,
                     request.GET.get("run") or None)
    result = load_result(run)
    fw = result.framework
    if code not in fw or not fw.node(code).is_indicator:
        raise Http404
    lang = _lang()
    rows = city_rows(run, result, code, lang)
    improved = rank_improvements(rows)
    practices = practices_for(fw, code, [r["unit"] for r in improved])
    for row in improved:
        row["practices"] = "; ".join(p["id"] for p in practices.get(row["unit"], []))
    rows.sort(key=lambda r: (r["improvement_rank"] or math.inf, r["unit"]))
    about = definition(fw, code, lang)
    data = {"run": run.as_dict(), "period": run.period, "indicator": about,
            "columns": COLUMNS, "rows": rows,
            "improved": [r | {"practices": practices.get(r["unit"], [])} for r in improved]}
    context = {}
    if fmt == "/":
        context = {"run": run, "indicator": about, "rows": rows,
                   "improved": data["improved"], "query": request.GET.urlencode()}
    return respond(request, fmt, "results/indicator.html", context, data=data, rows=rows,
                   columns=COLUMNS, filename=f"indicator-{code}-{run.period}")
