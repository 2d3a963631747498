"""Chart builders: each figure builds from the fictional demo result with the expected
traces, colours and labels."""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest

import rightsmarker as rm
from rightsmarker import charts
from rightsmarker.charts.network import discrete_colorscale
from rightsmarker.demo import demo_data
from rightsmarker.errors import DataError


@pytest.fixture(scope="module")
def demo():
    fw = rm.load_framework("social-inclusion-marker")
    data = demo_data(n_cities=5, framework=fw)
    obs = rm.read_observations(data.observations, fw)
    result = rm.score(fw, obs, units=data.cities)
    return result, rm.gaps(obs, fw)


def _colour_of_code(fig, code: float) -> str:
    scale = fig.data[0].colorscale
    lo, hi = fig.data[0].zmin, fig.data[0].zmax
    pos = (code - lo) / (hi - lo)
    return next(c for (a, c), (b, _) in zip(scale[::2], scale[1::2], strict=True)
                if a <= pos <= b)


def test_heatmap_cell_colours_equal_the_dashboard_colours(demo):
    result, _ = demo
    fig = charts.heatmap(result)
    period = int(result.scores["period"].max())
    dash = result.dashboard[result.dashboard["period"] == period].set_index(["unit", "node"])
    units, nodes = fig.layout.meta["units"], fig.layout.meta["nodes"]
    assert len(units) == 5 and nodes[0] == "SIM"
    assert "Spatial<br>inclusion" in fig.data[0].x
    hexes = {v: k for k, v in charts.COLOURS.items()}
    for i, u in enumerate(units):
        for j, n in enumerate(nodes):
            expected = dash.loc[(u, n), "colour"]
            assert hexes[_colour_of_code(fig, fig.data[0].z[i][j])] == expected
            assert fig.data[0].customdata[i][j][0] == expected


def test_heatmap_rows_follow_the_index_rank_and_cells_show_scores(demo):
    result, _ = demo
    fig = charts.heatmap(result)
    period = int(result.scores["period"].max())
    top = result.scores[(result.scores["node"] == "SIM") & (result.scores["period"] == period)]
    assert fig.layout.meta["units"] == top.sort_values("rank")["unit"].tolist()
    best = top.sort_values("rank").iloc[0]
    assert fig.data[0].text[0][0] == f"{best['score']:.0f}"
    assert fig.data[0].y[0] == result.units.set_index("unit").loc[best["unit"], "name_en"]


def test_heatmap_speaks_korean_with_lang_ko(demo):
    result, _ = demo
    assert charts.heatmap(result).data[0].x[0] == "Social<br>Inclusion<br>Marker"
    fig = charts.heatmap(result, lang="ko")
    assert "공간 통합" in fig.data[0].x
    assert any("\uac00" <= ch <= "\ud7a3" for ch in fig.data[0].y[0])
    assert "도시별" in fig.layout.title.text


def test_the_discrete_colour_scale_has_one_step_per_colour():
    scale = discrete_colorscale()
    assert [c for _, c in scale[::2]] == [charts.COLOURS[n] for n in
                                          ("grey", "red", "orange", "yellow", "green")]


def test_profile_bars_are_coloured_by_the_dashboard_and_show_levels(demo):
    result, _ = demo
    unit = result.scores["unit"].iloc[0]
    fig = charts.profile_bars(result, unit)
    bar = fig.data[0]
    assert list(bar.y)[0] == "Social Inclusion Marker" and len(bar.y) == 6
    period = int(result.scores["period"].max())
    dash = result.dashboard[(result.dashboard["unit"] == unit)
                            & (result.dashboard["period"] == period)].set_index("node")
    assert list(bar.marker.color) == [charts.COLOURS[dash.loc[n, "colour"]]
                                      for n in fig.layout.meta["nodes"]]
    assert all(" · L" in t for t in bar.text)
    assert bar.error_x.array is None


def test_profile_bars_draw_score_intervals_from_score_stats(demo):
    result, _ = demo
    unit = result.scores["unit"].iloc[0]
    sc = result.scores[(result.scores["unit"] == unit) & (result.scores["level"] <= 1)]
    stats = sc.assign(q05=sc["score"] - 5, median=sc["score"], q95=sc["score"] + 3)
    fig = charts.profile_bars(result, unit, score_stats=stats, lang="ko")
    assert np.allclose(fig.data[0].error_x.array, 3) and np.allclose(
        fig.data[0].error_x.arrayminus, 5)
    assert fig.data[0].y[1] == "공간 통합"


def test_radar_closes_the_polygon_and_shows_the_network_median(demo):
    result, _ = demo
    unit = result.scores["unit"].iloc[0]
    fig = charts.radar(result, unit)
    city = fig.data[-1]
    assert len(city.r) == 6 and city.r[0] == city.r[-1] and city.theta[0] == city.theta[-1]
    assert fig.data[0].name == "network median"


def test_trend_lines_draw_the_index_and_themes_or_one_indicator_with_thresholds(demo):
    result, _ = demo
    unit = result.scores["unit"].iloc[0]
    fig = charts.trend_lines(result, unit)
    assert len(fig.data) == 6 and list(fig.data[0].x) == [2023, 2024, 2025]
    ind = next(i for i in result.framework.indicators if i.green is not None and i.unit)
    fig = charts.trend_lines(result, unit, ind.code, lang="ko")
    assert len(fig.data) == 1 and len(fig.layout.shapes) == 2
    assert "녹색 기준" in [a.text for a in fig.layout.annotations]


def test_indicator_table_lists_every_indicator_with_colour_arrow_and_change(demo):
    result, _ = demo
    unit = result.scores["unit"].iloc[0]
    table = charts.indicator_table(result, unit)
    assert len(table) == len(result.framework.indicators)
    assert set(table["colour"]) <= set(charts.COLOURS)
    assert table["symbol"].notna().all() and table["change"].notna().any()
    yes_no = table[table["unit"] == "yes/no"]
    assert set(yes_no["display"]) <= {"yes", "no", "–"}
    first = charts.indicator_table(result, unit, 2023, lang="ko")
    assert first["arrow"].isna().all() and first["theme_label"].iloc[0] == "공간 통합"


def test_group_gaps_show_every_group_against_the_total(demo):
    result, gaps = demo
    unit = result.scores["unit"].iloc[0]
    indicator = gaps.loc[gaps["unit"] == unit, "indicator"].iloc[0]
    fig = charts.group_gaps(gaps, unit, indicator, framework=result.framework)
    rows = gaps[(gaps["unit"] == unit) & (gaps["indicator"] == indicator)
                & (gaps["period"] == gaps["period"].max())]
    assert fig.layout.meta["groups"] == rows.sort_values(
        ["gap", "group"], ascending=[False, True])["group"].tolist()
    worse = [t for t in fig.data if t.name == "worse off than the total"]
    assert worse and worse[0].marker.color == charts.COLOURS["red"]
    assert len(fig.layout.shapes) == 1  # the total line
    assert fig.layout.shapes[0].x0 == pytest.approx(rows["reference_value"].iloc[0])
    labels = {y for t in fig.data for y in (t.y or [])}
    assert "Women" in labels or "Sex: female" in labels


def test_group_labels_use_the_framework_groups_and_grounds(demo):
    fw = demo[0].framework
    assert charts.group_label("sex=female", fw) == "Women"
    assert charts.group_label("sex=female", fw, "ko") == "여성"
    assert charts.group_label("sex=male;age=65+", fw) == "Sex: male · Age: 65+"


def test_comparison_shows_scores_without_and_rank_intervals_with_uncertainty(demo):
    result, _ = demo
    units = list(dict.fromkeys(result.scores["unit"]))
    fig = charts.comparison(result, units[0], units[1:3])
    assert [t.name for t in fig.data] == [
        result.units.set_index("unit").loc[u, "name_en"] for u in units[:3]]
    assert fig.layout.xaxis.title.text == "score (0-100)" and not fig.layout.meta["ranks"]
    sc = result.scores[result.scores["level"] <= 1]
    stats = sc.assign(q05=(sc["rank"] - 1).clip(lower=1), median=sc["rank"], q95=sc["rank"] + 2)
    fig = charts.comparison(result, units[0], units[1:3], rank_stats=stats, lang="ko")
    assert fig.layout.meta["ranks"] and fig.layout.xaxis.autorange == "reversed"
    assert np.allclose(fig.data[0].error_x.array, 2)
    assert "순위" in fig.layout.xaxis.title.text


def test_an_unknown_unit_is_a_clear_error(demo):
    with pytest.raises(DataError, match="no scores for unit 'atlantis'"):
        charts.profile_bars(demo[0], "atlantis")


def test_to_html_never_refers_to_a_cdn_and_inlines_or_links_plotly_js(demo):
    fig = charts.heatmap(demo[0])
    linked = charts.to_html(fig, include_js="local", js_src="/static/plotly.min.js")
    assert '<script src="/static/plotly.min.js"' in linked and "cdn" not in linked.lower()
    inline = charts.to_html(fig, include_js="inline", static=True)
    assert len(inline) > 3_000_000 and '<script src="http' not in inline
    assert charts.plotly_js_path().name == "plotly.min.js"
    assert charts.plotly_js_version().count(".") == 2
    assert isinstance(charts.indicator_table(demo[0], fig.layout.meta["units"][0]), pd.DataFrame)


def test_a_node_without_a_score_is_grey_in_the_heat_map_and_the_profile(tiny_framework):
    """B lacks its employment rate and each node needs 90 % of its children: its inclusion
    theme and index have no score, though their indicators have dashboard colours: the engine's
    dashboard and the charts both show them grey."""
    rows = [("A", 2024, "ordinance", "total", "yes"), ("A", 2024, "action-plan", "total", 3),
            ("A", 2024, "poverty-rate", "total", 12), ("A", 2024, "employment-rate", "total", 65),
            ("B", 2024, "ordinance", "total", "no"), ("B", 2024, "action-plan", "total", 1),
            ("B", 2024, "poverty-rate", "total", 30)]
    obs = rm.read_observations(pd.DataFrame(rows, columns=["unit", "period", "indicator",
                                                           "group", "value"]), tiny_framework)
    method = rm.load_method({"steps": [
        {"step": "normalise", "params": {"method": "goalposts"}},
        {"step": "aggregate", "params": {"method": "arithmetic", "min_coverage": 0.9}}]})
    result = rm.score(tiny_framework, obs, method)
    dash = result.dashboard.set_index(["unit", "node"])["colour"]
    assert dash[("B", "index")] == dash[("B", "inclusion")] == "grey"
    cells = charts.heatmap_frame(result).set_index(["unit", "node"])
    assert pd.isna(cells.loc[("B", "index"), "score"])
    assert cells.loc[("B", "index"), "colour"] == cells.loc[("B", "inclusion"), "colour"] == "grey"
    assert cells.loc[("B", "rights"), "colour"] == dash[("B", "rights")] != "grey"
    fig = charts.heatmap(result)
    row = fig.layout.meta["units"].index("B")
    assert fig.data[0].z[row][0] == 0 and fig.data[0].text[row][0] == "–"
    themes = charts.theme_frame(result, "B").set_index("node")
    assert themes.loc["index", "colour"] == "grey" and themes.loc["rights", "colour"] != "grey"


def test_a_long_group_gaps_title_is_wrapped_across_the_figure_and_the_legend_clears_the_axis(
        demo):
    """Plotly cuts a title at the figure's edge and places a paper-anchored legend on the
    tick labels of a short (two-group) chart."""
    result, gaps = demo
    fw = result.framework
    long = next(n for n in fw.indicators if len(n.label("en")) > 40)
    rows = pd.DataFrame({"unit": ["c1"] * 2, "period": [2024] * 2, "indicator": [long.code] * 2,
                         "group": ["sex=female", "sex=male"], "value": [12.0, 7.0],
                         "reference_value": [9.0] * 2, "gap": [3.0, -2.0],
                         "relative_gap": [0.3, -0.2], "worse": [True, False],
                         "gap_change": [0.5, np.nan]})
    for lang, city in (("en", "Lumenhaven"), ("ko", "루멘헤이븐")):
        fig = charts.group_gaps(rows, "c1", long.code, framework=fw, lang=lang,
                                names={"c1": city})
        title = fig.layout.title
        lines = title.text.split("<br>")
        assert len(lines) >= 2 and lines[0].startswith(f"{city}, 2024")
        assert long.label(lang).split()[-1] in title.text  # nothing cut off
        wide = [sum(2 if "\uac00" <= ch <= "\ud7a3" else 1 for ch in line) for line in lines]
        assert max(wide) <= 72, lines
        assert title.xref == "container" and fig.layout.margin.t >= 80 + 22 * (len(lines) - 1)
        legend = fig.layout.legend
        assert (legend.yref, legend.y, legend.yanchor) == ("container", 0, "bottom")
        assert fig.layout.margin.b >= 90  # tick labels and the axis title above the legend
        plot = fig.layout.height - fig.layout.margin.t - fig.layout.margin.b
        assert plot >= 30 * 2


def test_a_value_is_written_with_its_unit_in_the_reader_language():
    from rightsmarker.charts.tables import format_value
    from rightsmarker.framework.model import Node

    node = Node(code="x", value_type="percent", unit="% of residents",
                units={"ko": "% (주민)"})
    assert format_value(node, 12.5, "en") == "12.5 % of residents"
    assert format_value(node, 12.5, "ko") == "12.5 % (주민)"


def test_group_labels_read_their_values_in_the_reader_language(tiny_framework):
    from rightsmarker.charts.groups import group_label

    assert group_label("sex=female;age=65+", tiny_framework, "ko") == "성별: 여성 · 연령: 65세 이상"
    assert group_label("migration-status=refugee", tiny_framework, "ko") == "이주 상태: 난민"
    assert group_label("district=north-3", tiny_framework, "ko") == "구역: north-3"
    assert group_label("sex=female;age=65+", tiny_framework, "en") == "Sex: female · Age: 65+"
    assert group_label("income=bottom-20%", tiny_framework, "ko") == "소득: 하위 20%"
