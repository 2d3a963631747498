"""Import and export of practices as CSV or JSON (the library's file forms), secretariat only.

Export: every record (drafts included) for the secretariat, as the library's ``write_practices``
writes it. Import (admins): ``read_practices`` checks the whole file first (all or nothing); each
practice is then created or, when its id exists, saved as the record's next version, with the
status the file gives. A practice's city must be a city of the network.
"""

from __future__ import annotations

import tempfile
from pathlib import Path

from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.db import transaction
from django.http import HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _

from rightsmarker.practices import PracticeError
from rightsmarker.practices.io import read_practices, write_practices

from ..accounts.roles import roles_of
from ..network.models import City
from .forms import ImportForm
from .models import PracticeRecord
from .services import save_version

MAX_IMPORT_BYTES = 50 * 1024 * 1024
SUFFIXES = (".csv", ".json")


def export(request, fmt: str):
    if not roles_of(request.user).is_secretariat:
        raise PermissionDenied
    practices = [r.practice() for r in PracticeRecord.objects.select_related("city")
                 .order_by("code")]
    text = write_practices(practices, format=fmt)
    kind = "text/csv" if fmt == "csv" else "application/json"
    response = HttpResponse(text, content_type=f"{kind}; charset=utf-8")
    response["Content-Disposition"] = f'attachment; filename="practices.{fmt}"'
    return response


def import_view(request):
    if not roles_of(request.user).is_admin:
        raise PermissionDenied
    form = ImportForm(request.POST or None, request.FILES or None)
    problems = []
    if request.method == "POST" and form.is_valid():
        upload = form.cleaned_data["file"]
        suffix = Path(upload.name).suffix.lower()
        if suffix not in SUFFIXES:
            form.add_error("file", _("Upload a .csv or .json file."))
        elif upload.size > MAX_IMPORT_BYTES:
            form.add_error("file", _("The file is larger than 50 MB."))
        else:
            try:
                created, updated = import_file(upload, suffix, request.user)
            except PracticeError as exc:
                problems = [str(p) for p in exc.problems] or [str(exc)]
            else:
                messages.success(request, _("Imported: %(c)d new, %(u)d updated.")
                                 % {"c": created, "u": updated})
                return redirect("practices:search")
    return render(request, "practices/import.html", {"form": form, "problems": problems})


def import_file(upload, suffix: str, user) -> tuple[int, int]:
    with tempfile.TemporaryDirectory() as tmp:
        path = Path(tmp) / f"practices{suffix}"
        with path.open("wb") as fh:
            for chunk in upload.chunks():
                fh.write(chunk)
        practices = read_practices(path)
    cities = City.objects.in_bulk([p.city for p in practices], field_name="code")
    missing = sorted({p.city for p in practices} - set(cities))
    if missing:
        raise PracticeError("unknown cities", hint=None, problems=[
            _problem(f"city {code!r} is not a city of the network") for code in missing])
    return _store(practices, cities, user)


def _problem(message: str):
    from rightsmarker.errors import Problem

    return Problem(message)


@transaction.atomic
def _store(practices, cities, user) -> tuple[int, int]:
    created = updated = 0
    existing = PracticeRecord.objects.in_bulk([p.id for p in practices], field_name="code")
    for p in practices:
        record = existing.get(p.id) or PracticeRecord(code=p.id)
        is_new = record.pk is None
        record.city = cities[p.city]
        record.status = p.status
        record.data = p.model_dump(mode="json")
        save_version(record, user, "import")
        created += is_new
        updated += not is_new
    return created, updated
