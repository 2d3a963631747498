"""URLs of data entry, upload, review and value history (included at the site root)."""

from django.urls import path

app_name = "entry"

urlpatterns: list = []
