"""URLs of the practices app (under ``/practices/``).

``fmt`` is ``/`` for the HTML page or ``.json`` / ``.csv`` for its data twin.
"""

from django.urls import path, re_path

from . import api, editor, evidence, exchange, pages, tags

app_name = "practices"
FMT = r"(?P<fmt>/|\.json|\.csv)"

urlpatterns = [
    path("", pages.practice_search, {"fmt": "/"}, name="search"),
    re_path(rf"^search{FMT}$", pages.practice_search, name="search-twin"),
    re_path(rf"^(?P<pk>\d+){FMT}$", pages.practice_detail, name="detail"),
    re_path(rf"^(?P<pk>\d+)/history{FMT}$", editor.practice_history, name="history"),
    path("<int:pk>/edit/", editor.practice_edit, name="edit"),
    path("<int:pk>/move/", editor.practice_move, name="move"),
    path("<int:pk>/evidence/<int:n>/", evidence.download, name="evidence"),
    path("<int:pk>/suggest/", tags.suggest, name="suggest"),
    path("<int:pk>/tags/", tags.decide, name="decide"),
    path("new/<str:code>/", editor.practice_new, name="new"),
    re_path(r"^export\.(?P<fmt>csv|json)$", exchange.export, name="export"),
    path("import/", exchange.import_view, name="import"),
    path("api/practices", api.practice_list, name="api-list"),
    re_path(r"^api/practices/(?P<code>[A-Za-z0-9][\w.\-]{0,63})$", api.practice_detail,
            name="api-detail"),
    re_path(r"^api/.*$", api.not_found, name="api-not-found"),
]
