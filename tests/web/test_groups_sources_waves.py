"""Discovery jobs on configured database tables (secretariat only), waves jobs with emerging
groups, and promotion through a mapping to the framework's grounds.

The microdata table is created in the test database itself (SQLite, or PostgreSQL with
``DATABASE_URL``), so the same tests run on both.
"""

from __future__ import annotations

import io
import sqlite3

import numpy as np
import pandas as pd
import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import connection

from rightsmarker.web.groups.models import DiscoveryJob, MonitoredGroup
from rightsmarker.web.reporting.models import Value

pytestmark = pytest.mark.django_db
TABLE = "rm_test_microdata"


@pytest.fixture(autouse=True)
def _job_settings(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path / "uploads"
    settings.RIGHTSMARKER_DISCOVERY_SYNC = True
    settings.RIGHTSMARKER_MICRODATA_TABLES = [TABLE]


def survey(n: int = 1500, seed: int = 5, effect_in_wave: dict | None = None) -> pd.DataFrame:
    """People in two waves; women in the north are worse off by ``effect_in_wave[wave]``."""
    rng = np.random.default_rng(seed)
    effect = effect_in_wave or {2019: 0.35, 2021: 0.35}
    frames = []
    for wave, extra in effect.items():
        frame = pd.DataFrame({"sex": rng.choice(["Female", "Male"], n),
                              "region": rng.choice(["north", "south", "east"], n),
                              "age": rng.integers(18, 90, n), "wave": wave})
        risk = 0.2 + extra * ((frame["sex"] == "Female") & (frame["region"] == "north"))
        frame["poor"] = np.where(rng.random(n) < risk, "yes", "no")
        frames.append(frame)
    return pd.concat(frames, ignore_index=True)


@pytest.fixture
def microdata_table(world):
    frame = survey()
    q = connection.ops.quote_name
    with connection.cursor() as cursor:
        cursor.execute(f"CREATE TABLE {q(TABLE)} (sex varchar(10), region varchar(10), "
                       "age integer, wave integer, poor varchar(3))")
        cursor.executemany(f"INSERT INTO {q(TABLE)} VALUES (%s, %s, %s, %s, %s)",
                           [(r.sex, r.region, int(r.age), int(r.wave), r.poor)
                            for r in frame.itertuples()])
    return frame


def test_only_the_secretariat_may_start_a_job_from_a_table(world, assert_access):
    assert_access("/groups/jobs/new/table/", owner=403, colleague=403, outsider=403,
                  anonymous=403, reviewer=200, admin=200)
    assert_access("/groups/jobs/new/table/", method="post", data={"table": TABLE},
                  owner=403, colleague=403, outsider=403, anonymous=403, reviewer=400,
                  admin=400)  # the table does not exist yet: a clear error, no job
    assert not DiscoveryJob.objects.exists()


def test_the_table_form_is_shown_to_the_secretariat_only(world, client_for, settings):
    page = client_for("admin").get("/groups/jobs/new/").content.decode()
    assert "Or use a database table" in page
    assert "Or use a database table" not in client_for("owner").get(
        "/groups/jobs/new/").content.decode()
    settings.RIGHTSMARKER_MICRODATA_TABLES = []
    assert "Or use a database table" not in client_for("admin").get(
        "/groups/jobs/new/").content.decode()
    assert client_for("admin").get("/groups/jobs/new/table/").status_code == 404


def test_a_configured_table_runs_to_done_and_finds_the_planted_group(microdata_table, client_for):
    client = client_for("reviewer")
    response = client.post("/groups/jobs/new/table/", {"table": TABLE, "city": "aranvale"})
    assert response.status_code == 302
    job = DiscoveryJob.objects.get()
    assert job.source_table == TABLE and not job.data_file
    assert {c["name"]: c["kind"] for c in job.columns} == {
        "sex": "text", "region": "text", "age": "numeric", "wave": "numeric", "poor": "text"}
    page = client.get(response.url).content.decode()
    assert "Columns of the table" in page and 'value="2019"' in page  # wave hints
    response = client.post(f"/groups/jobs/{job.pk}/settings/", {
        "outcome": "poor", "positive": "yes", "attributes": ["sex", "region", "age"],
        "max_depth": 2, "min_size": 30, "alpha": 0.05})
    assert response.status_code == 302
    data = client.get(f"/groups/jobs/{job.pk}.json").json()
    assert data["job"]["status"] == "done", data["job"]["error"]
    assert data["job"]["table"] == TABLE
    flagged = {r["definition"] for r in data["subgroups"] if r["flagged"]}
    assert "sex=Female;region=north" in flagged
    expected = (microdata_table["poor"] == "yes").mean()
    assert client.get(f"/groups/jobs/{job.pk}/").content.decode().count(TABLE) >= 1
    summary = client.get(f"/groups/jobs/{job.pk}/files/summary.json")
    body = b"".join(summary.streaming_content).decode()
    assert f"{expected:.6f}"[:6] in body  # everyone's estimate from all the table's rows


@pytest.mark.parametrize("name", ["auth_user", 'rm_test_microdata"; DROP TABLE auth_user; --',
                                  "groups_discoveryjob"])
def test_an_unlisted_table_name_is_refused(microdata_table, client_for, name):
    response = client_for("admin").post("/groups/jobs/new/table/", {"table": name})
    assert response.status_code == 400
    assert "Select a valid choice" in response.content.decode()
    assert not DiscoveryJob.objects.exists()
    from django.contrib.auth import get_user_model

    assert get_user_model().objects.count() == 5


def test_a_table_taken_off_the_list_fails_its_job_with_a_clear_error(microdata_table,
                                                                     client_for, settings):
    client = client_for("admin")
    client.post("/groups/jobs/new/table/", {"table": TABLE})
    job = DiscoveryJob.objects.get()
    settings.RIGHTSMARKER_MICRODATA_TABLES = ["something_else"]
    client.post(f"/groups/jobs/{job.pk}/settings/", {
        "outcome": "poor", "positive": "yes", "attributes": ["sex"], "max_depth": 1,
        "min_size": 30, "alpha": 0.05})
    job.refresh_from_db()
    assert job.status == "failed" and "no longer offered" in job.error


def test_a_library_source_in_the_setting_is_read_too(world, client_for, settings, tmp_path):
    path = tmp_path / "survey.db"
    with sqlite3.connect(path) as con:
        survey().to_sql("people", con, index=False)
    source = f"sqlite:{path}::people"
    settings.RIGHTSMARKER_MICRODATA_TABLES = [source]
    client = client_for("admin")
    assert client.post("/groups/jobs/new/table/", {"table": source}).status_code == 302
    job = DiscoveryJob.objects.get()
    assert job.original_name == f"people (sqlite:{path})"
    client.post(f"/groups/jobs/{job.pk}/settings/", {
        "outcome": "poor", "positive": "yes", "attributes": ["sex", "region"], "max_depth": 2,
        "min_size": 30, "alpha": 0.05})
    job.refresh_from_db()
    assert job.status == "done", job.error


def test_a_bad_entry_in_the_setting_is_a_system_check_error(settings):
    from rightsmarker.web.groups.tables import check_microdata_tables

    settings.RIGHTSMARKER_MICRODATA_TABLES = ["ok_table", "public.ok", "a.b.c", "duckdb:x.db"]
    errors = check_microdata_tables()
    assert [e.id for e in errors] == ["groups.E001", "groups.E001"]
    assert "'a.b.c'" in errors[0].msg and "'duckdb:x.db'" in errors[1].msg


def upload_waves_job(client, effect=None) -> DiscoveryJob:
    frame = survey(effect_in_wave=effect or {2019: 0.0, 2021: 0.35})
    upload = SimpleUploadedFile("waves.csv", frame.to_csv(index=False).encode())
    response = client.post("/groups/jobs/new/", {"file": upload, "city": "aranvale"})
    assert response.status_code == 302
    return DiscoveryJob.objects.latest("pk")


def waves_settings(**changes) -> dict:
    data = {"outcome": "poor", "positive": "yes", "attributes": ["sex", "region", "age"],
            "max_depth": 2, "min_size": 30, "alpha": 0.05, "wave": "wave", "wave_1": "2019",
            "wave_2": "2021"}
    data.update(changes)
    return data


def test_a_waves_job_reports_the_emerging_group_with_a_chart_and_twins(world, client_for):
    client = client_for("owner")
    job = upload_waves_job(client)
    assert client.post(f"/groups/jobs/{job.pk}/settings/", waves_settings()).status_code == 302
    job.refresh_from_db()
    assert job.status == "done", job.error
    assert (job.wave, job.waves, job.is_waves) == ("wave", ["2019", "2021"], True)
    html = client.get(f"/groups/jobs/{job.pk}/").content.decode()
    assert "emerging groups" in html and "<svg" in html and "Change of the gap" in html
    data = client.get(f"/groups/jobs/{job.pk}.json").json()
    emerging = data["emerging"]
    planted = [r for r in emerging if r["definition"] == "sex=Female;region=north"]
    assert planted and planted[0]["status"] == "new"
    assert all(r["flagged"] and r["change"] > 0 and min(r["n_1"], r["n_2"]) >= 30
               for r in emerging)
    assert not {r["definition"] for r in emerging} & {"sex=Male", "region=south"}
    folded = " | ".join(r["folded"] or "" for r in emerging)
    assert len({r["definition"] for r in emerging}) == len(emerging)
    assert "sex=Female;region=north" not in folded
    csv = pd.read_csv(io.BytesIO(client.get(f"/groups/jobs/{job.pk}.csv").content))
    assert list(csv["definition"]) == [r["definition"] for r in emerging]
    assert {"gap_1", "gap_2", "change", "q_value", "status", "folded"} <= set(csv.columns)
    assert client.get(f"/groups/jobs/{job.pk}/files/emerging.csv").status_code == 200
    assert client.get(f"/groups/jobs/{job.pk}/files/subgroups.csv").status_code == 404


def test_a_waves_job_and_its_files_are_seen_by_its_owner_city_members_and_the_secretariat(
        world, client_for, assert_access):
    job = upload_waves_job(client_for("owner"))
    client_for("owner").post(f"/groups/jobs/{job.pk}/settings/", waves_settings())
    for url in (f"/groups/jobs/{job.pk}/", f"/groups/jobs/{job.pk}.json",
                f"/groups/jobs/{job.pk}.csv", f"/groups/jobs/{job.pk}/files/waves.csv",
                f"/groups/jobs/{job.pk}/files/emerging.csv"):
        assert_access(url, owner=200, colleague=200, outsider=403, anonymous=403,
                      reviewer=200, admin=200)
    assert_access(f"/groups/jobs/{job.pk}/settings/", owner=200, colleague=403, outsider=403,
                  anonymous=403, reviewer=200, admin=200)


def test_a_stable_gap_is_not_an_emerging_group(world, client_for):
    client = client_for("owner")
    job = upload_waves_job(client, effect={2019: 0.35, 2021: 0.35})
    client.post(f"/groups/jobs/{job.pk}/settings/", waves_settings())
    data = client.get(f"/groups/jobs/{job.pk}.json").json()
    assert data["job"]["status"] == "done"
    assert "sex=Female;region=north" not in {r["definition"] for r in data["emerging"]}


@pytest.mark.parametrize("changes, message", [
    ({"wave_2": ""}, "Name the two waves to compare."),
    ({"wave_2": "2019"}, "The two waves must differ."),
    ({"wave": "sex"}, "The wave column must be a column of its own."),
    ({"wave": "", "wave_1": "2019"}, "Choose the wave column of the two waves."),
])
def test_the_waves_settings_are_checked(world, client_for, changes, message):
    client = client_for("owner")
    job = upload_waves_job(client)
    response = client.post(f"/groups/jobs/{job.pk}/settings/", waves_settings(**changes))
    assert response.status_code == 400 and message in response.content.decode()


def test_an_unknown_wave_fails_the_job_naming_the_waves_found(world, client_for):
    client = client_for("owner")
    job = upload_waves_job(client)
    client.post(f"/groups/jobs/{job.pk}/settings/", waves_settings(wave_2="2023"))
    job.refresh_from_db()
    assert job.status == "failed" and "2023" in job.error and "2021" in job.error


def finished_job(client) -> DiscoveryJob:
    """A job whose flagged groups include ``sex=Female`` and ``sex=Female;zone=north`` (a
    column no ground is named after)."""
    frame = survey().rename(columns={"region": "zone"})
    upload = SimpleUploadedFile("s.csv", frame.to_csv(index=False).encode())
    client.post("/groups/jobs/new/", {"file": upload, "city": "aranvale"})
    job = DiscoveryJob.objects.latest("pk")
    client.post(f"/groups/jobs/{job.pk}/settings/", {
        "outcome": "poor", "positive": "yes", "attributes": ["sex", "zone", "age"],
        "max_depth": 2, "min_size": 30, "alpha": 0.05})
    job.refresh_from_db()
    assert job.status == "done", job.error
    return job


def test_the_promote_page_proposes_a_mapping_and_flags_what_is_unmapped(world, client_for,
                                                                        assert_access):
    job = finished_job(client_for("owner"))
    url = f"/groups/jobs/{job.pk}/promote/?definition=sex%3DFemale"
    assert_access(url, owner=200, colleague=403, outsider=403, anonymous=403, reviewer=200,
                  admin=200)
    html = client_for("owner").get(url).content.decode()
    assert '<span class="code" id="canonical">sex=female</span> (women)' in html
    assert '<option value="sex" selected>' in html and 'value="Women"' in html
    assert "column named as the ground; value of the ground" in html
    page = client_for("owner").get(f"/groups/jobs/{job.pk}/promote/",
                                   {"definition": "sex=Female;zone=north"}).content.decode()
    assert 'class="unmapped"' in page and "incomplete: map every condition" in page
    assert client_for("owner").get(f"/groups/jobs/{job.pk}/promote/",
                                   {"definition": "sex=Male"}).status_code == 404


def test_an_incomplete_mapping_is_refused_and_an_edited_one_is_stored(world, client_for):
    client = client_for("owner")
    job = finished_job(client)
    response = client.post(f"/groups/jobs/{job.pk}/promote/",
                           {"definition": "sex=Female;zone=north"})
    assert response.status_code == 400 and "zone=north: no ground" in response.content.decode()
    response = client.post(f"/groups/jobs/{job.pk}/promote/", {
        "definition": "sex=Female;zone=north", "ground_0": "sex", "value_0": "robot",
        "ground_1": "place-of-residence", "value_1": "north"})
    assert response.status_code == 400 and "not a value of ground" in response.content.decode()
    assert not MonitoredGroup.objects.exists()
    response = client.post(f"/groups/jobs/{job.pk}/promote/", {
        "definition": "sex=Female;zone=north", "ground_0": "sex", "value_0": "Female",
        "ground_1": "place-of-residence", "value_1": "north", "label": "Northern women"})
    assert response.status_code == 302
    group = MonitoredGroup.objects.get()
    assert (group.definition, group.discovered_as, group.label) == (
        "place-of-residence=north;sex=female", "sex=Female;zone=north", "Northern women")
    response = client.post(f"/groups/jobs/{job.pk}/promote/", {
        "definition": "sex=Female", "ground_0": "sex", "value_0": "Female", "label": ""})
    assert response.status_code == 302
    group = MonitoredGroup.objects.get(definition="sex=female")
    assert (group.discovered_as, group.label) == ("sex=Female", "Women")
    page = client.get(f"/groups/jobs/{job.pk}/").content.decode()
    assert "followed" in page


def test_the_city_page_follows_a_promoted_group_once_values_are_reported(world, client_for):
    client = client_for("owner")
    job = finished_job(client)
    client.post(f"/groups/jobs/{job.pk}/promote/", {"definition": "sex=Female"})
    html = client_for("anonymous").get("/groups/city/aranvale/").content.decode()
    assert "Discovered in microdata as sex=Female." in html and "No data yet" in html
    Value.objects.create(submission=world.published, indicator="poverty-rate",
                         group="sex=female", value_number=17.5)
    data = client_for("anonymous").get("/groups/city/aranvale.json").json()
    followed = [r for r in data["gaps"] if r["group"] == "sex=female"]
    assert followed and followed[0]["value"] == 17.5 and followed[0]["gap"] == 5.0
    html = client_for("anonymous").get("/groups/city/aranvale/").content.decode()
    section = html.split('id="monitored-heading"')[1].split("</section>")[0]
    assert "No data yet" not in section and "17.5" in section


def test_a_waves_job_promotes_its_emerging_groups(world, client_for):
    client = client_for("owner")
    job = upload_waves_job(client)
    client.post(f"/groups/jobs/{job.pk}/settings/", waves_settings())
    first = client.get(f"/groups/jobs/{job.pk}.json").json()["emerging"][0]["definition"]
    response = client.post(f"/groups/jobs/{job.pk}/promote/", {"definition": first})
    assert response.status_code == 302
    assert MonitoredGroup.objects.get().discovered_as == first
    response = client.post(f"/groups/jobs/{job.pk}/promote/", {"definition": "sex=Male"})
    assert response.status_code == 404


def test_the_new_pages_speak_korean(world, client_for):
    client = client_for("admin")
    page = client.get("/groups/jobs/new/", HTTP_ACCEPT_LANGUAGE="ko").content.decode()
    assert "또는 데이터베이스 테이블 사용" in page
    job = finished_job(client_for("owner"))
    page = client.get(f"/groups/jobs/{job.pk}/promote/", {"definition": "sex=Female;zone=north"},
                      HTTP_ACCEPT_LANGUAGE="ko").content.decode()
    assert "이 집단 모니터링하기" in page and "대응 안 됨" in page
    settings_page = client.get(f"/groups/jobs/{job.pk}/settings/",
                               HTTP_ACCEPT_LANGUAGE="ko").content.decode()
    assert "차수 (선택 사항)" in settings_page
