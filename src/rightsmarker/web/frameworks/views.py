"""Framework versions: list, detail (with the YAML as a download) and import (admins)."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.http import HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _

from ..accounts.roles import roles_of
from ..twins import respond
from .access import get_framework_version_for_user
from .forms import ImportFrameworkForm
from .importing import ImportRefused, import_framework
from .labels import kind_label, value_type_label
from .models import FrameworkVersion

COLUMNS = ["id", "code", "version", "label_en", "label_ko", "sha256", "imported_at"]


def _row(fv: FrameworkVersion) -> dict:
    return {"id": fv.pk, "code": fv.code, "version": fv.version, "label_en": fv.label_en,
            "label_ko": fv.label_ko, "sha256": fv.sha256, "imported_at": fv.imported_at.isoformat()}


def framework_list(request, fmt: str = "/"):
    versions = list(FrameworkVersion.objects.all())
    rows = [_row(v) for v in versions]
    context = {"versions": versions, "can_import": roles_of(request.user).is_admin}
    return respond(request, fmt, "frameworks/list.html", context, data={"frameworks": rows},
                   rows=rows, columns=COLUMNS, filename="frameworks")


def framework_detail(request, pk: int, fmt: str = "/"):
    fv, _can_write = get_framework_version_for_user(request.user, pk)
    if fmt == ".yaml":
        response = HttpResponse(fv.yaml, content_type="application/yaml; charset=utf-8")
        response["Content-Disposition"] = f'attachment; filename="{fv.code}-{fv.version}.yaml"'
        return response
    fw = fv.as_framework()
    lang = (request.LANGUAGE_CODE or "en")[:2]
    depths = fw.depths
    rows = [{"code": n.code, "parent": n.parent, "depth": depths[n.code], "label": n.label(lang),
             "kind": n.kind, "value_type": n.value_type, "unit": n.unit_label(lang)}
            for n in fw.nodes]
    shown = [r | {"kind_label": kind_label(r["kind"]),
                  "value_type_label": value_type_label(r["value_type"])} for r in rows]
    context = {"fv": fv, "nodes": shown}
    return respond(request, fmt, "frameworks/detail.html", context,
                   data={"framework": _row(fv), "nodes": rows}, rows=rows,
                   columns=["code", "parent", "depth", "label", "kind", "value_type", "unit"],
                   filename=f"{fv.code}-{fv.version}")


@login_required
def framework_import(request):
    if not roles_of(request.user).is_admin:
        raise PermissionDenied
    form = ImportFrameworkForm(request.POST or None, request.FILES or None)
    problems: list[str] = []
    if request.method == "POST" and form.is_valid():
        try:
            fv = import_framework(form.cleaned_data["file"], request.user,
                                  source=request.FILES["file"].name)
        except ImportRefused as exc:
            form.add_error("file", exc.message)
            problems = exc.problems[:100]
        else:
            messages.success(request, _("Imported %(fv)s.") % {"fv": fv})
            return redirect("framework", pk=fv.pk, fmt="/")
    return render(request, "frameworks/import.html", {"form": form, "problems": problems})
