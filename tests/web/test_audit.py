"""The audit log (creates, updates, deletes with old and new values) and optimistic locking."""

from __future__ import annotations

import pytest

from rightsmarker.web.reporting.actor import acting_as
from rightsmarker.web.reporting.models import AuditEntry, Cycle, StaleVersionError, Value

pytestmark = pytest.mark.django_db


def _entries(obj):
    return AuditEntry.objects.filter(model=obj._meta.label_lower, object_id=str(obj.pk))


def test_it_writes_an_entry_with_every_field_on_create(world):
    with acting_as(world.users["owner"]):
        v = Value.objects.create(submission=world.draft, indicator="employment-rate",
                                 value_number=61.0)
    (entry,) = _entries(v)
    assert entry.action == "create" and entry.actor == world.users["owner"]
    assert entry.new_value["value_number"] == 61.0 and entry.old_value is None
    assert entry.submission_id == world.draft.pk


def test_it_writes_old_and_new_value_of_each_changed_field_on_update(world):
    v = world.draft.values.get()
    with acting_as(world.users["owner"]):
        v.value_number, v.note = 9.5, "corrected"
        v.save()
    changes = {e.field: (e.old_value, e.new_value) for e in _entries(v).filter(action="update")}
    assert changes == {"value_number": (11.0, 9.5), "note": ("", "corrected")}
    assert v.version == 2


def test_it_writes_no_entry_when_nothing_changed(world):
    v = world.draft.values.get()
    v.save()
    assert not _entries(v).filter(action="update").exists()


def test_it_writes_every_old_value_on_delete(world):
    v = world.draft.values.get()
    pk = v.pk
    with acting_as(world.users["admin"]):
        v.delete()
    entry = AuditEntry.objects.get(model="reporting.value", object_id=str(pk), action="delete")
    assert entry.old_value["value_number"] == 11.0 and entry.actor == world.users["admin"]
    assert entry.submission_id == world.draft.pk


def test_deleting_a_submission_audits_its_cascaded_values_and_keeps_its_history(world):
    sub_pk, value_pk = world.draft.pk, world.draft.values.get().pk
    world.draft.delete()
    assert AuditEntry.objects.filter(model="reporting.value", object_id=str(value_pk),
                                     action="delete").exists()
    assert AuditEntry.objects.filter(model="reporting.submission", object_id=str(sub_pk),
                                     action="delete").exists()
    assert AuditEntry.objects.filter(submission_id=sub_pk).count() >= 3


def test_cycles_are_audited_too(world):
    world.current.status = Cycle.Status.CLOSED
    world.current.save()
    (entry,) = _entries(world.current).filter(action="update")
    assert (entry.field, entry.old_value, entry.new_value) == ("status", "open", "closed")
    assert entry.submission_id is None


def test_a_stale_version_is_refused_and_nothing_is_written(world):
    first = Value.objects.get(pk=world.draft.values.get().pk)
    second = Value.objects.get(pk=first.pk)
    first.value_number = 1.0
    first.save()
    second.value_number = 2.0
    with pytest.raises(StaleVersionError):
        second.save()
    fresh = Value.objects.get(pk=first.pk)
    assert (fresh.value_number, fresh.version) == (1.0, 2)
    assert _entries(fresh).filter(action="update").count() == 1


def test_a_value_saved_with_the_current_version_goes_through(world):
    v = Value.objects.get(pk=world.draft.values.get().pk)
    v.version = 1  # the version the form was rendered with
    v.value_number = 3.0
    v.save()
    v.value_number = 4.0
    v.save()
    assert Value.objects.get(pk=v.pk).version == 3
