"""Benchmark: the data-entry and review pages under 20 concurrent signed-in users.

Run:  .venv/bin/python bench/bench_web.py [--cities 100 --indicators 50 --cycles 5
                                           --users 20 --requests 400 --time-limit 120
                                           --workers N --threads 8]

1. Seeds a fresh database (SQLite in a temporary data folder; or the EMPTY database named by
   ``DATABASE_URL``, e.g. ``postgres://postgres@127.0.0.1:5432/bench``) with the bundled
   framework and ``cities x indicators x cycles`` total values through the web app's models
   (``bulk_create``): the last cycle is open (half the cities' submissions drafts, half
   submitted), the earlier ones published.
2. Starts ``rightsmarker serve`` (gunicorn with ``--workers`` processes, default one per CPU;
   waitress for one; not Django's runserver) on a free port of 127.0.0.1 in a subprocess, on
   that database.
3. Signs in ``--users`` editors (one per city, each on their own draft) and ``--users``
   reviewers through /accounts/login/ (a session cookie each), warms pages up (two requests
   per user of each kind: every editor's first two themes, the first review pages), then sends
   ``--requests`` GETs per page kind from ``--users`` concurrent clients: the theme pages of the
   data entry (``/submissions/<id>/entry/<theme>/``, all five themes in turn) and the review
   pages (``/submissions/<id>/review/``, every submitted city in turn), then both kinds mixed.
4. Prints p50 / p95 / max per page kind, requests per second, the server's CPU time per
   request (all its processes, from /proc on Linux) and the status of the target (p95 < 300 ms).

Bounded: every phase stops after ``--requests`` requests or ``--time-limit`` seconds, whichever
comes first; every request has a 30 s timeout; the server is stopped at the end. Traffic goes
to 127.0.0.1 only.
"""

from __future__ import annotations

import argparse
import http.cookiejar
import os
import re
import statistics
import subprocess
import sys
import tempfile
import threading
import time
import urllib.error
import urllib.parse
import urllib.request
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

TARGET_P95_MS = 300.0
PASSWORD = "bench-password-1"
LAUNCH = "import sys; from rightsmarker.cli import main; main(sys.argv[1:])"
REQUEST_TIMEOUT_S = 30


# --- seeding ------------------------------------------------------------------------------------

def number_for(node, i: int, j: int) -> float:
    """A plausible value of the indicator's type (yes/no 0-1, stage 0-n, percent 0-100)."""
    k = (i * 7 + j * 13) % 101
    if node.value_type == "yes_no":
        return float(k % 2)
    if node.value_type == "stage":
        return float(k % max(len(node.stages or []), 1))
    return round(k * 0.97 + (i % 5), 1) if node.value_type in ("percent",) else float(k * 3)


def seed(n_cities: int, n_indicators: int, n_cycles: int, n_users: int) -> dict:
    """Cities, cycles, submissions, values and accounts (bulk inserts: seeding is not audited)."""
    from django.contrib.auth.hashers import make_password

    from rightsmarker.web.accounts.users import create_user
    from rightsmarker.web.entry.pages import themes as entry_themes
    from rightsmarker.web.frameworks.importing import import_bundled
    from rightsmarker.web.network.models import City
    from rightsmarker.web.reporting.models import Cycle, Submission, Value

    if City.objects.exists():
        raise SystemExit("the database already holds cities: point DATABASE_URL at an empty one")
    fv = import_bundled()
    fw = fv.as_framework()
    nodes = [n for n in fw.indicators if n.value_type != "text"][:n_indicators]
    cities = City.objects.bulk_create(
        City(code=f"city-{i:03d}", name_en=f"City {i:03d}", name_ko=f"도시 {i:03d}",
             country="Benchland", fictional=True) for i in range(n_cities))
    cities = list(City.objects.order_by("code"))
    subs, open_subs = [], []
    for k in range(n_cycles):
        is_open = k == n_cycles - 1
        year = 2025 - (n_cycles - 1) + k
        cycle = Cycle.objects.create(name=f"{year} cycle", year=year, framework_version=fv,
                                     status="open" if is_open else "published")
        made = Submission.objects.bulk_create(
            Submission(cycle=cycle, city=c, status=("draft" if i < n_cities // 2 else "submitted")
                       if is_open else "published")
            for i, c in enumerate(cities))
        subs += made
        if is_open:
            open_subs = list(Submission.objects.filter(cycle=cycle).select_related("city")
                             .order_by("city__code"))
    Value.objects.bulk_create(
        (Value(submission=s, indicator=node.code, value_number=number_for(node, i, j),
               source="bench")
         for i, s in enumerate(subs) for j, node in enumerate(nodes)), batch_size=5000)
    hashed = make_password(PASSWORD)
    drafts = [s for s in open_subs if s.status == "draft"][:n_users]
    for s in drafts:
        create_user(f"editor-{s.city.code}", "", "city_editor", s.city.code,
                    password_hash=hashed)
    for u in range(n_users):
        create_user(f"reviewer-{u:02d}", "", "secretariat_reviewer", password_hash=hashed)
    themes = [t["code"] for t in entry_themes(fw, "en")]
    return {"themes": themes,
            "editors": [(f"editor-{s.city.code}", s.pk) for s in drafts],
            "reviewers": [f"reviewer-{u:02d}" for u in range(n_users)],
            "submitted": [s.pk for s in open_subs if s.status == "submitted"],
            "values": Value.objects.count()}


# --- the server ---------------------------------------------------------------------------------

def free_port() -> int:
    import socket

    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def start_server(env: dict, threads: int, log: Path,
                 workers: int | None = None) -> tuple[subprocess.Popen, str]:
    port = free_port()
    out = open(log, "wb")  # noqa: SIM115 - closed with the process
    more = ["--workers", str(workers)] if workers else []
    process = subprocess.Popen(
        [sys.executable, "-c", LAUNCH, "serve", "--host", "127.0.0.1", "--port", str(port),
         "--threads", str(threads), *more], env=env, stdout=out, stderr=subprocess.STDOUT,
        stdin=subprocess.DEVNULL)
    base = f"http://127.0.0.1:{port}"
    deadline = time.monotonic() + 120
    while time.monotonic() < deadline:
        if process.poll() is not None:
            raise SystemExit(f"the server stopped:\n{log.read_text(errors='replace')[-2000:]}")
        try:
            with urllib.request.urlopen(base + "/accounts/login/", timeout=5):
                return process, base
        except (urllib.error.URLError, OSError):
            time.sleep(0.3)
    process.terminate()
    raise SystemExit(f"the server did not start:\n{log.read_text(errors='replace')[-2000:]}")


def server_cpu_s(process: subprocess.Popen) -> float | None:
    """CPU seconds (user + system) used so far by the server and its worker processes (Linux
    /proc; None elsewhere)."""
    tick = os.sysconf("SC_CLK_TCK") if hasattr(os, "sysconf") else 100
    total, found = 0, False
    for stat in Path("/proc").glob("[0-9]*/stat"):
        try:
            fields = stat.read_text().rsplit(")", 1)[1].split()
        except OSError:
            continue
        pid, ppid = int(stat.parent.name), int(fields[1])
        if process.pid in (pid, ppid):
            total += int(fields[11]) + int(fields[12])  # utime, stime
            found = True
    return total / tick if found else None


def stop_server(process: subprocess.Popen) -> None:
    process.terminate()
    try:
        process.wait(timeout=15)
    except subprocess.TimeoutExpired:
        process.kill()
        process.wait(timeout=15)


# --- clients ------------------------------------------------------------------------------------

def sign_in(base: str, username: str) -> urllib.request.OpenerDirector:
    """An opener holding the session cookie of ``username`` (signed in on /accounts/login/)."""
    jar = http.cookiejar.CookieJar()
    opener = urllib.request.build_opener(urllib.request.HTTPCookieProcessor(jar))
    with opener.open(base + "/accounts/login/", timeout=REQUEST_TIMEOUT_S) as r:
        html = r.read().decode()
    token = re.search(r'name="csrfmiddlewaretoken" value="([^"]+)"', html).group(1)
    body = urllib.parse.urlencode({"username": username, "password": PASSWORD,
                                   "csrfmiddlewaretoken": token, "next": "/"}).encode()
    with opener.open(urllib.request.Request(base + "/accounts/login/", data=body,
                                            headers={"Referer": base + "/accounts/login/"}),
                     timeout=REQUEST_TIMEOUT_S) as r:
        r.read()
    if not any(c.name == "sessionid" for c in jar):
        raise SystemExit(f"could not sign in as {username}")
    return opener


def timed_get(opener, url: str) -> tuple[float, int]:
    start = time.perf_counter()
    try:
        with opener.open(url, timeout=REQUEST_TIMEOUT_S) as r:
            r.read()
            status = r.status
    except urllib.error.HTTPError as exc:
        status = exc.code
    return time.perf_counter() - start, status


def run_phase(calls: list[tuple[str, object, str]], users: int, time_limit: float,
              think: float = 0.0) -> dict:
    """``users`` clients take the ``calls`` (page kind, opener, url) in turn; each waits a think
    time (uniform 0.5-1.5 x ``think`` s) after its request. Returns times (s) and statuses per
    page kind."""
    import random

    deadline = time.monotonic() + time_limit
    lock, results, todo = threading.Lock(), {}, iter(calls)

    def client(seed: int) -> None:
        rng = random.Random(seed)
        while time.monotonic() < deadline:
            with lock:
                call = next(todo, None)
            if call is None:
                return
            kind, opener, url = call
            elapsed, status = timed_get(opener, url)
            with lock:
                times, statuses = results.setdefault(kind, ([], {}))
                times.append(elapsed)
                statuses[status] = statuses.get(status, 0) + 1
            if think:
                time.sleep(min(think * rng.uniform(0.5, 1.5), max(0, deadline - time.monotonic())))

    with ThreadPoolExecutor(users) as pool:
        list(pool.map(client, range(users)))
    return results


def _used(process, before: float | None) -> float | None:
    after = server_cpu_s(process)
    return None if before is None or after is None else after - before


def percentile(sorted_times: list[float], q: float) -> float:
    return sorted_times[min(len(sorted_times) - 1, max(0, round(q * len(sorted_times)) - 1))]


def report(title: str, results: dict, wall: float, cpu: float | None = None) -> bool:
    ok = True
    n = sum(len(times) for times, _statuses in results.values())
    per = f"; server CPU {cpu * 1000 / n:.1f} ms per request" if cpu is not None and n else ""
    print(f"\n{title} ({wall:.1f} s, {n / wall:.1f} requests/s{per})")
    for kind, (times, statuses) in results.items():
        times = sorted(times)
        p50, p95 = statistics.median(times) * 1000, percentile(times, 0.95) * 1000
        good = p95 < TARGET_P95_MS and set(statuses) == {200}
        ok &= good
        print(f"  {kind:<34} n={len(times):<5} p50 {p50:7.1f} ms   p95 {p95:7.1f} ms   "
              f"max {times[-1] * 1000:7.1f} ms   status {statuses}   "
              f"{'OK' if good else 'OVER TARGET' if set(statuses) == {200} else 'ERRORS'}")
    return ok


# --- main ---------------------------------------------------------------------------------------

def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("--cities", type=int, default=100)
    ap.add_argument("--indicators", type=int, default=50)
    ap.add_argument("--cycles", type=int, default=5)
    ap.add_argument("--users", type=int, default=20, help="concurrent clients")
    ap.add_argument("--requests", type=int, default=400, help="requests per page kind")
    ap.add_argument("--time-limit", type=float, default=120, help="seconds per phase at most")
    ap.add_argument("--threads", type=int, default=8, help="threads per server process")
    ap.add_argument("--workers", type=int, default=None,
                    help="server worker processes (default: serve's, one per CPU)")
    ap.add_argument("--think", type=float, default=0.0,
                    help="seconds each user waits between requests (0: back to back)")
    args = ap.parse_args()

    data_dir = tempfile.mkdtemp(prefix="rm-bench-web-")
    os.environ["RIGHTSMARKER_DATA_DIR"] = data_dir
    os.environ.setdefault("RIGHTSMARKER_SECRET_KEY", "bench-secret-key-" + "x" * 40)
    os.environ["RIGHTSMARKER_SECURE_COOKIES"] = "0"  # session cookies over plain http (local)
    for name in ("RIGHTSMARKER_DEMO", "RIGHTSMARKER_DEBUG"):
        os.environ[name] = "0"
    from django.core.management import call_command

    from rightsmarker.web.server import setup

    setup()
    call_command("migrate", interactive=False, verbosity=0)
    t0 = time.perf_counter()
    world = seed(args.cities, args.indicators, args.cycles, args.users)
    db = "PostgreSQL" if os.environ.get("DATABASE_URL", "").startswith("postgres") else "SQLite"
    print(f"seeded {args.cities} cities x {args.indicators} indicators x {args.cycles} cycles "
          f"({world['values']} values, {db}) in {time.perf_counter() - t0:.1f} s")

    from django.db import connections

    connections.close_all()
    process, base = start_server(dict(os.environ), args.threads, Path(data_dir) / "server.log",
                                 args.workers)
    workers = f"--workers {args.workers} " if args.workers else ""
    print(f"rightsmarker serve {workers}--threads {args.threads} on {base} ({os.cpu_count()} "
          f"CPUs); {args.users} concurrent users, think time {args.think:g} s")
    try:
        editors = [(sign_in(base, name), pk) for name, pk in world["editors"]]
        reviewers = [sign_in(base, name) for name in world["reviewers"]]
        themes, submitted = world["themes"], world["submitted"]

        def entry_calls(n: int):
            return [("data entry: theme page (editor)", editors[i % len(editors)][0],
                     f"{base}/submissions/{editors[i % len(editors)][1]}/entry/"
                     f"{themes[(i // len(editors)) % len(themes)]}/") for i in range(n)]

        def review_calls(n: int):
            return [("review page (reviewer)", reviewers[i % len(reviewers)],
                     f"{base}/submissions/{submitted[i % len(submitted)]}/review/")
                    for i in range(n)]

        run_phase(entry_calls(2 * args.users) + review_calls(2 * args.users), args.users, 60)
        ok = True
        for title, calls in (("data-entry pages", entry_calls(args.requests)),
                             ("review pages", review_calls(args.requests))):
            start, cpu = time.perf_counter(), server_cpu_s(process)
            results = run_phase(calls, args.users, args.time_limit, args.think)
            ok &= report(title, results, time.perf_counter() - start, _used(process, cpu))
        mixed = [c for pair in zip(entry_calls(args.requests // 2),
                                   review_calls(args.requests // 2), strict=True) for c in pair]
        start, cpu = time.perf_counter(), server_cpu_s(process)
        ok &= report("mixed: editors and reviewers together",
                     run_phase(mixed, args.users, args.time_limit, args.think),
                     time.perf_counter() - start, _used(process, cpu))
    finally:
        stop_server(process)
    print(f"\ntarget p95 < {TARGET_P95_MS:.0f} ms with {args.users} users: "
          f"{'met' if ok else 'NOT met'}")
    return 0 if ok else 1


if __name__ == "__main__":
    sys.exit(main())
