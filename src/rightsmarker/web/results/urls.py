"""URLs of the results app (mounted at the site root: ``urls.EXTENSION_PREFIXES``)."""

from django.urls import path, re_path

from . import actions, api, compare, downloads, indicator, pages

TABLE = r"(?P<fmt>/|\.json|\.csv)"

urlpatterns = [
    re_path(rf"^results{TABLE}$", pages.dashboard, name="results"),
    re_path(rf"^results/city/(?P<code>[a-z0-9][a-z0-9_.\-]*?){TABLE}$", pages.city_profile,
            name="results-city"),
    re_path(rf"^results/city/(?P<code>[a-z0-9][a-z0-9_.\-]*?)/compare{TABLE}$",
            compare.comparison, name="results-compare"),
    path("results/city/<str:code>/map/", compare.district_map, name="results-map"),
    re_path(rf"^results/indicators/(?P<code>[A-Za-z0-9][\w.\-]*?){TABLE}$", indicator.indicator_page, name="results-indicator"),  # noqa: E501
    path("results/download.zip", downloads.bulk_download, name="results-download"),
    re_path(rf"^results/cycles/(?P<pk>\d+){TABLE}$", actions.cycle_runs, name="results-cycle"),
    path("results/cycles/<int:pk>/score/", actions.score, name="results-score"),
    path("results/cycles/<int:pk>/runs/<int:run>/progress/", actions.run_progress,
         name="results-run-progress"),
    re_path(r"^results/report\.(?P<fmt>html|pdf)$", actions.report, name="results-report"),
    re_path(r"^results/plotly-(?P<version>[0-9][0-9a-z.\-]*)\.min\.js$", actions.plotly_js,
            name="results-plotly"),
    path("results/api/runs", api.runs, name="results-api-runs"),
    re_path(r"^results/api/runs/(?P<run>\d+|latest)/(?P<name>scores|levels|rank-stats)$",
            api.table, name="results-api-table"),
]
