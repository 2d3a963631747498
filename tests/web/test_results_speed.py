"""Results: what makes a city profile fast. The parts that are the same for every visitor are
built once per run, city and language, and stored in the run's folder for every process; a
warm profile needs a handful of queries."""

from __future__ import annotations

from results_fixtures import results_world_fixture  # noqa: F401  (the results_world fixture)


def unwarmed(run):
    """The run as an older version made it: no stored pages nor gaps (built on first visit)."""
    import shutil

    from rightsmarker.web.results import services

    shutil.rmtree(run.folder / "pages")
    (run.folder / "gaps.parquet").unlink()
    services.clear_cache()
    return run


def test_a_profile_is_stored_once_per_run_and_read_back_by_a_fresh_process(results_world,
                                                                          client, monkeypatch):
    from rightsmarker.web.results import pages, services

    unwarmed(results_world.run)
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
    unwarmed(results_world.run)
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
    run = unwarmed(score_cycle(results_world.past))
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


def test_a_value_is_built_once_however_many_threads_ask_for_it_at_once():
    import threading
    import time

    from rightsmarker.web.results.services import _cached

    calls = []

    def build():
        calls.append(1)
        time.sleep(0.05)
        return object()

    key = ("test-build-once", time.time())
    got = []
    threads = [threading.Thread(target=lambda: got.append(_cached(key, build)))
               for _ in range(8)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    assert len(calls) == 1 and len(got) == 8 and len({id(v) for v in got}) == 1


def test_a_cycle_withdrawn_from_publication_hides_its_run_at_once(results_world, client):
    assert client.get("/results/city/aranvale/").status_code == 200
    results_world.past.status = "closed"
    results_world.past.save(update_fields=["status"])
    assert client.get("/results/city/aranvale/").status_code == 404
    assert client.get("/results.json").json()["run"] is None


def test_the_profile_shows_a_practice_published_after_its_first_visit(results_world, client,
                                                                      tmp_path, settings):
    from practices_fixtures import make

    settings.RIGHTSMARKER_PRACTICE_INDEX = tmp_path / "practices-index.sqlite3"
    html = client.get("/results/city/aranvale/").content.decode()
    assert 'id="profile-practices"' in html and "Rights training" not in html
    make(results_world.city_a, "aranvale-rights", "published",
         title={"en": "Rights training for officials", "ko": "공무원 인권 교육"}, themes=["CUL"])
    html = client.get("/results/city/aranvale/").content.decode()
    assert "Rights training for officials" in html
    korean = client.get("/results/city/aranvale/", HTTP_ACCEPT_LANGUAGE="ko").content.decode()
    assert "공무원 인권 교육" in korean


def test_the_profile_page_loads_plotly_from_the_site_in_its_head(results_world, client):
    for _ in range(2):  # built, then from the cache
        html = client.get("/results/city/aranvale/").content.decode()
        head = html.split("</head>")[0]
        assert '<script src="/results/plotly-' in head


def test_the_group_gaps_are_stored_with_the_run_and_read_back_unchanged(results_world,
                                                                        monkeypatch):
    import pandas as pd

    import rightsmarker as rm
    from rightsmarker.web.results import services

    run = unwarmed(results_world.run)
    result = services.load_result(run)
    expected = rm.gaps(result.observations, result.framework).reset_index(drop=True)
    first = services.load_gaps(run)
    assert (run.folder / "gaps.parquet").exists() and not first.empty
    services.clear_cache()  # a fresh process reads the file: nothing is computed again

    def refuse(*args, **kwargs):
        raise AssertionError("the gaps were computed again")

    monkeypatch.setattr(rm, "gaps", refuse)
    again = services.load_gaps(run)
    pd.testing.assert_frame_equal(again, first)
    pd.testing.assert_frame_equal(again, expected)


def test_a_renamed_cycle_shows_its_new_name_at_once(results_world, client):
    assert "Cycle 2024 cycle, score run" in client.get("/results/city/aranvale/").content.decode()
    results_world.past.name = "Cycle of 2024"
    results_world.past.save(update_fields=["name"])
    html = client.get("/results/city/aranvale/").content.decode()
    assert "Cycle Cycle of 2024, score run" in html
