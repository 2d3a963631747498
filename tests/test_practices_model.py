"""Practice records: validation at the boundary, HTML sanitised, workflow and versions."""

from __future__ import annotations

import pytest
from pydantic import ValidationError

from rightsmarker.practices import Practice, PracticeError, check_codes, validate_practice
from rightsmarker.practices.examples import example_practices


def minimal(**extra) -> dict:
    return {"id": "p1", "city": "SEO", "title": {"en": "A practice"}} | extra


def test_a_minimal_practice_is_a_draft_at_version_one():
    p = Practice.model_validate(minimal())
    assert (p.status, p.version, p.language) == ("draft", 1, "en")


def test_it_names_every_bad_field_of_a_practice():
    bad = minimal(id="bad id", title={}, period={"start": 2022, "end": 2020},
                  sdg_targets=["18"], budget={"amount": -5, "currency": "won"},
                  contact={"email": "not-an-address"})
    with pytest.raises(PracticeError) as info:
        validate_practice(bad, row=7, file="p.csv")
    columns = {p.column for p in info.value.problems}
    assert {"id", "title", "period", "sdg_targets.0", "budget.amount", "budget.currency",
            "contact.email"} <= columns
    assert all(p.row == 7 and p.file == "p.csv" for p in info.value.problems)
    assert "end year 2020 is before start year 2022" in str(info.value)


def test_it_rejects_evidence_links_that_are_not_http_and_files_of_other_types():
    for evidence in ({"kind": "link", "url": "javascript:alert(1)"},
                     {"kind": "file", "url": "report.exe"},
                     {"kind": "file", "url": "../../etc/passwd.pdf"},
                     {"kind": "file", "url": "big.pdf", "size": 30 * 1024 * 1024}):
        with pytest.raises(ValidationError):
            Practice.model_validate(minimal(evidence=[evidence]))
    ok = Practice.model_validate(minimal(evidence=[{"kind": "file", "url": "r/plan.hwp"}]))
    assert ok.evidence[0].url == "r/plan.hwp"


def test_html_in_plain_fields_is_removed_with_script_content():
    p = Practice.model_validate(minimal(
        title={"en": "<b>Safe</b> streets<script>alert('x')</script>", "ko": "안전한 &amp; 길"},
        partners=["<img src=x onerror=alert(1)>NGO"]))
    assert p.title == {"en": "Safe streets", "ko": "안전한 & 길"}
    assert p.partners == ["NGO"]


def test_html_in_rich_fields_keeps_only_the_allow_list():
    p = Practice.model_validate(minimal(description={
        "en": '<p onclick="steal()">Read <a href="javascript:x()">this</a> and '
              '<a href="https://example.org/r">that</a></p><script>bad()</script><iframe></iframe>'}))
    html = p.description["en"]
    assert html.startswith("<p>") and "onclick" not in html and "<script" not in html
    assert "javascript:" not in html and "<iframe" not in html
    assert 'href="https://example.org/r"' in html


def test_it_reports_codes_the_framework_does_not_know():
    p = Practice.model_validate(minimal(themes=["SPA", "XYZ"], sub_themes=["SPA.9"],
                                        groups=["women", "aliens"]))
    problems = check_codes(p)
    assert {(x.column, x.value) for x in problems} == {
        ("themes", "XYZ"), ("sub_themes", "SPA.9"), ("groups", "aliens")}


def test_the_example_practices_use_only_framework_codes():
    for p in example_practices():
        assert check_codes(p) == []


def test_the_workflow_moves_a_draft_to_submitted_and_published_and_revisions_bump_the_version():
    p = Practice.model_validate(minimal())
    published = p.with_status("submitted").with_status("published")
    assert published.status == "published"
    with pytest.raises(ValueError):
        p.with_status("published")
    revised = published.revised(summary={"en": "Now with results"})
    assert (revised.version, revised.status) == (2, "draft")


def test_the_demo_practice_drafts_become_valid_records():
    from rightsmarker.demo import demo_data
    from rightsmarker.practices.examples import from_demo

    drafts = demo_data(n_cities=4).practices
    records = from_demo(drafts)
    assert len(records) == len(drafts) and all(p.status == "draft" for p in records)
    assert all(check_codes(p) == [] for p in records)
