"""Results: a score run builds its group gaps and every city's profile parts (every language)
before it is marked done, so the first visitors of a city wait for nothing."""

from __future__ import annotations

import io

import pytest
from results_fixtures import results_world_fixture  # noqa: F401  (the results_world fixture)


def without_plotly_ids(html: str) -> str:
    """Plotly names each chart's div with a random UUID: the rest must be the same."""
    import re

    ids = set(re.findall(r'id="([0-9a-f]{8}-[0-9a-f-]{27})"', html))
    assert ids or "plotly-graph-div" not in html
    for n, found in enumerate(sorted(ids, key=html.index)):
        html = html.replace(found, f"chart-{n}")
    return html


def refuse(*args, **kwargs):
    raise AssertionError("built on a visit")


def test_a_score_run_stores_the_group_gaps_and_every_profile_in_every_language(results_world):
    run = results_world.run
    names = sorted(p.name.rsplit("-", 1)[0] for p in (run.folder / "pages").iterdir())
    assert names == ["profile-aranvale-en", "profile-aranvale-ko", "profile-bellmora-en",
                     "profile-bellmora-ko"]
    assert (run.folder / "gaps.parquet").exists()
    assert run.status == "done"
    assert run.warmed["built"] == 4 and run.warmed["cities"] == 2
    assert run.warmed["languages"] == ["en", "ko"] and run.warmed["seconds"] > 0


def test_a_profile_after_a_score_run_builds_nothing(results_world, client, monkeypatch):
    import rightsmarker as rm
    from rightsmarker.web.results import pages, services

    services.clear_cache()  # a server process that did not score the run
    monkeypatch.setattr(pages, "profile_page", refuse)
    monkeypatch.setattr(pages, "profile_parts", refuse)
    monkeypatch.setattr(services, "load_result", refuse)
    monkeypatch.setattr(rm, "gaps", refuse)
    for code in ("aranvale", "bellmora"):
        english = client.get(f"/results/city/{code}/")
        korean = client.get(f"/results/city/{code}/", HTTP_ACCEPT_LANGUAGE="ko")
        assert english.status_code == korean.status_code == 200
        assert 'id="profile-bars"' in english.content.decode()
        assert "영역 점수" in korean.content.decode()
    assert client.get("/results/city/aranvale.json").json()["groups"]


@pytest.mark.parametrize("language", ["en", "ko"])
def test_the_stored_profiles_equal_freshly_built_ones(results_world, language):
    from django.utils import translation

    from rightsmarker.web.results import pages, services

    run = results_world.run
    services.clear_cache()
    for code in ("aranvale", "bellmora"):
        stored = services.read_stored(run, pages.profile_name(code, language))
        with translation.override(language):
            fresh = pages.profile_page(run, code, language)
        assert stored.keys() == fresh.keys() == {"themes", "indicators", "groups", "body"}
        assert {k: stored[k] for k in ("themes", "indicators", "groups")} == \
            {k: fresh[k] for k in ("themes", "indicators", "groups")}
        assert without_plotly_ids(stored["body"]) == without_plotly_ids(fresh["body"])
        assert stored["indicators"] and stored["body"].count("<tr data-indicator=") > 0


def test_a_run_is_not_shown_before_its_pages_are_built(results_world, client, monkeypatch):
    from rightsmarker.web.results import warming
    from rightsmarker.web.results.models import ScoreRun
    from rightsmarker.web.results.services import score_cycle

    seen = []
    original = warming.warm_run

    def watching(run, progress=None):
        seen.append((ScoreRun.objects.get(pk=run.pk).status,
                     client.get("/results.json").json()["run"]["id"]))
        return original(run, progress=progress)

    monkeypatch.setattr(warming, "warm_run", watching)
    run = score_cycle(results_world.past)
    assert seen == [("running", results_world.run.pk)]
    assert client.get("/results.json").json()["run"]["id"] == run.pk


def test_a_run_whose_pages_fail_to_build_is_done_and_builds_them_on_first_visit(
        results_world, client, monkeypatch):
    from rightsmarker.web.results import pages, services
    from rightsmarker.web.results.services import score_cycle

    build = pages.profile_page
    monkeypatch.setattr(pages, "profile_page", refuse)
    run = score_cycle(results_world.past)
    assert run.status == "done" and run.warmed["built"] == 0
    assert not list((run.folder / "pages").glob("*.json"))
    monkeypatch.setattr(pages, "profile_page", build)
    services.clear_cache()
    assert client.get(f"/results/city/aranvale/?run={run.pk}").status_code == 200
    assert [p.name.startswith("profile-aranvale-en-")
            for p in (run.folder / "pages").iterdir()] == [True]


def test_the_score_cycles_command_shows_the_pages_being_built(results_world):
    from django.core.management import call_command

    out = io.StringIO()
    call_command("score_cycles", cycle=[results_world.past.pk], stdout=out)
    lines = out.getvalue().splitlines()
    assert "2024 cycle: pages 4/4" in lines
    assert lines[-1].startswith("scored 2024 cycle: run ")
    assert "(pages of 2 cities in en, ko built in " in lines[-1]
