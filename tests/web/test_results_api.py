"""Results API (scores, levels, rank statistics), uncertainty runs, reports, the command."""

from __future__ import annotations

import pytest
from results_fixtures import results_world_fixture  # noqa: F401  (the results_world fixture)
from test_api_helpers import assert_envelope


def test_the_runs_endpoint_lists_the_runs_a_visitor_may_see(results_world, client):
    data = client.get("/results/api/runs").json()
    assert data["count"] == 1 and data["rows"][0]["id"] == results_world.run.pk
    assert data["rows"][0]["published"] is True


def test_every_persona_reads_the_scores_levels_and_runs_of_a_published_cycle(
        results_world, assert_access):
    run = results_world.run.pk
    for url in ("/results/api/runs", f"/results/api/runs/{run}/scores",
                f"/results/api/runs/{run}/levels", "/results/api/runs/latest/scores"):
        assert_access(url, owner=200, colleague=200, outsider=200, anonymous=200, reviewer=200,
                      admin=200)


def test_the_scores_endpoint_filters_by_city_node_and_period(results_world, client):
    from rightsmarker.web.results.services import read_table

    run = results_world.run.pk
    data = client.get(f"/results/api/runs/{run}/scores?city=aranvale&node=index&period=2024")\
        .json()
    assert data["columns"] == ["unit", "period", "node", "level", "score", "rank"]
    assert len(data["rows"]) == 1
    stored = read_table(results_world.run, "scores")
    expected = stored[(stored.unit == "aranvale") & (stored.node == "index")
                      & (stored.period == 2024)]["score"].iloc[0]
    assert data["rows"][0]["score"] == pytest.approx(expected, abs=1e-4)
    levels = client.get(f"/results/api/runs/{run}/levels?period=2024").json()
    assert levels["columns"] == ["unit", "period", "node", "level", "label", "label_ko"]
    assert levels["rows"] == []  # the tiny framework declares no recognition levels


def test_api_errors_use_the_error_envelope(results_world, client):
    run = results_world.run.pk
    assert_envelope(client.get("/results/api/runs/999999/scores"), 404)
    assert_envelope(client.get(f"/results/api/runs/{run}/scores?period=soon"), 400)
    assert_envelope(client.post(f"/results/api/runs/{run}/scores"), 405)
    body = assert_envelope(client.get(f"/results/api/runs/{run}/rank-stats"), 404)
    assert body["code"] == "no_uncertainty"


def test_a_run_with_uncertainty_stores_rank_statistics_and_level_robustness(
        results_world, client):
    from rightsmarker.web.results.services import score_cycle

    run = score_cycle(results_world.past, uncertainty_runs=40)
    assert run.has_uncertainty
    data = client.get(f"/results/api/runs/{run.pk}/rank-stats?node=index").json()
    assert data["columns"] == ["unit", "period", "node", "nominal", "mean", "median", "q05",
                               "q95"]
    assert {r["unit"] for r in data["rows"]} == {"aranvale", "bellmora"}
    rows = client.get(f"/results.json?run={run.pk}").json()["rows"]
    assert all(r["rank_q05"] is not None and r["rank_q95"] is not None for r in rows)
    html = client.get(f"/results/city/aranvale/?run={run.pk}").content.decode()
    assert "Rank interval" in html


def test_the_html_report_downloads_for_the_network_and_for_one_city(results_world, client):
    response = client.get("/results/report.html")
    assert response.status_code == 200 and response["Content-Type"].startswith("text/html")
    assert b"Aranvale" in response.content and b"Bellmora" in response.content
    one = client.get("/results/report.html?city=bellmora")
    assert one.status_code == 200 and 'report-2024-bellmora.html' in one["Content-Disposition"]


def test_the_pdf_report_says_clearly_when_no_browser_is_installed(results_world, client,
                                                                  monkeypatch):
    from rightsmarker.reports import pdf

    monkeypatch.setenv("RIGHTSMARKER_CHROMIUM", "/nonexistent/chromium")
    monkeypatch.setattr(pdf.shutil, "which", lambda name: None)
    response = client.get("/results/report.pdf")
    assert response.status_code == 503
    assert "Chromium" in response.content.decode()


def test_report_downloads_follow_the_run_access_rules(results_world, assert_access):
    assert_access("/results/report.html?city=nowhere", owner=404, colleague=404, outsider=404,
                  anonymous=404, reviewer=404, admin=404)


def test_the_score_cycles_command_scores_published_cycles_without_a_run(results_world):
    import io

    from django.core.management import call_command

    from rightsmarker.web.results.models import ScoreRun

    out = io.StringIO()
    call_command("score_cycles", stdout=out)
    assert "scored 2023 cycle" in out.getvalue()
    assert ScoreRun.objects.filter(status="done").count() == 2
    call_command("score_cycles", stdout=out)
    assert "every published cycle has a score run" in out.getvalue()
