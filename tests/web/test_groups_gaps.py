"""Gap pages of the groups app: observations from the database, the city page, the network view.

Seeded on the ``world`` of conftest: Aranvale's published 2024 submission gets a 2023
predecessor, with ``sex=female`` poverty rates of 14 (2023, total 12) and 18 (2024, total 12.5):
the gap grows from 2 to 5.5 points, a widened gap and an alert. Bellmora's 2025 submission is
approved (not published): only its members and the secretariat may see its values.
"""

from __future__ import annotations

import pytest

from rightsmarker.web.groups.data import COLUMNS, framework_for, observations_from_db
from rightsmarker.web.groups.models import MonitoredGroup
from rightsmarker.web.reporting.models import Cycle, Submission, Value

pytestmark = pytest.mark.django_db


@pytest.fixture
def seeded(world):
    earlier = Cycle.objects.create(name="2023 cycle", year=2023, framework_version=world.fv,
                                   status="published")
    old = Submission.objects.create(cycle=earlier, city=world.city_a, status="published")
    for group, number in (("total", 12.0), ("sex=female", 14.0), ("sex=male", 10.0)):
        Value.objects.create(submission=old, indicator="poverty-rate", group=group,
                             value_number=number)
    for group, number in (("sex=female", 18.0), ("sex=male", 7.0)):
        Value.objects.create(submission=world.published, indicator="poverty-rate", group=group,
                             value_number=number)
    world.other.status = "approved"
    world.other.save()
    Value.objects.create(submission=world.other, indicator="poverty-rate", group="sex=female",
                         value_number=30.0)
    return world


def test_observations_from_db_follow_the_library_contract(seeded):
    obs = observations_from_db()
    assert list(obs.columns[:len(COLUMNS)]) == COLUMNS
    assert set(obs["unit"]) == {"aranvale", "bellmora"}  # drafts are never read
    assert sorted(obs.loc[obs["unit"] == "aranvale", "period"].unique()) == [2023, 2024]
    assert framework_for(obs).code == "tiny"


def test_observations_for_a_visitor_hold_only_published_values(seeded):
    from django.contrib.auth.models import AnonymousUser

    assert set(observations_from_db(user=AnonymousUser())["unit"]) == {"aranvale"}
    assert set(observations_from_db(user=seeded.users["outsider"])["unit"]) == {
        "aranvale", "bellmora"}
    assert set(observations_from_db(user=seeded.users["owner"])["unit"]) == {"aranvale"}
    assert set(observations_from_db(user=seeded.users["reviewer"])["unit"]) == {
        "aranvale", "bellmora"}


def test_the_city_gap_page_is_public(seeded, assert_access):
    for fmt in ("/", ".json", ".csv"):
        assert_access(f"/groups/city/aranvale{fmt}", owner=200, colleague=200, outsider=200,
                      anonymous=200, reviewer=200, admin=200)


def test_an_unknown_city_has_no_gap_page(seeded, assert_access):
    assert_access("/groups/city/nowhere/", owner=404, colleague=404, outsider=404,
                  anonymous=404, reviewer=404, admin=404)


def test_the_network_view_is_public(seeded, assert_access):
    for url in ("/groups/", "/groups/network/", "/groups/network.json", "/groups/network.csv"):
        assert_access(url, owner=200, colleague=200, outsider=200, anonymous=200, reviewer=200,
                      admin=200)


def test_the_city_page_shows_a_widened_gap_and_its_alert_first(seeded, client_for):
    page = client_for("anonymous").get("/groups/city/aranvale/")
    html = page.content.decode()
    assert "sex=female" in html and "widened" in html
    assert html.index("alerts-heading") < html.index("gaps-heading")
    data = client_for("anonymous").get("/groups/city/aranvale.json").json()
    assert data["period"] == 2024
    alert = next(a for a in data["alerts"] if a["reason"] == "gap_widened")
    assert alert["group"] == "sex=female" and alert["period"] == 2024
    assert alert["gap"] == pytest.approx(5.5) and alert["previous_gap"] == pytest.approx(2.0)
    block = data["indicators"][0]
    assert block["code"] == "poverty-rate" and block["coverage"]["status"] == "partly"
    female = next(r for r in block["rows"] if r["group"] == "sex=female")
    assert female["widened"] is True and female["gap_change"] == pytest.approx(3.5)


def test_the_city_page_draws_bars_of_groups_against_the_total(seeded, client_for):
    html = client_for("anonymous").get("/groups/city/aranvale/").content.decode()
    assert 'class="bar reference" style="width: 69.4%"' in html  # 12.5 of 18
    assert 'style="width: 100.0%"' in html


def test_the_csv_twin_lists_every_period(seeded, client_for):
    text = client_for("anonymous").get("/groups/city/aranvale.csv").content.decode()
    assert text.splitlines()[0].startswith("unit,period,indicator,group,value")
    assert "aranvale,2023,poverty-rate,sex=female" in text
    assert "aranvale,2024,poverty-rate,sex=female" in text


def test_approved_values_are_shown_to_the_citys_members_and_the_secretariat(seeded, client_for):
    for persona, period in (("anonymous", None), ("owner", None), ("outsider", 2025),
                            ("reviewer", 2025), ("admin", 2025)):
        data = client_for(persona).get("/groups/city/bellmora.json").json()
        assert data["period"] == period, persona


def test_the_network_view_counts_alerts_and_coverage_per_city(seeded, client_for):
    data = client_for("reviewer").get("/groups/network.json").json()
    rows = {r["code"]: r for r in data["cities"]}
    assert rows["aranvale"]["alerts"] >= 1 and rows["aranvale"]["period"] == 2024
    assert rows["aranvale"]["partly"] == 1 and rows["aranvale"]["missing_grounds"] == "age (1)"
    assert rows["bellmora"]["period"] == 2025
    anonymous = client_for("anonymous").get("/groups/network.json").json()
    assert {r["code"]: r["period"] for r in anonymous["cities"]}["bellmora"] is None


def test_the_network_view_filters_by_region(seeded, client_for):
    seeded.city_a.region = "North"
    seeded.city_a.save()
    data = client_for("anonymous").get("/groups/network.json?region=North").json()
    assert [r["code"] for r in data["cities"]] == ["aranvale"]
    html = client_for("anonymous").get("/groups/?region=North").content.decode()
    assert "/groups/network.json?region=North" in html


def test_a_monitored_group_shows_its_gaps_on_the_city_page(seeded, client_for):
    MonitoredGroup.objects.create(city=seeded.city_a, definition="sex=female", label="Women")
    MonitoredGroup.objects.create(city=seeded.city_a, definition="age=<28", label="Young")
    html = client_for("anonymous").get("/groups/city/aranvale/").content.decode()
    assert "Women" in html and "Young" in html
    assert "No data yet: no values have been reported for this group." in html
    data = client_for("anonymous").get("/groups/city/aranvale.json").json()
    assert [m["definition"] for m in data["monitored_groups"]] == ["age=<28", "sex=female"]


def test_only_editors_and_the_secretariat_stop_following_a_group(seeded, client_for):
    for persona, status in (("anonymous", 403), ("colleague", 403), ("outsider", 403),
                            ("owner", 302), ("reviewer", 302), ("admin", 302)):
        group = MonitoredGroup.objects.create(city=seeded.city_a, definition="sex=female")
        url = f"/groups/city/aranvale/monitored/{group.pk}/remove/"
        assert client_for(persona).post(url).status_code == status, persona
        assert MonitoredGroup.objects.filter(pk=group.pk).exists() == (status == 403)
        MonitoredGroup.objects.filter(pk=group.pk).delete()


def test_a_city_without_values_has_an_empty_gap_page(world, client_for):
    page = client_for("anonymous").get("/groups/city/bellmora/")
    assert page.status_code == 200
    assert "No approved or published values yet." in page.content.decode()


def test_an_alert_reads_in_the_page_language_with_names_and_one_consistent_measure(
        seeded, client_for):
    client = client_for("anonymous")
    english = client.get("/groups/city/aranvale.json", HTTP_ACCEPT_LANGUAGE="en").json()
    alert = next(a for a in english["alerts"] if a["reason"] == "gap_widened")
    # the gap grew by 3.5 = 28% of the total's 12.5; the threshold is 5%: 5.6 times it
    assert alert["severity_text"] == "5.6 × the alert threshold (5%)"
    assert alert["message"].startswith("Aranvale, ")
    assert "by 3.5, that is 28% of the value of Total (12.5)" in alert["message"]
    html = client.get("/groups/city/aranvale/", HTTP_ACCEPT_LANGUAGE="ko").content.decode()
    assert "경보 임계값(5%)의 5.6배" in html and "기준값의" not in html
    korean = client.get("/groups/city/aranvale.json", HTTP_ACCEPT_LANGUAGE="ko").json()
    message = next(a for a in korean["alerts"] if a["reason"] == "gap_widened")["message"]
    assert message.startswith("아란베일, ") and "aranvale" not in message
    assert "sex=female" not in message and "전체 값(12.5)의 28%입니다" in message


def test_groups_and_grounds_are_shown_by_their_labels(seeded, client_for):
    client = client_for("anonymous")
    html = client.get("/groups/city/aranvale/", HTTP_ACCEPT_LANGUAGE="en").content.decode()
    assert '<span title="sex=female">Women</span>' in html
    assert "<td>age</td>" not in html and "Age" in html  # the missing ground, by its label
    html = client.get("/groups/city/aranvale/", HTTP_ACCEPT_LANGUAGE="ko").content.decode()
    assert '<span title="sex=female">여성</span>' in html and "연령" in html
    row = next(r for r in client_for("reviewer").get(
        "/groups/network.json", HTTP_ACCEPT_LANGUAGE="ko").json()["cities"]
        if r["code"] == "aranvale")
    assert row["missing_grounds"] == "age (1)" and row["missing_grounds_text"] == "연령 (1)"


def test_the_chart_axis_has_round_ticks_and_percents_for_shares():
    from rightsmarker.web.groups.charts import interval_chart

    rows = [{"definition": "a=1", "estimate": 0.186, "ci_low": 0.15, "ci_high": 0.2,
             "rest_estimate": 0.0929, "flagged": True}]
    assert [t["label"] for t in interval_chart(rows, percent=True)["axis"]] == [
        "0%", "5%", "10%", "15%", "20%"]
    wages = [{"definition": "a=1", "estimate": 31500.0, "ci_low": 30000.0, "ci_high": 33000.0,
              "rest_estimate": 35123.0, "flagged": True}]
    assert [t["label"] for t in interval_chart(wages)["axis"]] == [
        "0", "10,000", "20,000", "30,000", "40,000"]
