"""Practice search on both web databases: the same answers from SQLite FTS5 and PostgreSQL
full-text search (the CI runs this module once per database), plus each backend's own checks."""

from __future__ import annotations

import pytest
from django.db import connection
from practices_fixtures import _practice_index, make, practices_fixture  # noqa: F401  (fixtures)

from rightsmarker.practices.search import Filters
from rightsmarker.web.practices.services import open_index, search_backend

pytestmark = pytest.mark.django_db
on_postgres = pytest.mark.skipif("connection.vendor != 'postgresql'",
                                 reason="PostgreSQL full-text search only")
on_sqlite = pytest.mark.skipif("connection.vendor != 'sqlite'", reason="SQLite FTS5 only")


def ids(response) -> list[str]:
    return [r["id"] for r in response.json()["results"]]


@pytest.fixture(name="more")
def more_fixture(world, practices):
    make(world.city_a, "aranvale-shelter", "published",
         title={"en": "Night shelter network"},
         summary={"en": "Volunteers run a housing desk next to the shelter."},
         sub_themes=["SPA.1"], indicators=["SOC.1.P1"], groups=["homeless-persons"],
         period={"start": 2019, "end": 2021})
    make(world.city_b, "bellmora-education", "published",
         title={"en": "Rights education in schools", "ko": "학교 인권교육"},
         summary={"ko": "학생들이 인권교육을 받는다."}, themes=["CUL"],
         period={"start": 2023})
    return practices


def test_the_backend_follows_the_database(world):
    assert search_backend() == ("postgresql" if connection.vendor == "postgresql" else "sqlite")


def test_every_query_word_is_required_and_english_words_are_stemmed(world, client_for, more):
    client = client_for("anonymous")
    assert sorted(ids(client.get("/practices/search.json", {"q": "houses"}))) == [
        "aranvale-shelter", "bellmora-housing"]
    assert ids(client.get("/practices/search.json", {"q": "housing volunteers"})) == [
        "aranvale-shelter"]
    assert ids(client.get("/practices/search.json", {"q": "volunt*"})) == ["aranvale-shelter"]
    assert ids(client.get("/practices/search.json", {"q": "housing submarine"})) == []


def test_a_word_in_the_title_ranks_above_the_same_word_in_the_body(world, client_for, more):
    hits = client_for("anonymous").get("/practices/search.json", {"q": "housing"}).json()
    assert [h["id"] for h in hits["results"]] == ["bellmora-housing", "aranvale-shelter"]
    assert hits["results"][0]["score"] >= hits["results"][1]["score"]


def test_korean_words_match_their_syllable_bigrams_without_particles(world, client_for, more):
    client = client_for("anonymous")
    assert sorted(ids(client.get("/practices/search.json", {"q": "인권"}))) == [
        "aranvale-rights", "bellmora-education"]
    assert ids(client.get("/practices/search.json", {"q": "인권교육을"})) == ["bellmora-education"]
    assert ids(client.get("/practices/search.json", {"q": "학생들이"})) == ["bellmora-education"]
    assert ids(client.get("/practices/search.json", {"q": "교육인권"})) == []


def test_filters_take_sub_theme_and_indicator_prefixes_and_the_year(world, client_for, more):
    client = client_for("anonymous")
    assert sorted(ids(client.get("/practices/search.json", {"theme": "SPA"}))) == [
        "aranvale-shelter", "bellmora-housing"]
    assert ids(client.get("/practices/search.json", {"theme": "SPA.1"})) == ["aranvale-shelter"]
    assert ids(client.get("/practices/search.json", {"theme": "SOC.1.P1"})) == [
        "aranvale-shelter"]
    assert ids(client.get("/practices/search.json", {"q": "housing", "year": "2023"})) == [
        "bellmora-housing"]
    assert ids(client.get("/practices/search.json",
                          {"q": "housing", "city": "aranvale", "group": "homeless-persons"})) \
        == ["aranvale-shelter"]


def test_an_empty_query_lists_by_title_and_drafts_never_appear(world, client_for, more):
    found = ids(client_for("anonymous").get("/practices/search.json"))
    assert found == ["bellmora-housing", "aranvale-shelter", "bellmora-education",
                     "aranvale-rights"]  # Housing, Night, Rights education, Rights training


def test_withdrawing_a_practice_takes_it_out_of_the_index(world, more):
    from rightsmarker.web.practices.models import PracticeRecord

    record = PracticeRecord.objects.get(code="aranvale-shelter")
    record.status = "draft"
    from rightsmarker.web.practices.services import save_version

    save_version(record, None, "withdraw")
    with open_index() as index:
        assert index.get("aranvale-shelter") is None
        assert [h.id for h in index.search("housing", filters=Filters(status=["published"]))] \
            == ["bellmora-housing"]


def test_similar_practices_share_rare_words(world, more):
    make(world.city_b, "bellmora-shelter", "published", title={"en": "Winter night shelter"},
         summary={"en": "A shelter desk run by volunteers every winter night."})
    with open_index() as index:
        hits = index.similar("aranvale-shelter", limit=3, status=["published"])
    assert hits[0].id == "bellmora-shelter" and "aranvale-shelter" not in [h.id for h in hits]


@on_postgres
def test_on_postgresql_the_document_is_a_generated_tsvector_with_a_gin_index(world, more):
    with connection.cursor() as cursor:
        cursor.execute("SELECT indexdef FROM pg_indexes WHERE tablename = "
                       "'practices_searchentry' AND indexdef LIKE '%%gin%%'")
        assert "document" in cursor.fetchone()[0]
        cursor.execute("SELECT document::text FROM practices_searchentry WHERE code = %s",
                       ["bellmora-education"])
        document = cursor.fetchone()[0]
    assert "'인권':" in document and "'교육':" in document and "'school':" in document


@on_postgres
def test_on_postgresql_no_sqlite_index_file_is_written(world, more, settings):
    assert not settings.RIGHTSMARKER_PRACTICE_INDEX.exists()


@on_sqlite
def test_on_sqlite_the_index_is_the_fts5_file(world, more, settings):
    from rightsmarker.web.practices.models import SearchEntry

    assert settings.RIGHTSMARKER_PRACTICE_INDEX.exists()
    assert SearchEntry.objects.count() == 0


def test_records_saved_outside_the_site_are_indexed_at_the_next_check(world, client_for, more):
    from rightsmarker.web.practices import services
    from rightsmarker.web.practices.models import PracticeRecord

    PracticeRecord.objects.bulk_create([PracticeRecord(  # no save(): the index is not told
        code="aranvale-bulk", city=world.city_a, status="published",
        data={"id": "aranvale-bulk", "city": "aranvale", "title": {"en": "Bulk housing"}})])
    services._last_check["at"] = float("-inf")  # PostgreSQL checks at most every 5 minutes
    found = client_for("anonymous").get("/practices/search.json", {"q": "bulk"}).json()
    assert [r["id"] for r in found["results"]] == ["aranvale-bulk"]


def test_accents_are_folded_on_both_sides(world, client_for, more):
    make(world.city_b, "bellmora-bogota", "published", title={"en": "Learning from Bogotá"},
         summary={"en": "A visit to São Paulo's participatory budget."})
    client = client_for("anonymous")
    for query in ("bogota", "Bogotá", "sao paulo", "São"):
        assert ids(client.get("/practices/search.json", {"q": query})) == ["bellmora-bogota"], query


@on_postgres
def test_entries_stored_before_accents_were_folded_are_folded_by_the_migration(world, client_for,
                                                                               more):
    import importlib
    from types import SimpleNamespace

    from django.apps import apps

    from rightsmarker.web.practices.models import SearchEntry

    make(world.city_b, "bellmora-bogota", "published", title={"en": "Learning from Bogotá"})
    SearchEntry.objects.filter(code="bellmora-bogota").update(
        english_title="Learning from Bogotá", english="Learning from Bogotá")
    client = client_for("anonymous")
    assert ids(client.get("/practices/search.json", {"q": "bogota"})) == []  # as stored before
    migration = importlib.import_module("rightsmarker.web.practices.migrations.0003_fold_accents")
    migration.fold_entries(apps, SimpleNamespace(connection=connection))
    assert ids(client.get("/practices/search.json", {"q": "bogota"})) == ["bellmora-bogota"]


def test_a_query_of_stop_words_only_finds_the_practices_that_contain_them(world, client_for,
                                                                          more):
    found = ids(client_for("anonymous").get("/practices/search.json", {"q": "the"}))
    assert "aranvale-shelter" in found  # "next to the shelter" (PostgreSQL: all, by title)


def test_the_labels_of_a_practice_s_group_and_theme_find_it(world, client_for, more):
    client = client_for("anonymous")
    for query in ("migrants", "이주민", "Migrants"):
        assert ids(client.get("/practices/search.json", {"q": query})) == ["aranvale-rights"]
    assert sorted(ids(client.get("/practices/search.json", {"q": "cultural inclusion"}))) == [
        "aranvale-rights", "bellmora-education"]
    html = client.get("/practices/search/", {"q": "이주민"}, HTTP_ACCEPT_LANGUAGE="ko")
    assert "공무원 인권 교육" in html.content.decode()


@on_postgres
def test_entries_stored_before_tag_labels_were_indexed_get_them_by_the_migration(
        world, client_for, more):
    import importlib
    from types import SimpleNamespace

    from django.apps import apps

    from rightsmarker.web.practices.models import SearchEntry

    SearchEntry.objects.filter(code="aranvale-rights").update(english="x", korean="")
    client = client_for("anonymous")
    assert ids(client.get("/practices/search.json", {"q": "migrants"})) == []  # as stored before
    migration = importlib.import_module(
        "rightsmarker.web.practices.migrations.0004_index_tag_labels")
    migration.index_labels(apps, SimpleNamespace(connection=connection))
    for query in ("migrants", "이주민"):
        assert ids(client.get("/practices/search.json", {"q": query})) == ["aranvale-rights"]
