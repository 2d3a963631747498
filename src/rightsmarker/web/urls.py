"""URLs. Every list and detail page has data twins: ``<page>.json`` (and ``.csv`` for tables).

``fmt`` is ``/`` for the HTML page, ``.json`` or ``.csv`` for a twin.
"""

from django.conf import settings
from django.contrib import admin
from django.contrib.auth import views as auth_views
from django.urls import include, path, re_path
from django.views.i18n import set_language

from .frameworks import views as frameworks
from .network import views as network
from .reporting import views as reporting

TABLE = r"(?P<fmt>/|\.json|\.csv)"
# URL prefix of each extension app found in settings.EXTENSION_APPS (default: "<name>/").
EXTENSION_PREFIXES = {"entry": "", "api": "api/", "results": ""}

urlpatterns = [
    path("", reporting.home, name="home"),
    re_path(rf"^cities{TABLE}$", network.city_list, name="cities"),
    re_path(rf"^cities/(?P<code>[a-z0-9][a-z0-9_.\-]*?){TABLE}$", network.city_detail,
            name="city"),
    re_path(rf"^cycles{TABLE}$", reporting.cycle_list, name="cycles"),
    re_path(rf"^cycles/(?P<pk>\d+){TABLE}$", reporting.cycle_detail, name="cycle"),
    path("cycles/<int:pk>/status/", reporting.cycle_status, name="cycle-status"),
    re_path(rf"^submissions/(?P<pk>\d+){TABLE}$", reporting.submission_detail, name="submission"),
    re_path(rf"^submissions/(?P<pk>\d+)/history{TABLE}$", reporting.submission_history,
            name="submission-history"),
    path("submissions/<int:pk>/move/", reporting.submission_move, name="submission-move"),
    path("submissions/<int:pk>/values/<int:value_pk>/evidence/", reporting.value_evidence,
         name="value-evidence"),
    re_path(rf"^frameworks{TABLE}$", frameworks.framework_list, name="frameworks"),
    path("frameworks/import/", frameworks.framework_import, name="framework-import"),
    re_path(r"^frameworks/(?P<pk>\d+)(?P<fmt>/|\.json|\.csv|\.yaml)$",
            frameworks.framework_detail, name="framework"),
    path("accounts/login/", auth_views.LoginView.as_view(redirect_authenticated_user=True),
         name="login"),
    path("accounts/logout/", auth_views.LogoutView.as_view(), name="logout"),
    path("i18n/setlang/", set_language, name="set_language"),
    path("admin/", admin.site.urls),
]

urlpatterns += [
    path(EXTENSION_PREFIXES.get(name, f"{name}/"), include(f"rightsmarker.web.{name}.urls"))
    for name in settings.EXTENSION_APPS
]
