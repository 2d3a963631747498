"""On a phone-sized screen (390 px wide) the pages fit: the menu wraps, and wide tables and
charts scroll inside themselves instead of widening the page. Screenshots: ``mobile-*.png``."""

from __future__ import annotations

import re

import pytest

pytestmark = pytest.mark.browser  # skipped with the reason when Chromium or Playwright is missing

WIDTH = 390


def page_width(page) -> int:
    return page.evaluate("document.documentElement.scrollWidth")


def test_the_main_pages_fit_a_phone_screen(live_demo, new_page, sign_in, shot):
    from playwright.sync_api import expect

    page = new_page()
    page.set_viewport_size({"width": WIDTH, "height": 844})
    sign_in(page, "editor-lumenhaven", "editor-demo")
    nav = page.get_by_role("navigation").first
    expect(nav).to_contain_text("My city: Lumenhaven")  # the city's name, not its code
    assert page_width(page) <= WIDTH, "home"
    shot(page, "mobile-01-home")

    page.locator("main a[href^='/submissions/']").first.click()  # the open submission
    page.locator("main a[href$='/entry/']").first.click()  # its data entry, first theme
    expect(page).to_have_url(re.compile(r"/submissions/\d+/entry/[A-Z]+/$"))
    assert page_width(page) <= WIDTH, "data entry"
    shot(page, "mobile-02-entry")

    for path, name in (("/results/", "dashboard"), ("/results/city/lumenhaven/", "profile")):
        page.goto(live_demo.url + path)
        page.wait_for_selector(".plotly-graph-div .main-svg")
        assert page_width(page) <= WIDTH, name
        shot(page, f"mobile-03-{name}")
