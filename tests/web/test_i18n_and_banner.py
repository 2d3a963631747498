"""English and Korean pages (Accept-Language, the language switcher) and the demo banner."""

from __future__ import annotations

import pytest

pytestmark = pytest.mark.django_db


def test_accept_language_ko_gives_korean_pages(world, client):
    page = client.get("/", HTTP_ACCEPT_LANGUAGE="ko").content.decode()
    assert 'lang="ko"' in page and "보고 주기" in page and "메인 콘텐츠로 이동" in page


def test_english_is_the_default(world, client):
    page = client.get("/").content.decode()
    assert 'lang="en"' in page and "Reporting cycles" in page


def test_the_language_switcher_changes_the_language(world, client):
    response = client.post("/i18n/setlang/", {"language": "ko", "next": "/cities/"})
    assert response.status_code == 302 and response["Location"] == "/cities/"
    page = client.get("/cities/").content.decode()
    assert "도시" in page and "아란베일" in page


def test_korean_city_names_are_shown_in_korean(world, client):
    page = client.get("/cities/aranvale/", HTTP_ACCEPT_LANGUAGE="ko").content.decode()
    assert "<h1>아란베일" in page


def test_the_demo_banner_is_on_every_page_in_demo_mode(world, client, settings):
    settings.RIGHTSMARKER_DEMO = True
    for url in ["/", "/cities/", "/cycles/", "/accounts/login/", f"/submissions/"
                f"{world.published.pk}/"]:
        assert 'id="demo-banner"' in client.get(url).content.decode(), url


def test_there_is_no_banner_outside_demo_mode(world, client):
    assert "demo-banner" not in client.get("/").content.decode()


def test_every_page_has_a_skip_link_and_labelled_language_switcher(world, client):
    page = client.get("/cycles/").content.decode()
    assert 'href="#main"' in page and 'id="main"' in page
    assert '<label for="language-select">' in page


def test_a_population_is_written_with_thousands_separators(world, client):
    world.city_a.population = 6_540_000
    world.city_a.save()
    for url in ("/cities/", f"/cities/{world.city_a.code}/"):
        assert "6,540,000" in client.get(url).content.decode(), url


def test_a_cycle_reads_by_its_korean_name_on_korean_pages(world, client_for):
    world.past.name_ko = "2024년 보고 주기"
    world.past.save()
    client = client_for("owner")
    for url in ("/cycles/", f"/cycles/{world.past.pk}/", f"/submissions/{world.published.pk}/"):
        korean = client.get(url, HTTP_ACCEPT_LANGUAGE="ko").content.decode()
        english = client.get(url, HTTP_ACCEPT_LANGUAGE="en").content.decode()
        assert "2024년 보고 주기" in korean and world.past.name not in korean, url
        assert world.past.name in english and "2024년 보고 주기" not in english, url
    data = client.get("/cycles.json", HTTP_ACCEPT_LANGUAGE="ko").json()
    assert world.past.name in [c["name"] for c in data["cycles"]]  # the data keep the key
