"""Writing a scoring run to a folder: scores, stages, dashboard, trends, levels, build.json.

Tables are written by a small thread pool (pyarrow formats CSV and Parquet without holding
the GIL), so that on a machine with two cores the writing of one table overlaps the building
and writing of the others. A :class:`ResultWriter` can also be handed to
:func:`rightsmarker.engine.build.score` as ``on_stage``: each stage is then written while the
build computes the next one.

CSV files leave out the columns that another file already holds or that are a formula of the
columns in the same row (they stay in the Python tables and in Parquet output)::

    dashboard.csv   unit, period, node, colour, basis
                    (level and score: scores.csv; value: the measured stage in stages/)
    trends.csv      unit, period, indicator, value, previous_period, previous_value, change,
                    needed_annual, arrow; left out: improvement_rate (= change / |previous_value|
                    * 100), annual_change (= change / (period - previous_period)), symbol

Given the framework and method, the writer also builds and writes the trends (which need only
the measured stage) as soon as that stage exists, while the build goes on.

Stages (wide tables: a column per node) are written as Parquet unless ``stages_format="csv"``:
on the 3 M-observation benchmark their 9 M floats took 1.2 s of CPU time as CSV text, 0.45 s
as Parquet (of about 9 s for the whole run). A stage
whose values equal the previous stage's (a step that changed nothing, such as ``weight``)
writes no file.
"""

from __future__ import annotations

import json
import threading
from collections.abc import Callable
from concurrent.futures import Future, ThreadPoolExecutor
from pathlib import Path

import numpy as np
import pandas as pd

from .tables import (
    CSV_CHUNK_ROWS,
    arrow_table,
    format_csv,
    write_table,
    write_wide_parquet,
)

FORMATS = ("csv", "parquet")
CSV_LEAVES_OUT = {
    "dashboard": ("level", "value", "score"),
    "trends": ("improvement_rate", "annual_change", "symbol"),
}
#: result tables in the order they are started: the longest to write first
TABLES = ("trends", "scores", "dashboard", "levels", "level_checks")


def same_values(a: pd.DataFrame, b: pd.DataFrame) -> bool:
    """Whether two wide stages hold the same values (NaN equal to NaN) under the same labels."""
    if a is b:
        return True
    if a.shape != b.shape or not a.columns.equals(b.columns) or not a.index.equals(b.index):
        return False
    return bool(np.array_equal(a.to_numpy(dtype=float), b.to_numpy(dtype=float), equal_nan=True))


class ResultWriter:
    """Writes a Result's tables into ``out`` (CSV or Parquet), in a pool of ``workers`` threads.

    Use ``stage`` as the build's ``on_stage`` callback (optional), then ``finish(result)``.
    """

    def __init__(self, out: str | Path, *, stages: bool = True, format: str = "csv",
                 stages_format: str = "parquet", workers: int = 2, framework=None, method=None):
        for given in (format, stages_format):
            if given not in FORMATS:
                raise ValueError(f"format must be csv or parquet, not {given!r}")
        self.out, self.format, self.write_stages = Path(out), format, stages
        self.stages_format = stages_format
        self._made = [d for d in (self.out, self.out / "stages") if not d.exists()]
        self.out.mkdir(parents=True, exist_ok=True)
        if stages:
            (self.out / "stages").mkdir(exist_ok=True)
        self._paths: list[Path] = []
        self._pool = ThreadPoolExecutor(max_workers=workers)
        # while the build runs it has a core to itself: one writer thread less until finish()
        self._during_build = max(1, workers - 1)
        self._slots = threading.Semaphore(self._during_build)
        self._workers = workers
        self._futures: list[Future] = []
        self._seen = 0
        self._previous: pd.DataFrame | None = None
        early = framework is not None and method is not None
        self._early = (framework, method) if early else None
        self._trends_started = False
        self._trends: pd.DataFrame | None = None

    def __enter__(self) -> ResultWriter:
        return self

    def __exit__(self, exc_type, *exc) -> None:
        self.close()
        if exc_type is not None:
            self.remove_written()

    def remove_written(self) -> None:
        """Remove the files (and folders) this writer made: a failed build leaves nothing."""
        for path in self._paths:
            path.unlink(missing_ok=True)
        for folder in reversed(self._made):
            if folder.is_dir() and not any(folder.iterdir()):
                folder.rmdir()

    def close(self) -> None:
        """Wait for the tables already started; start no more."""
        self._pool.shutdown(wait=True, cancel_futures=True)

    def _spawn(self, fn: Callable, *args) -> Future:
        """Run ``fn(*args)`` in the pool, as soon as a writer slot is free."""
        def gated():
            with self._slots:
                return fn(*args)

        return self._pool.submit(gated)

    def _submit(self, build: Callable[[], pd.DataFrame], path: Path, columns=None) -> None:
        self._paths.append(path)
        self._futures.append(self._spawn(self._write, build, path, columns))

    def _write(self, build: Callable[[], pd.DataFrame], path: Path, columns) -> Path | Future:
        """Build a table and write it; a CSV file is formatted in chunks by every thread."""
        df = build()
        columns = columns(df) if columns else None
        if path.suffix != ".csv":
            return write_table(df, path, columns=columns)
        return _ChunkedCsv(arrow_table(df, columns), path).start(self._spawn)

    def stage(self, index: int, name: str, df: pd.DataFrame) -> None:
        """Write stage number ``index`` (``stages/<index>_<name>``) unless it changed nothing."""
        self._seen = max(self._seen, index + 1)
        if self._early is not None and not self._trends_started \
                and name == self._measured_stage():
            self._start_trends(df)
        previous, self._previous = self._previous, df
        if not self.write_stages:
            return
        path = self.out / "stages" / f"{index}_{name}.{self.stages_format}"
        self._paths.append(path)
        # compared in a writer thread: the build goes on meanwhile
        self._futures.append(self._spawn(self._write_stage, previous, df, path))

    def _write_stage(self, previous: pd.DataFrame | None, df: pd.DataFrame,
                     path: Path) -> Path | Future | None:
        """Write a stage unless its values equal the previous stage's (None then)."""
        if previous is not None and same_values(previous, df):
            return None
        if self.stages_format == "parquet":
            return _write_wide(df, path)
        return self._write(df.reset_index, path, None)

    def _measured_stage(self) -> str:
        """The stage thresholds and trends read: denominated values, else the raw ones."""
        method = self._early[1]
        return "denominate" if any(r.step == "denominate" for r in method.steps) else "raw"

    def _start_trends(self, measured: pd.DataFrame) -> None:
        from .trends import trend_table

        fw, method = self._early
        self._trends_started = True

        def build() -> pd.DataFrame:
            self._trends = trend_table(fw, method.options, measured)
            return self._trends

        self._submit(build, self._path("trends"), self._columns("trends"))

    def finish(self, result) -> list[Path]:
        """Write what is left (stages not yet seen, notes, result tables, build.json)."""
        for _ in range(self._workers - self._during_build):
            self._slots.release()  # the build is over: every writer thread may run
        try:
            for i, (name, df) in enumerate(result.stages_wide.items()):
                if i >= self._seen:
                    self.stage(i, name, df)
            if self.write_stages:
                for name, df in result.notes.items():
                    self._submit(lambda d=df: d,
                                 self.out / "stages" / f"{name}_notes.{self.stages_format}")
            if not self._trends_started:
                self._submit(lambda: result.trends, self._path("trends"),
                             self._columns("trends"))
            result.levels  # noqa: B018 - builds the dashboard and levels in this thread
            for name in TABLES[1:]:
                self._submit(lambda n=name: getattr(result, n), self._path(name),
                             self._columns(name))
            written = [f.result() for f in self._futures]
            written = [w.result() if isinstance(w, Future) else w for w in written]
            written = [w for w in written if w is not None]
            if self._trends is not None and result.method is self._early[1]:
                result._cache.setdefault("trends", self._trends)  # noqa: SLF001 - same table
        finally:
            self.close()
        path = self.out / "build.json"
        path.write_text(json.dumps(result.build_record(), indent=2, default=_json_default),
                        "utf-8")
        return written + [path]

    def _path(self, name: str) -> Path:
        return self.out / f"{name}.{self.format}"

    def _columns(self, name: str) -> Callable[[pd.DataFrame], list[str]] | None:
        leave_out = CSV_LEAVES_OUT.get(name) if self.format == "csv" else None
        if not leave_out:
            return None
        return lambda df: [c for c in df.columns if c not in leave_out]


class _ChunkedCsv:
    """One CSV file whose row chunks are formatted by any thread and written in order.

    No thread waits for another: the thread that formats the next chunk due writes it (and
    any later chunks already formatted); the last one closes the file and sets ``done``.
    """

    def __init__(self, table, path: Path):
        self.table, self.path = table, path
        self.chunks = max(1, -(-table.num_rows // CSV_CHUNK_ROWS))
        self.ready: dict[int, object] = {}
        self.next = 0
        self.lock = threading.Lock()
        self.done: Future = Future()
        self.file = None

    def start(self, spawn: Callable[..., Future]) -> Future:
        self.file = self.path.open("wb")
        for i in range(self.chunks):
            spawn(self._format, i)
        return self.done

    def _format(self, i: int) -> None:
        try:
            text = format_csv(self.table.slice(i * CSV_CHUNK_ROWS, CSV_CHUNK_ROWS), header=i == 0)
            with self.lock:
                self.ready[i] = text
                while self.next in self.ready:
                    self.file.write(self.ready.pop(self.next))
                    self.next += 1
                if self.next == self.chunks:
                    self.file.close()
                    self.done.set_result(self.path)
        except BaseException as exc:  # handed to whoever waits for the file
            with self.lock:
                self.file.close()
                if not self.done.done():
                    self.done.set_exception(exc)


def _write_wide(df: pd.DataFrame, path: Path) -> Path:
    return write_wide_parquet(df.reset_index(), path)


def _json_default(obj):
    if isinstance(obj, (np.integer,)):
        return int(obj)
    if isinstance(obj, (np.floating,)):
        return None if np.isnan(obj) else float(obj)
    if isinstance(obj, np.ndarray):
        return obj.tolist()
    if isinstance(obj, (pd.Timestamp, Path)):
        return str(obj)
    raise TypeError(f"not JSON-serialisable: {type(obj).__name__}")
