"""Benchmark: the good-practice search page (HTML and ``.json``) over 10,000 practices, served.

Run:  .venv/bin/python bench/bench_practices_web.py [--n 10000 --requests 200 --users 1,8
                                                      --threads 8 --time-limit 120]

1. Seeds a fresh database (SQLite in a temporary data folder; or the EMPTY database named by
   ``DATABASE_URL``, e.g. ``postgres://postgres@127.0.0.1:5432/bench``) with 200 cities and
   ``--n`` published synthetic bilingual practices (``synthetic_practices``, bulk inserts), then
   builds the search index the web app uses (``services.rebuild_index``: SQLite FTS5 file, or
   the PostgreSQL tables with their generated tsvector and GIN index).
2. Starts ``rightsmarker serve`` (waitress) on a free port of 127.0.0.1 in a subprocess.
3. For each ``--users`` level (1 = single user, requests one after another), anonymous clients
   send ``--requests`` GETs per page kind: ``/practices/?...`` (HTML) and
   ``/practices/search.json?...``, cycling through the query kinds of bench_practices.py
   (English, Korean with particles, prefix, filters, filters only).
4. Prints p50 / p95 / max per page kind, and the server's CPU time per request (from
   ``/proc/<pid>/stat``, so a busy shared machine's waiting is left out). Target (issue #7, which
   names no concurrency): p95 < 100 ms for one user; levels above one user are printed as
   information.

Bounded: each phase stops after ``--requests`` requests or ``--time-limit`` seconds; the server
is stopped at the end. Traffic goes to 127.0.0.1 only.
"""

from __future__ import annotations

import argparse
import os
import statistics
import sys
import tempfile
import time
import urllib.parse
import urllib.request
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
from bench_web import percentile, run_phase, start_server, stop_server  # noqa: E402

TARGET_P95_MS = 100.0
QUERIES = [  # the query kinds of bench_practices.py, as the search form sends them
    {"q": "housing"},
    {"q": "living wage contracts"},
    {"q": "counsel*"},
    {"q": "노숙인을"},
    {"q": "인권교육 공무원"},
    {"q": "housing", "theme": "SPA", "year": "2020"},
    {"q": "이주민", "group": "migrants", "region": "Asia"},
    {"theme": "ECO", "city": ["c001", "c002", "c003"]},
]


def seed(n: int) -> int:
    """200 cities and ``n`` published practices; the search index built from them."""
    from rightsmarker.practices.examples import synthetic_practices
    from rightsmarker.web.network.models import City
    from rightsmarker.web.practices.models import PracticeRecord
    from rightsmarker.web.practices.services import rebuild_index

    if City.objects.exists():
        raise SystemExit("the database already holds cities: point DATABASE_URL at an empty one")
    practices = synthetic_practices(n)
    regions = {p.city.lower(): p.region for p in practices}
    City.objects.bulk_create(City(code=f"c{i:03d}", name_en=f"City {i:03d}",
                                  name_ko=f"도시 {i:03d}", country="Benchland", fictional=True,
                                  region=regions.get(f"c{i:03d}", ""))
                             for i in range(200))
    city_pk = dict(City.objects.values_list("code", "pk"))
    PracticeRecord.objects.bulk_create(
        (PracticeRecord(code=p.id, city_id=city_pk[p.city.lower()], status="published",
                        data=p.model_copy(update={"city": p.city.lower()})
                        .model_dump(mode="json"))
         for p in practices), batch_size=2000)
    count = rebuild_index()
    from django.db import connection

    if connection.vendor == "postgresql":  # what autovacuum does after a bulk load: statistics,
        with connection.cursor() as cursor:  # and the GIN index's pending list merged
            cursor.execute("VACUUM ANALYZE")
    return count


def cpu_seconds(pid: int) -> float:
    """User + system CPU seconds of a process and its living descendants (the server's worker
    processes under gunicorn), from Linux /proc."""
    stats = {}
    for entry in Path("/proc").iterdir():
        if entry.name.isdigit():
            try:
                fields = (entry / "stat").read_text().rsplit(")", 1)[1].split()
            except OSError:
                continue
            stats[int(entry.name)] = (int(fields[1]), int(fields[11]) + int(fields[12]))
    tree, todo = set(), [pid]
    while todo:
        parent = todo.pop()
        tree.add(parent)
        todo += [p for p, (ppid, _t) in stats.items() if ppid == parent and p not in tree]
    return sum(stats[p][1] for p in tree if p in stats) / os.sysconf("SC_CLK_TCK")


def calls_for(base: str, kind: str, n: int) -> list[tuple[str, object, str]]:
    opener = urllib.request.build_opener()
    path = "/practices/" if kind == "HTML" else "/practices/search.json"
    return [(f"search page ({kind})", opener,
             f"{base}{path}?{urllib.parse.urlencode(QUERIES[i % len(QUERIES)], doseq=True)}")
            for i in range(n)]


def report(title: str, results: dict, wall: float, cpu: float, judged: bool = True) -> bool:
    """Print one phase; ``judged``: whether the issue's target applies to it (one user)."""
    ok = True
    count = sum(len(t) for t, _s in results.values())
    print(f"\n{title} ({wall:.1f} s, server CPU {cpu * 1000 / max(count, 1):.1f} ms/request)")
    for kind, (times, statuses) in results.items():
        times = sorted(times)
        p50, p95 = statistics.median(times) * 1000, percentile(times, 0.95) * 1000
        good = (p95 < TARGET_P95_MS or not judged) and set(statuses) == {200}
        ok &= good
        verdict = ("ERRORS" if set(statuses) != {200} else "(information)" if not judged
                   else "OK" if good else "OVER TARGET")
        print(f"  {kind:<26} n={len(times):<5} p50 {p50:7.1f} ms   p95 {p95:7.1f} ms   "
              f"max {times[-1] * 1000:7.1f} ms   status {statuses}   {verdict}")
    return ok


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("--n", type=int, default=10_000, help="practices")
    ap.add_argument("--requests", type=int, default=200, help="requests per page kind")
    ap.add_argument("--users", default="1,8", help="concurrent clients, a comma list of levels")
    ap.add_argument("--threads", type=int, default=8, help="server worker threads")
    ap.add_argument("--time-limit", type=float, default=120, help="seconds per phase at most")
    args = ap.parse_args()

    data_dir = tempfile.mkdtemp(prefix="rm-bench-practices-web-")
    os.environ["RIGHTSMARKER_DATA_DIR"] = data_dir
    os.environ.setdefault("RIGHTSMARKER_SECRET_KEY", "bench-secret-key-" + "x" * 40)
    os.environ["RIGHTSMARKER_SECURE_COOKIES"] = "0"
    for name in ("RIGHTSMARKER_DEMO", "RIGHTSMARKER_DEBUG"):
        os.environ[name] = "0"
    from django.core.management import call_command
    from django.db import connections

    from rightsmarker.web.server import setup

    setup()
    call_command("migrate", interactive=False, verbosity=0)
    t0 = time.perf_counter()
    indexed = seed(args.n)
    db = "PostgreSQL" if os.environ.get("DATABASE_URL", "").startswith("postgres") else "SQLite"
    print(f"seeded and indexed {indexed:,} practices ({db}) in {time.perf_counter() - t0:.1f} s")
    connections.close_all()
    process, base = start_server(dict(os.environ), args.threads, Path(data_dir) / "server.log")
    print(f"rightsmarker serve --threads {args.threads} on {base}")
    ok = True
    try:
        run_phase(calls_for(base, "HTML", 16) + calls_for(base, "JSON", 16), 1, 60)  # warm up
        for users in (int(u) for u in args.users.split(",")):
            for kind in ("HTML", "JSON"):
                cpu, start = cpu_seconds(process.pid), time.perf_counter()
                results = run_phase(calls_for(base, kind, args.requests), users,
                                    args.time_limit)
                ok &= report(f"{users} user{'s' if users > 1 else ''}, {kind}", results,
                             time.perf_counter() - start, cpu_seconds(process.pid) - cpu,
                             judged=users == 1)
    finally:
        stop_server(process)
    print(f"\ntarget (issue #7: search p95 < {TARGET_P95_MS:.0f} ms, one user; concurrent levels "
          f"are information): {'met' if ok else 'NOT met'}")
    return 0 if ok else 1


if __name__ == "__main__":
    sys.exit(main())
