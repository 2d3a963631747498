"""District maps: Plotly choropleths drawn from a city's GeoJSON boundaries, offline.

A unit of the observations may be a district of a city; a map joins the district values to
the GeoJSON features by one property (``id_property``, e.g. ``name``). The map has no tile
server and no base map (``geo.visible = False``): only the districts are drawn, zoomed to
them (``fitbounds = "locations"``). Boundaries are checked first: a FeatureCollection of
(Multi)Polygons, each with the id property, ids unique, and every unit of the data matched
by a district (districts without data are drawn grey and listed).

:func:`demo_districts` makes FICTIONAL district polygons (a jittered grid near 0°N 0°E), so
a demonstration implies nothing about a real place.
"""

from __future__ import annotations

import copy
import json
import zlib
from dataclasses import dataclass, field
from pathlib import Path

import numpy as np
import pandas as pd

from .charts._common import COLOURS, base_layout, colour_label, figure, go, text
from .errors import Problem, ValidationError

POLYGONS = ("Polygon", "MultiPolygon")


@dataclass
class GeoCheck:
    """What :func:`check_geojson` found: the district ids in feature order, the units of the
    data without a district and the districts without data."""

    ids: list[str]
    units_without_district: list[str] = field(default_factory=list)
    districts_without_data: list[str] = field(default_factory=list)

    @property
    def matched(self) -> bool:
        return not self.units_without_district


def read_geojson(source) -> dict:
    """A GeoJSON object from a dict, a JSON string or a path."""
    if isinstance(source, dict):
        return source
    if isinstance(source, str) and source.lstrip().startswith("{"):
        return json.loads(source)
    return json.loads(Path(source).read_text(encoding="utf-8"))


def check_geojson(geojson, id_property: str, units=None, *, file: str | None = None) -> GeoCheck:
    """Check the boundaries and match their ids against ``units`` (the data's unit codes).

    Raises :class:`~rightsmarker.errors.ValidationError` naming every problem: not a
    FeatureCollection, a feature that is not a (Multi)Polygon, a feature without
    ``id_property`` (with the properties it has), a duplicate id. Unmatched ids are returned
    both ways in the :class:`GeoCheck`, not raised (see :func:`district_map`'s ``strict``).
    """
    gj = read_geojson(geojson)
    if not isinstance(gj, dict) or gj.get("type") != "FeatureCollection":
        found = gj.get("type") if isinstance(gj, dict) else type(gj).__name__
        raise ValidationError("the boundaries are not a GeoJSON FeatureCollection", [Problem(
            "wrong GeoJSON type", file=file, column="type", value=found,
            expected="FeatureCollection")])
    problems, ids, seen = [], [], set()
    for i, feat in enumerate(gj.get("features") or []):
        geom = (feat.get("geometry") or {}).get("type")
        if geom not in POLYGONS:
            problems.append(Problem(f"feature {i} is not a polygon", file=file, row=i,
                                    column="geometry.type", value=geom,
                                    expected="Polygon or MultiPolygon"))
        props = feat.get("properties") or {}
        if props.get(id_property) in (None, ""):
            problems.append(Problem(
                f"feature {i} has no {id_property!r} property", file=file, row=i,
                column=f"properties.{id_property}", value=sorted(props)[:8] or None,
                expected=f"a {id_property!r} property naming the district"))
            continue
        key = str(props[id_property])
        if key in seen:
            problems.append(Problem(f"duplicate district id {key!r}", file=file, row=i,
                                    column=f"properties.{id_property}", value=key,
                                    expected="one feature per district"))
        seen.add(key)
        ids.append(key)
    if not gj.get("features"):
        problems.append(Problem("the FeatureCollection has no features", file=file))
    if problems:
        raise ValidationError("the district boundaries are not usable", problems)
    check = GeoCheck(ids=ids)
    if units is not None:
        wanted = list(dict.fromkeys(str(u) for u in units))
        check.units_without_district = [u for u in wanted if u not in seen]
        have = set(wanted)
        check.districts_without_data = [d for d in ids if d not in have]
    return check


def unmatched_error(check: GeoCheck, id_property: str) -> ValidationError:
    """The error for units of the data that no district matches, naming the ids both ways."""
    problems = [Problem(f"unit {u!r} has no district with {id_property} == {u!r}",
                        column="unit", value=u, expected="one of the district ids")
                for u in check.units_without_district]
    spare = check.districts_without_data
    hint = (f"districts without data: {', '.join(spare[:20])}"
            + (f" and {len(spare) - 20} more" if len(spare) > 20 else "")) if spare else None
    return ValidationError(
        f"{len(check.units_without_district)} unit(s) of the data have no district in the "
        f"boundaries (matched on properties.{id_property})", problems, hint=hint)


def rewind(geojson: dict) -> dict:
    """A copy with exterior rings clockwise and holes counter-clockwise, the orientation
    Plotly's spherical projection expects (RFC 7946 files use the opposite; without this a
    district may be drawn as the whole globe minus the district)."""
    gj = copy.deepcopy(geojson)
    for feat in gj["features"]:
        geom = feat["geometry"]
        polys = [geom["coordinates"]] if geom["type"] == "Polygon" else geom["coordinates"]
        for poly in polys:
            for k, ring in enumerate(poly):
                if (_signed_area(ring) > 0) == (k == 0):  # exterior CCW or hole CW
                    ring.reverse()
    return gj


def _signed_area(ring) -> float:
    xy = np.asarray(ring, dtype=float)[:, :2]
    x, y = xy[:, 0], xy[:, 1]
    return 0.5 * float(np.sum(x[:-1] * y[1:] - x[1:] * y[:-1]))


def _values_for(values_df: pd.DataFrame, unit_column: str, period) -> pd.DataFrame:
    df = values_df
    if "period" in df.columns and df["period"].nunique() > 1:
        df = df[df["period"] == (df["period"].max() if period is None else period)]
    return df.assign(**{unit_column: df[unit_column].astype(str)})


def district_map(geojson, values_df: pd.DataFrame, id_property: str, value_column: str, *,
                 unit_column: str = "unit", period=None, colour_column: str | None = None,
                 title: str | None = None, lang: str = "en", colorscale: str = "Viridis",
                 reversescale: bool = False, strict: bool = True, label: str | None = None):
    """A choropleth of ``value_column`` by district, without a base map or tiles.

    ``values_df`` has one row per district (``unit_column`` matching the features'
    ``properties[id_property]``); with a ``period`` column, the latest (or ``period``) is
    drawn. ``colour_column`` (dashboard colours, e.g. from ``result.dashboard``) colours the
    districts in the dashboard palette with a legend; otherwise a continuous ``colorscale``.
    Districts without data are grey. With ``strict`` (default), units of the data that no
    district matches raise a ValidationError naming them and the districts left without data.
    """
    gj = read_geojson(geojson)
    df = _values_for(values_df, unit_column, period)
    check = check_geojson(gj, id_property, df[unit_column])
    if strict and not check.matched:
        raise unmatched_error(check, id_property)
    gj = rewind(gj)
    df = df[df[unit_column].isin(set(check.ids))]
    key = f"properties.{id_property}"
    g = go()
    traces = []
    if check.districts_without_data:
        traces.append(_grey_trace(gj, key, check.districts_without_data, lang))
    if colour_column is None:
        traces.append(g.Choropleth(
            geojson=gj, featureidkey=key, locations=df[unit_column], z=df[value_column],
            colorscale=colorscale, reversescale=reversescale, marker_line_color="white",
            colorbar={"title": {"text": label or value_column}, "thickness": 14},
            hovertemplate="%{location}: %{z:.4g}<extra></extra>", name=label or value_column))
    else:
        for colour in ("green", "yellow", "orange", "red", "grey"):
            sub = df[df[colour_column] == colour]
            if len(sub):
                traces.append(_flat_trace(gj, key, sub[unit_column], COLOURS[colour],
                                          colour_label(colour, lang), sub[value_column]))
    heading = title if title is not None else (label or value_column)
    layout = base_layout(heading, height=520, width=640,
                         margin={"l": 10, "r": 10, "t": 60, "b": 10},
                         legend={"orientation": "h", "y": -0.02},
                         geo={"fitbounds": "locations", "visible": False,
                              "projection": {"type": "mercator"}},
                         meta={"kind": "district_map", "ids": check.ids,
                               "districts_without_data": check.districts_without_data})
    return figure(traces, layout)


def _flat_trace(gj, key, locations, colour: str, name: str, values=None):
    g = go()
    z = [0] * len(locations)
    return g.Choropleth(
        geojson=gj, featureidkey=key, locations=list(locations), z=z, name=name,
        colorscale=[[0, colour], [1, colour]], showscale=False, showlegend=True,
        marker_line_color="white", customdata=None if values is None else list(values),
        hovertemplate="%{location}" + ("" if values is None else ": %{customdata:.4g}")
                      + f" ({name})<extra></extra>")


def _grey_trace(gj, key, locations, lang: str):
    return _flat_trace(gj, key, locations, COLOURS["grey"], text("no_data", lang))


def demo_districts(city_code: str, n: int = 12, *, size_deg: float = 0.2) -> dict:
    """FICTIONAL district boundaries for a demo city: ``n`` quadrilaterals of a jittered grid
    near 0°N 0°E (open sea), deterministic for ``city_code``.

    Each feature has ``properties`` ``district`` (``<city_code>-01`` ...), ``name``
    (``District 1``), ``name_ko`` (``1구``) and ``fictional: true``.
    """
    if n < 1:
        raise ValueError("n must be at least 1")
    rng = np.random.default_rng(zlib.crc32(city_code.encode("utf-8")))
    rows = max(1, int(np.floor(np.sqrt(n))))
    cols = int(np.ceil(n / rows))
    step = size_deg / cols
    xs, ys = np.meshgrid(np.arange(cols + 1) * step, np.arange(rows + 1) * step)
    jitter = rng.uniform(-0.3, 0.3, (2, rows + 1, cols + 1)) * step
    jitter[:, [0, -1], :] = 0  # keep the outer edge straight
    jitter[:, :, [0, -1]] = 0
    xs, ys = xs + jitter[0], ys + jitter[1]
    features = []
    for k in range(n):
        r, c = divmod(k, cols)
        ring = [(r, c), (r + 1, c), (r + 1, c + 1), (r, c + 1), (r, c)]  # clockwise (x=c, y=r)
        coords = [[round(float(xs[i, j]), 6), round(float(ys[i, j]), 6)] for i, j in ring]
        features.append({
            "type": "Feature",
            "properties": {"district": f"{city_code}-{k + 1:02d}", "name": f"District {k + 1}",
                           "name_ko": f"{k + 1}구", "fictional": True},
            "geometry": {"type": "Polygon", "coordinates": [coords[::-1]]},  # RFC 7946: CCW
        })
    return {"type": "FeatureCollection", "features": features,
            "properties": {"fictional": True, "city": city_code}}
