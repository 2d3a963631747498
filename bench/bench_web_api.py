"""Benchmark: the JSON API and the exports against a local waitress server.

Run:  .venv/bin/python bench/bench_web_api.py [--cities 100 --indicators 50 --cycles 5
                                               --users 20 --requests 200]

Seeds a fresh database (SQLite in a temporary folder, or the one in ``DATABASE_URL``: use an
empty one) with the bundled framework, ``cities x indicators x cycles`` values (the last cycle
open, the others published), then sends ``--requests`` requests per endpoint from ``--users``
concurrent clients as a secretariat admin (``--auth token``: a bearer token, whose every use
also records ``last_used``; ``--auth session``: a browser session cookie), and prints p50 / p95
per endpoint (the issue's page target is p95 < 300 ms with 20 users).
"""

from __future__ import annotations

import argparse
import os
import statistics
import tempfile
import threading
import time
import urllib.request
from concurrent.futures import ThreadPoolExecutor


def seed(n_cities: int, n_indicators: int, n_cycles: int) -> dict:
    """Cities, cycles, submissions and values (bulk inserts, not audited: seeding only)."""
    from rightsmarker.web.accounts.models import ApiToken
    from rightsmarker.web.accounts.users import create_user
    from rightsmarker.web.frameworks.importing import import_bundled
    from rightsmarker.web.network.models import City
    from rightsmarker.web.reporting.models import Cycle, Submission, Value

    fv = import_bundled()
    codes = [n.code for n in fv.as_framework().indicators if n.value_type != "text"]
    codes = codes[:n_indicators]
    cities = City.objects.bulk_create(City(code=f"city-{i:03d}", name_en=f"City {i}",
                                           fictional=True) for i in range(n_cities))
    subs = []
    for k in range(n_cycles):
        is_open = k == n_cycles - 1
        cycle = Cycle.objects.create(name=f"{2020 + k} cycle", year=2020 + k,
                                     framework_version=fv,
                                     status="open" if is_open else "published")
        subs += Submission.objects.bulk_create(
            Submission(cycle=cycle, city=c, status="draft" if is_open else "published")
            for c in cities)
    Value.objects.bulk_create(
        (Value(submission=s, indicator=code, value_number=float((i * 7 + j) % 100),
               source="bench") for i, s in enumerate(subs) for j, code in enumerate(codes)),
        batch_size=5000)
    admin = create_user("bench-admin", "bench@example.org", "secretariat_admin",
                        password="bench-password-1")
    _token, plain = ApiToken.issue(admin, "bench", can_write=True)
    last = subs[-1]
    return {"token": plain, "session": session_headers(admin), "cycle": last.cycle_id,
            "published_cycle": subs[0].cycle_id, "submission": last.pk,
            "value": last.values.first().pk, "city": cities[0].code}


def session_headers(user) -> dict:
    """Headers of a signed-in browser session (cookie and CSRF token) for ``user``."""
    from django.conf import settings
    from django.contrib.auth import BACKEND_SESSION_KEY, HASH_SESSION_KEY, SESSION_KEY
    from django.contrib.sessions.backends.db import SessionStore

    store = SessionStore()
    store[SESSION_KEY] = str(user.pk)
    store[BACKEND_SESSION_KEY] = "django.contrib.auth.backends.ModelBackend"
    store[HASH_SESSION_KEY] = user.get_session_auth_hash()
    store.create()
    csrf = "b" * 32
    return {"Cookie": f"{settings.SESSION_COOKIE_NAME}={store.session_key}; "
                      f"{settings.CSRF_COOKIE_NAME}={csrf}", "X-CSRFToken": csrf}


def start_server() -> str:
    import waitress
    from django.core.wsgi import get_wsgi_application

    server = waitress.create_server(get_wsgi_application(), host="127.0.0.1", port=0,
                                    threads=16, ident="bench")
    threading.Thread(target=server.run, daemon=True).start()
    return f"http://127.0.0.1:{server.effective_port}"


def timed(url: str, auth: dict, method: str = "GET", body: bytes | None = None) -> float:
    req = urllib.request.Request(url, data=body, method=method,
                                 headers={**auth, "Content-Type": "application/json"})
    start = time.perf_counter()
    with urllib.request.urlopen(req) as response:
        response.read()
    return time.perf_counter() - start


def run(label: str, calls, users: int) -> None:
    with ThreadPoolExecutor(users) as pool:
        times = sorted(pool.map(lambda call: call(), calls))
    p50 = statistics.median(times) * 1000
    p95 = times[max(0, int(len(times) * 0.95) - 1)] * 1000
    print(f"{label:<44} n={len(times):<4} p50 {p50:7.1f} ms   p95 {p95:7.1f} ms")


def main() -> None:
    ap = argparse.ArgumentParser()
    ap.add_argument("--cities", type=int, default=100)
    ap.add_argument("--indicators", type=int, default=50)
    ap.add_argument("--cycles", type=int, default=5)
    ap.add_argument("--users", type=int, default=20)
    ap.add_argument("--requests", type=int, default=200)
    ap.add_argument("--auth", choices=["token", "session"], default="token")
    args = ap.parse_args()
    os.environ.setdefault("RIGHTSMARKER_DATA_DIR", tempfile.mkdtemp(prefix="rm-bench-api-"))
    os.environ.setdefault("RIGHTSMARKER_SECRET_KEY", "bench-secret-key-" + "x" * 40)
    from django.core.management import call_command

    from rightsmarker.web.server import setup

    setup()
    call_command("migrate", interactive=False, verbosity=0)
    t0 = time.perf_counter()
    ids = seed(args.cities, args.indicators, args.cycles)
    print(f"seeded {args.cities} cities x {args.indicators} indicators x {args.cycles} cycles "
          f"in {time.perf_counter() - t0:.1f} s")
    token = ({"Authorization": f"Bearer {ids['token']}"} if args.auth == "token"
             else ids["session"])
    base, n = start_server(), args.requests
    print(f"{args.users} concurrent users, authenticated by {args.auth}")

    def gets(path: str, count: int = n):
        return [lambda: timed(base + path, token) for _ in range(count)]

    run("GET /api/submissions (all)", gets("/api/submissions"), args.users)
    run("GET /api/cycles/{id}", gets(f"/api/cycles/{ids['cycle']}"), args.users)
    run("GET /api/submissions/{id}", gets(f"/api/submissions/{ids['submission']}"), args.users)
    run("GET /api/submissions/{id}/values", gets(f"/api/submissions/{ids['submission']}/values"),
        args.users)
    run("GET /api/frameworks/{id} (node tree)", gets("/api/frameworks/1"), args.users)
    value_url = f"{base}/api/submissions/{ids['submission']}/values/{ids['value']}"
    versions = iter(range(1, 10 ** 6))
    patch = [lambda: timed(value_url, token, "PATCH",
                           b'{"version": %d, "note": "bench"}' % next(versions))
             for _ in range(n // 4)]
    run("PATCH value (1 user: versions in sequence)", patch, 1)
    for fmt in ("csv", "xlsx", "parquet"):
        run(f"GET export cycle .{fmt} ({args.cities * args.indicators} rows)",
            gets(f"/api/exports/cycles/{ids['published_cycle']}/values.{fmt}", max(n // 10, 5)),
            min(args.users, 4))


if __name__ == "__main__":
    main()
