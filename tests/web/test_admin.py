"""The Django admin: every model registered, usable by secretariat admins, audited."""

from __future__ import annotations

import pytest

from rightsmarker.web.reporting.models import AuditEntry

pytestmark = pytest.mark.django_db

MODELS = ["accounts/membership", "accounts/apitoken", "network/city",
          "frameworks/frameworkversion", "reporting/cycle", "reporting/submission",
          "reporting/value", "reporting/comment", "reporting/auditentry"]


@pytest.mark.parametrize("model", MODELS)
def test_every_model_has_an_admin_list_for_secretariat_admins(world, assert_access, model):
    assert_access(f"/admin/{model}/", owner=302, colleague=302, outsider=302, anonymous=302,
                  reviewer=302, admin=200)


def test_a_change_in_the_admin_is_audited_with_the_admin_as_actor(world, client_for):
    url = f"/admin/reporting/cycle/{world.current.pk}/change/"
    page = client_for("admin").get(url)
    assert page.status_code == 200
    data = {"name": "2025 cycle", "year": 2025, "framework_version": world.fv.pk,
            "status": "closed", "opens_on": "", "closes_on": ""}
    assert client_for("admin").post(url, data).status_code == 302
    entry = AuditEntry.objects.get(model="reporting.cycle", field="status")
    assert entry.actor == world.users["admin"] and entry.new_value == "closed"


def test_the_audit_log_cannot_be_changed_in_the_admin(world, client_for):
    entry = AuditEntry.objects.first()
    response = client_for("admin").post(f"/admin/reporting/auditentry/{entry.pk}/delete/",
                                        {"post": "yes"})
    assert response.status_code == 403 and AuditEntry.objects.filter(pk=entry.pk).exists()


def test_the_publish_action_publishes_a_cycle(world, client_for):
    from rightsmarker.web.reporting.services import move

    move(world.draft, "submitted", world.users["owner"])
    move(world.draft, "approved", world.users["reviewer"])
    client_for("admin").post("/admin/reporting/cycle/", {
        "action": "publish", "_selected_action": [world.current.pk]})
    world.draft.refresh_from_db()
    assert world.draft.status == "published"
