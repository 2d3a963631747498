"""URLs of the groups app (under ``/groups/``).

``fmt`` is ``/`` for the HTML page or ``.json`` / ``.csv`` for its data twin.
"""

from django.urls import path, re_path

from . import gap_views, job_views

app_name = "groups"
FMT = r"(?P<fmt>/|\.json|\.csv)"
CODE = r"(?P<code>[a-z0-9][a-z0-9_.\-]*?)"

urlpatterns = [
    path("", gap_views.network, {"fmt": "/"}, name="index"),
    re_path(rf"^network{FMT}$", gap_views.network, name="network"),
    re_path(rf"^city/{CODE}{FMT}$", gap_views.city, name="city"),
    path("city/<str:code>/monitored/<int:pk>/remove/", gap_views.monitored_remove,
         name="monitored-remove"),
    re_path(rf"^jobs{FMT}$", job_views.job_list, name="jobs"),
    path("jobs/new/", job_views.job_new, name="job-new"),
    path("jobs/new/table/", job_views.job_new_table, name="job-new-table"),
    re_path(rf"^jobs/(?P<pk>\d+){FMT}$", job_views.job_detail, name="job"),
    path("jobs/<int:pk>/settings/", job_views.job_settings, name="job-settings"),
    path("jobs/<int:pk>/progress/", job_views.job_progress, name="job-progress"),
    path("jobs/<int:pk>/files/<str:name>", job_views.job_file, name="job-file"),
    path("jobs/<int:pk>/promote/", job_views.job_promote, name="job-promote"),
]
