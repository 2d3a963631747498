"""Results: the secretariat chooses the uncertainty specification of a score run (none, the
default factors or its own factors typed or uploaded); the run's build record keeps it and the
cycle's runs page shows it."""

from __future__ import annotations

import io

import yaml
from django.core.files.uploadedfile import SimpleUploadedFile
from results_fixtures import results_world_fixture  # noqa: F401  (the results_world fixture)

OWN_FACTORS = "factors:\n- {name: theme-weights, type: weights, f: 0.1, depths: [1]}\n"


def score_url(world) -> str:
    return f"/results/cycles/{world.past.pk}/score/"


def latest_run(world):
    from rightsmarker.web.results.models import ScoreRun

    return ScoreRun.objects.filter(cycle=world.past).order_by("-pk").first()


def test_only_secretariat_admins_may_score_with_their_own_factors(results_world, assert_access):
    from rightsmarker.web.results.models import ScoreRun

    before = ScoreRun.objects.count()
    assert_access(score_url(results_world), method="post",
                  data={"uncertainty": "custom", "uncertainty_runs": "10",
                        "factors": OWN_FACTORS},
                  owner=403, colleague=403, outsider=403, anonymous=403, reviewer=403,
                  admin=302)
    assert ScoreRun.objects.count() == before + 1
    assert latest_run(results_world).created_by == results_world.users["admin"]


def test_the_score_form_offers_none_the_default_and_own_factors(results_world, client_for):
    html = client_for("admin").get(f"/results/cycles/{results_world.past.pk}/").content.decode()
    for choice in ("none", "default", "custom"):
        assert f'name="uncertainty" value="{choice}"' in html
    assert 'enctype="multipart/form-data"' in html and 'name="factors_file"' in html
    assert "name: normalisation" in html and "f: 0.25" in html  # the default, to start from
    korean = client_for("admin").get(f"/results/cycles/{results_world.past.pk}/",
                                     HTTP_ACCEPT_LANGUAGE="ko").content.decode()
    assert "불확실성 분석" in korean and "기본 요인(가중치 ±25%" in korean
    assert 'name="uncertainty"' not in client_for("reviewer").get(
        f"/results/cycles/{results_world.past.pk}/").content.decode()


def test_scoring_with_the_default_factors_stores_them_in_the_build_record(results_world,
                                                                          client_for):
    from rightsmarker.web.results.services import DEFAULT_FACTORS

    response = client_for("admin").post(score_url(results_world), {
        "uncertainty": "default", "uncertainty_runs": "12", "factors": OWN_FACTORS})
    assert response.status_code == 302
    run = latest_run(results_world)
    spec = run.build["uncertainty"]
    assert spec == {"specification": "default", "factors": DEFAULT_FACTORS, "runs": 12,
                    "seed": 0}
    assert run.uncertainty_runs == 12 and run.has_uncertainty
    assert run.build["method"]  # the library's build record is kept beside it


def test_uploaded_factors_are_used_stored_and_shown_on_the_runs_page(results_world, client_for):
    from rightsmarker.web.results.services import read_table

    client = client_for("admin")
    upload = SimpleUploadedFile("factors.yaml", OWN_FACTORS.encode(), "text/yaml")
    response = client.post(score_url(results_world), {
        "uncertainty": "custom", "uncertainty_runs": "15", "factors": "ignored: [",
        "factors_file": upload})
    assert response.status_code == 302, response.content
    run = latest_run(results_world)
    spec = run.build["uncertainty"]
    assert spec["specification"] == "custom" and spec["runs"] == 15
    assert spec["factors"] == yaml.safe_load(OWN_FACTORS)["factors"]
    ranks = read_table(run, "uncertainty/rank_stats")
    assert set(ranks["unit"]) == {"aranvale", "bellmora"}

    url = f"/results/cycles/{results_world.past.pk}/"
    html = client_for("anonymous").get(url).content.decode()
    assert 'data-uncertainty="custom"' in html and "own factors, runs: 15" in html
    assert "theme-weights" in html
    rows = {r["id"]: r for r in client_for("anonymous").get(url.rstrip("/") + ".json")
            .json()["runs"]}
    assert rows[run.pk]["uncertainty"] == "custom"
    assert rows[run.pk]["uncertainty_factors"] == spec["factors"]
    assert rows[results_world.run.pk]["uncertainty"] == "none"
    csv_text = client_for("anonymous").get(url.rstrip("/") + ".csv").content.decode()
    assert csv_text.splitlines()[0].split(",")[7] == "uncertainty"


def test_typed_factors_are_used_when_no_file_is_uploaded(results_world, client_for):
    client_for("admin").post(score_url(results_world), {
        "uncertainty": "custom", "uncertainty_runs": "10", "factors": OWN_FACTORS})
    run = latest_run(results_world)
    assert run.build["uncertainty"]["factors"][0]["name"] == "theme-weights"


def test_none_scores_without_uncertainty_whatever_the_number_of_runs(results_world, client_for):
    client_for("admin").post(score_url(results_world), {
        "uncertainty": "none", "uncertainty_runs": "200"})
    run = latest_run(results_world)
    assert run.pk != results_world.run.pk
    assert run.build["uncertainty"] == {"specification": "none", "runs": 0}
    assert run.uncertainty_runs == 0 and not run.has_uncertainty


def test_invalid_factors_are_refused_with_the_problem_and_nothing_is_scored(results_world,
                                                                            client_for):
    from rightsmarker.web.results.models import ScoreRun

    before = ScoreRun.objects.count()
    client = client_for("admin")
    cases = [("factors:\n- {name: x, type: nonsense}", "unknown factor type"),
             ("factors: [", "not valid YAML"),
             ("factors:\n- {type: weights, f: 0.1, depths: [1], bogus: 1}", "unknown field")]
    for text, problem in cases:
        response = client.post(score_url(results_world), {
            "uncertainty": "custom", "uncertainty_runs": "10", "factors": text}, follow=True)
        html = response.content.decode()
        assert "was not scored" in html and problem in html, (text, html[-2000:])
    response = client.post(score_url(results_world), {
        "uncertainty": "default", "uncertainty_runs": "0"}, follow=True)
    assert "number of uncertainty runs" in response.content.decode()
    response = client.post(score_url(results_world), {
        "uncertainty": "custom", "uncertainty_runs": "5",
        "factors_file": SimpleUploadedFile("f.yaml", b"\xff\xfe\x00bad", "text/yaml")},
        follow=True)
    assert "not UTF-8" in response.content.decode()
    assert ScoreRun.objects.count() == before


def test_runs_made_before_the_choice_read_as_default_or_none(results_world):
    from rightsmarker.web.results.services import DEFAULT_FACTORS

    run = results_world.run
    run.build.pop("uncertainty", None)
    assert run.uncertainty == {"specification": "none", "runs": 0}
    run.uncertainty_runs = 50
    assert run.uncertainty["specification"] == "default"
    assert run.uncertainty["factors"] == DEFAULT_FACTORS


def test_the_score_cycles_command_takes_a_factors_file(results_world, tmp_path):
    from django.core.management import call_command

    path = tmp_path / "factors.yaml"
    path.write_text(OWN_FACTORS, encoding="utf-8")
    call_command("score_cycles", cycle=[results_world.past.pk], uncertainty_runs=8,
                 factors=str(path), stdout=io.StringIO())
    spec = latest_run(results_world).build["uncertainty"]
    assert spec["specification"] == "custom" and spec["runs"] == 8
    assert spec["factors"][0]["name"] == "theme-weights"


def test_a_refused_score_form_shows_back_what_the_admin_typed(results_world, client_for):
    import html as html_lib

    from rightsmarker.web.results.models import ScoreRun

    before = ScoreRun.objects.count()
    method = "name: mine\nsteps: [{step: normalise, params: {method: goalposts}"  # unclosed
    response = client_for("admin").post(score_url(results_world), {
        "method": method, "uncertainty": "custom", "uncertainty_runs": "37",
        "factors": OWN_FACTORS})
    page = response.content.decode()
    assert response.status_code == 400
    assert "was not scored: the method is not valid YAML" in page
    assert html_lib.escape(method) in page and html_lib.escape(OWN_FACTORS) in page
    assert 'id="score-uncertainty-custom" checked' in page
    assert 'id="score-uncertainty-none" checked' not in page
    assert 'name="uncertainty_runs" min="0" max="2000" value="37"' in page
    assert ScoreRun.objects.count() == before


def test_a_refused_number_of_runs_is_shown_back_with_the_rest_of_the_form(results_world,
                                                                          client_for):
    response = client_for("admin").post(score_url(results_world), {
        "uncertainty": "default", "uncertainty_runs": "-3", "method": "steps: []\n"})
    page = response.content.decode()
    assert response.status_code == 400 and "whole number from 0 to 2000" in page
    assert 'value="-3"' in page and 'id="score-uncertainty-default" checked' in page
    assert ">steps: []\n</textarea>" in page


def test_the_score_form_starts_from_the_defaults(results_world, client_for):
    from rightsmarker.web.results.models import default_method_yaml

    page = client_for("admin").get(f"/results/cycles/{results_world.past.pk}/").content.decode()
    assert 'id="score-uncertainty-none" checked' in page and 'value="200"' in page
    assert default_method_yaml().splitlines()[0] in page
