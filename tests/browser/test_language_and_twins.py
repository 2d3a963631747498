"""In a real browser: the language switcher turns the site Korean, the browser's language alone
does too, and a page's CSV twin downloads as a CSV file. Screenshots: ``i18n-*.png``,
``twin-*.png`` in ``artefacts/screenshots/``."""

from __future__ import annotations

import csv
import io

import pytest

pytestmark = pytest.mark.browser  # skipped with the reason when Chromium or Playwright is missing


def test_the_language_switcher_turns_the_pages_korean_and_keeps_it(live_demo, new_page, sign_in,
                                                                      shot):
    from playwright.sync_api import expect

    page = new_page(locale="en-GB")
    sign_in(page, "editor-lumenhaven", "editor-demo")
    expect(page.locator("h1")).to_have_text("Human Rights Marker")
    page.get_by_label("Language").select_option("ko")
    page.locator("form.lang").get_by_role("button", name="Change").click()
    expect(page.locator("h1")).to_have_text("인권지표")
    expect(page.locator("html")).to_have_attribute("lang", "ko")
    nav = page.get_by_role("navigation").first
    expect(nav).to_contain_text("도시")
    expect(page.locator("main")).to_contain_text("내 제출물")
    shot(page, "i18n-01-home-korean")

    # The choice holds on the next page: the cities list, names in Korean.
    nav.get_by_role("link", name="도시", exact=True).click()
    expect(page.locator("main")).to_contain_text("도시")
    expect(page.locator("h1")).not_to_have_text("Cities")
    shot(page, "i18n-02-cities-korean")

    # And back to English.
    page.locator("#language-select").select_option("en")
    page.locator("form.lang button").click()
    expect(page.locator("html")).to_have_attribute("lang", "en")


def test_a_korean_browser_gets_korean_pages_without_switching(live_demo, new_page, shot):
    from playwright.sync_api import expect

    page = new_page(locale="ko-KR")
    page.goto(live_demo.url + "/")
    expect(page.locator("h1")).to_have_text("인권지표")
    expect(page.locator("header")).to_contain_text("로그인")
    shot(page, "i18n-03-accept-language-korean")


def test_the_cities_page_downloads_its_csv_twin(live_demo, new_page, shot, tmp_path):
    from playwright.sync_api import expect

    page = new_page()
    page.goto(live_demo.url + "/cities/")
    twins = page.locator("p.twins")
    expect(twins).to_contain_text("This page as data:")
    shot(page, "twin-01-cities-page")
    with page.expect_download() as download:
        twins.get_by_role("link", name="CSV").click()
    assert download.value.suggested_filename.endswith(".csv")
    path = tmp_path / download.value.suggested_filename
    download.value.save_as(path)
    rows = list(csv.DictReader(io.StringIO(path.read_text(encoding="utf-8-sig"))))
    assert len(rows) == 12, rows[:3]
    assert "lumenhaven" in {r.get("code") for r in rows}, rows[0]


def test_a_published_submission_downloads_its_csv_twin(live_demo, new_page, tmp_path):
    from playwright.sync_api import expect

    page = new_page()
    page.goto(live_demo.url + "/cities/lumenhaven/")
    page.locator("main").get_by_role("row", name="2024 reporting cycle").get_by_role("link").click()
    expect(page.locator("h1")).to_contain_text("Lumenhaven · 2024 reporting cycle")
    with page.expect_download() as download:
        page.locator("p.twins").get_by_role("link", name="CSV").click()
    path = tmp_path / "submission.csv"
    download.value.save_as(path)
    rows = list(csv.DictReader(io.StringIO(path.read_text(encoding="utf-8-sig"))))
    assert rows and {"indicator"} <= set(rows[0]), rows[:1]
    assert "SPA.1.P1" in {r["indicator"] for r in rows}
