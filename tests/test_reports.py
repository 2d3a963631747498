"""Cycle reports: self-contained HTML with every city and no external URL; PDF with vector
charts (skipped when no Chromium is installed)."""

from __future__ import annotations

import re
import zlib

import pytest

import rightsmarker as rm
from rightsmarker.demo import demo_data
from rightsmarker.errors import DataError, UnknownNameError
from rightsmarker.reports import PdfError, build_report, find_chromium


def _has_chromium() -> bool:
    try:
        find_chromium()
    except PdfError:
        return False
    return True


needs_chromium = pytest.mark.skipif(not _has_chromium(), reason="no Chromium installed")


@pytest.fixture(scope="module")
def demo():
    fw = rm.load_framework("social-inclusion-marker")
    data = demo_data(n_cities=3, framework=fw)
    obs = rm.read_observations(data.observations, fw)
    return rm.score(fw, obs, units=data.cities), rm.gaps(obs, fw), data.cities


@pytest.fixture(scope="module")
def html(demo):
    result, gaps, _ = demo
    return build_report(result, gaps=gaps).decode("utf-8")


def test_the_html_report_contains_every_city_and_its_sections(demo, html):
    for name in demo[2]["name_en"]:
        assert f"<h2>{name}</h2>" in html
    for heading in ("Heat map: index and themes", "Recognition levels", "Theme scores",
                    "Dashboard", "Who is left behind"):
        assert heading in html
    assert "FICTIONAL demonstration data" in html
    assert html.count("Plotly.newPlot") == 3 * 3  # theme bars and two gap charts per city


def test_the_html_report_refers_to_no_external_url(html):
    assert not re.search(r"<(script|link|img|iframe)[^>]+(src|href)\s*=\s*[\"']?(https?:)?//",
                         html, re.I)
    assert "cdn.plot.ly" not in html.split("</script>", 1)[1]  # nothing after plotly.js
    assert "<script>/**\n* plotly.js" in html  # inlined, not linked


def test_the_heat_map_cells_carry_the_dashboard_colours(demo, html):
    from rightsmarker.charts import COLOURS

    result = demo[0]
    period = int(result.scores["period"].max())
    dash = result.dashboard
    top = dash[(dash["node"] == "SIM") & (dash["period"] == period)]
    for colour in set(top["colour"]):
        assert f'class="cell c-{colour}" style="background:{COLOURS[colour]}"' in html


def test_a_report_of_one_city_in_korean_for_an_earlier_cycle(demo):
    result, gaps, cities = demo
    unit = cities["unit"].iloc[0]
    out = build_report(result, cycle=2024, cities=unit, gaps=gaps, lang="ko").decode()
    assert cities["name_ko"].iloc[0] in out and cities["name_ko"].iloc[1] not in out
    assert "2024" in out and "누가 뒤처져 있는가" in out and 'lang="ko"' in out


def test_uncertainty_turns_ranks_into_intervals_and_levels_into_robustness(demo):
    result, _, cities = demo
    period = int(result.scores["period"].max())
    sc = result.scores[(result.scores["level"] <= 1) & (result.scores["period"] == period)]
    rank_stats = sc.assign(nominal=sc["rank"], q05=sc["rank"], median=sc["rank"],
                           q95=sc["rank"] + 1)
    lv = result.levels[result.levels["period"] == period]
    levels = lv.assign(share=0.5, robust=False, robust_level=0)
    out = build_report(result, uncertainty={"rank_stats": rank_stats, "levels": levels})
    text = out.decode()
    assert "Rank (5-95%)" in text and "Rank intervals of the index" in text
    assert "robust level: L0 (50% of variants" in text or "holds in 50%" in text


def test_it_refuses_an_unknown_city_period_or_format(demo):
    result = demo[0]
    with pytest.raises(DataError, match="unknown city 'atlantis'"):
        build_report(result, cities=["atlantis"])
    with pytest.raises(DataError, match="no results for period 1999"):
        build_report(result, period=1999)
    with pytest.raises(UnknownNameError):
        build_report(result, format="docx")


def _pdf_streams(pdf: bytes) -> list[bytes]:
    out = []
    for raw in re.findall(rb"stream\r?\n(.*?)\r?\nendstream", pdf, re.S):
        try:
            out.append(zlib.decompress(raw))
        except zlib.error:
            out.append(raw)
    return out


@needs_chromium
def test_the_pdf_report_starts_with_pdf_and_draws_its_charts_as_vectors(demo):
    result, gaps, _ = demo
    unit = result.scores["unit"].iloc[0]
    with_charts = build_report(result, cities=[unit], gaps=gaps, format="pdf")
    assert with_charts.startswith(b"%PDF")
    assert not re.search(rb"/Subtype\s*/Image", with_charts)  # no raster pictures at all
    no_charts = build_report(result, cities=[unit], gaps=gaps, format="pdf", gap_charts=0)

    def path_ops(pdf):
        return sum(len(re.findall(rb"[\d.]+ [\d.]+ [lc]\n", s)) for s in _pdf_streams(pdf))

    # the two gap charts add vector paths (their lines and dots), not images
    assert path_ops(with_charts) > path_ops(no_charts) + 20


@needs_chromium
def test_a_pdf_printed_in_parts_is_joined_in_order(demo, monkeypatch):
    pypdf = pytest.importorskip("pypdf")
    import io

    import rightsmarker.reports as reports

    result, _, cities = demo
    monkeypatch.setattr(reports, "PDF_PART", 1)
    pdf = build_report(result, cities=list(cities["unit"][:2]), format="pdf", gap_charts=0)
    text = "\n".join(p.extract_text() for p in pypdf.PdfReader(io.BytesIO(pdf)).pages)
    assert text.startswith("Social Inclusion Marker")  # the title page comes first
    levels = text.index("Recognition levels")  # network section, in the first part
    for name in cities["name_en"][:2]:  # each city's section, one in each part
        assert text.rindex(name) > levels and text.count(name) >= 4


def test_print_charts_are_svg_with_the_dashboard_colours(demo):
    from rightsmarker.charts import COLOURS
    from rightsmarker.reports.svg import bars_svg, dots_svg, nice_ticks

    svg = bars_svg([{"label": "Rights", "value": 64.0, "fill": COLOURS["orange"],
                     "text": "64 · L2", "lo": 50.0, "hi": 70.0}], axis_title="score")
    assert svg.startswith("<svg") and f'fill="{COLOURS["orange"]}"' in svg and "64 · L2" in svg
    dots = dots_svg([{"label": "Women <60", "value": 40.0, "fill": COLOURS["red"]}], 50.0,
                    title="Employment", total_label="total", axis_title="value")
    assert "Women &lt;60" in dots and "<circle" in dots and "total 50" in dots
    assert nice_ticks(3.2, 61.0) == [0, 20, 40, 60, 80]


def test_a_city_without_values_in_the_cycle_is_left_out_or_refused_by_name():
    fw = rm.load_framework("social-inclusion-marker")
    data = demo_data(n_cities=3, framework=fw)
    obs = data.observations
    absent = str(obs["unit"].iloc[0])
    latest = int(obs["period"].max())
    obs = obs[~((obs["unit"] == absent) & (obs["period"] == latest))]  # no values in 2025
    result = rm.score(fw, rm.read_observations(obs, fw), units=data.cities)
    html = build_report(result, cycle=latest).decode()
    others = [u for u in data.cities["unit"] if u != absent]
    assert sorted(re.findall(r'id="city-([^"]+)"', html)) == sorted(others)
    with pytest.raises(DataError, match=f"no scores for '{absent}' in period {latest}"):
        build_report(result, cities=[absent], cycle=latest)
    assert build_report(result, cities=[absent], cycle=latest - 1)  # earlier cycles still work
