"""The practice editor's sub-themes and indicators: offered from the framework of the city's
current cycle, validated, stored, shown on the practice page and usable as search filters."""

from __future__ import annotations

import pytest
from practices_fixtures import _practice_index, make  # noqa: F401  (fixtures)

from rightsmarker.web.practices.models import PracticeRecord

pytestmark = pytest.mark.django_db

FORM = {"title_en": "Street outreach", "summary_en": "Outreach workers meet people sleeping rough.",
        "language": "en"}


@pytest.fixture(name="bundled_cycle")
def bundled_cycle_fixture(world):
    """A newer cycle on the bundled framework, in which only Aranvale reports."""
    from rightsmarker.framework.io import load_framework, yaml_dump
    from rightsmarker.web.frameworks.importing import import_framework
    from rightsmarker.web.reporting.models import Cycle, Submission

    fw = load_framework("social-inclusion-marker")
    fv = import_framework(yaml_dump(fw.model_dump(mode="json", exclude_none=True)),
                          source="bundled.yaml")
    cycle = Cycle.objects.create(name="2026 cycle", year=2026, framework_version=fv)
    Submission.objects.create(cycle=cycle, city=world.city_a, status="draft")
    return cycle


def options(html: str, name: str) -> str:
    start = html.index(f'name="{name}"')
    return html[start:html.index("</select>", start)]


def test_the_editor_offers_the_indicators_of_the_city_s_current_framework(
        world, client_for, bundled_cycle):
    mine = client_for("owner").get("/practices/new/aranvale/").content.decode()
    assert 'value="SPA.1.P1"' in options(mine, "indicators")
    assert 'value="SPA.1"' in options(mine, "sub_themes")
    assert "poverty-rate" not in options(mine, "indicators")
    theirs = client_for("outsider").get("/practices/new/bellmora/").content.decode()
    assert 'value="poverty-rate"' in options(theirs, "indicators")
    assert "SPA.1.P1" not in options(theirs, "indicators")


def test_chosen_sub_themes_and_indicators_are_stored_and_versioned(world, client_for,
                                                                   bundled_cycle):
    response = client_for("owner").post("/practices/new/aranvale/",
                                        FORM | {"sub_themes": ["SPA.1"],
                                                "indicators": ["SPA.1.P1", "SOC.1.O1"]})
    assert response.status_code == 302
    record = PracticeRecord.objects.get()
    assert record.data["sub_themes"] == ["SPA.1"]
    assert record.data["indicators"] == ["SPA.1.P1", "SOC.1.O1"]
    assert record.versions.get().data["indicators"] == ["SPA.1.P1", "SOC.1.O1"]
    edit = client_for("owner").get(f"/practices/{record.pk}/edit/").content.decode()
    assert 'value="SPA.1.P1" selected' in options(edit, "indicators")


def test_an_indicator_outside_the_city_s_framework_is_refused(world, client_for):
    response = client_for("outsider").post("/practices/new/bellmora/",
                                           FORM | {"indicators": ["SPA.1.P1"]})
    assert response.status_code == 200 and b"SPA.1.P1" in response.content
    assert not PracticeRecord.objects.exists()
    response = client_for("outsider").post("/practices/new/bellmora/",
                                           FORM | {"indicators": ["poverty-rate"]})
    assert response.status_code == 302
    assert PracticeRecord.objects.get().data["indicators"] == ["poverty-rate"]


def test_a_stored_code_the_framework_lacks_stays_selectable_on_edit(world, client_for):
    record = make(world.city_b, "bellmora-old", "draft", indicators=["ECO.1.O1"])
    page = client_for("outsider").get(f"/practices/{record.pk}/edit/").content.decode()
    assert 'value="ECO.1.O1" selected' in options(page, "indicators")


def test_the_practice_page_shows_its_indicators_with_their_labels(world, client_for):
    record = make(world.city_b, "bellmora-jobs", "published", indicators=["poverty-rate"])
    page = client_for("anonymous").get(f"/practices/{record.pk}/").content.decode()
    assert "<code>poverty-rate</code> Poverty rate" in page
    korean = client_for("anonymous").get(f"/practices/{record.pk}/",
                                         HTTP_ACCEPT_LANGUAGE="ko").content.decode()
    assert "<code>poverty-rate</code> 빈곤율" in korean


def test_indicators_and_sub_themes_are_search_filters(world, client_for, bundled_cycle):
    make(world.city_a, "aranvale-outreach", "published", sub_themes=["SPA.1"],
         indicators=["SPA.1.P1"])
    make(world.city_a, "aranvale-other", "published", indicators=["SOC.1.O1"])
    client = client_for("anonymous")

    def found(theme):
        return [r["id"] for r in client.get("/practices/search.json",
                                            {"theme": theme}).json()["results"]]

    assert found("SPA.1.P1") == ["aranvale-outreach"]
    assert found("SPA.1") == ["aranvale-outreach"]
    assert found("SOC") == ["aranvale-other"]
    page = client.get("/practices/").content.decode()
    assert 'value="SPA.1.P1"' in options(page, "theme")
    listing = client.get("/practices/search.json", {"theme": "SPA"}).json()["results"]
    assert [(r["sub_themes"], r["indicators"]) for r in listing] == [("SPA.1", "SPA.1.P1")]
