"""URLs of data entry, upload, review and value history (included at the site root).

``fmt`` is ``/`` for the HTML page or ``.json`` (and ``.csv`` for tables) for its data twin.
"""

from django.urls import path, re_path

from ..reporting.views import value_evidence
from . import history, review, upload, views

app_name = "entry"
FMT = r"(?P<fmt>/|\.json|\.csv)"
SUB = r"^submissions/(?P<pk>\d+)"

urlpatterns = [
    path("submissions/<int:pk>/entry/", views.entry_start, name="start"),
    path("submissions/<int:pk>/entry/validate/", views.entry_validate, name="validate"),
    path("submissions/<int:pk>/entry/<str:theme>/", views.entry_theme, name="theme"),
    path("submissions/<int:pk>/submit/", views.entry_submit, name="submit"),
    path("submissions/<int:pk>/evidence/<int:value_pk>/", value_evidence, name="evidence"),
    path("submissions/<int:pk>/upload/", upload.upload_form, name="upload"),
    path("submissions/<int:pk>/upload/apply/", upload.upload_apply, name="upload-apply"),
    path("submissions/<int:pk>/template.xlsx", upload.template_download, name="template"),
    re_path(rf"{SUB}/review{FMT}$", review.review_page, name="review"),
    path("submissions/<int:pk>/review/decide/", review.review_decide, name="decide"),
    path("submissions/<int:pk>/comments/", review.add_comment, name="comment"),
    re_path(rf"{SUB}/value-history(?P<fmt>/|\.json)$", history.value_history,
            name="value-history"),
]
