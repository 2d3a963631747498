"""The groups app: gap pages, discovery jobs and monitored groups."""

from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class GroupsConfig(AppConfig):
    name = "rightsmarker.web.groups"
    label = "groups"
    verbose_name = _("Vulnerable groups")

    def ready(self):
        from django.core.signals import request_started

        from . import tables  # noqa: F401  (registers the check of the configured tables)
        from .jobs import resume_orphaned_jobs

        # Jobs of a process that is gone (a restart) are taken over on the first request.
        request_started.connect(resume_orphaned_jobs, dispatch_uid="groups-resume-orphaned-jobs")
