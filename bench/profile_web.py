"""Profile: single-request service time and queries of the data-entry and review pages.

Run:  .venv/bin/python bench/profile_web.py [--cities 100 --indicators 50 --cycles 5
                                              --repeat 20 --cprofile]

Seeds a temporary SQLite database like ``bench_web.py`` (or the EMPTY database named by
``DATABASE_URL``), then requests each page kind ``--repeat`` times in this process through
Django's test client (no HTTP server) and prints per page kind: the median wall and CPU time
per request (ms) and the number of SQL queries, warm (cached parts reused) and cold (the
cache cleared before each request). ``--cprofile`` prints the top functions.
"""

from __future__ import annotations

import argparse
import os
import statistics
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("--cities", type=int, default=100)
    ap.add_argument("--indicators", type=int, default=50)
    ap.add_argument("--cycles", type=int, default=5)
    ap.add_argument("--repeat", type=int, default=20)
    ap.add_argument("--cprofile", action="store_true")
    ap.add_argument("--sort", default="cumulative", help="cProfile order (tottime, ...)")
    ap.add_argument("--page", choices=["entry", "review", "floor"], help="only this page kind")
    ap.add_argument("--warm", action="store_true", help="only with a warm cache")
    args = ap.parse_args()
    os.environ["RIGHTSMARKER_DATA_DIR"] = tempfile.mkdtemp(prefix="rm-profile-web-")
    os.environ.setdefault("RIGHTSMARKER_SECRET_KEY", "bench-secret-key-" + "x" * 40)
    for name in ("RIGHTSMARKER_DEMO", "RIGHTSMARKER_DEBUG"):
        os.environ[name] = "0"
    from django.core.management import call_command

    from rightsmarker.web.server import setup

    setup()
    call_command("migrate", interactive=False, verbosity=0)
    from bench_web import seed
    from django.conf import settings
    from django.db import connection, reset_queries
    from django.test import Client

    settings.ALLOWED_HOSTS = ["*"]
    settings.SESSION_COOKIE_SECURE = settings.CSRF_COOKIE_SECURE = False
    world = seed(args.cities, args.indicators, args.cycles, 1)
    from django.contrib.auth import get_user_model

    users = get_user_model().objects
    editor, reviewer = Client(), Client()
    editor.force_login(users.get(username=world["editors"][0][0]))
    reviewer.force_login(users.get(username=world["reviewers"][0]))
    pk = world["editors"][0][1]
    pages = {
        "data entry: theme page": [(editor, f"/submissions/{pk}/entry/{t}/")
                                   for t in world["themes"]],
        "review page": [(reviewer, f"/submissions/{s}/review/") for s in world["submitted"]],
        "short page (floor)": [(editor, "/frameworks/")],
    }
    settings.DEBUG = True  # count queries
    profiler = None
    if args.cprofile:
        import cProfile

        profiler = cProfile.Profile()
    from django.core.cache import cache

    from rightsmarker.web.entry.versions import clear_local

    for kind, calls in list(pages.items())[:2]:
        pages[kind + " (cold cache)"] = calls
    for kind, calls in pages.items():
        if args.page and not kind.startswith(
                {"entry": "data", "review": "review", "floor": "short"}[args.page]):
            continue
        if args.warm and "cold" in kind:
            continue
        for client, url in calls[: 1 if "cold" in kind else args.repeat]:
            client.get(url)  # warm up (every page of the run, unless cold)
        walls, cpus, queries = [], [], []
        for i in range(args.repeat):
            client, url = calls[i % len(calls)]
            if "cold" in kind:
                cache.clear()
                clear_local()
            reset_queries()
            w0, c0 = time.perf_counter(), time.process_time()
            if profiler:
                profiler.enable()
            response = client.get(url)
            if profiler:
                profiler.disable()
            walls.append(time.perf_counter() - w0)
            cpus.append(time.process_time() - c0)
            queries.append(len(connection.queries))
            assert response.status_code == 200, (url, response.status_code)
        print(f"{kind:<26} wall p50 {statistics.median(walls) * 1000:7.1f} ms   "
              f"min {min(walls) * 1000:6.1f} ms   "
              f"CPU p50 {statistics.median(cpus) * 1000:7.1f} ms   "
              f"queries {min(queries)}-{max(queries)}   size {len(response.content)} B")
    if profiler:
        import pstats

        pstats.Stats(profiler).sort_stats(args.sort).print_stats(45)
    return 0


if __name__ == "__main__":
    sys.exit(main())
