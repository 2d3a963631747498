"""Gaps found while writing the browser tests, kept as regression tests once fixed.

Fixed: uploading the pre-filled template unchanged used to erase the evidence text of yes/no
and stage values (the template has no text column); now a missing column keeps what is stored.
"""

from __future__ import annotations

import pytest


@pytest.mark.browser
def test_the_prefilled_template_uploaded_unchanged_changes_nothing(live_demo, new_page, sign_in,
                                                                   tmp_path):
    page = new_page()
    sign_in(page, "editor-corvassa", "editor-demo")
    page.locator("main").get_by_role("link", name="Corvassa").first.click()
    page.wait_for_url("**/submissions/*/")
    pk = page.url.rstrip("/").rsplit("/", 1)[1]
    page.goto(f"{live_demo.url}/submissions/{pk}/upload/")
    with page.expect_download() as download:
        page.get_by_role("link", name="Download the pre-filled template (XLSX)").click()
    template = tmp_path / "corvassa.xlsx"
    download.value.save_as(template)
    page.locator('input[type="file"][name="file"]').set_input_files(str(template))
    page.get_by_role("button", name="Check the file and preview").click()
    counts = page.locator("ul.counts").inner_text()
    assert "New: 0" in counts and "Changed: 0" in counts, counts
