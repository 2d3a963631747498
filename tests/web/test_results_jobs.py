"""Results: scoring a cycle on the web runs in the background (``results/jobs.py``), its stage
and progress on the run's row, polled by the runs page; failures and runs of a process that is
gone are shown as failed."""

from __future__ import annotations

import os
import socket
import time

import pytest
from results_fixtures import results_world_fixture  # noqa: F401  (the results_world fixture)

from rightsmarker.errors import RightsMarkerError


def score_url(world) -> str:
    return f"/results/cycles/{world.past.pk}/score/"


def progress_url(run) -> str:
    return f"/results/cycles/{run.cycle_id}/runs/{run.pk}/progress/"


def running_run(cycle, **fields):
    from rightsmarker.web.background import worker_id
    from rightsmarker.web.results.models import ScoreRun

    values = {"status": "running", "progress": 62, "stage": "pages:3/8", "worker": worker_id()}
    return ScoreRun.objects.create(cycle=cycle, **(values | fields))


def test_everyone_who_sees_a_published_cycle_sees_its_running_run_progress(results_world,
                                                                           assert_access):
    run = running_run(results_world.past)
    assert_access(progress_url(run), owner=200, colleague=200, outsider=200, anonymous=200,
                  reviewer=200, admin=200)


def test_only_the_secretariat_sees_the_progress_of_a_run_of_an_unpublished_cycle(
        results_world, assert_access, client_for):
    run = running_run(results_world.current)
    assert_access(progress_url(run), owner=403, colleague=403, outsider=403, anonymous=403,
                  reviewer=200, admin=200)
    html = client_for("owner").get(f"/results/cycles/{results_world.current.pk}/").content
    assert b"run-progress" not in html


def test_a_failed_run_is_shown_to_the_secretariat_only(results_world, assert_access):
    run = running_run(results_world.past, status="failed", stage="failed", error="boom")
    assert_access(progress_url(run), owner=403, colleague=403, outsider=403, anonymous=403,
                  reviewer=200, admin=200)


def test_the_progress_of_a_run_of_another_cycle_or_an_unknown_run_is_not_found(results_world,
                                                                               client_for):
    run = running_run(results_world.past)
    other = f"/results/cycles/{results_world.old.pk}/runs/{run.pk}/progress/"
    assert client_for("admin").get(other).status_code == 404
    missing = f"/results/cycles/{results_world.past.pk}/runs/999999/progress/"
    assert client_for("admin").get(missing).status_code == 404


def test_the_progress_partial_shows_the_stage_and_a_bar_and_polls_while_running(results_world,
                                                                               client_for):
    run = running_run(results_world.past)
    html = client_for("anonymous").get(progress_url(run)).content.decode()
    assert "building pages 3/8" in html and 'value="62"' in html
    assert f'hx-get="{progress_url(run)}"' in html and 'hx-trigger="every 1s"' in html
    page = client_for("anonymous").get(f"/results/cycles/{results_world.past.pk}/").content
    assert f'id="run-progress-{run.pk}"'.encode() in page and b"<progress" in page
    korean = client_for("anonymous").get(progress_url(run), HTTP_ACCEPT_LANGUAGE="ko")
    assert "페이지 생성 3/8" in korean.content.decode()


def test_a_finished_run_stops_polling_and_links_its_results(results_world, client_for):
    run = results_world.run
    html = client_for("anonymous").get(progress_url(run)).content.decode()
    assert "hx-get" not in html and f"?run={run.pk}" in html


def test_scoring_reports_every_stage_with_growing_progress(results_world, monkeypatch):
    from rightsmarker.web.results import jobs
    from rightsmarker.web.results.services import prepare_run

    seen: list[tuple[int, str]] = []
    update = jobs._update

    def spy(pk, **fields):
        if "progress" in fields:
            seen.append((fields["progress"], fields["stage"]))
        update(pk, **fields)

    monkeypatch.setattr(jobs, "_update", spy)
    run = prepare_run(results_world.past, uncertainty_runs=4)
    done = jobs.run_job(run.pk)
    assert done.status == "done" and done.progress == 100 and done.stage == "done"
    stages = [stage.partition(":")[0] for _p, stage in seen]
    assert stages[:5] == ["starting", "scoring", "uncertainty", "storing", "pages"]
    percents = [p for p, _s in seen]
    assert percents == sorted(percents) and percents[0] < 10 and percents[-1] == 99
    assert seen[-1][1] == "pages:4/4"  # two cities in two languages


@pytest.mark.django_db(transaction=True)
def test_a_run_scored_in_the_background_completes_and_becomes_visible(results_world,
                                                                      client_for, settings):
    from rightsmarker.web.results.jobs import retrying
    from rightsmarker.web.results.models import ScoreRun

    settings.RIGHTSMARKER_SCORING_SYNC = False
    client = client_for("admin")
    response = client.post(score_url(results_world), {"uncertainty": "none"})
    run = ScoreRun.objects.filter(cycle=results_world.past).order_by("-pk").first()
    assert response.status_code == 302
    assert response["Location"] == f"/results/cycles/{results_world.past.pk}/#run-{run.pk}"
    page = client.get(response["Location"]).content.decode()
    assert f"Scoring started (run {run.pk})" in page
    progress = []
    deadline = time.monotonic() + 90
    while time.monotonic() < deadline:
        retrying(run.refresh_from_db)  # the thread may hold the in-memory table's lock
        progress.append(run.progress)
        if not run.in_progress:
            break
        time.sleep(0.1)
    assert run.status == "done", run.error
    assert run.progress == 100 and progress == sorted(progress)
    anonymous = client_for("anonymous")
    assert anonymous.get(f"/results/?run={run.pk}").status_code == 200
    assert "See the results" in anonymous.get(progress_url(run)).content.decode()


def test_a_failing_score_marks_the_run_failed_with_its_error_on_the_runs_page(
        results_world, client_for, monkeypatch):
    import rightsmarker as rm
    from rightsmarker.web.results.models import ScoreRun

    def broken(*args, **kwargs):
        raise RightsMarkerError("the engine broke on purpose")

    monkeypatch.setattr(rm, "score", broken)
    response = client_for("admin").post(score_url(results_world), follow=True)
    html = response.content.decode()
    run = ScoreRun.objects.filter(cycle=results_world.past).order_by("-pk").first()
    assert run.status == "failed" and run.stage == "failed"
    assert "the engine broke on purpose" in run.error
    assert "was not scored: the engine broke on purpose" in html
    assert f'id="run-progress-{run.pk}" class="run-progress" data-status="failed"' in html
    assert client_for("anonymous").get(f"/results/?run={run.pk}").status_code == 403


def test_an_unexpected_error_fails_the_run_with_its_type_and_message(results_world,
                                                                     monkeypatch):
    import rightsmarker as rm
    from rightsmarker.web.results import jobs
    from rightsmarker.web.results.services import prepare_run

    def broken(*args, **kwargs):
        raise ValueError("no luck")

    monkeypatch.setattr(rm, "score", broken)
    run = jobs.run_job(prepare_run(results_world.past).pk)
    assert run.status == "failed" and run.error == "ValueError: no luck"


def test_a_run_of_a_process_that_is_gone_is_scored_again_by_the_next_process(results_world,
                                                                               client_for):
    from rightsmarker.web.results.models import ScoreRun
    from rightsmarker.web.results.services import prepare_run

    gone = f"{socket.gethostname()}:{os.getpid()}:not-this-process"
    run = prepare_run(results_world.past)
    ScoreRun.objects.filter(pk=run.pk).update(status="running", progress=62, stage="pages:3/8",
                                              worker=gone)
    html = client_for("admin").get(f"/results/cycles/{results_world.past.pk}/").content.decode()
    run.refresh_from_db()
    assert (run.status, run.progress, run.restarts, run.error) == ("done", 100, 1, "")
    assert run.worker != gone and run.build["method"]  # scored here, from the start
    assert f'?run={run.pk}">#{run.pk}</a>' in html  # linked: its results can be seen


def test_a_resumed_run_says_so_while_it_runs(results_world, client_for):
    run = running_run(results_world.past, restarts=1)
    html = client_for("admin").get(progress_url(run)).content.decode()
    assert "resumed after the server restarted" in html
    fresh = running_run(results_world.past)
    assert "resumed after" not in client_for("admin").get(progress_url(fresh)).content.decode()


def test_a_run_orphaned_again_after_being_resumed_twice_is_failed_and_says_so(results_world,
                                                                              client_for):
    from rightsmarker.web.background import MAX_RESUMES

    gone = f"{socket.gethostname()}:{os.getpid()}:not-this-process"
    run = running_run(results_world.past, worker=gone, restarts=MAX_RESUMES)
    html = client_for("admin").get(f"/results/cycles/{results_world.past.pk}/").content.decode()
    run.refresh_from_db()
    assert run.status == "failed" and run.restarts == MAX_RESUMES
    assert "server restarted while this run was waiting or running" in html


def test_the_first_request_takes_over_only_the_runs_whose_process_is_gone(results_world,
                                                                         monkeypatch):
    from rightsmarker.web.results import jobs

    started = []
    monkeypatch.setattr(jobs.ORPHANS, "start", started.append)
    gone = f"{socket.gethostname()}:{os.getpid()}:not-this-process"
    alive = running_run(results_world.past)
    orphan = running_run(results_world.past, worker=gone)
    elsewhere = running_run(results_world.past, worker="another-host:1:x")  # cannot tell
    monkeypatch.setattr(jobs.ORPHANS, "reaped", False)
    assert jobs.resume_orphaned_runs() == 1
    assert jobs.resume_orphaned_runs() == 0  # once per process
    assert started == [orphan.pk]
    for run in (alive, orphan, elsewhere):
        run.refresh_from_db()
    assert alive.status == "running" and elsewhere.status == "running"
    assert (orphan.status, orphan.stage, orphan.progress, orphan.restarts) == (
        "queued", "queued", 0, 1)


def test_a_run_another_process_took_over_first_is_not_started_twice(results_world, monkeypatch):
    from rightsmarker.web.background import worker_id
    from rightsmarker.web.results import jobs
    from rightsmarker.web.results.models import ScoreRun

    started = []
    monkeypatch.setattr(jobs.ORPHANS, "start", started.append)
    gone = f"{socket.gethostname()}:{os.getpid()}:not-this-process"
    seen = running_run(results_world.past, worker=gone)  # as read before the other process
    ScoreRun.objects.filter(pk=seen.pk).update(worker=worker_id(), status="queued", restarts=1)
    assert jobs.resume_if_orphaned(seen).restarts == 1
    assert started == []


def test_a_running_run_shows_its_method_before_the_build_record_names_it(results_world,
                                                                         client_for):
    method = "name: our-method\nsteps:\n- step: normalise\n- step: aggregate\n"
    named = running_run(results_world.past, method=method)
    broken = running_run(results_world.past, method="steps: [")
    rows = {r["id"]: r for r in client_for("admin").get(
        f"/results/cycles/{results_world.past.pk}.json").json()["runs"]}
    assert rows[named.pk]["method"] == "our-method" and rows[broken.pk]["method"] is None
    html = client_for("admin").get(f"/results/cycles/{results_world.past.pk}/").content.decode()
    assert "<td>our-method</td>" in html
