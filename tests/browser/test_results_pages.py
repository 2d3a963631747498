"""In a real browser, the results pages of the demo (issue 6): the network dashboard with its
heat map, levels and filters; a city profile with its tables, Plotly charts (served by the site
itself), groups left behind and good practices; the pages in Korean; the CSV twins downloaded
and read back; the report and bulk download links. Screenshots: ``results-*.png``."""

from __future__ import annotations

import csv
import io
import json
import zipfile

import pytest

pytestmark = pytest.mark.browser  # skipped with the reason when Chromium or Playwright is missing

PROFILE_CITY = "bellmora"  # the demo publishes a good practice of Bellmora


def dashboard_json(page, url: str, query: str = "") -> dict:
    response = page.request.get(url + "/results.json" + query)
    assert response.ok, response.status
    return response.json()


def heatmap_data(page) -> dict:
    """The heat map trace as Plotly drew it: ``z`` (colour codes) and ``text`` (scores) have
    one row per city shown; ``drawn`` counts the score labels drawn on the cells."""
    return page.evaluate("""() => {
        const div = document.querySelector('#results-heatmap .js-plotly-plot');
        const full = div._fullData[0];
        return {type: full.type, x: Array.from(full.x), y: Array.from(full.y),
                z: Array.from(full.z, row => Array.from(row)), text: div.data[0].text,
                drawn: div.querySelectorAll('.heatmaplayer text').length};
    }""")


def read_csv_download(download, tmp_path) -> list[dict]:
    path = tmp_path / download.suggested_filename
    download.save_as(path)
    return list(csv.DictReader(io.StringIO(path.read_text(encoding="utf-8-sig"))))


def watch_requests(page, url: str) -> list[str]:
    """Every URL the page asks for (to show nothing comes from outside the site)."""
    seen: list[str] = []
    page.on("request", lambda request: seen.append(request.url))
    return seen


def test_the_dashboard_draws_the_heat_map_and_levels_and_a_filter_narrows_both(
        live_demo, new_page, shot):
    from playwright.sync_api import expect

    page = new_page()
    requests = watch_requests(page, live_demo.url)
    page.goto(live_demo.url + "/results/")
    expect(page.locator("h1")).to_have_text("Results of the network")
    expect(page.locator("#results-heatmap .js-plotly-plot .main-svg").first).to_be_visible()
    data = dashboard_json(page, live_demo.url)
    units = {r["unit"] for r in data["rows"]}
    names = {r["name"] for r in data["rows"]}
    assert len(units) == 12, units
    heat = heatmap_data(page)
    assert heat["type"] == "heatmap"
    assert set(heat["y"]) == names, heat["y"]
    assert len(heat["z"]) == 12 and all(len(row) == len(heat["x"]) for row in heat["z"])
    assert heat["drawn"] == 12 * len(heat["x"])  # a score label on every cell
    scores = [float(v) for row in heat["text"] for v in row if v]
    assert scores and all(0 <= v <= 100 for v in scores), heat["text"][:2]
    rows = page.locator("#results-levels tr[data-unit]")
    expect(rows).to_have_count(12)
    assert {rows.nth(i).get_attribute("data-unit") for i in range(12)} == units
    # Each cell of the levels table shows the score of the JSON twin (one decimal).
    first = data["rows"][0]
    cell = page.locator(f'#results-levels tr[data-unit="{first["unit"]}"] '
                        f'td[data-node="{first["node"]}"]')
    expect(cell).to_contain_text(f'{first["score"]:.1f}')
    expect(cell).to_have_attribute("data-colour", first["colour"])
    assert all(u.startswith(live_demo.url) for u in requests), [
        u for u in requests if not u.startswith(live_demo.url)]
    shot(page, "results-01-dashboard", full_page=True)

    # Filter by region: only that region's cities remain, in the table and in the heat map.
    region = "East Asia"
    expected = {r["unit"] for r in data["rows"] if r["region"] == region}
    assert 0 < len(expected) < 12
    page.locator("#results-filters select[name=region]").select_option(region)
    page.locator("#results-filters").get_by_role("button", name="Show").click()
    page.wait_for_url("**region=East+Asia**")
    expect(rows).to_have_count(len(expected))
    assert {rows.nth(i).get_attribute("data-unit") for i in range(len(expected))} == expected
    expect(page.locator("#results-filters select[name=region]")).to_have_value(region)
    heat = heatmap_data(page)
    assert len(heat["z"]) == len(expected)
    assert heat["drawn"] == len(expected) * len(heat["x"])
    assert set(heat["y"]) == {r["name"] for r in data["rows"] if r["unit"] in expected}
    shot(page, "results-02-dashboard-filtered", full_page=True)


def test_a_city_profile_shows_themes_indicators_charts_groups_and_practices(
        live_demo, new_page, shot):
    from playwright.sync_api import expect

    page = new_page()
    requests = watch_requests(page, live_demo.url)
    page.goto(live_demo.url + "/results/")
    page.locator(f'#results-levels tr[data-unit="{PROFILE_CITY}"] a').click()
    page.wait_for_url(f"**/results/city/{PROFILE_CITY}/**")
    expect(page.locator("h1")).to_contain_text("Bellmora")
    twin = page.request.get(live_demo.url + f"/results/city/{PROFILE_CITY}.json").json()

    themes = page.locator("#profile-themes tbody tr")
    expect(themes).to_have_count(len(twin["themes"]))
    root = twin["themes"][0]
    row = page.locator(f'#profile-themes tr[data-node="{root["node"]}"]')
    expect(row).to_contain_text(f'{root["score"]:.1f}')
    expect(row).to_contain_text(root["label"])

    indicators = page.locator("#profile-indicators tbody tr")
    expect(indicators).to_have_count(len(twin["indicators"]))
    assert len(twin["indicators"]) >= 40
    some = next(i for i in twin["indicators"] if i["display"])
    expect(page.locator(f'#profile-indicators tr[data-indicator="{some["indicator"]}"]')
           ).to_contain_text(some["display"])

    # The bar chart is drawn by plotly.js served from this site, never a CDN.
    expect(page.locator("#profile-bars .js-plotly-plot .main-svg").first).to_be_visible()
    src = page.locator("script[src*='plotly']").get_attribute("src")
    assert src.startswith("/results/plotly-") and src.endswith(".min.js"), src
    assert page.evaluate("() => typeof window.Plotly.newPlot") == "function"
    bars = page.evaluate("""() => document.querySelector('#profile-bars .js-plotly-plot')
        .data.map(t => t.type)""")
    assert "bar" in bars, bars
    assert all(u.startswith(live_demo.url) for u in requests), [
        u for u in requests if not u.startswith(live_demo.url)]

    # Who is left behind: the groups' values against the total, as a table and charts.
    groups = page.locator("#profile-groups")
    expect(groups.get_by_role("heading", name="Who is left behind")).to_be_visible()
    assert twin["groups"], "the demo reports values by group"
    expect(page.locator("#profile-group-table tbody tr")).to_have_count(len(twin["groups"]))
    gap = twin["groups"][0]
    first = page.locator("#profile-group-table tbody tr").first
    expect(first).to_contain_text(gap["group_label"])  # the group's words, not its code
    expect(first).to_contain_text(gap["indicator_label"])
    expect(groups.locator(".group-chart .js-plotly-plot").first).to_be_visible()
    shot(page, "results-03-profile", full_page=True)

    # The city's good practices, linked to their pages.
    practices = page.locator("#profile-practices")
    expect(practices.get_by_role("heading", name="Good practices")).to_be_visible()
    link = practices.get_by_role("link", name="Barrier-free audit teams of disabled residents")
    expect(link).to_be_visible()
    link.click()
    expect(page.locator("h1")).to_contain_text("Barrier-free audit teams")


def test_the_results_pages_switch_to_korean(live_demo, new_page, shot):
    from playwright.sync_api import expect

    page = new_page(locale="en-GB")
    page.goto(live_demo.url + "/results/")
    expect(page.locator("h1")).to_have_text("Results of the network")
    page.locator("#language-select").select_option("ko")
    page.locator("form.lang button").click()
    expect(page.locator("html")).to_have_attribute("lang", "ko")
    expect(page.locator("h1")).to_have_text("네트워크 결과")
    expect(page.locator("#heatmap-heading")).to_have_text("영역별 도시")
    expect(page.locator("#levels-heading")).to_have_text("인정 단계")
    # The heat map itself is Korean: city names from the Korean names of the cities.
    korean = {r["name"] for r in dashboard_json(page, live_demo.url)["rows"]}
    assert any("\uac00" <= ch <= "\ud7a3" for name in korean for ch in name), korean
    expect(page.locator("#results-heatmap .js-plotly-plot .main-svg").first).to_be_visible()
    assert set(heatmap_data(page)["y"]) == korean
    shot(page, "results-04-dashboard-korean", full_page=True)

    page.goto(live_demo.url + f"/results/city/{PROFILE_CITY}/")
    expect(page.locator("#themes-heading")).to_have_text("영역 점수")
    expect(page.locator("#indicators-heading")).to_have_text("모든 지표")
    expect(page.locator("#groups-heading")).to_have_text("누가 뒤처져 있는가")
    shot(page, "results-05-profile-korean", full_page=True)


def test_the_dashboard_and_a_profile_download_their_csv_twins(live_demo, new_page, shot,
                                                              tmp_path):
    from playwright.sync_api import expect

    page = new_page()
    page.goto(live_demo.url + "/results/?region=East+Asia")
    twins = page.locator("p.twins")
    expect(twins).to_contain_text("This page as data:")
    with page.expect_download() as download:
        twins.get_by_role("link", name="CSV").click()
    assert download.value.suggested_filename.startswith("results-")
    rows = read_csv_download(download.value, tmp_path)
    assert list(rows[0]) == ["unit", "name", "region", "population", "size", "peer_group",
                             "node", "node_label", "score", "rank", "colour", "level",
                             "level_label", "level_share", "robust_level", "rank_q05",
                             "rank_median", "rank_q95"]
    shown = {page.locator("#results-levels tr[data-unit]").nth(i).get_attribute("data-unit")
             for i in range(page.locator("#results-levels tr[data-unit]").count())}
    assert {r["unit"] for r in rows} == shown  # the filter goes with the twin
    assert {r["region"] for r in rows} == {"East Asia"}
    nodes = {r["node"] for r in rows}
    assert len(rows) == len(shown) * len(nodes)
    assert all(0 <= float(r["score"]) <= 100 for r in rows if r["score"])
    assert {r["colour"] for r in rows} <= {"green", "yellow", "orange", "red", "grey", ""}

    page.goto(live_demo.url + f"/results/city/{PROFILE_CITY}/")
    with page.expect_download() as download:
        page.locator("p.twins").get_by_role("link", name="CSV").click()
    assert PROFILE_CITY in download.value.suggested_filename
    rows = read_csv_download(download.value, tmp_path)
    assert list(rows[0])[:6] == ["theme", "theme_label", "indicator", "label", "kind", "value"]
    on_page = page.locator("#profile-indicators tbody tr")
    assert len(rows) == on_page.count()
    assert [r["indicator"] for r in rows] == [
        on_page.nth(i).get_attribute("data-indicator") for i in range(on_page.count())]
    assert any(r["value"] and r["colour"] for r in rows)
    shot(page, "results-06-profile-twins")


def test_the_report_and_bulk_download_links_give_real_files(live_demo, new_page, shot,
                                                            tmp_path):
    from playwright.sync_api import expect

    page = new_page()
    page.goto(live_demo.url + f"/results/city/{PROFILE_CITY}/")
    links = page.locator("#results-report-links")
    expect(links).to_be_visible()
    shot(page, "results-07-report-links")

    with page.expect_download() as download:
        links.locator("a[data-testid=report-html]").click()
    path = tmp_path / download.value.suggested_filename
    download.value.save_as(path)
    assert path.suffix == ".html"
    html = path.read_text(encoding="utf-8")
    assert "Bellmora" in html and "<svg" in html

    with page.expect_download(timeout=120_000) as download:
        links.locator("a[data-testid=report-pdf]").click()
    path = tmp_path / download.value.suggested_filename
    download.value.save_as(path)
    assert path.suffix == ".pdf"
    assert path.read_bytes().startswith(b"%PDF-")

    with page.expect_download() as download:
        links.locator("a[data-testid=bulk-download]").click()
    path = tmp_path / "bulk.zip"
    download.value.save_as(path)
    with zipfile.ZipFile(path) as bundle:
        names = set(bundle.namelist())
        assert {"scores.csv", "levels.csv", "observations.csv", "build.json"} <= names, names
        scores = list(csv.DictReader(io.StringIO(bundle.read("scores.csv").decode("utf-8-sig"))))
        build = json.loads(bundle.read("build.json"))
    assert PROFILE_CITY in {r.get("unit") for r in scores}
    assert build


def test_the_secretariat_scores_a_cycle_with_its_own_uncertainty_factors(
        live_demo, new_page, sign_in, shot, tmp_path):
    """Last in this module: it adds a score run (with intervals) to the published cycle."""
    from playwright.sync_api import expect

    factors = tmp_path / "factors.yaml"
    factors.write_text("factors:\n- {name: theme-weights, type: weights, f: 0.1, depths: [1]}\n",
                       encoding="utf-8")
    page = new_page()
    sign_in(page, "admin", "admin-demo")
    page.goto(live_demo.url + "/results/")
    page.locator("#results-run").get_by_role("link", name="Score runs of this cycle").click()
    expect(page.locator("#score-uncertainty-spec")).to_be_visible()
    expect(page.locator("#score-uncertainty-none")).to_be_checked()
    page.locator("#score-uncertainty-custom").check()
    page.locator("#score-uncertainty-spec summary").click()
    expect(page.locator("#score-factors")).to_contain_text("name: normalisation")
    page.locator("#score-factors-file").set_input_files(str(factors))
    page.locator("#score-uncertainty").fill("20")
    shot(page, "results-08-score-form-own-factors")  # not full_page: here the click after
    # a full-page shot with a chosen file did not submit the form
    page.locator("#score-button").click()
    # The run is scored in the background: the runs page shows its progress until it is done.
    page.wait_for_url("**/results/cycles/*/#run-*")
    run = page.url.rsplit("#run-", 1)[1]
    expect(page.get_by_role("status")).to_contain_text(f"Scoring started (run {run})")
    progress = page.locator(f"#run-progress-{run}")
    expect(progress.locator("a.run-results")).to_be_visible(timeout=180_000)
    expect(progress).to_have_attribute("data-status", "done")
    progress.locator("a.run-results").click()
    page.wait_for_url(f"**/results/?run={run}")
    # With intervals, the levels table shows how robust each level is.
    expect(page.locator("#results-levels")).to_contain_text("of variants")

    page.locator("#results-run").get_by_role("link", name="Score runs of this cycle").click()
    cell = page.locator("#results-runs tr", has=page.locator(f'a:text-is("#{run}")')).locator(
        "td[data-uncertainty]")
    expect(cell).to_have_attribute("data-uncertainty", "custom")
    expect(cell).to_contain_text("own factors, runs: 20")
    cell.locator("summary").click()
    expect(cell.locator("pre")).to_contain_text("theme-weights")
    shot(page, "results-09-runs-own-factors", full_page=True)
