"""District maps: GeoJSON checks, unmatched ids named both ways, offline choropleths."""

from __future__ import annotations

import json
from pathlib import Path

import numpy as np
import pandas as pd
import pytest

from rightsmarker import maps
from rightsmarker.charts import COLOURS, to_html
from rightsmarker.errors import ValidationError

VIENNA = Path(__file__).resolve().parents[1] / ".." / "shared" / "data" / "geo" / \
    "click_that_hood_vienna.geojson"


def _demo_values(gj, colours=("green", "yellow", "orange", "red")):
    ids = [f["properties"]["district"] for f in gj["features"]]
    return pd.DataFrame({"unit": ids, "score": np.linspace(20, 90, len(ids)),
                         "colour": [colours[i % len(colours)] for i in range(len(ids))]})


def test_demo_districts_are_fictional_closed_polygons_deterministic_per_city():
    gj = maps.demo_districts("aranvale", 7)
    assert gj["type"] == "FeatureCollection" and len(gj["features"]) == 7
    assert gj == maps.demo_districts("aranvale", 7)
    assert gj != maps.demo_districts("bellmora", 7)
    for f in gj["features"]:
        ring = f["geometry"]["coordinates"][0]
        assert ring[0] == ring[-1] and len(ring) == 5
        assert f["properties"]["fictional"] is True
    assert maps.check_geojson(gj, "district").ids[0] == "aranvale-01"


def test_a_district_map_of_the_demo_city_uses_dashboard_colours_without_a_base_map():
    gj = maps.demo_districts("aranvale", 12)
    fig = maps.district_map(gj, _demo_values(gj), "district", "score", colour_column="colour")
    assert [t.name for t in fig.data] == ["green", "yellow", "orange", "red"]
    assert fig.data[0].colorscale[0][1] == COLOURS["green"]
    assert fig.layout.geo.fitbounds == "locations" and fig.layout.geo.visible is False
    assert fig.data[0].featureidkey == "properties.district"


def test_map_validation_errors_name_the_unmatched_ids_both_ways():
    gj = maps.demo_districts("aranvale", 4)
    values = pd.DataFrame({"unit": ["aranvale-01", "aranvale-02", "atlantis-09"],
                           "score": [1.0, 2.0, 3.0]})
    with pytest.raises(ValidationError) as err:
        maps.district_map(gj, values, "district", "score")
    assert "atlantis-09" in str(err.value)
    assert "aranvale-03" in err.value.hint and "aranvale-04" in err.value.hint
    check = maps.check_geojson(gj, "district", values["unit"])
    assert check.units_without_district == ["atlantis-09"]
    assert check.districts_without_data == ["aranvale-03", "aranvale-04"]
    fig = maps.district_map(gj, values, "district", "score", strict=False)
    assert fig.data[0].name == "no data" and list(fig.data[0].locations) == [
        "aranvale-03", "aranvale-04"]


def test_it_rejects_boundaries_that_are_not_a_feature_collection_or_lack_the_id():
    with pytest.raises(ValidationError, match="FeatureCollection"):
        maps.check_geojson({"type": "Feature"}, "name")
    gj = maps.demo_districts("x", 3)
    del gj["features"][1]["properties"]["district"]
    gj["features"][2]["properties"]["district"] = "x-01"
    with pytest.raises(ValidationError) as err:
        maps.check_geojson(gj, "district")
    text = str(err.value)
    assert "feature 1 has no 'district' property" in text and "duplicate district id 'x-01'" in text


def test_rewind_makes_exterior_rings_clockwise_for_plotly():
    gj = maps.demo_districts("x", 2)  # written counter-clockwise, as RFC 7946 asks
    ring = maps.rewind(gj)["features"][0]["geometry"]["coordinates"][0]
    assert maps._signed_area(ring) < 0 < maps._signed_area(gj["features"][0]["geometry"]
                                                             ["coordinates"][0])


def test_map_html_draws_offline_with_an_empty_world_outline():
    gj = maps.demo_districts("aranvale", 4)
    html = to_html(maps.district_map(gj, _demo_values(gj), "district", "score"))
    assert "PlotlyGeoAssets.topojson[\"world_110m\"]" in html
    assert "cdn.plot.ly" not in html


@pytest.mark.skipif(not VIENNA.exists(), reason="shared data not present")
def test_a_district_map_of_vienna_with_synthetic_values():
    gj = json.loads(VIENNA.read_text(encoding="utf-8"))
    names = [f["properties"]["name"] for f in gj["features"]]
    values = pd.DataFrame({"unit": names[:-1], "period": 2025,
                           "value": np.linspace(5, 30, len(names) - 1)})
    values = pd.concat([values, values.assign(period=2024, value=0.0)])
    fig = maps.district_map(VIENNA, values, "name", "value", label="synthetic")
    assert fig.layout.meta["districts_without_data"] == [names[-1]]
    main = fig.data[-1]
    assert list(main.locations) == names[:-1] and min(main.z) == 5  # the latest period
    assert main.featureidkey == "properties.name"
