"""Benchmark: the city profile (/results/city/<code>/) under 20 concurrent anonymous users.

Run:  .venv/bin/python bench/bench_results.py [--cities 100 --cycles 5 --users 20
                                               --requests 400 --time-limit 120]

1. Seeds a fresh SQLite database in a temporary data folder with the bundled framework and the
   fictional ``rightsmarker.demo`` cities and values, every cycle published, and scores the
   latest cycle (``score_cycle``, which also builds the run's group gaps and every city's
   profile parts in every language before the run is shown: both times are printed).
2. Starts ``rightsmarker serve`` (waitress) on a free port of 127.0.0.1 in a subprocess.
3. Requests every city's profile once, ``--users`` at a time: the first request per city after
   the run was made, as its first visitors see it (fresh server processes; the parts were built
   by the score run, so nothing is built here) and prints p50 / p95 / max; then once more one
   at a time (single user, warm: the service time of a request), then sends ``--requests``
   GETs from ``--users`` concurrent clients over every city in turn and prints p50 / p95 / max,
   the server's CPU time per request (its processes and children, from /proc; for every
   phase) and the status of the target (p95 < 300 ms).

``--workers N`` is passed on to ``rightsmarker serve`` (default: serve's own default).
``--lazy`` scores without building the pages (as runs of older versions: every first visit
of a city builds its parts), for comparison.
"""

from __future__ import annotations

import argparse
import os
import shutil
import socket
import statistics
import subprocess
import sys
import tempfile
import time
import urllib.request
from concurrent.futures import ThreadPoolExecutor


def seed(n_cities: int, n_cycles: int, warm: bool = True) -> list[str]:
    import django

    django.setup()
    from django.core.management import call_command

    from rightsmarker.demo import demo_data
    from rightsmarker.web.frameworks.importing import import_bundled
    from rightsmarker.web.network.models import City
    from rightsmarker.web.reporting.models import Cycle, Submission, Value
    from rightsmarker.web.results.services import score_cycle

    call_command("migrate", verbosity=0)
    fv = import_bundled("social-inclusion-marker")
    years = tuple(range(2025 - n_cycles + 1, 2026))
    demo = demo_data(n_cities=n_cities, periods=years, framework=fv.as_framework())
    City.objects.bulk_create([City(code=r.unit, name_en=r.name_en, name_ko=r.name_ko,
                                   region=r.region, population=int(r.population),
                                   peer_group=r.peer_group, fictional=True)
                              for r in demo.cities.itertuples()])
    cities = {c.code: c for c in City.objects.all()}
    cycle = None
    for year, rows in demo.observations.groupby("period"):
        cycle = Cycle.objects.create(name=f"{year}", year=int(year), framework_version=fv,
                                     status="published")
        subs = {code: Submission.objects.create(cycle=cycle, city=city, status="published")
                for code, city in cities.items()}
        Value.objects.bulk_create([
            Value(submission=subs[r.unit], indicator=r.indicator, group=r.group,
                  value_number=None if r.value != r.value else float(r.value),
                  value_text=text(r.text), flag=text(r.flag)[:50])
            for r in rows.itertuples()], batch_size=2000)
    started = time.perf_counter()
    run = score_cycle(cycle, warm=warm)
    took = time.perf_counter() - started
    warmed = getattr(run, "warmed", None)
    if warmed:
        each = warmed["seconds"] / max(warmed["built"], 1) * 1000
        print(f"scored {len(cities)} cities x {len(years)} cycles in {took:.1f} s, of which "
              f"{warmed['seconds']:.1f} s building the group gaps and {warmed['built']} "
              f"profile parts ({warmed['cities']} cities x {', '.join(warmed['languages'])}; "
              f"{each:.0f} ms each)")
    else:
        print(f"scored {len(cities)} cities x {len(years)} cycles in {took:.1f} s "
              "(pages not built: --lazy)")
    return sorted(cities)


def text(x) -> str:
    return "" if x is None or x != x else str(x)


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def get(url: str) -> float:
    started = time.perf_counter()
    with urllib.request.urlopen(url, timeout=30) as response:
        response.read()
        assert response.status == 200, response.status
    return time.perf_counter() - started


def cpu_seconds(pid: int) -> float:
    """User + system CPU time of ``pid`` and its descendants (Linux /proc; 0 elsewhere)."""
    try:
        tick = os.sysconf("SC_CLK_TCK")
        stats = {}
        for entry in os.listdir("/proc"):
            if entry.isdigit():
                try:
                    with open(f"/proc/{entry}/stat") as fh:
                        fields = fh.read().rsplit(")", 1)[1].split()
                except OSError:
                    continue
                stats[int(entry)] = (int(fields[1]), int(fields[11]) + int(fields[12]))
    except (OSError, ValueError, AttributeError):
        return 0.0
    family, total, grew = {pid}, 0, True
    while grew:
        grew = False
        for child, (parent, _ticks) in stats.items():
            if parent in family and child not in family:
                family.add(child)
                grew = True
    total = sum(stats[p][1] for p in family if p in stats)
    return total / tick


def summary(name: str, times: list[float]) -> str:
    times = sorted(times)
    p95 = times[int(0.95 * (len(times) - 1))]
    return (f"{name}, {len(times)} requests: p50 {statistics.median(times) * 1000:.0f} ms, "
            f"p95 {p95 * 1000:.0f} ms, max {times[-1] * 1000:.0f} ms")


def wait_for(url: str, limit: float = 60) -> None:
    deadline = time.time() + limit
    while time.time() < deadline:
        try:
            get(url)
            return
        except OSError:
            time.sleep(0.5)
    raise SystemExit(f"the server did not answer at {url}")


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--cities", type=int, default=100)
    parser.add_argument("--cycles", type=int, default=5)
    parser.add_argument("--users", type=int, default=20)
    parser.add_argument("--requests", type=int, default=400)
    parser.add_argument("--time-limit", type=float, default=120)
    parser.add_argument("--workers", type=int, default=None)
    parser.add_argument("--lazy", action="store_true",
                        help="score without building the pages (first visits build them)")
    args = parser.parse_args()
    folder = tempfile.mkdtemp(prefix="rightsmarker-bench-results-")
    os.environ.update(RIGHTSMARKER_DATA_DIR=folder, RIGHTSMARKER_DEMO="1",
                      DJANGO_SETTINGS_MODULE="rightsmarker.web.settings")
    os.environ.pop("DATABASE_URL", None)
    codes = seed(args.cities, args.cycles, warm=not args.lazy)
    port = free_port()
    command = [sys.executable, "-m", "rightsmarker", "serve", "--port", str(port),
               "--threads", str(args.users)]
    if args.workers:
        command += ["--workers", str(args.workers)]
    server = subprocess.Popen(command, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    base = f"http://127.0.0.1:{port}"
    try:
        wait_for(base + "/results/")
        urls = [f"{base}/results/city/{code}/" for code in codes]
        cpu = cpu_seconds(server.pid)
        with ThreadPoolExecutor(args.users) as pool:
            cold = list(pool.map(get, urls))  # every profile once, as its first visitors
        cpu = cpu_seconds(server.pid) - cpu
        name = f"city profile, first request per city after the run was made ({args.users} users)"
        print(f"{summary(name, cold)}; server CPU {cpu / len(cold) * 1000:.1f} ms per request")
        cpu = cpu_seconds(server.pid)
        single = [get(u) for u in urls]
        cpu = cpu_seconds(server.pid) - cpu
        print(f"{summary('city profile warm, single user (service time)', single)}; "
              f"server CPU {cpu / len(single) * 1000:.1f} ms per request")
        deadline = time.time() + args.time_limit
        todo = [urls[i % len(urls)] for i in range(args.requests)]
        cpu = cpu_seconds(server.pid)
        started = time.perf_counter()
        with ThreadPoolExecutor(args.users) as pool:
            times = [t for t in pool.map(
                lambda u: get(u) if time.time() < deadline else None, todo) if t is not None]
        wall = time.perf_counter() - started
        cpu = cpu_seconds(server.pid) - cpu
    finally:
        server.terminate()
        server.wait(timeout=30)
        shutil.rmtree(folder, ignore_errors=True)  # the database and the run's files
    times.sort()
    p95 = times[int(0.95 * (len(times) - 1))]
    print(f"{summary(f'city profile, {args.users} concurrent users', times)}; "
          f"{len(times) / wall:.0f} requests/s; server CPU {cpu / len(times) * 1000:.1f} ms "
          f"per request; target p95 < 300 ms: {'met' if p95 < 0.3 else 'NOT met'}")
    sys.exit(0 if p95 < 0.3 else 1)


if __name__ == "__main__":
    main()
