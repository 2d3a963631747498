"""Results: comparison with peers, district maps and the bulk download."""

from __future__ import annotations

import io
import zipfile

from results_fixtures import results_world_fixture  # noqa: F401  (the results_world fixture)


def test_every_persona_sees_the_comparison_map_and_bulk_download(results_world, assert_access):
    for url in ("/results/city/aranvale/compare/", "/results/city/aranvale/compare.json",
                "/results/city/bellmora/compare.csv", "/results/city/aranvale/map/",
                "/results/download.zip"):
        assert_access(url, owner=200, colleague=200, outsider=200, anonymous=200, reviewer=200,
                      admin=200)


def test_the_comparison_shows_the_city_and_its_chosen_peers(results_world, client):
    data = client.get("/results/city/aranvale/compare.json?peers=bellmora&peers=nowhere").json()
    assert data["peers"] == ["bellmora"]
    assert {r["unit"] for r in data["rows"]} == {"aranvale", "bellmora"}
    assert data["columns"] == ["unit", "name", "node", "node_label", "score", "rank", "q05",
                               "median", "q95"]
    html = client.get("/results/city/aranvale/compare/").content.decode()
    assert 'id="compare-chart"' in html and 'id="compare-table"' in html


def test_a_comparison_with_uncertainty_shows_rank_intervals(results_world, client):
    from rightsmarker.web.results.services import score_cycle

    run = score_cycle(results_world.past, uncertainty_runs=30)
    rows = client.get(f"/results/city/aranvale/compare.json?run={run.pk}").json()["rows"]
    assert all(r["q05"] is not None and r["q95"] is not None for r in rows)


def test_the_district_map_needs_boundaries_and_draws_district_values(results_world, client):
    from rightsmarker import maps
    from rightsmarker.web.reporting.models import Submission
    from rightsmarker.web.results.services import score_cycle

    html = client.get("/results/city/aranvale/map/").content.decode()
    assert 'id="map-note"' in html and "no district boundaries" in html
    city = results_world.city_a
    city.geojson = maps.demo_districts("aranvale", n=4)
    city.save()
    sub = Submission.objects.get(pk=results_world.published.pk)
    for i, value in enumerate((10.0, 20.0, 30.0), start=1):
        sub.values.create(indicator="poverty-rate", group=f"district=aranvale-0{i}",
                          value_number=value)
    run = score_cycle(results_world.past)
    html = client.get(f"/results/city/aranvale/map/?run={run.pk}&indicator=poverty-rate")\
        .content.decode()
    assert 'id="map-figure"' in html and 'id="map-note"' not in html
    assert "aranvale-01" in html
    assert client.get("/results/city/aranvale/map/?indicator=nothing").status_code == 404
    # Without a choice the map opens on an indicator that has district values (poverty-rate is
    # not the framework's first indicator).
    html = client.get(f"/results/city/aranvale/map/?run={run.pk}").content.decode()
    assert 'id="map-note"' not in html and "aranvale-01" in html
    assert 'value="poverty-rate" selected' in html


def test_the_bulk_download_holds_published_values_and_every_score_table(results_world, client):
    from rightsmarker.web.reporting.models import Submission

    Submission.objects.filter(pk=results_world.old.submissions.get(city__code="bellmora").pk)\
        .update(status="approved")
    response = client.get("/results/download.zip")
    assert response["Content-Type"] == "application/zip"
    archive = zipfile.ZipFile(io.BytesIO(response.content))
    names = set(archive.namelist())
    assert {"README.txt", "observations.csv", "units.csv", "scores.csv", "levels.csv",
            "dashboard.csv", "trends.csv", "build.json"} <= names
    observations = archive.read("observations.csv").decode()
    assert observations.splitlines()[0].startswith("unit,period,indicator,group,value")
    assert "bellmora,2023" not in observations  # no longer published
    assert "bellmora,2024" in observations


def test_the_group_charts_name_the_city_not_its_code(results_world, client):
    import json
    import re

    for language, title in (("en", "Aranvale, 2024: Poverty rate by group"),
                            ("ko", "아란베일, 2024: 집단별 빈곤율")):
        html = client.get("/results/city/aranvale/", HTTP_ACCEPT_LANGUAGE=language)
        charts = html.content.decode().split('id="profile-groups"')[1]
        texts = [json.loads(f'"{t}"') for t in re.findall(r'"text":"((?:[^"\\]|\\.)*)"', charts)]
        assert title in texts, texts
        assert not any(t.startswith("aranvale") for t in texts)


def test_the_group_table_shows_a_dash_for_a_missing_value(results_world):
    from rightsmarker.web.results.pages import profile_body

    row = {"indicator": "poverty-rate", "group": "sex=female", "value": 16.0,
           "reference_value": None, "gap": None, "relative_gap": None, "worse": None,
           "gap_change": None}
    html = profile_body(results_world.run, "aranvale",
                        {"themes": [], "indicators": [], "groups": [row], "gap_inds": []})
    table = html.split('id="profile-group-table"')[1].split("</table>")[0]
    assert "None" not in table
    assert '<td class="num">16.0</td><td class="num">–</td><td class="num">–</td>' in table


def test_the_runs_page_shows_when_a_run_was_made_in_minutes(results_world, client):
    import re

    run = results_world.run
    html = client.get(f"/results/cycles/{results_world.past.pk}/").content.decode()
    row = html.split(f'<tr id="run-{run.pk}">')[1].split("</tr>")[0]
    shown = run.created_at.strftime("%Y-%m-%d %H:%M")  # UTC, the site's time zone
    assert f">{shown}</time>" in row
    assert not re.search(r"\d{2}:\d{2}:\d{2}", re.sub(r"<[^>]+>", " ", row))  # as read
    data = client.get(f"/results/cycles/{results_world.past.pk}.json").json()
    assert data["runs"][0]["created_at"] == run.created_at.isoformat()  # the twin keeps it


def test_a_cycle_without_runs_says_there_are_none_to_show(results_world, client_for):
    url = f"/results/cycles/{results_world.current.pk}/"
    client = client_for("admin")
    assert "<p>No score runs to show.</p>" in client.get(url).content.decode()
    korean = client.get(url, HTTP_ACCEPT_LANGUAGE="ko").content.decode()
    assert "<p>표시할 점수 산정이 없습니다.</p>" in korean
