"""The data-entry template: an XLSX workbook a city fills in and gives back.

:func:`write_template` writes an ``Instructions`` sheet (in English and Korean) and one sheet per
theme (the depth-1 nodes of the framework). A theme sheet has one row per unit, period,
indicator and expected group: ``total`` first, then one row per value of each disaggregation
ground of the indicator (``sex=female``, ``sex=male``, ...; a ground without a list of values
gets one row ``ground=`` for the user to complete). The ``value`` cells have drop-down lists for
yes/no and stage indicators and number checks for percentages and rates. A filled template is
read back by :func:`rightsmarker.observations.read_observations` (rows left without a value and
without a flag are skipped there as not filled in).
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from pathlib import Path

from openpyxl import Workbook
from openpyxl.styles import Alignment, Font, PatternFill
from openpyxl.utils import get_column_letter
from openpyxl.worksheet.datavalidation import DataValidation

from .framework.model import Framework, Node
from .observations import _framework, parse_group, vocabulary

HEADERS = ("unit", "period", "indicator", "indicator label", "kind", "value type",
           "unit of measure", "group", "value", "source", "note", "flag")
WIDTHS = (14, 9, 24, 44, 12, 11, 14, 28, 14, 24, 30, 12)
VALUE_COL = get_column_letter(HEADERS.index("value") + 1)
HEAD_FILL = PatternFill("solid", fgColor="DDEBF7")
INPUT_FILL = PatternFill("solid", fgColor="FFF2CC")
TYPE_HELP = {  # value type: (English, Korean)
    "number": ("a number: 12, -3.5, 1,234.5", "숫자: 12, -3.5, 1,234.5"),
    "percent": ("a percentage from 0 to 100: 12.5 or 12.5%", "0~100 사이 백분율: 12.5 또는 12.5%"),
    "rate": ("a rate, 0 or more: 3.2", "0 이상의 비율: 3.2"),
    "yes_no": ("yes or no (also y/n, true/false, 1/0, 예/아니오, 네/아니요)",
               "예 또는 아니오 (yes/no, y/n, true/false, 1/0 도 가능)"),
    "stage": ("a stage code from the list (or its label, or its position 0, 1, 2, ...)",
              "목록의 단계 코드 (또는 단계 이름, 0부터 시작하는 순번)"),
    "text": ("free text", "자유 서술"),
}


def write_template(framework, path, *, units=None, periods=None, period=None,
                   lang: str = "en") -> Path:
    """Write the XLSX data-entry template of ``framework`` to ``path``; return the path.

    ``units``: unit codes (a list, a unit table from :func:`rightsmarker.units.read_units`, or
    a path to one) pre-filled in the ``unit`` column; ``periods`` (or ``period``): a year or
    years pre-filled in ``period``. ``lang``: the language of indicator labels.
    """
    fw = _framework(framework)
    unit_codes = _unit_codes(units) or [None]
    years = _years(periods if periods is not None else period) or [None]
    wb = Workbook()
    _instructions(wb.active, fw, lang)
    used = {"instructions"}
    lists: dict[str, str] = {}
    for title, indicators in _themes(fw):
        ws = wb.create_sheet(_sheet_title(title, used))
        _data_sheet(ws, fw, indicators, unit_codes, years, lang, lists)
    path = Path(path)
    wb.save(path)
    return path


def _unit_codes(units) -> list[str]:
    if units is None:
        return []
    if isinstance(units, (str, Path)):
        from .units import read_units

        units = read_units(units)
    if hasattr(units, "index") and getattr(units.index, "name", None) == "unit":
        return [str(u) for u in dict.fromkeys(units.index)]
    if hasattr(units, "columns") and "unit" in units.columns:
        return [str(u) for u in dict.fromkeys(units["unit"])]
    return [str(u) for u in units]


def _years(periods) -> list[int]:
    if periods is None:
        return []
    if isinstance(periods, (int, str)):
        return [int(periods)]
    return [int(p) for p in periods]


def _themes(fw: Framework) -> list[tuple[str, list[Node]]]:
    """(sheet name, indicators) per depth-1 node; indicators directly under the root together."""
    out, loose = [], []
    for code in fw.children(fw.root):
        node = fw.node(code)
        if node.is_indicator:
            loose.append(node)
        else:
            out.append((code, [fw.node(c) for c in fw.descendants(code, indicators_only=True)]))
    if loose:
        out.append((fw.root, loose))
    return out


def _sheet_title(code: str, used: set[str]) -> str:
    base = re.sub(r"[\[\]:*?/\\]", "-", code).lstrip("_")[:31] or "sheet"
    title, k = base, 2
    while title.casefold() in used:
        suffix = f"~{k}"
        title, k = base[: 31 - len(suffix)] + suffix, k + 1
    used.add(title.casefold())
    return title


def expected_groups(node: Node, fw: Framework) -> list[str]:
    """The groups a template asks for: total, then each value of each disaggregation ground."""
    grounds, groups = vocabulary(fw)
    out = ["total"]
    for d in node.disaggregations:
        if d in grounds:
            out += [f"{d}={v}" for v in grounds[d]] if grounds[d] else [f"{d}="]
        elif d in groups:
            out.append(parse_group(d, grounds, groups))
    return list(dict.fromkeys(out))


def _data_sheet(ws, fw, indicators, unit_codes, years, lang, lists) -> None:
    ws.append(list(HEADERS))
    for cell in ws[1]:
        cell.font, cell.fill = Font(bold=True), HEAD_FILL
    ws.freeze_panes = "A2"
    for i, width in enumerate(WIDTHS, start=1):
        ws.column_dimensions[get_column_letter(i)].width = width
    rows_by_rule: dict[str, list[int]] = {}
    r = 1
    for unit in unit_codes:
        for year in years:
            for node in indicators:
                for group in expected_groups(node, fw):
                    r += 1
                    ws.append([unit, year, node.code, node.label(lang), node.kind,
                               node.value_type, node.unit, group, None, None, None, None])
                    ws[f"{VALUE_COL}{r}"].fill = INPUT_FILL
                    rule = _rule(node, ws.parent, lists)
                    if rule:
                        rows_by_rule.setdefault(rule, []).append(r)
    for rule, rows in rows_by_rule.items():
        dv = _validation(rule)
        for a, b in _runs(rows):
            dv.add(f"{VALUE_COL}{a}:{VALUE_COL}{b}")
        ws.add_data_validation(dv)


def _rule(node: Node, wb, lists: dict[str, str]) -> str | None:
    """A key naming the check of the value cell of ``node`` (see :func:`_validation`)."""
    if node.value_type in ("percent", "rate"):
        return node.value_type
    if node.value_type == "yes_no":
        return 'list:"yes,no"'
    if node.value_type == "stage" and node.stages:
        codes = ",".join(s.code for s in node.stages)
        if len(codes) <= 250:
            return f'list:"{codes}"'
        if node.code not in lists:  # too long for an inline list: a column of a hidden sheet
            ws = wb["_lists"] if "_lists" in wb.sheetnames else wb.create_sheet("_lists")
            ws.sheet_state = "hidden"
            col = get_column_letter(len(lists) + 1)
            for i, s in enumerate(node.stages, start=1):
                ws[f"{col}{i}"] = s.code
            lists[node.code] = f"_lists!${col}$1:${col}${len(node.stages)}"
        return f"list:{lists[node.code]}"
    return None


def _validation(rule: str) -> DataValidation:
    if rule.startswith("list:"):
        return DataValidation(type="list", formula1=rule[5:], allow_blank=True,
                              showErrorMessage=True, errorTitle="value",
                              error="Choose a value from the list / 목록에서 고르십시오")
    low, high = ("0", "100") if rule == "percent" else ("0", "1E+300")
    text = ("A percentage from 0 to 100 / 0~100 사이 백분율" if rule == "percent"
            else "A number 0 or more / 0 이상의 숫자")
    return DataValidation(type="decimal", operator="between", formula1=low, formula2=high,
                          allow_blank=True, showErrorMessage=True, errorTitle="value", error=text)


def _runs(rows: Iterable[int]) -> list[tuple[int, int]]:
    """Consecutive row numbers merged into (first, last) ranges."""
    out: list[tuple[int, int]] = []
    for r in rows:
        if out and out[-1][1] == r - 1:
            out[-1] = (out[-1][0], r)
        else:
            out.append((r, r))
    return out


def _instructions(ws, fw: Framework, lang: str) -> None:
    ws.title = "Instructions"
    ws.column_dimensions["A"].width = 22
    ws.column_dimensions["B"].width = 70
    ws.column_dimensions["C"].width = 60
    bold = Font(bold=True)
    lines = [
        ("rightsmarker data-entry template",
         fw.labels.get(lang) or fw.labels.get("en") or fw.code, ""),
        ("framework", f"{fw.code} version {fw.version}", ""),
        ("", "English", "한국어"),
        ("how to fill", "One row per unit, period, indicator and group. Type the value in the "
         "yellow 'value' column. Keep the other columns as they are.",
         "단위(지역), 연도, 지표, 집단마다 한 행입니다. 노란색 'value' 열에 값을 입력하고 "
         "다른 열은 그대로 두십시오."),
        ("no data", "Leave 'value' empty and write why in 'flag' (for example: missing, "
         "not-collected, confidential). Rows with neither a value nor a flag are skipped.",
         "자료가 없으면 'value'를 비우고 'flag'에 이유를 쓰십시오 (예: missing, "
         "not-collected, confidential). 값과 flag가 모두 빈 행은 읽지 않습니다."),
        ("unit, period", "The unit code (city or district) and the year, such as 2025.",
         "단위 코드(시·구)와 연도 (예: 2025)."),
        ("group", "'total' for the whole population, or ground=value parts joined with ';' "
         "(sex=female;age=65+), or a group code (women). Complete rows such as 'income='.",
         "전체 인구는 'total', 집단은 ground=value 를 ';'로 연결 (sex=female;age=65+) 또는 "
         "집단 코드 (women). 'income=' 처럼 값이 빈 행은 값을 채우십시오."),
        ("source, note", "Where the value comes from; any remark.", "자료 출처; 비고."),
    ]
    for row in lines:
        ws.append(list(row))
    ws.append([])
    ws.append(["value type", "how to enter", "입력 방법"])
    for vt, (en, ko) in TYPE_HELP.items():
        ws.append([vt, en, ko])
    _stage_lists(ws, fw)
    for row in ws.iter_rows():
        for cell in row:
            cell.alignment = Alignment(wrap_text=True, vertical="top")
            if cell.column == 1:
                cell.font = bold


def _stage_lists(ws, fw: Framework) -> None:
    stage_nodes = [n for n in fw.indicators if n.value_type == "stage"]
    if not stage_nodes:
        return
    ws.append([])
    ws.append(["stage indicator", "stages in order, worst first: code (position) = label",
               "단계 (나쁜 단계부터): 코드 (순번) = 이름"])
    for n in stage_nodes:
        en = "; ".join(f"{s.code} ({i}) = {s.labels.get('en', s.code)}"
                       for i, s in enumerate(n.stages))
        ko = "; ".join(f"{s.code} ({i}) = {s.labels.get('ko', s.labels.get('en', s.code))}"
                       for i, s in enumerate(n.stages))
        ws.append([n.code, en, ko])
