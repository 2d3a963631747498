"""Upload pages: the form, the preview (nothing written), the apply, the pre-filled template."""

from __future__ import annotations

import tempfile
from pathlib import Path

from django import forms
from django.conf import settings
from django.contrib import messages
from django.http import HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_http_methods, require_POST

from .cells import shown_value
from .filled import filled_template
from .pages import language
from .slots import group_label
from .uploads import (
    StaleUpload,
    UploadRefused,
    apply_staged,
    check_file,
    discard,
    load_staged,
    plan_changes,
    read_upload,
    stage,
)
from .views import writable_submission

SESSION_KEY = "entry-upload-{pk}"


class UploadForm(forms.Form):
    file = forms.FileField(label=gettext_lazy("File (the XLSX template or a CSV file)"))


@require_http_methods(["GET", "POST"])
def upload_form(request, pk: int):
    """GET: the form. POST: read the file and show the preview (nothing is written)."""
    submission = writable_submission(request, pk)
    context = {"submission": submission, "limit": settings.RIGHTSMARKER_MAX_UPLOAD_MB,
               "editable": submission.is_editable}
    if request.method == "GET":
        return render(request, "entry/upload.html", {**context, "form": UploadForm()})
    form = UploadForm(request.POST, request.FILES)
    if not submission.is_editable or not form.is_valid():
        if not submission.is_editable:
            form.add_error(None, _("This submission cannot be changed now."))
        return render(request, "entry/upload.html", {**context, "form": form}, status=400)
    upload = form.cleaned_data["file"]
    try:
        ext = check_file(upload)
    except UploadRefused as exc:
        form.add_error("file", exc.reason)
        return render(request, "entry/upload.html", {**context, "form": form}, status=400)
    fw = submission.cycle.framework_version.as_framework()
    with tempfile.TemporaryDirectory() as tmp:
        path = Path(tmp) / f"upload{ext}"
        with path.open("wb") as out:
            for chunk in upload.chunks():
                out.write(chunk)
        reading = read_upload(path, fw, submission.city.code, submission.cycle.year)
    reading.name = Path(upload.name).name
    for problem in reading.problems:  # name the user's file, not the temporary copy
        for key in ("file", "message"):
            if isinstance(problem.get(key), str):
                problem[key] = problem[key].replace(path.name, reading.name)
    context.update({"reading": reading, "name": reading.name})
    if reading.problems:
        return render(request, "entry/preview.html", context, status=400)
    plan = plan_changes(submission, reading.rows, keep=reading.kept_fields())
    token = stage(submission, request.user, plan, reading.name)
    request.session[SESSION_KEY.format(pk=submission.pk)] = token
    changes = _change_rows(fw, plan, language(request))
    context.update({"token": token, "plan": plan, "changes": changes,
                    "cleared": cleared_count(changes)})
    return render(request, "entry/preview.html", context)


def _field_labels() -> dict[str, str]:
    return {"source": _("Source"), "note": _("Note"), "flag": _("Flag"), "value_text": _("Text")}


def _change_rows(fw, plan: dict, lang: str) -> list[dict]:
    """Every new and changed value as the preview shows it: the value old -> new and each other
    field that the apply writes (source, note, flag, text), an emptied one marked ``cleared``."""
    rows = []
    labels = _field_labels()
    for kind, items in (("new", plan["new"]), ("changed", plan["changed"])):
        for r in items:
            node = fw.node(r["indicator"])
            old = r.get("old") or {}
            rows.append({
                "kind": kind, "indicator": r["indicator"], "label": node.label(lang),
                "group": group_label(r["group"], fw, lang),
                "old": shown_value(node, old.get("value_number"), old.get("value_text", ""),
                                   lang) if old else "",
                "new": shown_value(node, r["value_number"], r["value_text"], lang),
                "fields": _field_changes(node, r, old, labels),
            })
    return rows


def _field_changes(node, r: dict, old: dict, labels: dict) -> list[dict]:
    """The fields besides the value that differ from what is stored (all filled ones of a new
    value); the text of a text indicator is its value, shown as such."""
    out = []
    for f, name in labels.items():
        if f == "value_text" and node.value_type == "text":
            continue
        before, after = old.get(f) or "", r.get(f) or ""
        if before != after:
            out.append({"field": f, "name": name, "old": before, "new": after,
                        "cleared": not after})
    return out


def cleared_count(changes: list[dict]) -> int:
    """Values of which the apply empties a stored source, note or text (an emptied flag is
    shown as cleared too, but a value given where a flag said why it was missing is usual)."""
    return sum(1 for c in changes
               if any(f["cleared"] and f["field"] != "flag" for f in c["fields"]))


@require_POST
def upload_apply(request, pk: int):
    """Write the previewed upload (all or nothing), unless the submission changed meanwhile."""
    submission = writable_submission(request, pk)
    key = SESSION_KEY.format(pk=submission.pk)
    token = request.POST.get("token", "")
    plan = load_staged(token, submission, request.user) if token == request.session.get(
        key) else None
    if plan is None:
        messages.error(request, _("This upload preview has expired or was already applied. "
                                  "Upload the file again."))
        return redirect("entry:upload", pk=submission.pk)
    try:
        written = apply_staged(submission, request.user, plan)
    except StaleUpload:
        discard(token)
        request.session.pop(key, None)
        messages.error(request, _("The submission changed after the preview (someone saved "
                                  "values or moved it). Nothing was written; upload the file "
                                  "again to see the changes against the current values."))
        return redirect("entry:upload", pk=submission.pk)
    discard(token)
    request.session.pop(key, None)
    messages.success(request, _("Upload applied: %(n)s value(s) written.") % {"n": written})
    return redirect("entry:start", pk=submission.pk)


def template_download(request, pk: int):
    """The XLSX template of this city and period, with the stored values filled in."""
    submission = writable_submission(request, pk)
    content = filled_template(submission, language(request))
    response = HttpResponse(content, content_type="application/vnd.openxmlformats-officedocument."
                                                  "spreadsheetml.sheet")
    name = f"{submission.city.code}-{submission.cycle.year}-template.xlsx"
    response["Content-Disposition"] = f'attachment; filename="{name}"'
    return response
