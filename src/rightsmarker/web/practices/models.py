"""Practice records of the web platform and their version history.

A :class:`PracticeRecord` keeps one practice (the library's Practice fields as JSON, validated
through ``rightsmarker.practices.validate_practice`` on every save) with its city, workflow status
and version. Every saved change (an edit or a status change) bumps ``version`` and writes a
:class:`PracticeVersion` with the full record, its author and the action: the version history.
"""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.utils.translation import get_language
from django.utils.translation import gettext_lazy as _

from rightsmarker.practices import Practice, validate_practice


class PracticeRecord(models.Model):
    class Status(models.TextChoices):
        DRAFT = "draft", _("draft")
        SUBMITTED = "submitted", _("submitted")
        PUBLISHED = "published", _("published")

    code = models.CharField(_("code"), max_length=64, unique=True)
    city = models.ForeignKey("network.City", on_delete=models.PROTECT, related_name="practices",
                             verbose_name=_("city"))
    data = models.JSONField(_("practice"), default=dict)
    status = models.CharField(_("status"), max_length=10, choices=Status.choices,
                              default=Status.DRAFT, db_index=True)
    version = models.PositiveIntegerField(_("version"), default=1)
    review_comment = models.TextField(_("reviewer's comment"), blank=True)
    created_at = models.DateTimeField(_("created"), auto_now_add=True)
    updated_at = models.DateTimeField(_("updated"), auto_now=True)

    class Meta:
        ordering = ["-updated_at", "-pk"]
        verbose_name = _("good practice")
        verbose_name_plural = _("good practices")

    def __str__(self) -> str:
        return self.title

    def practice(self) -> Practice:
        """The record as the library's Practice (validated)."""
        return validate_practice(self.normalised_data())

    def normalised_data(self) -> dict:
        data = dict(self.data or {})
        data.update(id=self.code, city=self.city.code, status=self.status, version=self.version)
        if not data.get("country") and self.city.country:
            data["country"] = self.city.country
        if not data.get("region") and self.city.region:
            data["region"] = self.city.region
        return data

    def save(self, *args, **kwargs):
        # Every save goes through the library's checks; the stored JSON is the cleaned record.
        self.data = self.practice().model_dump(mode="json")
        super().save(*args, **kwargs)

    @property
    def title(self) -> str:
        titles = (self.data or {}).get("title") or {}
        lang = "ko" if (get_language() or "en").startswith("ko") else "en"
        return titles.get(lang) or next(iter(titles.values()), self.code)

    def localized(self, field: str) -> str:
        values = (self.data or {}).get(field) or {}
        lang = "ko" if (get_language() or "en").startswith("ko") else "en"
        return values.get(lang) or next(iter(values.values()), "")


class PracticeVersion(models.Model):
    """One saved state of a practice: who saved it, when, with which action."""

    record = models.ForeignKey(PracticeRecord, on_delete=models.CASCADE, related_name="versions",
                               verbose_name=_("practice"))
    version = models.PositiveIntegerField(_("version"))
    data = models.JSONField(_("practice"))
    status = models.CharField(_("status"), max_length=10, choices=PracticeRecord.Status.choices)
    action = models.CharField(_("action"), max_length=20)
    comment = models.TextField(_("comment"), blank=True)
    author = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True,
                               on_delete=models.SET_NULL, related_name="+",
                               verbose_name=_("author"))
    created_at = models.DateTimeField(_("created"), auto_now_add=True)

    class Meta:
        ordering = ["-version"]
        constraints = [models.UniqueConstraint(fields=["record", "version"],
                                               name="practice_version_unique")]
        verbose_name = _("practice version")
        verbose_name_plural = _("practice versions")

    def __str__(self) -> str:
        return f"{self.record.code} v{self.version}"


class SearchEntry(models.Model):
    """A published practice as the PostgreSQL full-text backend indexes it (``pg_search``).

    The table exists on every database; on PostgreSQL migration 0002 adds the generated
    ``document`` tsvector column (English stems of the Latin text, 'simple' lexemes of the
    Korean syllable bigrams; the title weighted A, the body D) and its GIN index.
    """

    code = models.CharField(max_length=64, unique=True)
    city = models.CharField(max_length=64, db_index=True)
    region = models.CharField(max_length=200, blank=True, db_index=True)
    start = models.IntegerField(null=True)
    stop = models.IntegerField(null=True)
    status = models.CharField(max_length=10)
    title = models.TextField()
    data = models.JSONField()
    english_title = models.TextField(blank=True)
    korean_title = models.TextField(blank=True)
    english = models.TextField(blank=True)
    korean = models.TextField(blank=True)


class SearchCode(models.Model):
    """A theme (with every prefix of a sub-theme or indicator code) or group code of an entry."""

    entry = models.ForeignKey(SearchEntry, on_delete=models.CASCADE, related_name="codes")
    kind = models.CharField(max_length=8)
    code = models.CharField(max_length=64)

    class Meta:
        indexes = [models.Index(fields=["kind", "code"], name="practice_search_code_kc")]
