"""Practices on the web: search, similar practices, tag suggestions, twins, API, import/export."""

from __future__ import annotations

import io
import json

import pytest
from practices_fixtures import _practice_index, make, practices_fixture  # noqa: F401  (fixtures)

from rightsmarker.web.practices.models import PracticeRecord

pytestmark = pytest.mark.django_db


def ids(response) -> list[str]:
    return sorted(r["id"] for r in response.json()["results"])


def test_search_finds_a_korean_text_with_a_particle(world, client_for, practices):
    client = client_for("anonymous")
    assert ids(client.get("/practices/search.json", {"q": "인권을"})) == ["aranvale-rights"]
    assert ids(client.get("/practices/search.json", {"q": "교육과정을"})) == ["aranvale-rights"]
    page = client.get("/practices/", {"q": "인권을"}).content.decode()
    assert "Rights training for officials" in page


def test_search_filters_by_theme_group_city_region_and_year(world, client_for, practices):
    world.city_b.region = "Northern Estoria"
    world.city_b.save()
    make(world.city_b, "bellmora-later", "published", title={"en": "Later housing"},
         themes=["SPA"])
    client = client_for("anonymous")
    assert ids(client.get("/practices/search.json", {"theme": "SPA"})) == [
        "bellmora-housing", "bellmora-later"]
    assert ids(client.get("/practices/search.json", {"group": "migrants"})) == ["aranvale-rights"]
    assert ids(client.get("/practices/search.json", {"city": "aranvale"})) == ["aranvale-rights"]
    assert ids(client.get("/practices/search.json", {"year": "2022"})) == [
        "aranvale-rights", "bellmora-housing"]
    assert ids(client.get("/practices/search.json", {"q": "houses"})) == [
        "bellmora-housing", "bellmora-later"]
    # the region is the city's when the practice was saved
    assert ids(client.get("/practices/search.json", {"region": "Northern Estoria"})) == [
        "bellmora-later"]


def test_the_search_csv_twin_lists_the_published_practices(world, client_for, practices):
    response = client_for("anonymous").get("/practices/search.csv")
    assert response["Content-Type"].startswith("text/csv")
    text = response.content.decode()
    assert text.splitlines()[0].startswith("id,city,region,title_en")
    assert "bellmora-housing" in text and "aranvale-draft" not in text


def test_the_index_is_rebuilt_when_it_is_lost(world, client_for, practices, settings):
    settings.RIGHTSMARKER_PRACTICE_INDEX = settings.RIGHTSMARKER_PRACTICE_INDEX.with_name("new")
    assert ids(client_for("anonymous").get("/practices/search.json")) == [
        "aranvale-rights", "bellmora-housing"]


def test_a_practice_page_lists_similar_practices(world, client_for, practices):
    make(world.city_a, "aranvale-housing", "published",
         title={"en": "Housing First flats for homeless people"}, themes=["SPA"],
         groups=["homeless-persons"])
    detail = client_for("anonymous").get(f"/practices/{practices.housing.pk}.json").json()
    assert [s["id"] for s in detail["similar"]][:1] == ["aranvale-housing"]
    page = client_for("anonymous").get(f"/practices/{practices.housing.pk}/").content.decode()
    assert "Similar practices" in page and "Housing First flats" in page


def test_accepting_a_suggestion_adds_the_code_to_the_practice(world, client_for, practices):
    record = practices.draft
    client = client_for("owner")
    text = {"title_en": "Accessible housing for persons with disabilities",
            "summary_en": "Ramps and lifts in public rental flats for wheelchair users."}
    response = client.post(f"/practices/{record.pk}/suggest/", text)
    page = response.content.decode()
    assert response.status_code == 200
    assert "persons-with-disabilities" in page and "Accept" in page and "score" in page
    decided = client.post(f"/practices/{record.pk}/tags/",
                          {"kind": "group", "code": "persons-with-disabilities",
                           "decision": "accept"})
    assert decided.status_code == 200 and 'hx-swap-oob="true"' in decided.content.decode()
    record.refresh_from_db()
    assert record.data["groups"] == ["persons-with-disabilities"]
    assert record.versions.first().action == "accept tag"
    client.post(f"/practices/{record.pk}/tags/", {"kind": "sdg", "code": "11",
                                                  "decision": "reject"})
    record.refresh_from_db()
    assert record.data["sdg_targets"] == []


def test_suggestions_are_for_those_who_may_edit(world, assert_access, practices):
    url = f"/practices/{practices.draft.pk}/suggest/"
    assert_access(url, method="post", data={"title_en": "housing"}, owner=200, colleague=403,
                  outsider=403, anonymous=403, reviewer=403, admin=200)


def test_the_api_lists_and_shows_published_practices_in_the_envelope(world, client_for,
                                                                     practices):
    client = client_for("anonymous")
    listing = client.get("/practices/api/practices", {"q": "인권"}).json()
    assert [p["id"] for p in listing["results"]] == ["aranvale-rights"]
    one = client.get("/practices/api/practices/bellmora-housing").json()
    assert one["practice"]["title"]["en"] == "Housing First for people sleeping rough"
    for url in ("/practices/api/practices/aranvale-draft", "/practices/api/nothing"):
        error = client.get(url)
        assert error.status_code == 404 and error.json()["error"]["code"] == "not_found"
    bad = client.get("/practices/api/practices", {"limit": "many"})
    assert bad.status_code == 422 and bad.json()["error"]["details"]
    assert client.post("/practices/api/practices").json()["error"]["status"] == 405


def test_the_secretariat_exports_and_an_admin_imports_practices(world, assert_access,
                                                                client_for, practices):
    assert_access("/practices/export.json", owner=403, colleague=403, outsider=403,
                  anonymous=403, reviewer=200, admin=200)
    assert_access("/practices/import/", owner=403, colleague=403, outsider=403, anonymous=403,
                  reviewer=403, admin=200)
    exported = json.loads(client_for("admin").get("/practices/export.json").content)
    items = exported if isinstance(exported, list) else exported["practices"]
    assert len(items) == 4
    for item in items:
        item["title"] = {"en": item["title"].get("en", "") + " (imported)"}
    from django.core.files.uploadedfile import SimpleUploadedFile

    upload = SimpleUploadedFile("p.json", json.dumps(items).encode(), "application/json")
    response = client_for("admin").post("/practices/import/", {"file": upload})
    assert response.status_code == 302
    rights = PracticeRecord.objects.get(code="aranvale-rights")
    assert rights.data["title"]["en"].endswith("(imported)")
    assert rights.versions.first().action == "import"
    csv_text = client_for("reviewer").get("/practices/export.csv").content.decode()
    assert csv_text.startswith("id,city")


def test_an_import_with_an_unknown_city_imports_nothing(world, client_for):
    from django.core.files.uploadedfile import SimpleUploadedFile

    items = [{"id": "x-1", "city": "atlantis", "title": {"en": "Nowhere"}}]
    upload = SimpleUploadedFile("p.json", json.dumps(items).encode(), "application/json")
    response = client_for("admin").post("/practices/import/", {"file": upload})
    assert response.status_code == 200 and "atlantis" in response.content.decode()
    assert not PracticeRecord.objects.exists()


def test_the_demo_practices_are_seeded_once_into_the_demo_cities(db):
    from rightsmarker.web.practices.seed import seed_demo_practices
    from rightsmarker.web.seed import seed_demo

    seed_demo(n_cities=12)
    added = seed_demo_practices()
    assert added == 6 and PracticeRecord.objects.count() == 6
    assert PracticeRecord.objects.filter(status="published").count() == 3
    assert seed_demo_practices() == 0


def test_the_reindex_command_rebuilds_the_index_from_published_records(world, practices,
                                                                      settings):
    from django.core.management import call_command

    from rightsmarker.web.practices.services import open_index

    settings.RIGHTSMARKER_PRACTICE_INDEX = settings.RIGHTSMARKER_PRACTICE_INDEX.with_name("re")
    out = io.StringIO()
    call_command("practices_reindex", stdout=out)
    assert "indexed 2 published practices" in out.getvalue()
    with open_index() as index:
        assert sorted(p.id for p in index.all()) == ["aranvale-rights", "bellmora-housing"]


def test_the_detail_csv_twin_lists_the_fields_as_rows(world, client_for, practices):
    text = client_for("anonymous").get(f"/practices/{practices.housing.pk}.csv").content.decode()
    lines = text.splitlines()
    assert lines[0] == "field,value" and "id,bellmora-housing" in lines
    assert "themes,SPA" in lines and "period_start,2012" in lines


def test_a_city_page_can_list_its_published_practices_with_one_tag(world, practices):
    from django.template import Context, Template

    html = Template("{% load practices_tags %}{% city_practices city %}").render(
        Context({"city": world.city_a}))
    assert "Rights training for officials" in html and "Secret draft" not in html
