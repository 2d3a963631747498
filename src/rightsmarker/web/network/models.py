"""A city of the network."""

from __future__ import annotations

from django.core.validators import RegexValidator
from django.db import models
from django.utils.translation import get_language
from django.utils.translation import gettext_lazy as _

code_validator = RegexValidator(
    r"^[a-z0-9][a-z0-9_.\-]*$",
    _("Use lower-case letters, digits, '-', '_' or '.', starting with a letter or digit."))


class City(models.Model):
    """A member city. ``code`` is the ``unit`` code of its observations."""

    code = models.CharField(_("code"), max_length=64, unique=True, validators=[code_validator])
    name_en = models.CharField(_("name (English)"), max_length=200)
    name_ko = models.CharField(_("name (Korean)"), max_length=200, blank=True)
    country = models.CharField(_("country"), max_length=100, blank=True)
    region = models.CharField(_("region"), max_length=100, blank=True)
    population = models.PositiveBigIntegerField(_("population"), null=True, blank=True)
    peer_group = models.CharField(_("peer group"), max_length=50, blank=True)
    profile = models.TextField(_("profile"), blank=True)
    fictional = models.BooleanField(_("fictional"), default=False,
                                    help_text=_("An invented city, for demonstrations."))
    geojson = models.JSONField(_("boundary (GeoJSON)"), null=True, blank=True)

    class Meta:
        ordering = ["name_en"]
        verbose_name = _("city")
        verbose_name_plural = _("cities")

    def __str__(self) -> str:
        return self.name

    @property
    def name(self) -> str:
        """The name in the active language (Korean when active and known)."""
        if (get_language() or "en").startswith("ko") and self.name_ko:
            return self.name_ko
        return self.name_en

    def as_dict(self) -> dict:
        return {"code": self.code, "name_en": self.name_en, "name_ko": self.name_ko,
                "country": self.country, "region": self.region, "population": self.population,
                "peer_group": self.peer_group, "fictional": self.fictional}
