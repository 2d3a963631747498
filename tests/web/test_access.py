"""Every page requested by each persona: owner, colleague, outsider, anonymous, reviewer, admin."""

from __future__ import annotations

import pytest

pytestmark = pytest.mark.django_db

ALL_OK = dict(owner=200, colleague=200, outsider=200, anonymous=200, reviewer=200, admin=200)
MEMBERS_ONLY = dict(owner=200, colleague=200, outsider=403, anonymous=403, reviewer=200,
                    admin=200)


@pytest.mark.parametrize("url", ["/", "/cities/", "/cities.json", "/cities.csv", "/cycles/",
                                 "/cycles.json", "/cycles.csv", "/frameworks/",
                                 "/frameworks.json", "/frameworks.csv"])
def test_it_shows_public_pages_to_every_persona(world, assert_access, url):
    assert_access(url, **ALL_OK)


@pytest.mark.parametrize("fmt", ["/", ".json", ".csv"])
def test_it_shows_a_city_page_to_every_persona(world, assert_access, fmt):
    assert_access(f"/cities/aranvale{fmt}", **ALL_OK)


def test_it_sends_signed_in_people_from_the_login_page_home(world, assert_access):
    assert_access("/accounts/login/", owner=302, colleague=302, outsider=302, anonymous=200,
                  reviewer=302, admin=302)


def test_it_answers_404_for_an_unknown_city(world, assert_access):
    assert_access("/cities/nowhere/", **{p: 404 for p in ALL_OK})


@pytest.mark.parametrize("fmt", ["/", ".json", ".yaml", ".csv"])
def test_it_shows_a_framework_version_to_every_persona(world, assert_access, fmt):
    assert_access(f"/frameworks/{world.fv.pk}{fmt}", **ALL_OK)


@pytest.mark.parametrize("fmt", ["/", ".json", ".csv"])
def test_it_shows_a_published_cycle_to_every_persona(world, assert_access, fmt):
    assert_access(f"/cycles/{world.past.pk}{fmt}", **ALL_OK)


@pytest.mark.parametrize("fmt", ["/", ".json", ".csv"])
def test_it_hides_an_open_cycle_from_anonymous_visitors(world, assert_access, fmt):
    assert_access(f"/cycles/{world.current.pk}{fmt}", owner=200, colleague=200, outsider=200,
                  anonymous=403, reviewer=200, admin=200)


@pytest.mark.parametrize("fmt", ["/", ".json", ".csv"])
def test_it_shows_a_published_submission_to_every_persona(world, assert_access, fmt):
    assert_access(f"/submissions/{world.published.pk}{fmt}", **ALL_OK)


@pytest.mark.parametrize("fmt", ["/", ".json", ".csv"])
def test_it_shows_a_draft_only_to_its_city_and_the_secretariat(world, assert_access, fmt):
    assert_access(f"/submissions/{world.draft.pk}{fmt}", **MEMBERS_ONLY)


@pytest.mark.parametrize("fmt", ["/", ".json", ".csv"])
def test_it_shows_history_only_to_members_even_when_published(world, assert_access, fmt):
    assert_access(f"/submissions/{world.published.pk}/history{fmt}", **MEMBERS_ONLY)


def test_it_answers_404_for_an_unknown_submission(world, assert_access):
    assert_access("/submissions/999999/", **{p: 404 for p in ALL_OK})


def test_it_lets_only_admins_open_the_framework_import_page(world, assert_access):
    assert_access("/frameworks/import/", owner=403, colleague=403, outsider=403, anonymous=302,
                  reviewer=403, admin=200)


def test_it_lets_only_admins_into_the_django_admin(world, assert_access):
    assert_access("/admin/", owner=302, colleague=302, outsider=302, anonymous=302, reviewer=302,
                  admin=200)


def test_it_refuses_a_move_by_get(world, assert_access):
    assert_access(f"/submissions/{world.draft.pk}/move/", owner=405, colleague=405,
                  outsider=405, anonymous=405, reviewer=405, admin=405)


def test_it_refuses_moves_by_people_who_cannot_see_the_submission(world, client_for):
    url = f"/submissions/{world.draft.pk}/move/"
    for persona in ("outsider", "anonymous"):
        response = client_for(persona).post(url, {"target": "submitted", "version": 1})
        assert response.status_code == 403
    world.draft.refresh_from_db()
    assert world.draft.status == "draft"


def test_it_lets_the_owner_submit_a_draft_from_the_page(world, client_for):
    response = client_for("owner").post(f"/submissions/{world.draft.pk}/move/",
                                        {"target": "submitted", "version": 1})
    assert response.status_code == 302
    world.draft.refresh_from_db()
    assert world.draft.status == "submitted"


def test_it_tells_a_colleague_that_a_viewer_may_not_submit(world, client_for):
    response = client_for("colleague").post(f"/submissions/{world.draft.pk}/move/",
                                            {"target": "submitted", "version": 1}, follow=True)
    assert "may not" in response.content.decode()
    world.draft.refresh_from_db()
    assert world.draft.status == "draft"


def test_it_refuses_a_move_from_a_stale_page(world, client_for):
    response = client_for("owner").post(f"/submissions/{world.draft.pk}/move/",
                                        {"target": "submitted", "version": 0}, follow=True)
    assert "Someone else changed" in response.content.decode()
    world.draft.refresh_from_db()
    assert world.draft.status == "draft"


def test_it_lists_my_submissions_and_those_waiting_for_review_on_home(world, client_for):
    assert "Aranvale" in client_for("owner").get("/").content.decode()
    world.draft.status = "submitted"
    world.draft.save()
    page = client_for("reviewer").get("/").content.decode()
    assert "Waiting for review" in page and "Aranvale" in page


def test_it_logs_in_with_the_login_form(world, client):
    response = client.post("/accounts/login/", {"username": "owner", "password": "pw-owner"})
    assert response.status_code == 302
    assert client.get("/").context["user"].username == "owner"


@pytest.fixture
def evidence(world):
    from django.core.files.base import ContentFile

    from rightsmarker.web.reporting.models import Value

    out = {}
    for name in ("draft", "published"):
        value = Value.objects.create(submission=getattr(world, name), indicator="ordinance",
                                     value_number=1)
        value.evidence_file.save("ordinance.pdf", ContentFile(b"%PDF-1.4 fictional"))
        out[name] = f"/submissions/{value.submission_id}/values/{value.pk}/evidence/"
    return out


def test_it_serves_a_drafts_evidence_only_to_members(evidence, assert_access):
    assert_access(evidence["draft"], **MEMBERS_ONLY)


def test_it_serves_published_evidence_to_everyone_as_a_download(evidence, assert_access, client):
    assert_access(evidence["published"], **ALL_OK)
    response = client.get(evidence["published"])
    assert response["Content-Disposition"].startswith("attachment")


def test_it_answers_404_for_evidence_of_another_submission(world, evidence, assert_access):
    wrong = evidence["draft"].replace(f"/submissions/{world.draft.pk}/",
                                      f"/submissions/{world.published.pk}/")
    assert_access(wrong, **{p: 404 for p in ALL_OK})


def test_only_admins_may_change_a_cycles_status(world, assert_access):
    url = f"/cycles/{world.current.pk}/status/"
    assert_access(url, method="post", data={"target": "closed"}, owner=403, colleague=403,
                  outsider=403, anonymous=403, reviewer=403, admin=302)
    world.current.refresh_from_db()
    assert world.current.status == "closed"


def test_an_admin_closes_reopens_and_publishes_a_cycle_from_its_page(world, client_for):
    admin = client_for("admin")
    url = f"/cycles/{world.current.pk}/status/"
    page = admin.get(f"/cycles/{world.current.pk}/").content.decode()
    assert 'value="closed"' in page and 'value="published"' in page
    for target in ("closed", "open", "published"):
        admin.post(url, {"target": target})
        world.current.refresh_from_db()
        assert world.current.status == target
    page = admin.post(url, {"target": "open"}, follow=True).content.decode()
    assert "cannot go from published" in page


def test_the_navigation_shows_my_city_and_the_review_list_by_role(world, client_for):
    assert 'href="/cities/aranvale/"' in client_for("owner").get("/cycles/").content.decode()
    assert "To review" in client_for("reviewer").get("/cycles/").content.decode()
    assert "To review" not in client_for("colleague").get("/cycles/").content.decode()
