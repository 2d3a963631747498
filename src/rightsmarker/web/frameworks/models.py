"""An imported framework version: the YAML text as given, its SHA-256, who imported it."""

from __future__ import annotations

import hashlib
from functools import lru_cache

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _


@lru_cache(maxsize=16)
def _framework_from_text(sha256: str, text: str):
    """The validated library Framework of a YAML text (cached by its hash)."""
    from rightsmarker.framework.io import validate_framework, yaml_load

    return validate_framework(yaml_load(text, source=f"framework {sha256[:12]}"),
                              source=f"framework {sha256[:12]}")


def sha256_of(text: str) -> str:
    return hashlib.sha256(text.encode("utf-8")).hexdigest()


class FrameworkVersion(models.Model):
    """One version of a framework; immutable once imported (a change is a new version)."""

    code = models.CharField(_("code"), max_length=64)
    version = models.CharField(_("version"), max_length=32)
    label_en = models.CharField(_("title (English)"), max_length=300, blank=True)
    label_ko = models.CharField(_("title (Korean)"), max_length=300, blank=True)
    yaml = models.TextField(_("YAML"))
    sha256 = models.CharField(_("SHA-256"), max_length=64, editable=False)
    source = models.CharField(_("imported from"), max_length=300, blank=True)
    imported_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True,
                                    on_delete=models.SET_NULL, related_name="+",
                                    verbose_name=_("imported by"))
    imported_at = models.DateTimeField(_("imported at"), auto_now_add=True)

    class Meta:
        ordering = ["code", "-imported_at"]
        verbose_name = _("framework version")
        verbose_name_plural = _("framework versions")
        constraints = [models.UniqueConstraint(fields=["code", "version"],
                                               name="one_framework_code_version")]

    def __str__(self) -> str:
        return f"{self.code} v{self.version}"

    def save(self, *args, **kwargs):
        self.sha256 = sha256_of(self.yaml)
        super().save(*args, **kwargs)

    def as_framework(self):
        """The rightsmarker :class:`~rightsmarker.framework.model.Framework` (cached)."""
        return _framework_from_text(self.sha256 or sha256_of(self.yaml), self.yaml)

    @property
    def label(self) -> str:
        from django.utils.translation import get_language

        if (get_language() or "en").startswith("ko") and self.label_ko:
            return self.label_ko
        return self.label_en or self.code
