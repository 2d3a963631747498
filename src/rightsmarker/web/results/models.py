"""A score run: one cycle scored with one method; its tables live as Parquet files in
``RIGHTSMARKER_DATA_DIR/results/<id>/`` (``Result.write(..., format="parquet")``)."""

from __future__ import annotations

from pathlib import Path

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _


def default_method_yaml() -> str:
    """The library's default method as YAML text (stored unchanged with each run)."""
    import yaml

    from rightsmarker.engine.method import load_method

    return yaml.safe_dump(load_method(None).to_dict(), sort_keys=False, allow_unicode=True)


class ScoreRun(models.Model):
    """A cycle scored with a method; published with its cycle."""

    class Status(models.TextChoices):
        QUEUED = "queued", _("queued")
        RUNNING = "running", _("running")
        DONE = "done", _("done")
        FAILED = "failed", _("failed")

    cycle = models.ForeignKey("reporting.Cycle", on_delete=models.CASCADE,
                              related_name="score_runs", verbose_name=_("cycle"))
    method = models.TextField(_("method (YAML)"), default=default_method_yaml)
    status = models.CharField(_("status"), max_length=10, choices=Status.choices,
                              default=Status.RUNNING, db_index=True)
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True,
                                   on_delete=models.SET_NULL, related_name="+",
                                   verbose_name=_("created by"))
    created_at = models.DateTimeField(_("created at"), auto_now_add=True)
    build = models.JSONField(_("build record"), default=dict, blank=True)
    uncertainty_runs = models.PositiveIntegerField(_("uncertainty runs"), default=0)
    error = models.TextField(_("error"), blank=True)
    # Scoring in the background (:mod:`.jobs`): how far it got, and the process running it.
    progress = models.PositiveSmallIntegerField(_("progress (%)"), default=0)
    stage = models.CharField(_("stage"), max_length=40, blank=True)
    worker = models.CharField(_("worker"), max_length=200, blank=True)
    restarts = models.PositiveSmallIntegerField(
        _("resumed after a restart"), default=0,
        help_text=_("How often another process took the run over after its own had stopped."))

    class Meta:
        ordering = ["-created_at", "-pk"]
        verbose_name = _("score run")
        verbose_name_plural = _("score runs")

    def __str__(self) -> str:
        return f"{self.cycle} #{self.pk}"

    @property
    def in_progress(self) -> bool:
        return self.status in (self.Status.QUEUED, self.Status.RUNNING)

    @property
    def stage_label(self) -> str:
        """The stage in words (``pages:<n>/<total>`` reads "building pages n/total")."""
        from .jobs import stage_label

        return stage_label(self.stage)

    @property
    def folder(self) -> Path:
        return Path(settings.DATA_DIR) / "results" / str(self.pk)

    @property
    def has_uncertainty(self) -> bool:
        return (self.folder / "uncertainty" / "rank_stats.parquet").exists()

    @property
    def period(self) -> int:
        return int(self.cycle.year)

    @property
    def uncertainty(self) -> dict:
        """The uncertainty specification of the run's build record: ``specification``
        (none, default or custom), ``runs``, ``seed`` and the ``factors`` sampled. Runs made
        before the choice existed used the default factors whenever they had runs."""
        spec = (self.build or {}).get("uncertainty")
        if spec:
            return spec
        if not self.uncertainty_runs:
            return {"specification": "none", "runs": 0}
        from .services import DEFAULT_FACTORS

        return {"specification": "default", "factors": DEFAULT_FACTORS,
                "runs": self.uncertainty_runs, "seed": 0}

    @property
    def uncertainty_yaml(self) -> str:
        import yaml

        factors = self.uncertainty.get("factors")
        return yaml.safe_dump({"factors": factors}, sort_keys=False) if factors else ""

    @property
    def method_name(self) -> str | None:
        """The method's name as typed, before the build record names it (a queued or running
        run; None when the YAML cannot be read: scoring will say why)."""
        from rightsmarker.errors import RightsMarkerError

        from .services import parse_method

        try:
            return parse_method(self.method).name
        except (RightsMarkerError, ValueError, TypeError):
            return None

    def progress_dict(self) -> dict:
        """How far an unfinished run got (the progress partial's fields)."""
        return {"error": self.error, "progress": self.progress, "stage": self.stage_label,
                "restarts": self.restarts}

    def as_dict(self) -> dict:
        return {"id": self.pk, "cycle": self.cycle_id, "cycle_name": self.cycle.name,
                "period": self.period, "status": self.status,
                "created_at": self.created_at.isoformat() if self.created_at else None,
                "method": (self.build.get("method") or {}).get("name") or self.method_name,
                "uncertainty": self.uncertainty["specification"],
                "uncertainty_factors": self.uncertainty.get("factors"),
                "uncertainty_runs": self.uncertainty_runs,
                "published": self.cycle.status == "published"}
