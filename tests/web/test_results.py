"""Results: score runs, the network dashboard and the city profile (pages and twins)."""

from __future__ import annotations

import csv
import io

import pandas as pd
import pytest
from results_fixtures import results_world_fixture  # noqa: F401  (the results_world fixture)

NETWORK_COLUMNS = ["unit", "name", "region", "population", "size", "peer_group", "node",
                   "node_label", "score", "rank", "colour", "level", "level_label",
                   "level_share", "robust_level", "rank_q05", "rank_median", "rank_q95"]


def csv_rows(response):
    return list(csv.DictReader(io.StringIO(response.content.decode("utf-8"))))


def test_score_cycle_stores_a_run_whose_scores_equal_rightsmarker_score(results_world):
    import rightsmarker as rm
    from rightsmarker.web.results.data import observations_for
    from rightsmarker.web.results.services import read_table

    run = results_world.run
    assert run.status == "done" and run.build["method"]["name"] == "goalposts-arithmetic"
    assert (run.folder / "scores.parquet").exists() and (run.folder / "build.json").exists()
    fw = results_world.fv.as_framework()
    expected = rm.score(fw, rm.read_observations(observations_for(results_world.past), fw)).scores
    stored = read_table(run, "scores")
    pd.testing.assert_frame_equal(stored.reset_index(drop=True), expected.reset_index(drop=True),
                                  check_dtype=False)
    assert set(stored["period"]) == {2023, 2024}


def test_score_cycle_refuses_a_cycle_without_approved_values(results_world):
    from rightsmarker.web.results.services import ScoringError, score_cycle

    with pytest.raises(ScoringError, match="no approved or published values"):
        score_cycle(results_world.current)


def test_score_cycle_refuses_an_invalid_method(results_world):
    from rightsmarker.errors import RightsMarkerError
    from rightsmarker.web.results.services import score_cycle

    with pytest.raises(RightsMarkerError):
        score_cycle(results_world.past, "steps: [{step: nonsense}]")


def test_only_secretariat_admins_may_score_a_cycle(results_world, assert_access):
    from rightsmarker.web.results.models import ScoreRun

    url = f"/results/cycles/{results_world.past.pk}/score/"
    assert_access(url, method="post", owner=403, colleague=403, outsider=403, anonymous=403,
                  reviewer=403, admin=302)
    assert ScoreRun.objects.filter(cycle=results_world.past, status="done").count() == 2


def test_a_failed_scoring_is_reported_on_the_cycle_runs_page(results_world, client_for):
    client = client_for("admin")
    response = client.post(f"/results/cycles/{results_world.current.pk}/score/", follow=True)
    assert "was not scored" in response.content.decode()


def test_every_persona_sees_the_published_dashboard_and_profile(results_world, assert_access):
    for url in ("/results/", "/results.json", "/results.csv", "/results/city/aranvale/",
                "/results/city/bellmora.json", "/results/city/aranvale.csv",
                f"/results/cycles/{results_world.past.pk}/"):
        assert_access(url, owner=200, colleague=200, outsider=200, anonymous=200, reviewer=200,
                      admin=200)
    assert_access("/results/city/nowhere/", owner=404, colleague=404, outsider=404,
                  anonymous=404, reviewer=404, admin=404)


def test_the_dashboard_shows_every_city_in_dashboard_colours(results_world, client):
    from rightsmarker.charts import COLOURS

    html = client.get("/results/").content.decode()
    assert 'id="results-heatmap"' in html and 'id="results-levels"' in html
    assert "Aranvale" in html and "Bellmora" in html
    assert COLOURS["red"] in html  # the colour classes and the heat map use dashboard colours
    assert "/results/plotly-" in html and "cdn" not in html.lower()
    data = client.get("/results.json").json()
    assert {r["unit"] for r in data["rows"]} == {"aranvale", "bellmora"}
    assert {r["colour"] for r in data["rows"]} <= set(COLOURS)
    assert data["period"] == 2024 and data["run"]["id"] == results_world.run.pk


def test_the_dashboard_filters_by_region_size_and_peer_group(results_world, client):
    assert {r["unit"] for r in client.get("/results.json?region=West").json()["rows"]} == \
        {"bellmora"}
    assert {r["unit"] for r in client.get("/results.json?size=small").json()["rows"]} == \
        {"aranvale"}
    assert {r["unit"] for r in client.get("/results.json?peer_group=big").json()["rows"]} == \
        {"bellmora"}
    html = client.get("/results/?region=North").content.decode()
    assert 'id="results-no-match"' in html


def test_the_dashboard_twins_have_the_documented_columns(results_world, client):
    data = client.get("/results.json").json()
    assert data["columns"] == NETWORK_COLUMNS
    assert set(data["rows"][0]) == set(NETWORK_COLUMNS)
    response = client.get("/results.csv")
    assert response["Content-Type"].startswith("text/csv")
    header = response.content.decode().splitlines()[0].split(",")
    assert header == NETWORK_COLUMNS
    rows = csv_rows(response)
    nodes = {r["node"] for r in rows}
    assert nodes == {"index", "rights", "inclusion"}


def test_anonymous_visitors_see_runs_of_published_cycles_only(results_world, assert_access):
    from rightsmarker.web.reporting.models import Submission
    from rightsmarker.web.results.services import score_cycle

    Submission.objects.filter(pk=results_world.other.pk).update(status="approved")
    run = score_cycle(results_world.current)
    for url in (f"/results/?run={run.pk}", f"/results/city/bellmora/?run={run.pk}",
                f"/results/api/runs/{run.pk}/scores"):
        assert_access(url, owner=403, colleague=403, outsider=403, anonymous=403, reviewer=200,
                      admin=200)
    # the default is the latest published cycle, never the open one
    assert_access("/results.json?cycle=" + str(results_world.current.pk), owner=403,
                  colleague=403, outsider=403, anonymous=403, reviewer=200, admin=200)


def test_the_dashboard_without_any_run_says_nothing_is_published(world, client):
    html = client.get("/results/").content.decode()
    assert 'id="results-empty"' in html
    assert client.get("/results.json").json()["rows"] == []


def test_the_city_profile_shows_themes_indicators_trends_groups_and_evidence(
        results_world, client):
    html = client.get("/results/city/aranvale/").content.decode()
    for part in ("profile-themes", "profile-bars", "profile-indicators", "profile-groups",
                 "profile-evidence", "https://example.org/ordinance.pdf"):
        assert part in html
    data = client.get("/results/city/aranvale.json").json()
    assert [t["node"] for t in data["themes"]] == ["index", "rights", "inclusion"]
    by_code = {i["indicator"]: i for i in data["indicators"]}
    assert set(by_code) == {"ordinance", "action-plan", "poverty-rate", "employment-rate"}
    assert by_code["employment-rate"]["change"] == pytest.approx(3.0)
    assert by_code["employment-rate"]["previous_period"] == 2023
    assert by_code["poverty-rate"]["colour"] == "yellow"
    assert {g["group"] for g in data["groups"]} >= {"sex=female"}
    assert data["evidence"][0]["evidence_url"] == "https://example.org/ordinance.pdf"


def test_the_city_profile_csv_twin_lists_every_indicator(results_world, client):
    rows = csv_rows(client.get("/results/city/bellmora.csv"))
    assert [r["indicator"] for r in rows] == ["ordinance", "action-plan", "poverty-rate",
                                              "employment-rate"]
    assert {"value", "colour", "arrow", "symbol", "change"} <= set(rows[0])


def test_the_profile_of_a_city_outside_the_run_is_not_found(results_world, client):
    from rightsmarker.web.network.models import City

    City.objects.create(code="corvassa", name_en="Corvassa")
    assert client.get("/results/city/corvassa/").status_code == 404


def test_plotly_js_is_served_from_the_installed_package(results_world, client):
    from rightsmarker import charts

    response = client.get(f"/results/plotly-{charts.plotly_js_version()}.min.js")
    assert response.status_code == 200 and "immutable" in response["Cache-Control"]
    assert client.get("/results/plotly-0.0.1.min.js").status_code == 404


def test_the_korean_dashboard_uses_korean_labels(results_world, client):
    data = client.get("/results.json", HTTP_ACCEPT_LANGUAGE="ko").json()
    assert {r["node_label"] for r in data["rows"]} == {"작은 지수", "권리", "통합"}
    assert {r["name"] for r in data["rows"]} == {"아란베일", "벨모라"}


def test_the_cycle_page_offers_scoring_to_secretariat_admins_only(results_world, client_for):
    url = f"/cycles/{results_world.past.pk}/"
    admin_html = client_for("admin").get(url).content.decode()
    assert 'id="cycle-score-button"' in admin_html and 'id="cycle-results"' in admin_html
    for persona in ("owner", "reviewer", "anonymous"):
        html = client_for(persona).get(url).content.decode()
        assert 'id="cycle-score-button"' not in html and 'id="cycle-results"' in html


def test_the_cycle_runs_page_lists_runs_and_the_scoring_form(results_world, client_for):
    url = f"/results/cycles/{results_world.past.pk}/"
    html = client_for("admin").get(url).content.decode()
    assert 'id="results-runs"' in html and 'id="score-button"' in html
    assert "goalposts-arithmetic" in html
    assert 'id="score-button"' not in client_for("owner").get(url).content.decode()
    data = client_for("anonymous").get(url.rstrip("/") + ".json").json()
    assert [r["id"] for r in data["runs"]] == [results_world.run.pk]


def test_the_score_form_rejects_a_bad_number_of_uncertainty_runs(results_world, client_for):
    response = client_for("admin").post(f"/results/cycles/{results_world.past.pk}/score/",
                                        {"uncertainty_runs": "-3"}, follow=True)
    assert "whole number from 0 to 2000" in response.content.decode()


def test_the_city_profile_names_its_cycle_and_run_and_reads_trends_in_words(results_world,
                                                                             client):
    html = client.get("/results/city/aranvale/").content.decode()
    assert f"Cycle 2024 cycle, score run {results_world.run.pk}." in html
    assert "on track" in html or "decreasing" in html or "stagnating" in html


def test_the_results_pages_speak_korean(results_world, client):
    html = client.get("/results/city/aranvale/", HTTP_ACCEPT_LANGUAGE="ko").content.decode()
    assert "영역 점수" in html and "누가 뒤처져 있는가" in html and "아란베일" in html
    dashboard = client.get("/results/", HTTP_ACCEPT_LANGUAGE="ko").content.decode()
    assert "네트워크 결과" in dashboard and "인정 단계" in dashboard


def test_the_city_profile_links_the_city_s_good_practices_when_the_app_exists(results_world,
                                                                               client):
    from django.conf import settings

    html = client.get("/results/city/aranvale/").content.decode()
    if "practices" in settings.EXTENSION_APPS:
        assert 'id="profile-practices-link"' in html and "?city=aranvale" in html
    else:
        assert 'id="profile-practices-link"' not in html


def test_the_profile_group_table_reads_groups_and_indicators_by_their_labels(results_world,
                                                                            client):
    korean = client.get("/results/city/aranvale/", HTTP_ACCEPT_LANGUAGE="ko").content.decode()
    assert ">여성</td>" in korean or ">성별: 여성</td>" in korean
    assert "<td>sex=female</td>" not in korean and "<td>poverty-rate</td>" not in korean
    data = client.get("/results/city/aranvale.json").json()
    female = next(g for g in data["groups"] if g["group"] == "sex=female")
    assert female["group_label"] == "Women" and female["indicator_label"] == "Poverty rate"
