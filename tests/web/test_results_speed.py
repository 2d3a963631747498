"""Results: what makes a city profile fast. The parts that are the same for every visitor are
built once per run, city and language, and stored in the run's folder for every process; a
warm profile needs a handful of queries."""

from __future__ import annotations

from results_fixtures import results_world_fixture  # noqa: F401  (the results_world fixture)


def test_a_profile_is_stored_once_per_run_and_read_back_by_a_fresh_process(results_world,
                                                                          client, monkeypatch):
    from rightsmarker.web.results import pages, services

    first = client.get("/results/city/aranvale.json").json()
    html = client.get("/results/city/aranvale/").content.decode()
    stored = sorted(p.name for p in (results_world.run.folder / "pages").iterdir())
    assert len(stored) == 1 and stored[0].startswith("profile-aranvale-en-"), stored
    # A fresh process (empty memory) reads the stored file: nothing is rebuilt.
    services.clear_cache()

    def refuse(*args, **kwargs):
        raise AssertionError("the profile was rebuilt")

    monkeypatch.setattr(pages, "profile_parts", refuse)
    monkeypatch.setattr(services, "load_result", refuse)
    again = client.get("/results/city/aranvale.json").json()
    assert again["themes"] == first["themes"] and again["indicators"] == first["indicators"]
    assert again["groups"] == first["groups"]
    second = client.get("/results/city/aranvale/").content.decode()
    assert 'id="profile-themes"' in second and 'id="profile-bars"' in second
    assert second.count("<tr data-indicator=") == html.count("<tr data-indicator=")


def test_each_language_and_city_is_stored_apart(results_world, client):
    client.get("/results/city/aranvale/")
    client.get("/results/city/aranvale/", HTTP_ACCEPT_LANGUAGE="ko")
    client.get("/results/city/bellmora/")
    names = sorted(p.name.rsplit("-", 1)[0] for p in (results_world.run.folder / "pages").iterdir())
    assert names == ["profile-aranvale-en", "profile-aranvale-ko", "profile-bellmora-en"]
    korean = client.get("/results/city/aranvale/", HTTP_ACCEPT_LANGUAGE="ko").content.decode()
    assert "영역 점수" in korean and "Theme scores" not in korean


def test_a_new_run_never_serves_the_pages_of_an_old_one(results_world, client):
    from rightsmarker.web.results.services import score_cycle

    client.get("/results/city/aranvale/")
    old = client.get("/results/city/aranvale.json").json()
    run = score_cycle(results_world.past)
    new = client.get(f"/results/city/aranvale.json?run={run.pk}").json()
    assert new["run"]["id"] == run.pk != old["run"]["id"]
    assert [p.name.startswith("profile-aranvale-en-")
            for p in (run.folder / "pages").iterdir()] == [True]


def test_the_group_gaps_of_a_city_are_its_own_rows(results_world):
    from rightsmarker.web.results.services import load_gaps, unit_gaps

    gaps = load_gaps(results_world.run)
    mine = unit_gaps(results_world.run, "aranvale")
    assert len(mine) == (gaps["unit"] == "aranvale").sum() > 0
    assert set(mine["unit"]) == {"aranvale"}
    assert unit_gaps(results_world.run, "nowhere").empty


def test_a_warm_profile_needs_few_queries(results_world, client, django_assert_max_num_queries):
    client.get("/results/city/aranvale/")
    with django_assert_max_num_queries(4):
        response = client.get("/results/city/aranvale/")
    assert response.status_code == 200
