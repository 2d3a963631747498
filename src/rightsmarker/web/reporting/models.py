"""Reporting cycles, submissions (one per city and cycle), values and comments.

Cycles, submissions and values are audited (:mod:`.audit`); submissions and values carry a
``version`` for optimistic locking. The status rules of a submission are in :mod:`.transitions`.

``content_version`` of a submission and of a cycle: a counter bumped (:func:`mark_changed`, in
the same transaction) by every save and delete of one of their values and, for a submission,
of one of its comments, whichever way it is made (forms, upload, API, admin, cascades). Pages
cache what they show under it (:mod:`rightsmarker.web.entry.versions`); writing values with
``bulk_create`` or queryset ``update()`` must call :func:`mark_changed` itself.
"""

from __future__ import annotations

from pathlib import PurePosixPath

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import models
from django.db.models import F
from django.db.models.signals import post_delete, post_save
from django.dispatch import receiver
from django.utils.translation import get_language
from django.utils.translation import gettext_lazy as _

from .audit import AuditedModel, AuditEntry, StaleVersionError  # noqa: F401  (models of the app)

USER = settings.AUTH_USER_MODEL


class Cycle(AuditedModel):
    """A reporting cycle bound to one framework version (the period its values are for)."""

    class Status(models.TextChoices):
        OPEN = "open", _("open")
        CLOSED = "closed", _("closed")
        PUBLISHED = "published", _("published")

    name = models.CharField(_("name"), max_length=200, unique=True)
    name_ko = models.CharField(_("name (Korean)"), max_length=200, blank=True)
    year = models.PositiveSmallIntegerField(_("period (year)"))
    framework_version = models.ForeignKey("frameworks.FrameworkVersion", on_delete=models.PROTECT,
                                          related_name="cycles", verbose_name=_("framework"))
    status = models.CharField(_("status"), max_length=12, choices=Status.choices,
                              default=Status.OPEN)
    opens_on = models.DateField(_("opens on"), null=True, blank=True)
    closes_on = models.DateField(_("closes on"), null=True, blank=True)
    published_at = models.DateTimeField(_("published at"), null=True, blank=True)
    created_at = models.DateTimeField(_("created at"), auto_now_add=True)
    content_version = models.PositiveBigIntegerField(_("content version"), default=0,
                                                     editable=False)

    class Meta:
        ordering = ["-year", "name"]
        verbose_name = _("reporting cycle")
        verbose_name_plural = _("reporting cycles")

    def __str__(self) -> str:
        return self.name

    @property
    def label(self) -> str:
        """The name in the active language (``name_ko`` on Korean pages when given); ``name``
        stays the cycle's key in data downloads and the API."""
        if (get_language() or "en").startswith("ko") and self.name_ko:
            return self.name_ko
        return self.name

    def clean(self):
        if self.opens_on and self.closes_on and self.closes_on < self.opens_on:
            raise ValidationError({"closes_on": _("A cycle cannot close before it opens.")})


class Submission(AuditedModel):
    """What one city reports in one cycle."""

    class Status(models.TextChoices):
        DRAFT = "draft", _("draft")
        SUBMITTED = "submitted", _("submitted")
        RETURNED = "returned", _("returned")
        APPROVED = "approved", _("approved")
        PUBLISHED = "published", _("published")

    cycle = models.ForeignKey(Cycle, on_delete=models.CASCADE, related_name="submissions",
                              verbose_name=_("cycle"))
    city = models.ForeignKey("network.City", on_delete=models.PROTECT, related_name="submissions",
                             verbose_name=_("city"))
    status = models.CharField(_("status"), max_length=12, choices=Status.choices,
                              default=Status.DRAFT, db_index=True)
    version = models.PositiveIntegerField(_("version"), default=1)
    content_version = models.PositiveBigIntegerField(_("content version"), default=0,
                                                     editable=False)
    created_at = models.DateTimeField(_("created at"), auto_now_add=True)
    updated_at = models.DateTimeField(_("updated at"), auto_now=True)
    submitted_at = models.DateTimeField(_("submitted at"), null=True, blank=True)
    submitted_by = models.ForeignKey(USER, null=True, blank=True, on_delete=models.SET_NULL,
                                     related_name="+", verbose_name=_("submitted by"))
    reviewed_at = models.DateTimeField(_("reviewed at"), null=True, blank=True)
    reviewed_by = models.ForeignKey(USER, null=True, blank=True, on_delete=models.SET_NULL,
                                    related_name="+", verbose_name=_("reviewed by"))
    published_at = models.DateTimeField(_("published at"), null=True, blank=True)

    class Meta:
        ordering = ["-cycle__year", "city__name_en"]
        verbose_name = _("submission")
        verbose_name_plural = _("submissions")
        constraints = [models.UniqueConstraint(fields=["cycle", "city"],
                                               name="one_submission_per_city_and_cycle")]

    def __str__(self) -> str:
        return f"{self.city} - {self.cycle}"

    def audit_submission_id(self):
        return self.pk

    @property
    def is_editable(self) -> bool:
        """Values may change only in a draft or a returned submission of an open cycle."""
        return (self.status in (self.Status.DRAFT, self.Status.RETURNED)
                and self.cycle.status == Cycle.Status.OPEN)


def evidence_path(instance: Value, filename: str) -> str:
    """uploads/evidence/<cycle id>/<city code>/<file name> (the name without folders)."""
    sub = instance.submission
    return f"evidence/{sub.cycle_id}/{sub.city.code}/{PurePosixPath(filename).name}"


def validate_evidence_file(file) -> None:
    """Only the allowed file types, and no larger than RIGHTSMARKER_MAX_UPLOAD_MB."""
    suffix = PurePosixPath(file.name).suffix.lower()
    allowed = settings.RIGHTSMARKER_EVIDENCE_TYPES
    if suffix not in allowed:
        raise ValidationError(_("Files of type %(type)s are not accepted; use one of %(allowed)s."),
                              params={"type": suffix or "?", "allowed": ", ".join(allowed)})
    limit = settings.RIGHTSMARKER_MAX_UPLOAD_MB
    if file.size is not None and file.size > limit * 1024 * 1024:
        raise ValidationError(_("The file is larger than %(limit)s MB."), params={"limit": limit})


class _RemembersSubmission:
    """Remembers the submission a row was read with: moving it to another (the admin can)
    changes the content of both (:func:`mark_changed`)."""

    @classmethod
    def from_db(cls, db, field_names, values):
        obj = super().from_db(db, field_names, values)
        obj._read_submission_id = obj.__dict__.get("submission_id")
        return obj

    def submissions_changed(self) -> list:
        return [self.submission_id, getattr(self, "_read_submission_id", None)]


class Value(_RemembersSubmission, AuditedModel):
    """One reported value: an indicator for a group ('total' or 'ground=value[;...]')."""

    submission = models.ForeignKey(Submission, on_delete=models.CASCADE, related_name="values",
                                   verbose_name=_("submission"))
    indicator = models.CharField(_("indicator"), max_length=64)
    group = models.CharField(_("group"), max_length=200, default="total")
    value_number = models.FloatField(_("value"), null=True, blank=True)
    value_text = models.TextField(_("text"), blank=True)
    evidence_url = models.URLField(_("evidence link"), max_length=500, blank=True)
    evidence_file = models.FileField(_("evidence file"), upload_to=evidence_path, blank=True,
                                     max_length=300, validators=[validate_evidence_file])
    source = models.CharField(_("source"), max_length=300, blank=True)
    note = models.TextField(_("note"), blank=True)
    flag = models.CharField(_("flag"), max_length=50, blank=True)
    version = models.PositiveIntegerField(_("version"), default=1)
    updated_by = models.ForeignKey(USER, null=True, blank=True, on_delete=models.SET_NULL,
                                   related_name="+", verbose_name=_("updated by"))
    updated_at = models.DateTimeField(_("updated at"), auto_now=True)

    class Meta:
        ordering = ["submission", "indicator", "group"]
        verbose_name = _("value")
        verbose_name_plural = _("values")
        constraints = [models.UniqueConstraint(fields=["submission", "indicator", "group"],
                                               name="one_value_per_indicator_and_group")]

    def __str__(self) -> str:
        return f"{self.indicator} [{self.group}]"

    def audit_submission_id(self):
        return self.submission_id


class Comment(_RemembersSubmission, models.Model):
    """A comment on a submission, or on one of its indicators; a return always has one."""

    submission = models.ForeignKey(Submission, on_delete=models.CASCADE, related_name="comments",
                                   verbose_name=_("submission"))
    indicator = models.CharField(_("indicator"), max_length=64, null=True, blank=True)
    author = models.ForeignKey(USER, null=True, blank=True, on_delete=models.SET_NULL,
                               related_name="+", verbose_name=_("author"))
    text = models.TextField(_("text"))
    created = models.DateTimeField(_("created"), auto_now_add=True)

    class Meta:
        ordering = ["created", "id"]
        verbose_name = _("comment")
        verbose_name_plural = _("comments")

    def __str__(self) -> str:
        return f"{self.author}: {self.text[:40]}"


def mark_changed(submission_ids, values: bool = True) -> None:
    """Bump ``content_version`` of the submissions and (``values``: their values changed) of
    their cycles: two UPDATE queries."""
    ids = [i for i in set(submission_ids) if i is not None]
    if not ids:
        return
    bump = {"content_version": F("content_version") + 1}
    Submission.objects.filter(pk__in=ids).update(**bump)
    if values:
        Cycle.objects.filter(submissions__pk__in=ids).update(**bump)


@receiver(post_save, sender=Value)
@receiver(post_delete, sender=Value)
def _value_changed(sender, instance, **kwargs):
    mark_changed(instance.submissions_changed())


@receiver(post_save, sender=Comment)
@receiver(post_delete, sender=Comment)
def _comment_changed(sender, instance, **kwargs):
    mark_changed(instance.submissions_changed(), values=False)
