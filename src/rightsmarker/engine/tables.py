"""Fast long tables from wide arrays, and fast CSV writing.

Long results have millions of rows on large runs; building them from numpy arrays with
categorical ``unit`` and ``node`` columns (codes, not Python strings) keeps that cheap.
"""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pandas as pd

#: rows formatted at once when writing CSV: small enough that the text buffers are reused
#: (500,000 rows cost 0.5 s more system time in page faults on the 3 M benchmark)
CSV_CHUNK_ROWS = 100_000


def categorical(values: np.ndarray, repeat: int = 1, tile: int = 1) -> pd.Categorical:
    """``values`` repeated element-wise then tiled, as a Categorical built from integer codes."""
    codes, uniques = pd.factorize(np.asarray(values), sort=False)
    codes = np.tile(np.repeat(codes.astype(np.int32), repeat), tile)
    return pd.Categorical.from_codes(codes, categories=pd.Index(uniques, dtype=object))


def long_frame(index: pd.MultiIndex, codes, values: dict[str, np.ndarray],
               node_name: str = "node") -> pd.DataFrame:
    """A long table ``unit, period, <node_name>, *values`` from 2-D arrays (rows x codes)."""
    n, k = len(index), len(codes)
    out = {
        "unit": categorical(index.get_level_values(0).to_numpy(), repeat=k),
        "period": np.repeat(index.get_level_values(1).to_numpy(), k),
        node_name: categorical(np.asarray(codes, dtype=object), tile=n),
    }
    for name, arr in values.items():
        if isinstance(arr, pd.api.extensions.ExtensionArray) or np.ndim(arr) == 1:
            out[name] = arr if len(arr) == n * k else np.tile(np.asarray(arr), n)
        else:
            out[name] = np.asarray(arr).ravel()
    return pd.DataFrame(out, copy=False)  # no consolidation copy of large columns


def write_table(df: pd.DataFrame, path: str | Path, columns: list[str] | None = None) -> Path:
    """Write a DataFrame (or only ``columns`` of it) as CSV or Parquet, by the file's extension."""
    path = Path(path)
    if path.suffix == ".parquet":
        (df if columns is None else df[columns]).to_parquet(path, index=False)
        return path
    return write_csv(df, path, columns)


def write_wide_parquet(df: pd.DataFrame, path: str | Path) -> Path:
    """Write a wide numeric table (a stage) as Parquet, tuned for hundreds of float columns.

    Only text columns are dictionary-encoded and no column statistics are kept: three times
    less work than pandas' defaults for the same values (snappy-compressed).
    """
    import pyarrow as pa
    import pyarrow.parquet as pq

    path = Path(path)
    table = pa.Table.from_pandas(df, preserve_index=False)
    text = [f.name for f in table.schema
            if pa.types.is_string(f.type) or pa.types.is_dictionary(f.type)]
    pq.write_table(table, path, use_dictionary=text, write_statistics=False)
    return path


def arrow_table(df: pd.DataFrame, columns: list[str] | None = None):
    """``df`` (or only ``columns`` of it) as a pyarrow Table; categoricals stay dictionaries."""
    import pyarrow as pa

    return pa.Table.from_pandas(df, columns=columns, preserve_index=False)


def format_csv(table, header: bool = True):
    """A pyarrow Table (or a slice of one) as CSV bytes (a pyarrow Buffer).

    Strings are quoted; a missing value is an empty field; floats are written in the shortest
    form that reads back as the same double (lossless).
    """
    import pyarrow as pa
    import pyarrow.csv as pacsv

    table = table.cast(pa.schema([
        pa.field(f.name, pa.string()) if pa.types.is_dictionary(f.type) else f for f in table.schema
    ]))
    sink = pa.BufferOutputStream()
    pacsv.write_csv(table, sink, pacsv.WriteOptions(include_header=header, quoting_style="needed"))
    return sink.getvalue()


def write_csv(df: pd.DataFrame, path: str | Path, columns: list[str] | None = None) -> Path:
    """Write a DataFrame as UTF-8 CSV with pyarrow's writer (see :func:`format_csv`)."""
    path = Path(path)
    table = arrow_table(df, columns)
    with path.open("wb") as fh:
        for start in range(0, max(table.num_rows, 1), CSV_CHUNK_ROWS):
            fh.write(format_csv(table.slice(start, CSV_CHUNK_ROWS), header=start == 0))
    return path
