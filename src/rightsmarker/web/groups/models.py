"""Discovery jobs (a microdata file, settings, progress, results) and monitored groups."""

from __future__ import annotations

import secrets
import shutil
from pathlib import Path, PurePosixPath

from django.conf import settings
from django.db import models
from django.db.models.signals import post_delete
from django.dispatch import receiver
from django.utils.text import get_valid_filename
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

USER = settings.AUTH_USER_MODEL
RESULT_FILES = ("subgroups.csv", "all_groups.csv", "bins.csv", "summary.json")
WAVE_FILES = ("waves.csv", "emerging.csv", "bins.csv", "summary.json")


def job_folder() -> str:
    """A new folder name for a job's files, under ``uploads/discovery/`` (not guessable)."""
    return secrets.token_hex(8)


def upload_path(instance: DiscoveryJob, filename: str) -> str:
    """uploads/discovery/<job folder>/<file name without folders>."""
    name = get_valid_filename(PurePosixPath(filename).name) or "data.csv"
    return f"discovery/{instance.folder}/{name}"


class DiscoveryJob(models.Model):
    """A run of :func:`rightsmarker.discovery.discover` on an uploaded file or a database table.

    ``new``: uploaded (or table chosen), settings not yet chosen; then ``queued``, ``running``,
    ``done`` or ``failed``. Parameters are stored as given; the results are the files of
    ``result_dir``. The source is ``data_file`` or, when ``source_table`` is set, that table
    (one of ``RIGHTSMARKER_MICRODATA_TABLES``). With a ``wave`` column and two ``waves`` the job
    runs :func:`rightsmarker.discovery.discover_waves` (emerging groups) instead.
    """

    class Status(models.TextChoices):
        NEW = "new", pgettext_lazy("job status", "new")
        QUEUED = "queued", _("queued")
        RUNNING = "running", _("running")
        DONE = "done", _("done")
        FAILED = "failed", _("failed")

    owner = models.ForeignKey(USER, on_delete=models.CASCADE, related_name="discovery_jobs",
                              verbose_name=_("owner"))
    city = models.ForeignKey("network.City", null=True, blank=True, on_delete=models.CASCADE,
                             related_name="discovery_jobs", verbose_name=_("city"))
    folder = models.CharField(_("folder"), max_length=32, default=job_folder, unique=True,
                              editable=False)
    data_file = models.FileField(_("data file"), upload_to=upload_path, max_length=300,
                                 blank=True)
    source_table = models.CharField(_("database table"), max_length=300, blank=True)
    original_name = models.CharField(_("file name"), max_length=255, blank=True)
    columns = models.JSONField(_("columns"), default=list, blank=True)
    outcome = models.CharField(_("outcome"), max_length=200, blank=True)
    positive = models.CharField(_("worse value"), max_length=200, blank=True)
    attributes = models.JSONField(_("attributes"), default=list, blank=True)
    weight = models.CharField(_("weight"), max_length=200, blank=True)
    higher_is_worse = models.BooleanField(_("higher is worse"), default=True,
                                          help_text=_("For a numeric outcome."))
    max_depth = models.PositiveSmallIntegerField(_("maximum depth"), default=3)
    min_size = models.PositiveIntegerField(_("minimum group size"), default=30)
    alpha = models.FloatField(_("alpha"), default=0.05)
    wave = models.CharField(_("wave column"), max_length=200, blank=True)
    waves = models.JSONField(_("waves compared"), default=list, blank=True)
    status = models.CharField(_("status"), max_length=10, choices=Status.choices,
                              default=Status.NEW, db_index=True)
    progress = models.PositiveSmallIntegerField(_("progress"), default=0)
    stage = models.CharField(_("stage"), max_length=100, blank=True)
    error = models.TextField(_("error"), blank=True)
    worker = models.CharField(_("worker"), max_length=200, blank=True)
    restarts = models.PositiveSmallIntegerField(
        _("resumed after a restart"), default=0,
        help_text=_("How often another process took the job over after its own had stopped."))
    result_dir = models.CharField(_("result folder"), max_length=300, blank=True)
    created = models.DateTimeField(_("created"), auto_now_add=True)
    started = models.DateTimeField(_("started"), null=True, blank=True)
    finished = models.DateTimeField(_("finished"), null=True, blank=True)

    class Meta:
        ordering = ["-created", "-id"]
        verbose_name = _("discovery job")
        verbose_name_plural = _("discovery jobs")

    def __str__(self) -> str:
        return f"#{self.pk} {self.original_name}"

    @property
    def finished_ok(self) -> bool:
        return self.status == self.Status.DONE

    @property
    def is_waves(self) -> bool:
        """Whether the job compares two waves (emerging groups)."""
        return bool(self.wave) and len(self.waves or []) == 2

    @property
    def source_name(self) -> str:
        return self.source_table or self.original_name

    @property
    def in_progress(self) -> bool:
        return self.status in (self.Status.QUEUED, self.Status.RUNNING)

    def results_path(self) -> Path:
        """The folder of the result files (``<data dir>/uploads/discovery/<folder>/results``)."""
        return Path(settings.MEDIA_ROOT) / "discovery" / self.folder / "results"

    def as_dict(self) -> dict:
        return {"id": self.pk, "owner": self.owner.get_username(),
                "city": self.city.code if self.city_id else None,
                "file": self.original_name, "table": self.source_table or None,
                "outcome": self.outcome,
                "positive": self.positive or None, "attributes": list(self.attributes),
                "weight": self.weight or None,
                "higher_is_worse": self.higher_is_worse, "max_depth": self.max_depth,
                "min_size": self.min_size, "alpha": self.alpha, "wave": self.wave or None,
                "waves": list(self.waves or []) or None, "status": self.status,
                "progress": self.progress, "stage": self.stage, "error": self.error or None,
                "created": self.created.isoformat() if self.created else None,
                "finished": self.finished.isoformat() if self.finished else None}


@receiver(post_delete, sender=DiscoveryJob, dispatch_uid="groups-delete-job-files")
def delete_job_files(sender, instance: DiscoveryJob, **kwargs) -> None:
    """A deleted job takes its uploaded file and results with it."""
    if instance.folder:
        shutil.rmtree(Path(settings.MEDIA_ROOT) / "discovery" / instance.folder,
                      ignore_errors=True)


class MonitoredGroup(models.Model):
    """A group a city follows in later cycles: its gaps appear on the city's gap page."""

    city = models.ForeignKey("network.City", on_delete=models.CASCADE,
                             related_name="monitored_groups", verbose_name=_("city"))
    definition = models.CharField(_("definition"), max_length=200,
                                  help_text=_("The canonical group, e.g. age=65+;sex=female."))
    label = models.CharField(_("label"), max_length=200, blank=True)
    discovered_as = models.CharField(_("discovered as"), max_length=200, blank=True,
                                     help_text=_("The group as the discovery job wrote it, "
                                                 "e.g. sex=Female;age=>=65."))
    source_job = models.ForeignKey(DiscoveryJob, null=True, blank=True,
                                   on_delete=models.SET_NULL, related_name="promoted",
                                   verbose_name=_("source job"))
    created_by = models.ForeignKey(USER, null=True, blank=True, on_delete=models.SET_NULL,
                                   related_name="+", verbose_name=_("created by"))
    created = models.DateTimeField(_("created"), auto_now_add=True)

    class Meta:
        ordering = ["city", "definition"]
        verbose_name = _("monitored group")
        verbose_name_plural = _("monitored groups")
        constraints = [models.UniqueConstraint(fields=["city", "definition"],
                                               name="one_monitored_group_per_city_definition")]

    def __str__(self) -> str:
        return f"{self.city.code}: {self.label or self.definition}"

    def as_dict(self) -> dict:
        return {"city": self.city.code, "definition": self.definition, "label": self.label,
                "discovered_as": self.discovered_as or None, "source_job": self.source_job_id,
                "created": self.created.isoformat() if self.created else None}
