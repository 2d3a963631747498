"""A city against chosen peers (rank intervals with uncertainty), and its district map."""

from __future__ import annotations

import pandas as pd
from django.http import Http404
from django.utils.translation import gettext as _

from ..network.access import get_city_for_user
from ..twins import respond
from .access import chosen_run
from .pages import chart, common, lang, no_scores_message, run_query
from .services import load_result, read_table, scored_units, uncertainty_tables
from .tables import clean_rows, label_of

COMPARE_COLUMNS = ["unit", "name", "node", "node_label", "score", "rank", "q05", "median", "q95"]
MAX_PEERS = 8
ID_PROPERTIES = ("district", "id", "code", "name")


def city_and_run(request, code):
    city, _ = get_city_for_user(request.user, code)
    run = chosen_run(request.user, *run_query(request))
    units = read_table(run, "units")
    if city.code not in set(units["unit"]):
        raise Http404
    return city, run, units


def default_peers(units, code: str) -> list[str]:
    """Cities of the same peer group (else all), the city itself left out."""
    row = units[units["unit"] == code].iloc[0]
    same = units[(units["peer_group"] == row["peer_group"]) & (units["unit"] != code)]
    pool = same if row["peer_group"] and not same.empty else units[units["unit"] != code]
    return list(pool["unit"])[:MAX_PEERS]


def comparison(request, code, fmt):
    """``/results/city/<code>/compare/?peers=a&peers=b``: the city and its peers by theme."""
    from rightsmarker import charts

    city, run, units = city_and_run(request, code)
    known = set(units["unit"])
    peers = [p for p in request.GET.getlist("peers") if p in known and p != city.code]
    peers = peers[:MAX_PEERS] or default_peers(units, city.code)
    result, language = load_result(run), lang()
    ua = uncertainty_tables(run)
    stats = ua["rank_stats"] if ua else None
    frame = charts.comparison_frame(result, city.code, peers, run.period, rank_stats=stats)
    names = dict(zip(units["unit"], units["name_ko" if language == "ko" else "name_en"],
                     strict=True))
    frame["name"] = frame["unit"].map(names)
    frame["node_label"] = [label_of(result.framework, n, language) for n in frame["node"]]
    rows = clean_rows(frame, COMPARE_COLUMNS)
    data = {"run": run.as_dict(), "city": city.code, "peers": peers, "period": run.period,
            "columns": COMPARE_COLUMNS, "rows": rows}
    if city.code not in scored_units(run):  # values of earlier cycles only
        data["message"] = no_scores_message(city, run)
    context = {}
    if fmt == "/":
        fig = charts.comparison(result, city.code, peers, run.period, rank_stats=stats,
                                lang=language, title="")
        context = {**data, **common(run), "city": city, "figure": chart(fig),
                   "choices": sorted((n, u) for u, n in names.items() if u != city.code)}
    return respond(request, fmt, "results/compare.html", context, data=data, rows=rows,
                   columns=COMPARE_COLUMNS, filename=f"compare-{city.code}-{run.period}")


def city_districts(run, code: str) -> pd.DataFrame:
    """The city's values by district (groups ``district=<id>``) in the run's period."""
    if not (run.folder / "districts.parquet").exists():
        return pd.DataFrame(columns=["unit", "period", "indicator", "group", "value"])
    obs = read_table(run, "districts")
    return obs[(obs["unit"] == code) & (obs["period"] == run.period)
               & obs["group"].str.startswith("district=")]


def district_values(run, code: str, indicator: str):
    """Values of ``indicator`` by district, the district's id as ``unit``."""
    sub = city_districts(run, code)
    sub = sub[sub["indicator"] == indicator]
    out = sub.assign(unit=sub["group"].str.slice(len("district=")))
    return out[["unit", "period", "value"]]


def district_indicators(run, code: str) -> list[str]:
    """The indicators with values by district for the city in the run's period."""
    sub = city_districts(run, code)
    return list(dict.fromkeys(sub.loc[sub["value"].notna(), "indicator"]))


def id_property(geojson) -> str | None:
    features = (geojson or {}).get("features") or []
    for name in ID_PROPERTIES:
        if features and all(name in (f.get("properties") or {}) for f in features):
            return name
    return None


def district_map(request, code):
    """``/results/city/<code>/map/?indicator=``: the city's districts from its GeoJSON."""
    from rightsmarker import maps

    city, run, _units = city_and_run(request, code)
    result = load_result(run)
    indicators = [n.code for n in result.framework.indicators]
    having = set(district_indicators(run, city.code))
    with_data = [c for c in indicators if c in having]
    # Without a choice, the first indicator that has values by district (else the first).
    indicator = request.GET.get("indicator") or (with_data or indicators or [""])[0]
    if indicator not in indicators:
        raise Http404
    context = {**common(run), "city": city, "indicator": indicator, "figure": None,
               "indicators": [(c, label_of(result.framework, c, lang())) for c in indicators]}
    prop = id_property(city.geojson)
    if prop is None:
        context["note"] = _("This city has no district boundaries (GeoJSON) yet.")
        return respond(request, "/", "results/map.html", context, data={})
    values = district_values(run, city.code, indicator)
    if values.empty:
        context["note"] = _("No district-level values for this indicator in this cycle: the "
                            "districts are drawn without data.")
    fig = maps.district_map(city.geojson, values, prop, "value", period=run.period,
                            strict=False, lang=lang(),
                            label=label_of(result.framework, indicator, lang()))
    context["figure"] = chart(fig)
    return respond(request, "/", "results/map.html", context, data={})
