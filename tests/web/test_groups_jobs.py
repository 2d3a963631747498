"""Discovery jobs: upload, settings, a run to the end, results, downloads, promotion, access.

Jobs run synchronously in the request (``RIGHTSMARKER_DISCOVERY_SYNC``) or by calling the runner
directly; the small CSV has a planted worse-off group (women in the north).
"""

from __future__ import annotations

import io

import numpy as np
import pandas as pd
import pytest
from django.core.files.base import ContentFile
from django.core.files.uploadedfile import SimpleUploadedFile

from rightsmarker.web.groups.jobs import resume_if_orphaned, run_job
from rightsmarker.web.groups.models import DiscoveryJob, MonitoredGroup
from rightsmarker.web.groups.uploads import read_columns

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def _job_settings(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path / "uploads"
    settings.RIGHTSMARKER_DISCOVERY_SYNC = True


def small_csv(n: int = 2000) -> bytes:
    rng = np.random.default_rng(7)
    frame = pd.DataFrame({"sex": rng.choice(["Female", "Male"], n),
                          "region": rng.choice(["north", "south", "east"], n),
                          "age": rng.integers(18, 90, n)})
    risk = 0.2 + 0.35 * ((frame["sex"] == "Female") & (frame["region"] == "north"))
    frame["poor"] = np.where(rng.random(n) < risk, "yes", "no")
    return frame.to_csv(index=False).encode()


def make_job(world, persona="owner", city="city_a", run=True, **params) -> DiscoveryJob:
    job = DiscoveryJob(owner=world.users[persona], city=getattr(world, city) if city else None,
                       original_name="small.csv")
    job.data_file.save("data.csv", ContentFile(small_csv()), save=False)
    job.columns = read_columns(job.data_file.path)
    settings = {"outcome": "poor", "positive": "yes", "attributes": ["sex", "region", "age"]}
    settings.update(params)
    for key, value in settings.items():
        setattr(job, key, value)
    job.save()
    return run_job(job.pk) if run else job


def test_the_job_list_is_for_signed_in_users(world, assert_access):
    for fmt in ("/", ".json", ".csv"):
        assert_access(f"/groups/jobs{fmt}", owner=200, colleague=200, outsider=200,
                      anonymous=403, reviewer=200, admin=200)


def test_the_job_list_shows_a_user_only_the_jobs_they_may_see(world, client_for):
    make_job(world, run=False)
    make_job(world, persona="outsider", city="city_b", run=False)
    counts = {p: len(client_for(p).get("/groups/jobs.json").json()["jobs"])
              for p in ("owner", "colleague", "outsider", "reviewer")}
    assert counts == {"owner": 1, "colleague": 1, "outsider": 1, "reviewer": 2}


def test_secretariat_and_city_editors_may_start_a_job(world, assert_access):
    assert_access("/groups/jobs/new/", owner=200, colleague=403, outsider=200, anonymous=403,
                  reviewer=200, admin=200)


def test_a_job_is_seen_by_its_owner_city_members_and_the_secretariat(world, assert_access):
    job = make_job(world)
    for url in (f"/groups/jobs/{job.pk}/", f"/groups/jobs/{job.pk}.json",
                f"/groups/jobs/{job.pk}.csv", f"/groups/jobs/{job.pk}/progress/",
                f"/groups/jobs/{job.pk}/files/subgroups.csv"):
        assert_access(url, owner=200, colleague=200, outsider=403, anonymous=403,
                      reviewer=200, admin=200)


def test_a_job_without_a_city_is_seen_by_its_owner_and_the_secretariat(world, assert_access):
    job = make_job(world, persona="outsider", city=None, run=False)
    assert_access(f"/groups/jobs/{job.pk}/", owner=403, colleague=403, outsider=200,
                  anonymous=403, reviewer=200, admin=200)


def test_only_writers_open_the_settings_of_a_job(world, assert_access):
    job = make_job(world, run=False)
    assert_access(f"/groups/jobs/{job.pk}/settings/", owner=200, colleague=403, outsider=403,
                  anonymous=403, reviewer=200, admin=200)


def test_an_unknown_job_or_file_is_not_found(world, client_for):
    job = make_job(world)
    assert client_for("owner").get("/groups/jobs/999999/").status_code == 404
    assert client_for("owner").get(f"/groups/jobs/{job.pk}/files/secret.txt").status_code == 404


def test_an_uploaded_file_runs_to_done_and_lists_flagged_groups(world, client_for):
    client = client_for("owner")
    upload = SimpleUploadedFile("survey.csv", small_csv(), content_type="text/csv")
    response = client.post("/groups/jobs/new/", {"file": upload, "city": "aranvale"})
    assert response.status_code == 302
    job = DiscoveryJob.objects.get()
    assert job.city == world.city_a and job.status == "new"
    assert [c["name"] for c in job.columns] == ["sex", "region", "age", "poor"]
    assert job.data_file.name.startswith(f"discovery/{job.folder}/")
    settings_page = client.get(response.url).content.decode()
    assert 'value="yes"' in settings_page  # hints for the worse value
    response = client.post(f"/groups/jobs/{job.pk}/settings/", {
        "outcome": "poor", "positive": "yes", "attributes": ["sex", "region", "age"],
        "weight": "", "max_depth": 3, "min_size": 30, "alpha": 0.05})
    assert response.status_code == 302
    job.refresh_from_db()
    assert job.status == "done" and job.progress == 100 and job.finished is not None
    html = client.get(f"/groups/jobs/{job.pk}/").content.decode()
    assert "sex=Female;region=north" in html and "worse off" in html and "<svg" in html
    assert 'hx-trigger="every 1s"' not in html
    data = client.get(f"/groups/jobs/{job.pk}.json").json()
    flagged = [r["definition"] for r in data["subgroups"] if r["flagged"]]
    assert "sex=Female;region=north" in flagged
    assert all(r["n"] >= 30 for r in data["subgroups"])


def test_the_downloads_are_the_library_files(world, client_for):
    job = make_job(world)
    for name in ("subgroups.csv", "bins.csv", "summary.json", "all_groups.csv"):
        response = client_for("colleague").get(f"/groups/jobs/{job.pk}/files/{name}")
        assert response.status_code == 200
        assert f"discovery-{job.pk}-{name}" in response["Content-Disposition"]
    body = b"".join(client_for("owner").get(
        f"/groups/jobs/{job.pk}/files/subgroups.csv").streaming_content)
    frame = pd.read_csv(io.BytesIO(body))
    assert list(frame.columns[:4]) == ["definition", "depth", "n", "weight_share"]


def test_a_running_job_page_polls_its_progress(world, client_for):
    job = make_job(world, run=False)
    DiscoveryJob.objects.filter(pk=job.pk).update(status="running", progress=40,
                                                  stage="aggregating")
    from rightsmarker.web.background import worker_id

    DiscoveryJob.objects.filter(pk=job.pk).update(worker=worker_id())
    html = client_for("owner").get(f"/groups/jobs/{job.pk}/progress/").content.decode()
    assert 'hx-trigger="every 1s"' in html and 'value="40"' in html and "aggregating" in html


def test_a_bad_outcome_column_fails_the_job_with_its_error(world, client_for):
    job = make_job(world, outcome="poverty")
    assert job.status == "failed" and "poverty" in job.error
    html = client_for("owner").get(f"/groups/jobs/{job.pk}/").content.decode()
    assert "The job failed" in html and "poverty" in html


def test_a_worse_value_that_never_occurs_fails_the_job(world, client_for):
    job = make_job(world, positive="maybe")
    assert job.status == "failed" and "never occurs" in job.error
    assert "never occurs" in client_for("reviewer").get(f"/groups/jobs/{job.pk}/").content.decode()


def test_a_job_lost_by_a_restart_is_run_again_by_the_next_process(world, client_for):
    import socket

    job = make_job(world, run=False)
    DiscoveryJob.objects.filter(pk=job.pk).update(status="running", worker="elsewhere:1:x",
                                                  progress=40, stage="aggregating")
    job.refresh_from_db()
    assert resume_if_orphaned(job).status == "running"  # another host: cannot tell
    gone = f"{socket.gethostname()}:999999999:x"
    DiscoveryJob.objects.filter(pk=job.pk).update(worker=gone)
    html = client_for("owner").get(f"/groups/jobs/{job.pk}/").content.decode()
    job.refresh_from_db()
    assert (job.status, job.progress, job.restarts, job.error) == ("done", 100, 1, "")
    assert job.worker != gone and (job.results_path() / "subgroups.csv").exists()
    assert "The server restarted" not in html and "flagged as significantly worse off" in html


def test_a_job_lost_again_after_being_resumed_twice_is_failed_and_says_so(world, client_for):
    import socket

    from rightsmarker.web.background import MAX_RESUMES

    job = make_job(world, run=False)
    DiscoveryJob.objects.filter(pk=job.pk).update(
        status="running", worker=f"{socket.gethostname()}:999999999:x", restarts=MAX_RESUMES)
    html = client_for("owner").get(f"/groups/jobs/{job.pk}/").content.decode()
    assert "The server restarted" in html
    assert DiscoveryJob.objects.get(pk=job.pk).status == "failed"


def test_a_resumed_job_says_so_while_it_runs(world, client_for):
    from rightsmarker.web.background import worker_id

    job = make_job(world, run=False)
    DiscoveryJob.objects.filter(pk=job.pk).update(status="running", worker=worker_id(),
                                                  restarts=1, progress=40, stage="aggregating")
    html = client_for("owner").get(f"/groups/jobs/{job.pk}/progress/").content.decode()
    assert "resumed after the server restarted" in html


def test_the_settings_form_refuses_the_outcome_as_an_attribute(world, client_for):
    job = make_job(world, run=False)
    response = client_for("owner").post(f"/groups/jobs/{job.pk}/settings/", {
        "outcome": "poor", "attributes": ["poor", "sex"], "max_depth": 3, "min_size": 30,
        "alpha": 0.05})
    assert response.status_code == 400
    assert "The outcome cannot also be an attribute." in response.content.decode()


def _post_settings(client, job, **fields):
    data = {"outcome": "poor", "attributes": ["sex", "region"], "max_depth": 3,
            "min_size": 30, "alpha": 0.05, **fields}
    return client.post(f"/groups/jobs/{job.pk}/settings/", data, HTTP_ACCEPT_LANGUAGE="en")


def test_the_settings_form_asks_for_the_worse_value_of_a_yes_no_outcome(world, client_for):
    job = make_job(world, run=False, outcome="", positive="")
    response = _post_settings(client_for("owner"), job, positive="")
    html = response.content.decode()
    assert response.status_code == 400
    assert "The outcome poor is not numeric: choose which of its values is worse" in html
    assert "values found: no, yes" in html
    job.refresh_from_db()
    assert job.status != "failed" and job.outcome == ""  # nothing was run
    client = client_for("owner")
    html = client.post(f"/groups/jobs/{job.pk}/settings/",
                       {"outcome": "poor", "attributes": ["sex"], "max_depth": 3,
                        "min_size": 30, "alpha": 0.05},
                       HTTP_ACCEPT_LANGUAGE="ko").content.decode()
    assert "결과 변수 poor은(는) 숫자가 아닙니다" in html and "no, yes" in html


def test_the_settings_form_refuses_a_word_as_the_worse_value_of_a_numeric_outcome(
        world, client_for):
    job = make_job(world, run=False, outcome="", positive="")
    response = _post_settings(client_for("owner"), job, outcome="age", positive="old")
    assert response.status_code == 400
    assert "The outcome age is numeric: the worse value must be a number" in (
        response.content.decode())


def test_a_failed_job_and_its_files_never_show_the_server_path(world, client_for, tmp_path):
    failed = make_job(world, positive="")
    assert failed.status == "failed" and "small.csv" in failed.error
    assert str(tmp_path) not in failed.error and "uploads" not in failed.error
    done = make_job(world)
    body = b"".join(client_for("owner").get(
        f"/groups/jobs/{done.pk}/files/summary.json").streaming_content).decode()
    assert str(tmp_path) not in body and '"source": "small.csv"' in body


def test_promoting_a_flagged_group_makes_the_city_follow_it(world, client_for):
    job = make_job(world)
    response = client_for("owner").post(f"/groups/jobs/{job.pk}/promote/",
                                        {"definition": "region=north;sex=female"})
    assert response.status_code == 302 and response.url == "/groups/city/aranvale/"
    group = MonitoredGroup.objects.get()
    assert (group.city, group.definition, group.source_job, group.created_by) == (
        world.city_a, "place-of-residence=north;sex=female", job, world.users["owner"])
    assert group.label == group.discovered_as == "sex=Female;region=north"
    html = client_for("anonymous").get("/groups/city/aranvale/").content.decode()
    assert "place-of-residence=north;sex=female" in html and "No data yet" in html
    page = client_for("owner").get(f"/groups/jobs/{job.pk}/").content.decode()
    assert "followed" in page


def test_only_flagged_groups_may_be_promoted(world, client_for):
    job = make_job(world)
    response = client_for("owner").post(f"/groups/jobs/{job.pk}/promote/",
                                        {"definition": "region=east"})
    assert response.status_code == 404 and not MonitoredGroup.objects.exists()
    response = client_for("owner").post(f"/groups/jobs/{job.pk}/promote/", {"definition": "x"})
    assert response.status_code == 400


def test_promoting_is_for_the_citys_editors_and_the_secretariat(world, assert_access):
    job = make_job(world)
    assert_access(f"/groups/jobs/{job.pk}/promote/", method="post",
                  data={"definition": "region=north;sex=female"}, owner=302, colleague=403,
                  outsider=403, anonymous=403, reviewer=302, admin=302)
    assert MonitoredGroup.objects.count() == 1


def test_a_job_without_a_city_promotes_to_a_chosen_city(world, client_for):
    job = make_job(world, persona="reviewer", city=None)
    response = client_for("reviewer").post(f"/groups/jobs/{job.pk}/promote/", {
        "definition": "region=north;sex=female", "city": "bellmora"})
    assert response.status_code == 302
    assert MonitoredGroup.objects.get().city == world.city_b


@pytest.mark.parametrize("name, body, message", [
    ("survey.xlsx", b"PK\x03\x04", "Files of type .xlsx are not accepted"),
    ("survey.csv", b"\x00\x01\x02binary", "A CSV file must be UTF-8 text"),
    ("survey.parquet", b"sex,poor\nF,yes\n", "This is not a Parquet file."),
    ("survey.csv", b"", "The submitted file is empty."),
    ("survey.csv", b"onlyonecolumn\n1\n2\n", "at least two columns"),
])
def test_an_upload_that_cannot_be_used_is_refused(world, client_for, name, body, message):
    upload = SimpleUploadedFile(name, body)
    response = client_for("owner").post("/groups/jobs/new/", {"file": upload})
    assert response.status_code == 400
    assert message in response.content.decode()
    assert not DiscoveryJob.objects.exists()


def test_an_upload_above_the_size_limit_is_refused(world, client_for, settings):
    settings.RIGHTSMARKER_DISCOVERY_MAX_MB = 1
    upload = SimpleUploadedFile("big.csv", b"a,b\n" + b"1,2\n" * 300_000)
    response = client_for("owner").post("/groups/jobs/new/", {"file": upload})
    assert response.status_code == 400 and "larger than 1 MB" in response.content.decode()


def test_an_editor_cannot_attach_a_job_to_another_city(world, client_for):
    upload = SimpleUploadedFile("survey.csv", small_csv())
    response = client_for("owner").post("/groups/jobs/new/", {"file": upload,
                                                              "city": "bellmora"})
    assert response.status_code == 400 and not DiscoveryJob.objects.exists()


def test_a_parquet_upload_is_read(world, client_for):
    buffer = io.BytesIO()
    pd.read_csv(io.BytesIO(small_csv())).to_parquet(buffer)
    upload = SimpleUploadedFile("survey.parquet", buffer.getvalue())
    response = client_for("admin").post("/groups/jobs/new/", {"file": upload})
    assert response.status_code == 302
    job = DiscoveryJob.objects.get()
    assert {c["name"]: c["kind"] for c in job.columns}["age"] == "numeric"


@pytest.mark.django_db(transaction=True)
def test_a_job_runs_in_a_background_thread_and_reports_progress(world, settings):
    import time

    from rightsmarker.web.groups.jobs import enqueue

    settings.RIGHTSMARKER_DISCOVERY_SYNC = False
    job = make_job(world, run=False)
    enqueue(job)
    deadline = time.monotonic() + 60
    while time.monotonic() < deadline:
        job.refresh_from_db()
        if not job.in_progress:
            break
        time.sleep(0.1)
    assert job.status == "done", job.error
    assert job.progress == 100 and job.stage == "done" and job.worker


def test_a_numeric_outcome_where_lower_is_worse_flags_the_lower_group(world, client_for):
    rng = np.random.default_rng(3)
    frame = pd.DataFrame({"sex": rng.choice(["f", "m"], 600),
                          "region": rng.choice(["a", "b"], 600)})
    frame["wage"] = rng.normal(10, 1, 600) - 2 * (frame["sex"] == "f")
    job = DiscoveryJob(owner=world.users["owner"], city=world.city_a, original_name="w.csv")
    job.data_file.save("data.csv", ContentFile(frame.to_csv(index=False).encode()), save=False)
    job.columns = read_columns(job.data_file.path)
    job.save()
    response = client_for("owner").post(f"/groups/jobs/{job.pk}/settings/", {
        "outcome": "wage", "lower_is_worse": "on", "attributes": ["sex", "region"],
        "max_depth": 2, "min_size": 30, "alpha": 0.05})
    assert response.status_code == 302
    data = client_for("owner").get(f"/groups/jobs/{job.pk}.json").json()
    assert data["job"]["status"] == "done" and data["job"]["higher_is_worse"] is False
    flagged = [r["definition"] for r in data["subgroups"] if r["flagged"]]
    assert flagged[0] == "sex=f" and "sex=m" not in flagged


def test_deleting_a_job_deletes_its_files(world):
    job = make_job(world)
    folder = job.results_path().parent
    assert (folder / "data.csv").exists() and (folder / "results" / "subgroups.csv").exists()
    job.delete()
    assert not folder.exists()


def test_the_chart_of_a_yes_no_outcome_labels_its_axis_in_percent(world, client_for):
    import re

    job = make_job(world)
    html = client_for("owner").get(f"/groups/jobs/{job.pk}/").content.decode()
    ticks = re.findall(r'text-anchor="middle">([^<]*)</text>', html)
    assert ticks and all(t.endswith("%") for t in ticks) and ticks[0] == "0%"
