"""The indicator page: definition, the network's values, the cities that improved it and their
published good practices; twins; who sees what; links to it from other pages."""

from __future__ import annotations

import pytest
from practices_fixtures import _practice_index, make  # noqa: F401  (fixtures)
from results_fixtures import results_world_fixture  # noqa: F401  (fixture)

pytestmark = pytest.mark.django_db


@pytest.fixture(name="tagged")
def tagged_fixture(results_world):
    """Aranvale's practices: one on the indicator, one on its theme, one draft, one elsewhere;
    Bellmora's (which got worse) on the indicator."""
    w = results_world
    return {
        "direct": make(w.city_a, "aranvale-jobs", "published", title={"en": "Jobs coaching"},
                       indicators=["employment-rate"]),
        "theme": make(w.city_a, "aranvale-inclusion", "published",
                      title={"en": "Inclusion desk"}, themes=["inclusion"]),
        "draft": make(w.city_a, "aranvale-secret", "draft", title={"en": "Secret jobs plan"},
                      indicators=["employment-rate"]),
        "other": make(w.city_a, "aranvale-laws", "published", title={"en": "Law review"},
                      indicators=["ordinance"]),
        "worse": make(w.city_b, "bellmora-jobs", "published", title={"en": "Bellmora jobs"},
                      indicators=["employment-rate"]),
    }


def test_the_page_ranks_improved_cities_and_lists_what_they_did(results_world, client_for,
                                                                tagged):
    data = client_for("anonymous").get("/results/indicators/employment-rate.json").json()
    assert data["indicator"]["label"] == "Employment rate"
    assert data["period"] == 2024
    by_unit = {r["unit"]: r for r in data["rows"]}
    assert by_unit["aranvale"]["change"] == pytest.approx(3.0)  # 61 -> 64, higher is better
    assert by_unit["bellmora"]["change"] == pytest.approx(-1.0)  # 58 -> 57
    assert [r["unit"] for r in data["improved"]] == ["aranvale"]
    assert data["improved"][0]["improvement_rank"] == 1
    practices = data["improved"][0]["practices"]
    assert [(p["id"], p["match"]) for p in practices] == [("aranvale-jobs", "indicator"),
                                                         ("aranvale-inclusion", "theme")]


def test_a_lower_is_better_indicator_counts_a_fall_as_an_improvement(results_world,
                                                                     client_for):
    data = client_for("anonymous").get("/results/indicators/poverty-rate.json").json()
    # Aranvale 14 -> 12.5 (better), Bellmora 22 -> 27 (worse)
    assert [r["unit"] for r in data["improved"]] == ["aranvale"]
    assert data["improved"][0]["change"] == pytest.approx(1.5)


def test_the_html_page_links_cities_and_practices_and_hides_drafts(results_world, client_for,
                                                                   tagged):
    html = client_for("anonymous").get("/results/indicators/employment-rate/").content.decode()
    assert "Jobs coaching" in html and "Inclusion desk" in html
    assert f'href="/practices/{tagged["direct"].pk}/"' in html
    assert "Secret jobs plan" not in html and "Law review" not in html
    assert "Bellmora jobs" not in html  # Bellmora did not improve
    assert 'href="/results/city/aranvale/' in html


def test_the_csv_twin_has_one_row_per_city(results_world, client_for, tagged):
    text = client_for("anonymous").get("/results/indicators/employment-rate.csv").content.decode()
    lines = text.splitlines()
    assert lines[0].startswith("unit,name,period,value")
    assert len(lines) == 3 and lines[1].startswith("aranvale,")
    assert "aranvale-jobs; aranvale-inclusion" in lines[1]


def test_unknown_codes_and_aggregates_are_not_found(results_world, client_for):
    client = client_for("anonymous")
    assert client.get("/results/indicators/no-such/").status_code == 404
    assert client.get("/results/indicators/inclusion/").status_code == 404


def test_anonymous_visitors_see_only_published_runs(results_world, client_for, assert_access):
    from rightsmarker.web.results.services import score_cycle

    results_world.draft.status = "approved"  # the open 2025 cycle, scored but not published
    results_world.draft.save()
    run = score_cycle(results_world.current, user=results_world.users["admin"])
    url = f"/results/indicators/poverty-rate/?run={run.pk}"
    assert_access(url, owner=403, colleague=403, outsider=403, anonymous=403, reviewer=200,
                  admin=200)
    assert_access("/results/indicators/employment-rate/", owner=200, colleague=200,
                  outsider=200, anonymous=200, reviewer=200, admin=200)


def test_the_page_speaks_korean(results_world, client_for):
    html = client_for("anonymous").get("/results/indicators/employment-rate/",
                                       HTTP_ACCEPT_LANGUAGE="ko").content.decode()
    assert "이 지표를 개선한 도시와 그 실천" in html


def test_city_profiles_framework_pages_and_practices_link_to_the_indicator_page(
        results_world, client_for, tagged):
    client = client_for("anonymous")
    profile = client.get("/results/city/aranvale/").content.decode()
    assert 'href="/results/indicators/employment-rate/"' in profile
    framework = client_for("admin").get(f"/frameworks/{results_world.fv.pk}/").content.decode()
    assert 'href="/results/indicators/poverty-rate/"' in framework
    assert 'href="/results/indicators/inclusion/"' not in framework
    practice = client.get(f"/practices/{tagged['direct'].pk}/").content.decode()
    assert 'href="/results/indicators/employment-rate/"' in practice


def test_the_page_names_kind_and_value_type_in_korean_and_no_unit_for_worded_types(
        results_world, client_for):
    client = client_for("anonymous")
    korean = client.get("/results/indicators/action-plan/", HTTP_ACCEPT_LANGUAGE="ko")
    html = korean.content.decode()
    assert "<dd>과정</dd>" in html and "<dd>단계</dd>" in html  # kind process, value type stage
    english = client.get("/results/indicators/poverty-rate/").content.decode()
    assert "<dd>outcome</dd>" in english and "<dd>percent (%)</dd>" in english
