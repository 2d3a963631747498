"""Results: a city of a run without scores in the run's period (values of earlier cycles only)
gets a clear page, never a server error, and the run builds the pages of every other city."""

from __future__ import annotations

import csv
import io

import pytest
from results_fixtures import (
    add_values,
    results_world_fixture,  # noqa: F401  (the results_world fixture)
)


@pytest.fixture(name="unscored")
def unscored_fixture(results_world):
    """A run of the open 2025 cycle in which only bellmora has approved values: aranvale has
    values of 2023 and 2024 (kept for its trends) but none of 2025."""
    from rightsmarker.web.results.services import score_cycle

    other = results_world.other
    other.status = "approved"
    other.save()
    add_values(other, {"ordinance": 1, "action-plan": 2, "employment-rate": 60.0})
    results_world.unscored_run = score_cycle(results_world.current,
                                             user=results_world.users["admin"])
    return results_world


def test_a_score_run_builds_the_pages_of_its_scored_cities_and_skips_the_others(unscored):
    run = unscored.unscored_run
    assert run.status == "done"
    assert run.warmed["skipped"] == ["aranvale"] and run.warmed["cities"] == 1
    assert run.warmed["built"] == 2 and run.warmed["failed"] == 0
    names = sorted(p.name.rsplit("-", 1)[0] for p in (run.folder / "pages").glob("*.json"))
    assert names == ["profile-bellmora-en", "profile-bellmora-ko"]


def test_the_profile_of_a_city_without_scores_in_the_run_says_so(unscored, client_for):
    client = client_for("admin")
    url = f"/results/city/aranvale/?run={unscored.unscored_run.pk}"
    response = client.get(url)
    html = response.content.decode()
    assert response.status_code == 200
    assert ('id="profile-no-scores"' in html and "No scores for Aranvale in this run" in html
            and "this cycle (2025 cycle, period 2025)" in html)
    assert 'id="profile-bars"' not in html and 'data-testid="report-html"' not in html
    korean = client.get(url, HTTP_ACCEPT_LANGUAGE="ko").content.decode()
    assert "이 점수 산정에는 아란베일의 점수가 없습니다" in korean
    assert client.get(f"/results/city/bellmora/?run={unscored.unscored_run.pk}"
                      ).content.decode().count('id="profile-bars"') == 1


def test_the_twins_of_a_profile_without_scores_agree_with_the_page(unscored, client_for):
    client = client_for("admin")
    run = unscored.unscored_run.pk
    data = client.get(f"/results/city/aranvale.json?run={run}")
    assert data.status_code == 200
    body = data.json()
    assert body["scored"] is False and "No scores for Aranvale" in body["message"]
    assert body["themes"] == body["indicators"] == body["groups"] == []
    assert body["period"] == 2025 and body["run"]["id"] == run
    table = client.get(f"/results/city/aranvale.csv?run={run}")
    assert table.status_code == 200
    rows = list(csv.reader(io.StringIO(table.content.decode())))
    assert rows[0][:3] == ["theme", "theme_label", "indicator"] and len(rows) == 1
    assert client.get(f"/results/city/bellmora.json?run={run}").json()["scored"] is True


def test_a_run_of_an_unpublished_cycle_stays_hidden_from_cities(unscored, assert_access):
    assert_access(f"/results/city/aranvale/?run={unscored.unscored_run.pk}", owner=403,
                  colleague=403, outsider=403, anonymous=403, reviewer=200, admin=200)


def test_one_city_whose_page_fails_does_not_keep_the_others_from_being_built(
        results_world, monkeypatch):
    from rightsmarker.web.results import pages
    from rightsmarker.web.results.services import score_cycle

    build = pages.profile_page

    def failing_for_aranvale(run, unit, language):
        if unit == "aranvale":
            raise ValueError("broken")
        return build(run, unit, language)

    monkeypatch.setattr(pages, "profile_page", failing_for_aranvale)
    run = score_cycle(results_world.past)
    assert run.status == "done"
    assert run.warmed["failed"] == 2 and run.warmed["built"] == 2
    names = sorted(p.name.rsplit("-", 1)[0] for p in (run.folder / "pages").glob("*.json"))
    assert names == ["profile-bellmora-en", "profile-bellmora-ko"]


def report_links(html: str) -> list[str]:
    import re

    return [link.replace("&amp;", "&") for link in
            re.findall(r'href="(/results/report\.[a-z]+\?[^"]*)"', html)]


def test_the_report_links_of_an_unpublished_run_lead_to_its_report(unscored, client_for):
    client = client_for("admin")
    run = unscored.unscored_run.pk
    links = report_links(client.get(f"/results/?run={run}").content.decode())
    assert links == [f"/results/report.html?run={run}", f"/results/report.pdf?run={run}"]
    response = client.get(links[0])
    assert response.status_code == 200 and "Bellmora" in response.content.decode()
    assert "Aranvale" not in response.content.decode()
    assert client_for("owner").get(links[0]).status_code == 403


def test_the_report_of_a_city_without_scores_in_the_run_says_why_there_is_none(
        unscored, client_for):
    client = client_for("admin")
    run = unscored.unscored_run.pk
    response = client.get(f"/results/report.html?run={run}&city=aranvale")
    assert response.status_code == 404
    assert response.content.decode().startswith("No scores for Aranvale in this run: ")
    assert client.get(f"/results/report.html?run={run}&city=bellmora").status_code == 200
    links = report_links(client.get(f"/results/city/bellmora/?run={run}").content.decode())
    assert links[0] == f"/results/report.html?run={run}&city=bellmora"


def test_the_comparison_of_a_city_without_scores_in_the_run_says_so(unscored, client_for):
    client = client_for("admin")
    url = f"/results/city/aranvale/compare/?run={unscored.unscored_run.pk}"
    html = client.get(url).content.decode()
    assert 'id="compare-no-scores"' in html and "No scores for Aranvale in this run" in html
    data = client.get(url.replace("/compare/", "/compare.json")).json()
    assert "No scores for Aranvale" in data["message"]
    scored = client.get(f"/results/city/bellmora/compare/?run={unscored.unscored_run.pk}")
    assert 'id="compare-no-scores"' not in scored.content.decode()
