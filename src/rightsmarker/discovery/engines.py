"""Engines that run the discovery queries: DuckDB (embedded, default) and Apache Spark.

An engine only opens a source as the view ``rm_source``, reports its column types, and runs SQL
written once in ``sums.py`` (translated to its dialect). Engines are registered by short name
in :data:`engines`, exactly as an extension would register one.
"""

from __future__ import annotations

import re
from pathlib import Path

import pandas as pd

from ..errors import DataError
from ..registry import Registry
from .sources import Source
from .sums import SOURCE_VIEW, ident, literal, to_dialect

engines = Registry("discovery engine")
CSV_CACHE_BYTES = 1 << 30  # CSV files below 1 GB are parsed once into a temporary table

NUMERIC_TYPES = re.compile(
    r"^(tinyint|smallint|integer|int|bigint|hugeint|utinyint|usmallint|uinteger|ubigint|"
    r"float|double|real|decimal|long|short|byte)",
    re.IGNORECASE,
)


class Engine:
    """Base class: ``open`` a source, then ``columns``/``query``; ``close`` when done."""

    dialect = "duckdb"

    def open(self, source: Source) -> None:
        raise NotImplementedError

    def columns(self) -> dict[str, str]:
        """Column name -> ``numeric``, ``boolean`` or ``text``."""
        raise NotImplementedError

    def run(self, sql: str) -> pd.DataFrame:
        raise NotImplementedError

    def query(self, sql: str) -> pd.DataFrame:
        """Run a query written in the DuckDB dialect, translated to this engine's dialect."""
        return self.run(to_dialect(sql, self.dialect))

    def close(self) -> None:
        pass

    def __enter__(self):
        return self

    def __exit__(self, *exc):
        self.close()


def _kind(type_name: str) -> str:
    t = type_name.strip().lower()
    if t.startswith("bool"):
        return "boolean"
    return "numeric" if NUMERIC_TYPES.match(t) else "text"


_DUCKDB = None


def _duckdb_database():
    """One in-memory DuckDB database per process; each engine works in its own cursor."""
    global _DUCKDB
    if _DUCKDB is None:
        import duckdb

        _DUCKDB = duckdb.connect()
    return _DUCKDB


@engines.register("duckdb")
class DuckDBEngine(Engine):
    """DuckDB in process; files are scanned directly (CSV sniffed, Parquet columnar).

    Views are temporary (private to the engine's cursor), so engines may run side by side.
    """

    dialect = "duckdb"

    def __init__(self):
        self.con = _duckdb_database().cursor()
        self.attached: str | None = None

    def open(self, source: Source) -> None:
        if source.kind in ("frame", "sql"):
            self.con.register("rm_frame", source.load())
            target = "rm_frame"
        elif source.kind == "csv":
            target = (
                f"read_csv({literal(source.path)}, header = true, "
                "auto_type_candidates = ['BIGINT', 'DOUBLE', 'VARCHAR'])"
            )
            if Path(source.path).stat().st_size < CSV_CACHE_BYTES:  # parse once, not per query
                self._execute(source, f"CREATE TEMP TABLE rm_csv AS SELECT * FROM {target}")
                target = "rm_csv"
        elif source.kind == "parquet":
            target = f"read_parquet({literal(source.path)})"
        else:
            self.attached = f"rm_db_{id(self)}"
            self.con.execute(f"ATTACH {literal(source.path)} AS {self.attached} (READ_ONLY)")
            target = f"{self.attached}.{ident(source.table)}"
        self._execute(
            source, f"CREATE OR REPLACE TEMP VIEW {SOURCE_VIEW} AS SELECT * FROM {target}"
        )

    def _execute(self, source: Source, sql: str) -> None:
        try:
            self.con.execute(sql)
        except Exception as exc:  # duckdb raises many error classes; report one clear line
            raise DataError(f"cannot read {source.label}: {str(exc).splitlines()[0]}") from exc

    def columns(self) -> dict[str, str]:
        rows = self.con.execute(f"DESCRIBE SELECT * FROM {SOURCE_VIEW}").fetchall()
        return {r[0]: _kind(r[1]) for r in rows}

    def run(self, sql: str) -> pd.DataFrame:
        return self.con.execute(sql).df()

    def close(self) -> None:
        if self.attached:
            self.con.execute(f"DETACH {self.attached}")
            self.attached = None
        self.con.close()


@engines.register("spark")
class SparkEngine(Engine):
    """Apache Spark through PySpark (local mode unless a session already exists)."""

    dialect = "spark"

    def __init__(self, master: str = "local[*]"):
        try:
            from pyspark.sql import SparkSession
        except ImportError as exc:
            raise DataError(
                "the spark engine needs PySpark (pip install pyspark) and Java 17+"
            ) from exc
        self.spark = (
            SparkSession.builder.master(master)
            .appName("rightsmarker-discover")
            .config("spark.ui.enabled", "false")
            .config("spark.sql.shuffle.partitions", "8")
            .config("spark.sql.execution.arrow.pyspark.enabled", "true")
            .getOrCreate()
        )
        self.df = None

    def open(self, source: Source) -> None:
        reader = self.spark.read
        if source.kind in ("frame", "sql"):
            loaded = source.load()
            frame = loaded.astype(object).where(loaded.notna(), None)
            df = self.spark.createDataFrame(frame)
        elif source.kind == "csv":
            df = reader.csv(
                source.path,
                header=True,
                inferSchema=True,
                ignoreLeadingWhiteSpace=True,
                ignoreTrailingWhiteSpace=True,
            )
        elif source.kind == "parquet":
            df = reader.parquet(source.path)
        else:
            raise DataError(
                f"the spark engine cannot read DuckDB databases ({source.label}); "
                "export the table to Parquet or use --engine duckdb"
            )
        df.createOrReplaceTempView(SOURCE_VIEW)
        self.df = df

    def columns(self) -> dict[str, str]:
        return {name: _kind(t) for name, t in self.df.dtypes}

    def run(self, sql: str) -> pd.DataFrame:
        return self.spark.sql(sql).toPandas()


def open_engine(name: str, source: Source) -> Engine:
    """Create the named engine and open ``source`` in it."""
    engine = engines.get(name)()
    engine.open(source)
    return engine
