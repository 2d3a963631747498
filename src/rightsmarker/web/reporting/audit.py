"""The audit log: every create, update and delete of a Cycle, Submission or Value.

:class:`AuditedModel` writes the entries itself in ``save()`` (create: all fields as the new
value; update: one entry per changed field with its old and new value, read from the database
inside the same transaction) and a ``post_delete`` signal writes deletes (cascades included)
with every old value. Models with a ``version`` field are optimistically locked: a save whose
``version`` is not the one in the database raises :class:`StaleVersionError` and writes nothing.
Queryset ``update()`` and ``bulk_create()`` bypass both: use them only for seeding.

A ``content_version`` field (:data:`COUNTER_FIELDS`, see ``models.mark_changed``) is a counter
bumped in the database by the changes of other rows: ``save()`` of an existing object never
writes it (the copy in memory may be older) and the audit log leaves it out.
"""

from __future__ import annotations

import datetime
import decimal

from django.conf import settings
from django.db import models, transaction
from django.db.models import F
from django.db.models.signals import post_delete
from django.dispatch import receiver
from django.utils.translation import gettext_lazy as _

from .actor import current_actor

COUNTER_FIELDS = {"content_version"}
UNAUDITED_FIELDS = {"version", "updated_at", "created_at", *COUNTER_FIELDS}


class StaleVersionError(Exception):
    """Someone saved the object since it was read: reload, merge and try again."""

    def __init__(self, obj, expected: int):
        self.obj, self.expected = obj, expected
        super().__init__(f"{obj._meta.verbose_name} {obj.pk} was changed by someone else "
                         f"(version {expected} is no longer current)")


class AuditEntry(models.Model):
    class Action(models.TextChoices):
        CREATE = "create", _("create")
        UPDATE = "update", _("update")
        DELETE = "delete", _("delete")

    actor = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True,
                              on_delete=models.SET_NULL, related_name="+", verbose_name=_("who"))
    at = models.DateTimeField(_("when"), auto_now_add=True, db_index=True)
    model = models.CharField(_("model"), max_length=100)
    object_id = models.CharField(_("object id"), max_length=64)
    action = models.CharField(_("action"), max_length=10, choices=Action.choices)
    field = models.CharField(_("field"), max_length=100, blank=True)
    old_value = models.JSONField(_("old value"), null=True, blank=True)
    new_value = models.JSONField(_("new value"), null=True, blank=True)
    # No database constraint: the history of a deleted submission keeps its id.
    submission = models.ForeignKey("reporting.Submission", null=True, blank=True,
                                   on_delete=models.DO_NOTHING, db_constraint=False,
                                   related_name="audit_entries", verbose_name=_("submission"))

    class Meta:
        app_label = "reporting"
        ordering = ["-at", "-id"]
        verbose_name = _("audit entry")
        verbose_name_plural = _("audit entries")
        indexes = [models.Index(fields=["model", "object_id"])]

    def __str__(self) -> str:
        return f"{self.at:%Y-%m-%d %H:%M} {self.action} {self.model} {self.object_id} {self.field}"


def json_value(value):
    """A field value as JSON: files by name, dates as ISO text, decimals as text."""
    if isinstance(value, models.fields.files.FieldFile):
        return value.name or None
    if isinstance(value, (datetime.datetime, datetime.date, datetime.time)):
        return value.isoformat()
    if isinstance(value, decimal.Decimal):
        return str(value)
    return value


def snapshot(obj) -> dict:
    """Every audited field of ``obj`` (foreign keys by id) as JSON values."""
    return {f.attname: json_value(f.value_from_object(obj)) for f in obj._meta.concrete_fields
            if f.attname not in UNAUDITED_FIELDS and not f.primary_key}


class AuditedModel(models.Model):
    """A model whose creates, updates and deletes are written to the audit log."""

    class Meta:
        abstract = True

    def audit_submission_id(self):
        """The submission an entry about this object belongs to (None for a cycle)."""
        return None

    def save(self, *args, **kwargs):
        with transaction.atomic():
            adding = self._state.adding or self.pk is None
            old = None if adding else self._locked_old_state()
            if not adding and not args and kwargs.get("update_fields") is None:
                kwargs["update_fields"] = _saved_fields(self)
            super().save(*args, **kwargs)
            _write_entries(self, old)

    def _locked_old_state(self) -> dict:
        manager = type(self)._base_manager
        if hasattr(self, "version"):
            expected = self.version
            bumped = manager.filter(pk=self.pk, version=expected).update(version=F("version") + 1)
            if not bumped:
                raise StaleVersionError(self, expected)
            self.version = expected + 1
        return snapshot(manager.select_for_update().get(pk=self.pk))


def _saved_fields(obj) -> list[str] | None:
    """Every field but the counters (None, all of them, for a model without counters)."""
    fields = [f for f in obj._meta.concrete_fields if not f.primary_key]
    if not any(f.name in COUNTER_FIELDS for f in fields):
        return None
    return [f.name for f in fields if f.name not in COUNTER_FIELDS]


def _write_entries(obj, old: dict | None) -> None:
    new = snapshot(obj)
    base = {"actor": _actor_or_none(), "model": obj._meta.label_lower, "object_id": str(obj.pk),
            "submission_id": obj.audit_submission_id()}
    if old is None:
        AuditEntry.objects.create(action=AuditEntry.Action.CREATE, new_value=new, **base)
        return
    entries = [AuditEntry(action=AuditEntry.Action.UPDATE, field=name, old_value=old.get(name),
                          new_value=value, **base)
               for name, value in new.items() if old.get(name) != value]
    AuditEntry.objects.bulk_create(entries)


def _actor_or_none():
    actor = current_actor()
    return actor if actor is not None and getattr(actor, "pk", None) else None


@receiver(post_delete)
def _audit_delete(sender, instance, **kwargs):
    if not isinstance(instance, AuditedModel):
        return
    AuditEntry.objects.create(
        actor=_actor_or_none(), model=sender._meta.label_lower, object_id=str(instance.pk),
        action=AuditEntry.Action.DELETE, old_value=snapshot(instance),
        submission_id=instance.audit_submission_id())
