"""Scoring a cycle and reading a run back.

:func:`score_cycle` reads the approved and published values (:mod:`.data`), scores them with
:func:`rightsmarker.score`, optionally runs :func:`rightsmarker.uncertainty`, and stores the
tables as Parquet files in the run's folder, with the observations and units used, so the
Result can be rebuilt exactly (:func:`load_result`).
"""

from __future__ import annotations

import json
import os
import shutil
import threading
from collections import OrderedDict

import pandas as pd
import yaml

from rightsmarker.errors import RightsMarkerError

from ..background import worker_id
from ..reporting.models import Cycle, Value
from .data import STATUSES, observations_for, units_frame
from .models import ScoreRun

UNCERTAINTY_TABLES = ("rank_stats", "score_stats", "levels")
# The uncertain choices sampled by a run with the default uncertainty specification (reasons in
# docs/guide/web-results.md): noisy weights of every node below the index, and goalposts or
# min-max normalisation. The secretariat may give its own factors instead (the format of
# ``rightsmarker uncertainty --factors``).
DEFAULT_FACTORS = [
    {"name": "weights", "type": "weights", "f": 0.25, "depths": [1, 2, 3]},
    {"name": "normalisation", "type": "normalisation",
     "alternatives": [{"method": "goalposts"}, {"method": "minmax"}]},
]
# In-memory caches (per process), least recently used first out: a run's tables and Result
# (a few runs), and the expensive parts of pages (charts and rows; one per city and language).
CACHE_SIZE = {"data": 64, "pages": 1024, "objects": 64}
_caches: dict[str, OrderedDict] = {name: OrderedDict() for name in CACHE_SIZE}
_lock = threading.Lock()
_building: dict[tuple, threading.Lock] = {}  # one lock per value being built


class ScoringError(RightsMarkerError):
    """A cycle cannot be scored (no values, an invalid method)."""


def parse_method(text: str | None):
    """The method from YAML text (None or blank: the default); MethodError when invalid."""
    import rightsmarker as rm

    if not text or not text.strip():
        return rm.load_method(None)
    try:
        data = yaml.safe_load(text)
    except yaml.YAMLError as exc:
        raise ScoringError(f"the method is not valid YAML: {str(exc).splitlines()[0]}") from None
    if not isinstance(data, dict):
        raise ScoringError("the method must be a mapping with a 'steps' list")
    return rm.load_method(data)


def parse_factors(text: str, fw) -> list[dict]:
    """Uncertain factors from YAML text (a list, or a mapping with a ``factors`` list, as the
    CLI takes), checked against the framework ``fw``; ScoringError when invalid."""
    from rightsmarker.ua.factors import load_factors

    try:
        data = yaml.safe_load(text or "")
    except yaml.YAMLError as exc:
        raise ScoringError("the uncertainty factors are not valid YAML: "
                           f"{str(exc).splitlines()[0]}") from None
    if isinstance(data, dict):
        data = data.get("factors")
    try:
        load_factors(data, fw)
    except RightsMarkerError as exc:
        raise ScoringError(f"the uncertainty factors are invalid: {_first_problem(exc)}") from None
    return json.loads(json.dumps(data, default=str))


def _first_problem(exc) -> str:
    problems = getattr(exc, "problems", None) or []
    return str(problems[0]) if problems else str(exc)


def uncertainty_spec(runs: int, factors: list[dict] | None, seed: int) -> dict:
    """The uncertainty specification stored in a run's build record."""
    if not runs:
        return {"specification": "none", "runs": 0}
    return {"specification": "custom" if factors is not None else "default",
            "factors": DEFAULT_FACTORS if factors is None else factors, "runs": runs,
            "seed": seed}


def score_cycle(cycle: Cycle, method: str | None = None, user=None, *,
                uncertainty_runs: int = 0, seed: int = 0,
                factors: list[dict] | None = None, warm: bool = True,
                progress=None) -> ScoreRun:
    """Score ``cycle`` and store the run, now, in this thread (the CLI, the demo); ScoringError
    when there is nothing to score. ``factors``: the uncertain factors (None:
    :data:`DEFAULT_FACTORS`), sampled in ``uncertainty_runs`` runs (0: no uncertainty
    analysis). ``warm``: build the run's group gaps and every city's profile parts in every
    language before the run is marked done (:func:`.warming.warm_run`; ``progress(done,
    total)`` is called after each city and language; what it did is ``run.warmed``); without
    it they are built on first visits. The web scores in the background instead
    (:func:`prepare_run`, then :mod:`.jobs` runs :func:`score_run`)."""
    run = prepare_run(cycle, method, user, uncertainty_runs=uncertainty_runs, seed=seed,
                      factors=factors)
    return score_run(run, warm=warm, progress=progress)


def prepare_run(cycle: Cycle, method: str | None = None, user=None, *,
                uncertainty_runs: int = 0, seed: int = 0,
                factors: list[dict] | None = None) -> ScoreRun:
    """Check the method and that the cycle has values to score (ScoringError otherwise) and
    create its run, queued: not shown on any result page until :func:`score_run` is done."""
    method_obj = parse_method(method)
    if not Value.objects.filter(submission__cycle=cycle, submission__status__in=STATUSES).exists():
        raise ScoringError(f"cycle {cycle.name!r} has no approved or published values to score")
    return ScoreRun.objects.create(
        cycle=cycle, created_by=user if getattr(user, "is_authenticated", False) else None,
        method=method if method and method.strip() else yaml.safe_dump(
            method_obj.to_dict(), sort_keys=False, allow_unicode=True),
        uncertainty_runs=uncertainty_runs, status=ScoreRun.Status.QUEUED, stage="queued",
        worker=worker_id(),  # the process scoring it (a run of a process gone is failed)
        build={"uncertainty": uncertainty_spec(uncertainty_runs, factors, seed)})


def score_run(run: ScoreRun, *, warm: bool = True, progress=None, stage=None) -> ScoreRun:
    """Score the prepared ``run`` and mark it done, or failed with the error (ScoringError for
    a library error, any other exception raised as it is). ``stage(name)`` is called as each
    stage starts (scoring, uncertainty, storing, pages); ``progress(done, total)`` while the
    pages are built."""
    import rightsmarker as rm

    from .jobs import retrying

    stage = stage or (lambda name: None)
    retrying(lambda: ScoreRun.objects.filter(pk=run.pk).update(status=ScoreRun.Status.RUNNING))
    spec = (run.build or {}).get("uncertainty") or uncertainty_spec(0, None, 0)
    try:
        stage("scoring")
        method_obj = parse_method(run.method)
        cycle = run.cycle
        frame = observations_for(cycle)
        if frame.empty or not (frame["period"] == cycle.year).any():
            raise ScoringError(f"cycle {cycle.name!r} has no approved or published values "
                               "to score")
        fw = cycle.framework_version.as_framework()
        frame, districts = split_districts(frame, fw)
        units = units_frame(frame["unit"].unique())
        result = rm.score(fw, rm.read_observations(frame, fw), method_obj, units=units)
        _store(run, result, frame, units, spec, stage)
        districts.to_parquet(run.folder / "districts.parquet", index=False)
    except Exception as exc:
        failed = {"status": ScoreRun.Status.FAILED, "error": str(exc), "stage": "failed",
                  "build": {"uncertainty": spec}}
        retrying(lambda: ScoreRun.objects.filter(pk=run.pk).update(**failed))
        if isinstance(exc, RightsMarkerError):
            raise ScoringError(str(exc)) from exc
        raise
    run.build = json.loads(json.dumps(result.build_record() | {"uncertainty": spec},
                                      default=_plain))
    if warm:
        from .warming import warm_run

        stage("pages")
        _cached(_key(run, "result"), lambda: result)  # the Result just scored, not rebuilt
        run.warmed = warm_run(run, progress=progress)
    run.status = ScoreRun.Status.DONE  # visible from now on: its pages are already built
    run.progress, run.stage = 100, "done"
    retrying(lambda: run.save(update_fields=["build", "status", "progress", "stage"]))
    return run


def split_districts(frame: pd.DataFrame, fw) -> tuple[pd.DataFrame, pd.DataFrame]:
    """Values by district (group ``district=<id>``, for the district maps) kept apart from
    the scored values unless the framework declares a ``district`` ground."""
    mask = frame["group"].str.startswith("district=")
    districts = frame[mask].reset_index(drop=True)
    if "district" in {g.code for g in fw.grounds}:
        return frame, districts
    return frame[~mask].reset_index(drop=True), districts


def _store(run, result, frame, units, spec: dict, stage) -> None:
    import rightsmarker as rm

    ua = None
    if spec["runs"]:
        stage("uncertainty")
        ua = rm.uncertainty(result.framework, result.observations, result.method,
                            spec["factors"], runs=spec["runs"], seed=spec["seed"], units=units)
    stage("storing")
    folder = run.folder
    shutil.rmtree(folder, ignore_errors=True)
    result.write(folder, stages=False, format="parquet")
    frame.to_parquet(folder / "observations.parquet", index=False)
    units.to_parquet(folder / "units.parquet", index=False)
    if ua is not None:
        (folder / "uncertainty").mkdir()
        for name in UNCERTAINTY_TABLES:
            getattr(ua, name).to_parquet(folder / "uncertainty" / f"{name}.parquet", index=False)


def _plain(obj):
    import numpy as np

    if isinstance(obj, np.integer):
        return int(obj)
    if isinstance(obj, np.floating):
        return None if np.isnan(obj) else float(obj)
    if isinstance(obj, np.ndarray):
        return obj.tolist()
    return str(obj)


def read_table(run: ScoreRun, name: str) -> pd.DataFrame:
    """A stored table: ``scores``, ``dashboard``, ``trends``, ``levels``, ``observations``,
    ``units`` or ``uncertainty/<rank_stats|score_stats|levels>``."""
    return _cached(_key(run, name), lambda: pd.read_parquet(run.folder / f"{name}.parquet"))


def uncertainty_tables(run: ScoreRun) -> dict | None:
    """``{"rank_stats", "score_stats", "levels"}`` of the run, or None without uncertainty."""
    if not run.has_uncertainty:
        return None
    return {name: read_table(run, f"uncertainty/{name}") for name in UNCERTAINTY_TABLES}


def load_result(run: ScoreRun):
    """The run's Result, rebuilt from its stored observations, units and method (cached)."""
    import rightsmarker as rm

    def build():
        fw = run.cycle.framework_version.as_framework()
        obs = rm.read_observations(read_table(run, "observations"), fw)
        return rm.score(fw, obs, parse_method(run.method), units=read_table(run, "units"))

    return _cached(_key(run, "result"), build)


def load_gaps(run: ScoreRun) -> pd.DataFrame:
    """Groups against the total for the run's observations (``rightsmarker.gaps``), cached;
    computed once per run (about 2 s for 100 cities x 5 cycles) and stored as ``gaps.parquet``
    in the run's folder, which every process then reads (exactly the same table)."""
    import rightsmarker as rm

    def build():
        path = run.folder / "gaps.parquet"
        if path.exists():
            try:
                return pd.read_parquet(path)
            except (OSError, ValueError):
                pass
        result = load_result(run)
        gaps = rm.gaps(result.observations, result.framework).reset_index(drop=True)
        try:
            tmp = path.with_name(f".gaps.{os.getpid()}.{threading.get_ident()}.parquet")
            gaps.to_parquet(tmp, index=False)
            os.replace(tmp, path)
        except (OSError, ValueError):
            pass
        return gaps

    return _cached(_key(run, "gaps"), build)


def unit_gaps(run: ScoreRun, unit: str) -> pd.DataFrame:
    """The run's group gaps of one unit (the table split by unit once per run, so a city
    profile never scans every city's rows)."""
    def split():
        gaps = load_gaps(run)
        if gaps.empty:
            return {}
        return {str(u): part.reset_index(drop=True)
                for u, part in gaps.groupby(gaps["unit"].astype(str), sort=False)}

    found = _cached(_key(run, "gaps-by-unit"), split).get(str(unit))
    return found if found is not None else load_gaps(run).iloc[0:0]


def unit_codes(run: ScoreRun) -> frozenset[str]:
    """The codes of the units the run scored (cached)."""
    return _cached(_key(run, "unit-codes"),
                   lambda: frozenset(read_table(run, "units")["unit"].astype(str)))


def scored_units(run: ScoreRun) -> frozenset[str]:
    """The codes of the units with scores in the run's period (cached). A unit of the run may
    have values of earlier cycles only (kept for its trends) and so no scores in the run's
    own period: its profile says so instead of showing one."""
    def build():
        scores = read_table(run, "scores")
        return frozenset(scores.loc[scores["period"] == run.period, "unit"].astype(str))

    return _cached(_key(run, "scored-units"), build)


def stored(run: ScoreRun, name: str, build):
    """``build()`` (JSON-serialisable) once per run and ``name`` for every process: kept in
    memory and as ``pages/<name>.json`` in the run's folder (a run never changes, so the file
    stays valid; a new run with the same id starts from an empty folder). ``name`` must be
    safe as a file name."""
    def load():
        value = read_stored(run, name)
        if value is None:
            value = build()
            write_stored(run, name, value)
        return value

    return cached(run, name, load)


def read_stored(run: ScoreRun, name: str):
    """The value stored as ``pages/<name>.json`` in the run's folder, None when absent."""
    try:
        return json.loads((run.folder / "pages" / f"{name}.json").read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return None


def write_stored(run: ScoreRun, name: str, value) -> None:
    """Store ``value`` as ``pages/<name>.json`` (atomic: another process reads the old file
    or the new one, never half of it); a file that cannot be written is skipped."""
    path = run.folder / "pages" / f"{name}.json"
    try:
        path.parent.mkdir(exist_ok=True)
        tmp = path.with_name(f".{path.name}.{os.getpid()}.{threading.get_ident()}")
        tmp.write_text(json.dumps(value, ensure_ascii=False), encoding="utf-8")
        os.replace(tmp, path)
    except OSError:
        pass


def _key(run: ScoreRun, name: str) -> tuple:
    """Cache key: the id and creation time (a test database may give an id again)."""
    return (run.pk, run.created_at.isoformat() if run.created_at else "", name)


def cached_object(key: tuple, build):
    """``build()`` once per ``key`` (small objects, such as a finished run's row)."""
    return _cached(key, build, "objects")


def cached(run: ScoreRun, name: str, build, kind: str = "pages"):
    """``build()`` once per run and ``name`` (e.g. a page's parts for a city and language)."""
    return _cached(_key(run, name), build, kind)


def _cached(key, build, kind: str = "data"):
    """The cached value of ``key``, else ``build()`` it: once, whatever the number of threads
    asking at the same time (the others wait for it instead of building it again)."""
    cache = _caches[kind]
    with _lock:
        if key in cache:
            cache.move_to_end(key)
            return cache[key]
        building = _building.setdefault((kind, key), threading.Lock())
    with building:
        with _lock:
            if key in cache:
                cache.move_to_end(key)
                return cache[key]
        try:
            value = build()
            with _lock:
                cache[key] = value
                while len(cache) > CACHE_SIZE[kind]:
                    cache.popitem(last=False)
        finally:
            with _lock:
                _building.pop((kind, key), None)
    return value


def clear_cache() -> None:
    with _lock:
        for cache in _caches.values():
            cache.clear()
