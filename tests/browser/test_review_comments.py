"""The reviewer's comment forms in a real browser: a comment on an indicator whose code has dots
(``SPA.1.P1``) is sent and shown in that indicator's list, without a page load.

Found by QA: the form's ``hx-target`` was ``#comments-SPA.1.P1``, a CSS selector that reads the
dots as classes and finds nothing, so htmx sent nothing and said nothing.
"""

from __future__ import annotations

import pytest

pytestmark = pytest.mark.browser  # skipped with the reason when Chromium or Playwright is missing

REVIEWER = ("reviewer", "reviewer-demo")
CODE = "SPA.1.P1"
TEXT = "SPA.1.P1: which register do these figures come from?"


def test_a_reviewer_comments_on_a_dotted_indicator_and_sees_it_listed(live_demo, new_page,
                                                                       sign_in, shot):
    from playwright.sync_api import expect

    page = new_page()
    sign_in(page, *REVIEWER)
    page.goto(live_demo.url + "/")
    waiting = page.locator("section", has=page.get_by_role("heading", name="Waiting for review"))
    waiting.locator("a[href^='/submissions/']").first.click()
    page.wait_for_url("**/submissions/*/")
    page.locator("main").get_by_role("link", name="Review", exact=True).click()
    page.wait_for_url("**/submissions/*/review/")
    url = page.url

    block = page.locator(f'section[id="ind-{CODE}"]')
    expect(block.locator("ul.comments")).to_contain_text("No comments.")
    block.get_by_label(f"Comment on {CODE}").fill(TEXT)
    block.get_by_role("button", name="Add comment").click()
    expect(block.locator("ul.comments")).to_contain_text(TEXT)
    expect(block.locator("ul.comments")).not_to_contain_text("No comments.")
    expect(block.get_by_label(f"Comment on {CODE}")).to_have_value("")  # the form was reset
    assert page.url == url  # swapped in place by htmx, no page load
    shot(page, "review-comment-dotted-code")

    page.reload()  # and it was stored
    expect(page.locator(f'section[id="ind-{CODE}"] ul.comments')).to_contain_text(TEXT)
