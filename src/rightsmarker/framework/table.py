"""The table form of a framework: one row per node, for spreadsheet users.

``to_table(fw)`` gives a DataFrame with the columns of :data:`BASE_COLUMNS` followed by the
columns needed for a lossless round trip; list cells are joined with ``"; "`` (a ``;`` inside an
item is written ``\\;``). Framework-level metadata (code, version, labels, languages, grounds,
groups, recognition ...) travels in ``DataFrame.attrs["framework"]``, in the ``framework`` sheet of
an XLSX file (key / value rows, values in YAML) or in a ``<name>.meta.yaml`` sidecar next to a CSV.
``from_table`` reads any of these back and validates, naming spreadsheet rows (header = row 1)
and columns. A CSV without a sidecar still loads: code and version come from the file name
(``my-marker-v2.csv``: code ``my-marker``, version ``2``) and the rest takes the defaults.
"""

from __future__ import annotations

import json
import math
import re
from pathlib import Path
from typing import Any

import pandas as pd

from ..errors import FrameworkError, Problem
from .checks import check_framework
from .io import framework_to_dict, issue_to_problem, yaml_load
from .model import Framework, Node, Reference

BASE_COLUMNS = [
    "code",
    "parent",
    "level",
    "kind",
    "label_en",
    "label_ko",
    "value_type",
    "unit",
    "direction",
    "lower",
    "optimum",
    "green",
    "red",
    "disaggregations",
    "references",
]
EXTRA_COLUMNS = [
    "weight",
    "stages",
    "stage_labels_en",
    "stage_labels_ko",
    "denominator",
    "sources",
    "definition_en",
    "definition_ko",
    "rationale_en",
    "rationale_ko",
    "unit_ko",
    "formula",
    "core",
]
PER_LANGUAGE = {"label_": "labels", "definition_": "definitions", "rationale_": "rationale",
                "unit_": "units"}  # unit_en is not a column: ``unit`` is the unit as written
NUMBER_FIELDS = ("lower", "optimum", "green", "red", "weight")
TEXT_FIELDS = ("parent", "kind", "value_type", "unit", "denominator", "formula")
LIST_FIELDS = ("disaggregations", "sources")
TREATIES = {
    "ICCPR",
    "ICESCR",
    "ICERD",
    "CERD",
    "CEDAW",
    "CAT",
    "CRC",
    "ICRMW",
    "CMW",
    "CRPD",
    "CPED",
    "ICPPED",
}
ARTICLE = r"(?:art\.\s*|art\s+|article\s+)"
META_SHEET, NODES_SHEET = "framework", "nodes"
SEP = "; "


# ---------------------------------------------------------------- cells


def join_list(items: list[str]) -> str:
    """``["a", "b;c"]`` -> ``"a; b\\;c"``."""
    return SEP.join(str(x).replace(";", "\\;") for x in items)


def split_list(cell: str, keep_empty: bool = False) -> list[str]:
    """The inverse of :func:`join_list`; items are stripped, empty ones dropped unless kept."""
    parts = [p.replace("\\;", ";").strip() for p in re.split(r"(?<!\\);", cell)] if cell else []
    return parts if keep_empty else [p for p in parts if p]


def reference_text(ref: Reference) -> str:
    """The short form (``ICCPR art. 26``) when it reads back the same, else inline JSON."""
    short = ref.short()
    if parse_reference(short) == ref:
        return short
    return json.dumps(ref.model_dump(exclude_defaults=True), ensure_ascii=False)


def parse_reference(text: str) -> Reference:
    """Read a reference cell item.

    ``UDHR art. 25``, ``SDG 10.3``, ``UMF <target>``, ``<instrument> art. <article>`` or a bare
    instrument name (type ``treaty`` for the core UN treaties, else ``other``), or inline JSON.
    """
    text = text.strip()
    if text.startswith("{"):
        return Reference.model_validate(json.loads(text))
    if m := re.fullmatch(rf"UDHR(?:,?\s+{ARTICLE}(.+))?", text, re.IGNORECASE):
        return Reference(type="udhr", article=m[1])
    if m := re.fullmatch(r"SDG\s+(.+)", text, re.IGNORECASE):
        return Reference(type="sdg", target=m[1])
    if m := re.fullmatch(r"UMF\s+(.+)", text, re.IGNORECASE):
        return Reference(type="umf", target=m[1])
    if m := re.fullmatch(rf"(.+?),?\s+{ARTICLE}(.+)", text, re.IGNORECASE):
        kind = "treaty" if m[1].upper() in TREATIES else "other"
        return Reference(type=kind, instrument=m[1], article=m[2])
    kind = "treaty" if text.upper() in TREATIES else "other"
    return Reference(type=kind, instrument=text)


def _cell(value: Any) -> str:
    if value is None or (isinstance(value, float) and math.isnan(value)) or value is pd.NA:
        return ""
    if isinstance(value, float):  # numpy floats too: repr(float(x)) reads back exactly
        return repr(float(value))
    return str(value).strip()


# ---------------------------------------------------------------- export


def _languages(fw: Framework) -> list[str]:
    """en, ko, the framework's languages, then any other language used in a node."""
    langs = ["en", "ko", *fw.languages]
    for n in fw.nodes:
        langs += [*n.labels, *n.definitions, *n.rationale, *n.units]
        langs += [lang for s in n.stages for lang in s.labels]
    return list(dict.fromkeys(langs))


def table_columns(fw: Framework) -> list[str]:
    """The columns of ``to_table(fw)``: the base columns, then the round-trip ones."""
    cols = BASE_COLUMNS + EXTRA_COLUMNS
    for lang in _languages(fw)[2:]:
        cols += [f"label_{lang}", f"definition_{lang}", f"rationale_{lang}", f"stage_labels_{lang}",
                 f"unit_{lang}"]
    return cols


def _row(fw: Framework, n: Node, langs: list[str]) -> dict:
    row: dict[str, Any] = {
        "code": n.code,
        "parent": n.parent,
        "level": fw.depth(n.code),
        "kind": n.kind,
        "value_type": n.value_type,
        "unit": n.unit,
        "direction": n.direction if n.is_indicator or n.direction != 1 else None,
        "disaggregations": join_list(n.disaggregations),
        "references": join_list([reference_text(r) for r in n.references]),
        "stages": join_list([s.code for s in n.stages]),
        "sources": join_list(n.sources),
        "denominator": n.denominator,
        "formula": n.formula,
        "core": n.core,
    }
    row.update({f: getattr(n, f) for f in NUMBER_FIELDS})
    for lang in langs:
        for prefix, attr in PER_LANGUAGE.items():
            row[prefix + lang] = getattr(n, attr).get(lang)
        labels = [s.labels.get(lang, "") for s in n.stages]
        row[f"stage_labels_{lang}"] = join_list(labels) if any(labels) else ""
    return row


def to_table(fw: Framework) -> pd.DataFrame:
    """One row per node (file order); metadata in ``df.attrs["framework"]``."""
    langs = _languages(fw)
    df = pd.DataFrame([_row(fw, n, langs) for n in fw.nodes], columns=table_columns(fw))
    for col in NUMBER_FIELDS:
        df[col] = df[col].astype(float)
    df["direction"] = df["direction"].astype("Int64")
    df["level"] = df["level"].astype(int)
    df.attrs["framework"] = framework_to_dict(fw, nodes=False)
    return df


def metadata_path(csv_path: str | Path) -> Path:
    """The sidecar holding the metadata of a CSV table: ``x.csv`` -> ``x.meta.yaml``."""
    path = Path(csv_path)
    return path.with_name(path.stem + ".meta.yaml")


def export_table(fw: Framework, path: str | Path, format: str | None = None) -> Path:
    """Write the table as ``csv`` (plus a ``.meta.yaml`` sidecar) or ``xlsx`` (two sheets)."""
    from .io import yaml_dump

    path = Path(path)
    format = (format or path.suffix.lstrip(".") or "csv").lower()
    df = to_table(fw)
    meta = df.attrs["framework"]
    for col in NUMBER_FIELDS:  # whole numbers written as 40 rather than 40.0
        whole = [int(v) if v == v and float(v).is_integer() else v for v in df[col]]
        df[col] = pd.Series(whole, index=df.index, dtype=object)
    if format == "csv":  # a BOM, so that spreadsheet programs read the Korean labels right
        df.to_csv(path, index=False, encoding="utf-8-sig")
        metadata_path(path).write_text(yaml_dump(meta), encoding="utf-8")
    elif format == "xlsx":
        rows = [(k, v if k in ("code", "version") else _yaml_cell(v)) for k, v in meta.items()]
        with pd.ExcelWriter(path, engine="openpyxl") as writer:
            df.to_excel(writer, sheet_name=NODES_SHEET, index=False)
            pd.DataFrame(rows, columns=["key", "value"]).to_excel(
                writer, sheet_name=META_SHEET, index=False
            )
            writer.sheets[NODES_SHEET].freeze_panes = "B2"
    else:
        raise FrameworkError(
            "unknown table format",
            [Problem("unknown table format", value=format, expected="csv or xlsx")],
        )
    return path


def _yaml_cell(value: Any) -> str:
    import yaml

    text = yaml.safe_dump(
        value, allow_unicode=True, sort_keys=False, default_flow_style=None, width=10**6
    )
    return text.removesuffix("\n...\n").strip()


# ---------------------------------------------------------------- import


def _read_table(
    source: str | Path | pd.DataFrame,
) -> tuple[pd.DataFrame, dict | None, str | None, str | None]:
    """The node table as text cells, the metadata (or None), its file name and the metadata's."""
    if isinstance(source, pd.DataFrame):
        df = source.map(_cell) if len(source) else source.astype(str)
        df.columns = [str(c).strip() for c in df.columns]
        return df, source.attrs.get("framework"), None, None
    path = Path(source)
    if not path.is_file():
        raise FileNotFoundError(2, "No such file or directory", str(path))
    if path.suffix.lower() in (".xlsx", ".xlsm"):
        sheets = pd.read_excel(
            path, sheet_name=None, dtype=str, keep_default_na=False, na_filter=False
        )
        name = NODES_SHEET if NODES_SHEET in sheets else next(s for s in sheets if s != META_SHEET)
        meta = _sheet_metadata(sheets[META_SHEET], path) if META_SHEET in sheets else None
        df, meta_source = sheets[name], f"{path} [sheet {META_SHEET}]"
    else:
        df = pd.read_csv(path, dtype=str, keep_default_na=False, encoding="utf-8-sig")
        side = metadata_path(path)
        meta = (
            yaml_load(side.read_text(encoding="utf-8-sig"), str(side)) if side.is_file() else None
        )
        meta_source = str(side)
    df = df.map(_cell)
    df.columns = [str(c).strip() for c in df.columns]
    return df, meta, str(path), meta_source


def _sheet_metadata(sheet: pd.DataFrame, path: Path) -> dict:
    meta: dict[str, Any] = {}
    for key, value in zip(sheet.iloc[:, 0], sheet.iloc[:, 1], strict=True):
        key, value = _cell(key), _cell(value)
        if key:
            meta[key] = value if key in ("code", "version") else yaml_load(value, str(path))
    return meta


def _default_metadata(source: str | None, columns: list[str]) -> dict:
    """Metadata of a table without any: code and version from the file name, languages from the
    label columns."""
    stem = Path(source).stem if source else "framework"
    m = re.fullmatch(r"(.+?)[-_]v(\d+(?:\.\d+)*)", stem)
    code, version = (m[1], m[2]) if m else (stem, "1")
    langs = [c.removeprefix("label_") for c in columns if c.startswith("label_")]
    return {"code": code, "version": version, "languages": langs}


class _RowParser:
    """Turns the text cells of one row into a node dict, recording cell problems."""

    def __init__(self, columns: list[str], source: str | None):
        self.columns, self.source = columns, source
        self.problems: list[Problem] = []

    def problem(self, row: int, column: str, message: str, value: Any, expected: str) -> None:
        self.problems.append(Problem(message, self.source, row, column, value or None, expected))

    def number(self, row: int, column: str, text: str) -> float | None:
        try:
            value = float(text.replace(",", "")) if text else None
        except ValueError:
            self.problem(row, column, f"{column} is not a number", text, "a number, or empty")
            return None
        if value is not None and math.isnan(value):
            return None
        return value

    def node(self, row: int, cells: dict[str, str]) -> dict:
        node: dict[str, Any] = {"code": cells.get("code", "")}
        for field in TEXT_FIELDS:
            if cells.get(field):
                node[field] = cells[field]
        for field in NUMBER_FIELDS:
            if (value := self.number(row, field, cells.get(field, ""))) is not None:
                node[field] = value
        if (direction := self.number(row, "direction", cells.get("direction", ""))) is not None:
            node["direction"] = int(direction) if direction in (1, -1) else direction
        for field in LIST_FIELDS:
            if items := split_list(cells.get(field, "")):
                node[field] = items
        for col, text in cells.items():
            for prefix, attr in PER_LANGUAGE.items():
                if col.startswith(prefix) and text:
                    node.setdefault(attr, {})[col.removeprefix(prefix)] = text
        if cells.get("core"):
            node["core"] = self.boolean(row, cells["core"])
        self.references(row, cells.get("references", ""), node)
        self.stages(row, cells, node)
        return node

    def boolean(self, row: int, text: str) -> Any:
        lowered = text.lower()
        if lowered in ("true", "yes", "1", "1.0", "y"):
            return True
        if lowered in ("false", "no", "0", "0.0", "n"):
            return False
        self.problem(row, "core", "core is not true or false", text, "true or false")
        return True

    def references(self, row: int, text: str, node: dict) -> None:
        refs = []
        for item in split_list(text):
            try:
                refs.append(parse_reference(item).model_dump(exclude_defaults=True))
            except ValueError as exc:  # bad JSON or a bad reference type
                self.problem(
                    row,
                    "references",
                    f"unreadable reference ({exc.__class__.__name__})",
                    item,
                    "ICCPR art. 26, SDG 10.3, UDHR art. 25 or a JSON object",
                )
        if refs:
            node["references"] = refs

    def stages(self, row: int, cells: dict[str, str], node: dict) -> None:
        codes = split_list(cells.get("stages", ""))
        if not codes:
            return
        stages: list[dict] = [{"code": c} for c in codes]
        for col, text in cells.items():
            if not col.startswith("stage_labels_") or not text:
                continue
            labels = split_list(text, keep_empty=True)
            if len(labels) != len(codes):
                self.problem(
                    row,
                    col,
                    f"{len(labels)} stage labels for {len(codes)} stages",
                    text,
                    f"{len(codes)} labels separated by ';'",
                )
                continue
            for stage, label in zip(stages, labels, strict=True):
                if label:
                    stage.setdefault("labels", {})[col.removeprefix("stage_labels_")] = label
        node["stages"] = stages


def _known_column(col: str) -> bool:
    prefixes = (*PER_LANGUAGE, "stage_labels_")
    return col in BASE_COLUMNS or col in EXTRA_COLUMNS or col.startswith(prefixes)


def _column_of(field: str | None) -> str | None:
    """The table column holding a node field (``labels.ko`` -> ``label_ko``)."""
    if not field:
        return None
    parts = field.split(".")
    for prefix, attr in PER_LANGUAGE.items():
        if parts[0] == attr and len(parts) > 1:
            return prefix + parts[1]
    if parts[0] == "stages" and len(parts) > 3 and parts[2] == "labels":
        return f"stage_labels_{parts[3]}"
    return parts[0]


def from_table(source: str | Path | pd.DataFrame, *, metadata: dict | None = None) -> Framework:
    """Read a framework table (CSV, XLSX or a DataFrame) and validate it.

    Problems name the spreadsheet row (header = row 1) and column. ``metadata`` overrides the
    metadata found with the table (sidecar, sheet or ``df.attrs``).
    """
    df, found, file, meta_file = _read_table(source)
    columns = list(df.columns)
    parser = _RowParser(columns, file)
    if "code" not in columns:
        parser.problem(1, "code", "no 'code' column", None, "a header row with a 'code' column")
    for col in columns:
        if not _known_column(col):
            parser.problem(
                1, col, f"unknown column {col!r}", col, "a column of docs/guide/framework.md"
            )
    nodes, rows = [], []
    for pos, record in enumerate(df.to_dict("records")):
        if any(record.values()):
            nodes.append(parser.node(pos + 2, record))
            rows.append(pos + 2)
    meta = metadata if metadata is not None else found
    data = {**(meta if meta is not None else _default_metadata(file, columns)), "nodes": nodes}
    fw, issues = check_framework(data)
    taken = {(p.row, p.column) for p in parser.problems}
    for issue in issues:
        if issue.section == "nodes" and issue.index is not None:
            row, column = rows[issue.index], _column_of(issue.field)
            if (row, column) not in taken:
                parser.problems.append(
                    Problem(
                        issue.text(numbered=False), file, row, column, issue.value, issue.expected
                    )
                )
        else:
            parser.problems.append(issue_to_problem(issue, meta_file or file))
    if parser.problems:
        raise FrameworkError(
            f"invalid framework table {file or ''}".strip(),
            parser.problems,
            hint="rows count from the header (row 1); see docs/guide/framework.md",
        )
    assert fw is not None
    return fw
