"""Benchmark: a 10,000-row XLSX upload, validated and previewed, then applied, through the server.

Run:  .venv/bin/python bench/bench_upload.py [--rows 10000 --stored 2000 --bad 100]

1. A fresh database (SQLite in a temporary data folder, or the EMPTY one in ``DATABASE_URL``)
   with the bundled framework, one city, an open 2025 cycle and its draft submission, of which
   ``--stored`` values are already stored (so the preview has changed values as well as new ones).
2. The city's XLSX template (``rightsmarker.template.write_template``, as the app serves it)
   filled with openpyxl: ``--rows`` rows in the theme sheets, one per indicator and group (the
   free grounds such as ``place-of-residence=area-0001`` give as many groups as needed).
   A second copy has ``--bad`` broken cells (text, and a number with two dots).
3. ``rightsmarker serve`` (waitress) in a subprocess on a free port of 127.0.0.1; an editor signs
   in (session cookie). Timed, each as one HTTP request from sending the file to the last byte
   of the page: the preview of the broken file (every problem listed, nothing written), the
   preview of the good file (every change listed), and the apply.

Prints the figures and the target (preview < 10 s). Bounded: three requests, a 300 s timeout
each; the server is stopped at the end. Traffic goes to 127.0.0.1 only.
"""

from __future__ import annotations

import argparse
import os
import re
import sys
import tempfile
import time
import urllib.error
import urllib.request
import uuid
from pathlib import Path

from bench_web import PASSWORD, sign_in, start_server, stop_server

TARGET_PREVIEW_S = 10.0
TIMEOUT_S = 300
CITY, YEAR = "bench-city", 2025


def seed(rows: list[dict], n_stored: int):
    """Framework, city, open cycle, draft submission, an editor; ``n_stored`` values stored."""
    from django.contrib.auth.hashers import make_password

    from rightsmarker.web.accounts.users import create_user
    from rightsmarker.web.frameworks.importing import import_bundled
    from rightsmarker.web.network.models import City
    from rightsmarker.web.reporting.models import Cycle, Submission, Value

    if City.objects.exists():
        raise SystemExit("the database already holds cities: point DATABASE_URL at an empty one")
    fv = import_bundled()
    city = City.objects.create(code=CITY, name_en="Bench City", fictional=True)
    cycle = Cycle.objects.create(name=f"{YEAR} cycle", year=YEAR, framework_version=fv,
                                 status="open")
    sub = Submission.objects.create(cycle=cycle, city=city, status="draft")
    Value.objects.bulk_create(
        (Value(submission=sub, indicator=r["indicator"], group=r["group"],
               value_number=r["value"] + 1, source="stored before the upload")
         for r in rows[:n_stored]), batch_size=5000)
    create_user("bench-editor", "", "city_editor", CITY, password_hash=make_password(PASSWORD))
    return fv.as_framework(), sub.pk


def upload_rows(template: Path, n_rows: int) -> list[dict]:
    """``n_rows`` distinct (indicator, group) rows for the template's free grounds."""
    import openpyxl

    wb = openpyxl.load_workbook(template, read_only=True)
    free = []
    for ws in wb.worksheets:
        if ws.title == "Instructions":
            continue
        for r in ws.iter_rows(min_row=2, values_only=True):
            if r[7] and str(r[7]).endswith("=") and r[5] in ("percent", "rate", "number"):
                free.append({"sheet": ws.title, "head": list(r[:7]), "ground": r[7]})
    wb.close()
    per = -(-n_rows // len(free))
    rows = []
    for k in range(per):
        for j, f in enumerate(free):
            if len(rows) == n_rows:
                return rows
            rows.append({**f, "indicator": f["head"][2], "group": f"{f['ground']}area-{k:04d}",
                         "value": round(((k * 31 + j * 7) % 900) / 10, 1)})
    return rows


def fill(template: Path, out: Path, rows: list[dict], n_bad: int = 0) -> Path:
    """The template with ``rows`` appended to their sheets; ``n_bad`` of them broken."""
    import openpyxl

    wb = openpyxl.load_workbook(template)
    step = max(len(rows) // n_bad, 1) if n_bad else 0
    for i, r in enumerate(rows):
        value = r["value"]
        if n_bad and i % step == 0 and i // step < n_bad:
            value = "about a third" if (i // step) % 2 else "12..5"
        wb[r["sheet"]].append(r["head"] + [r["group"], value, "bench upload", None, None])
    wb.save(out)
    return out


def multipart(fields: dict[str, str], file_field: str, path: Path) -> tuple[bytes, str]:
    boundary = uuid.uuid4().hex
    parts = []
    for name, value in fields.items():
        parts.append(f'--{boundary}\r\nContent-Disposition: form-data; name="{name}"\r\n\r\n'
                     f"{value}\r\n".encode())
    parts.append(f'--{boundary}\r\nContent-Disposition: form-data; name="{file_field}"; '
                 f'filename="{path.name}"\r\nContent-Type: application/vnd.openxmlformats-'
                 f'officedocument.spreadsheetml.sheet\r\n\r\n'.encode() + path.read_bytes()
                 + b"\r\n")
    parts.append(f"--{boundary}--\r\n".encode())
    return b"".join(parts), f"multipart/form-data; boundary={boundary}"


def csrf_token(opener, url: str) -> str:
    with opener.open(url, timeout=TIMEOUT_S) as r:
        html = r.read().decode()
    return re.search(r'name="csrfmiddlewaretoken" value="([^"]+)"', html).group(1)


def post(opener, url: str, body: bytes, content_type: str) -> tuple[float, int, str]:
    request = urllib.request.Request(url, data=body, headers={"Content-Type": content_type,
                                                              "Referer": url})
    start = time.perf_counter()
    try:
        with opener.open(request, timeout=TIMEOUT_S) as r:
            html, status = r.read().decode(), r.status
    except urllib.error.HTTPError as exc:
        html, status = exc.read().decode(errors="replace"), exc.code
    return time.perf_counter() - start, status, html


def text_of(html: str, pattern: str) -> str:
    m = re.search(pattern, html)
    return m.group(1) if m else "?"


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("--rows", type=int, default=10_000)
    ap.add_argument("--stored", type=int, default=2_000, help="rows already stored (changed)")
    ap.add_argument("--bad", type=int, default=100, help="broken cells in the second file")
    args = ap.parse_args()

    data_dir = Path(tempfile.mkdtemp(prefix="rm-bench-upload-"))
    os.environ["RIGHTSMARKER_DATA_DIR"] = str(data_dir)
    os.environ.setdefault("RIGHTSMARKER_SECRET_KEY", "bench-secret-key-" + "x" * 40)
    os.environ["RIGHTSMARKER_SECURE_COOKIES"] = "0"  # session cookies over plain http (local)
    os.environ["RIGHTSMARKER_DEMO"] = os.environ["RIGHTSMARKER_DEBUG"] = "0"
    from django.core.management import call_command

    from rightsmarker.template import write_template
    from rightsmarker.web.server import setup

    setup()
    call_command("migrate", interactive=False, verbosity=0)
    from rightsmarker import load_framework
    from rightsmarker.framework.io import resolve_framework_path

    t0 = time.perf_counter()
    blank = data_dir / "blank-template.xlsx"
    write_template(load_framework(resolve_framework_path("social-inclusion-marker")), blank,
                   units=[CITY], periods=[YEAR])
    rows = upload_rows(blank, args.rows)
    _fw, pk = seed(rows, args.stored)
    good = fill(blank, data_dir / f"{CITY}-{YEAR}-{args.rows}-rows.xlsx", rows)
    bad = fill(blank, data_dir / f"{CITY}-{YEAR}-{args.rows}-rows-bad.xlsx", rows, args.bad)
    print(f"{len(rows)} rows ({args.stored} already stored, {len(rows) - args.stored} new); "
          f"XLSX {good.stat().st_size / 1e6:.2f} MB; prepared in {time.perf_counter() - t0:.1f} s")

    from django.db import connections

    connections.close_all()
    process, base = start_server(dict(os.environ), 4, data_dir / "server.log")
    ok = True
    try:
        editor = sign_in(base, "bench-editor")
        upload_url = f"{base}/submissions/{pk}/upload/"

        token = csrf_token(editor, upload_url)
        took, status, html = post(editor, upload_url,
                                  *multipart({"csrfmiddlewaretoken": token}, "file", bad))
        problems = text_of(html, r'id="problems-heading">\s*([^<]+?)\s*<')
        print(f"preview, {args.bad} broken cells:  {took:6.2f} s  HTTP {status}  "
              f"page {len(html) / 1e3:.0f} kB  '{problems}'")
        ok &= took < TARGET_PREVIEW_S and str(args.bad) in problems

        token = csrf_token(editor, upload_url)
        took, status, html = post(editor, upload_url,
                                  *multipart({"csrfmiddlewaretoken": token}, "file", good))
        counts = re.findall(r"<li>((?:New|Changed|Unchanged): \d+)</li>", html)
        print(f"preview, {args.rows} rows:          {took:6.2f} s  HTTP {status}  "
              f"page {len(html) / 1e6:.1f} MB  {', '.join(counts)}")
        ok &= took < TARGET_PREVIEW_S and status == 200 and len(counts) == 3
        staged = text_of(html, r'name="token" value="([^"]+)"')
        form_token = text_of(html, r'name="csrfmiddlewaretoken" value="([^"]+)"')

        body = f"csrfmiddlewaretoken={form_token}&token={staged}".encode()
        took, status, html = post(editor, f"{base}/submissions/{pk}/upload/apply/", body,
                                  "application/x-www-form-urlencoded")
        applied = text_of(html, r"(Upload applied: \d+ value\(s\) written\.)")
        print(f"apply:                      {took:6.2f} s  HTTP {status}  '{applied}'")
        ok &= applied != "?"
    finally:
        stop_server(process)
    print(f"\ntarget: a {args.rows}-row XLSX validated and previewed in < {TARGET_PREVIEW_S:.0f} s:"
          f" {'met' if ok else 'NOT met'}")
    return 0 if ok else 1


if __name__ == "__main__":
    sys.exit(main())
