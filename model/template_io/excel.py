"""The indicator table as bureaus issue it in Excel: 一级指标 | 分值 | 二级指标 | 分值 | 三级指标 | 分值 |
指标说明 | 评分标准 | 数据来源, one row per 三级指标, 一级 and 二级 cells merged down their rows.

``import_table(path, base)`` reads such a table (merged or not; the 评分标准 column may be called
评价标准 / 评分规则 / 评分办法, 指标说明 may be 指标解释; 分值 columns may be missing when the names say
“投入（15分）”) into the data of a new template: names and weights exactly as written, each 评分标准
recognised (``criteria``), the metric recognised by the indicator's name.  Everything else — steps,
forms, narrative sections, grade bands unless the table states them — comes from ``base``.

``export_table(raw, path)`` writes a template in that layout, the 评分标准 being the published text
when it reads back to the same rule and ``criteria.describe`` of the rule otherwise, plus two columns
bureaus' tables lack (计算指标, 编号) so that importing the file gives back the same template.
"""
from __future__ import annotations

import copy
import re
from dataclasses import dataclass, field
from decimal import Decimal, InvalidOperation
from pathlib import Path

from .. import metrics
from ..importers.workbook import Sheet, WorkbookError, read_workbook
from ..templates import TemplateError
from . import criteria
from .criteria import number

HEADERS = ("一级指标", "分值", "二级指标", "分值", "三级指标", "分值", "指标说明", "评分标准", "数据来源", "计算指标", "编号")
_ROLE_WORDS = {  # header text → role; the first match of a row wins
    "explanation": ("指标说明", "指标解释", "指标内涵", "指标释义", "指标含义"),
    "rule_text": ("评分标准", "评价标准", "评分规则", "评分办法", "评分方法", "评(扣)分标准", "评（扣）分标准", "扣分标准", "计分方法"),
    "data_source": ("数据来源", "佐证材料", "评价依据"),
    "metric": ("计算指标",),
    "id": ("编号",),
}
_GRADES = re.compile(r"(优秀?|良好?|中等?|合格|较差|差)[^；;，,。0-9]*?(?:≥|>=|不低于)?\s*(\d+(?:\.\d+)?)")


@dataclass
class ImportResult:
    raw: dict  # the new template's data
    notes: list[str] = field(default_factory=list)  # one line per indicator the clerk should check


def _text(v) -> str:
    return "" if v is None else str(v).strip()


def _weight(v):
    """A 分值 cell: 15, "15", "15分", "15.0" → Decimal; None when it is not one."""
    if isinstance(v, Decimal):
        return v
    m = re.fullmatch(r"\s*(\d+(?:\.\d+)?)\s*分?\s*", _text(v))
    return Decimal(m.group(1)) if m else None


def _split_named_weight(text: str):
    """“投入（15分）” → ("投入", 15); a name without one → (name, None)."""
    m = re.fullmatch(r"(.+?)\s*[（(]\s*(\d+(?:\.\d+)?)\s*分?\s*[)）]", text)
    return (m.group(1).strip(), Decimal(m.group(2))) if m else (text, None)


def _header(sheet: Sheet):
    """(row, {role: column}) of the header row: the one naming 一级, 二级 and 三级 指标."""
    for r in range(min(sheet.nrows, 30)):
        cells = [re.sub(r"\s+", "", _text(sheet.value(r, c))) for c in range(sheet.ncols)]
        levels = [next((c for c, t in enumerate(cells) if t.startswith(k)), None) for k in ("一级", "二级", "三级")]
        if None in levels:
            continue
        cols = {"l1": levels[0], "l2": levels[1], "l3": levels[2]}
        for key, c in (("w1", levels[0]), ("w2", levels[1]), ("w3", levels[2])):
            if c + 1 < len(cells) and re.match(r"^(分值|权重|标准分|分数)", cells[c + 1]):
                cols[key] = c + 1
        for role, words in _ROLE_WORDS.items():
            found = next((c for c, t in enumerate(cells) if t.startswith(words) and c not in cols.values()), None)
            if found is not None:
                cols[role] = found
        return r, cols
    return None


def _metric_by_name(name: str):
    """The app's metric the indicator is computed from, by its name (the longest metric name in it)."""
    plain = lambda s: re.sub(r"[“”\"'‘’「」]", "", s)  # noqa: E731
    found = [m for m in metrics.METRICS.values() if plain(m.name) in plain(name)]
    return max(found, key=lambda m: len(m.name)).id if found else None


def metric_label(node: dict) -> str:
    """The 计算指标 cell: the metric's name, with the base a template chose (“（预算数）”)."""
    metric = metrics.METRICS.get(node.get("metric") or "")
    if metric is None:
        return ""
    base = node.get("metric_base")
    return f"{metric.name}（{metrics.BASES[base]}）" if base else metric.name


def _metric_by_label(label: str):
    """(metric id, base) of a 计算指标 cell; (None, "") when the app has no such metric."""
    m = re.fullmatch(r"(.+?)[（(](.+?)[)）]", label)
    name, base_label = (m.group(1), m.group(2)) if m else (label, "")
    metric = next((x.id for x in metrics.METRICS.values() if x.name == name or x.id == name), None)
    base = next((b for b, text in metrics.BASES.items() if text == base_label), "")
    return metric, base


def import_table(path: str | Path, base: dict, tid: str = "", title: str = "") -> ImportResult:
    """The indicator table in ``path`` as the data of a new template built on ``base`` (see module doc)."""
    try:
        sheets = read_workbook(path)
    except WorkbookError as e:
        raise TemplateError(str(e)) from None
    for sheet in sheets:
        found = _header(sheet)
        if found:
            return _read(sheet, *found, base, tid, title)
    raise TemplateError(f"“{Path(path).name}”中没有找到指标体系表：需要一行表头写明“一级指标”“二级指标”“三级指标”"
                        "（各带“分值”列，或在名称中写“（15分）”）和“评分标准”。请检查所选文件。")


def _read(sheet: Sheet, head: int, cols: dict, base: dict, tid: str, title: str) -> ImportResult:
    notes: list[str] = []
    tree: list[dict] = []
    used_ids: set[str] = set()
    has_metric_col = "metric" in cols
    cell = lambda r, key: _text(sheet.value(r, cols[key])) if key in cols else ""  # noqa: E731
    for r in range(head + 1, sheet.nrows):
        name3 = cell(r, "l3")
        if not name3 or re.match(r"^(分值|权重)", name3):
            if re.match(r"^(合计|总计|总分)", cell(r, "l1")):
                break
            continue
        n1, w1 = _named(sheet, r, cols, "l1", "w1")
        n2, w2 = _named(sheet, r, cols, "l2", "w2")
        n3, w3 = _named(sheet, r, cols, "l3", "w3")
        if not n1 or not n2:
            n1 = n1 or (tree[-1]["name"] if tree else "")
            n2 = n2 or (tree[-1]["children"][-1]["name"] if tree and tree[-1]["children"] else "")
        where = f"第 {r + 1} 行“{n3}”"
        if not tree or tree[-1]["name"] != n1:
            tree.append({"name": n1, "weight": _num_or_note(w1, f"第 {r + 1} 行一级指标“{n1}”", notes), "children": []})
        l1 = tree[-1]
        if not l1["children"] or l1["children"][-1]["name"] != n2:
            l1["children"].append({"name": n2, "weight": _num_or_note(w2, f"第 {r + 1} 行二级指标“{n2}”", notes),
                                   "children": []})
        weight = _num_or_note(w3, where, notes)
        text = cell(r, "rule_text")
        found = criteria.recognise(text, weight, n3, cell(r, "explanation"))
        if not found.recognised or found.note:
            notes.append(f"{n1}/{n2}/{n3}：{found.note}")
        node = {"id": "", "name": n3, "weight": weight}
        metric, on = _metric_by_label(cell(r, "metric")) if has_metric_col else (_metric_by_name(n3), "")
        if has_metric_col and cell(r, "metric") and metric is None:
            notes.append(f"{n3}：计算指标“{cell(r, 'metric')}”本软件不会计算，已改为由填报人录入数值")
        for key in ("explanation", "rule_text", "data_source"):
            if cell(r, key):
                node[key] = cell(r, key)
        if metric:
            node["metric"] = metric
        if metric and on:
            node["metric_base"] = on
        if found.not_applicable:
            node["not_applicable"] = found.not_applicable
        node["rule"] = {"kind": found.kind, **found.params}
        node["id"] = _new_id(cell(r, "id"), metric, used_ids)
        l1["children"][-1]["children"].append(node)
    if not tree:
        raise TemplateError("指标体系表的表头下没有三级指标。请确认“三级指标”列中填写了指标名称。")
    raw = copy.deepcopy(base)
    raw["indicators"] = tree
    raw["id"] = tid or f"{base.get('id', 'template')}-导入"
    raw["title"] = title or sheet_title(sheet, head) or f"{base.get('title', '')}（导入）"
    bands = _grade_bands(sheet)
    if bands:
        raw["grade_bands"] = bands
    return ImportResult(raw, notes)


def _named(sheet: Sheet, r: int, cols: dict, name_key: str, weight_key: str):
    name = _text(sheet.value(r, cols[name_key]))
    name, inline = _split_named_weight(name)
    weight = _weight(sheet.value(r, cols[weight_key])) if weight_key in cols else inline
    return name, weight if weight is not None else inline


def _num_or_note(w, where: str, notes: list[str]):
    if w is None:
        notes.append(f"{where}：没有读到分值，暂记 0 分，请填写")
        return 0
    return number(w)


def _new_id(written: str, metric, used: set[str]) -> str:
    for candidate in (written, metric):
        if candidate and candidate not in used:
            used.add(candidate)
            return candidate
    n = len(used) + 1
    while f"ind{n:02d}" in used:
        n += 1
    used.add(f"ind{n:02d}")
    return f"ind{n:02d}"


def sheet_title(sheet: Sheet, head: int) -> str:
    """The table's title: the first text above the header that is not a 单位 line."""
    for r in range(head):
        text = next((_text(v) for v in sheet.rows[r] if _text(v)), "")
        if text and not re.match(r"^(单位|填报|编制)", text):
            return text
    return ""


def _grade_bands(sheet: Sheet):
    """“评价等次：优≥90分；良≥80分；中≥60分；差<60分” below the table, as grade bands."""
    for row in sheet.rows:
        text = " ".join(_text(v) for v in row if _text(v))
        if "等次" in text or "等级" in text:
            found = [(g, Decimal(n)) for g, n in _GRADES.findall(text.split("：", 1)[-1])]
            if len(found) >= 2:
                bands = [{"grade": g, "min": number(n)} for g, n in found]
                bands[-1]["min"] = 0  # the lowest grade covers everything below the one above
                return bands
    return None


# ------------------------------------------------------------------ export

def criterion_text(node: dict) -> str:
    """The 评分标准 to print: the published text when it reads back to the rule, else the rule described."""
    rule = node["rule"]
    kind, params = rule["kind"], {k: v for k, v in rule.items() if k != "kind"}
    na = node.get("not_applicable", "")
    published = node.get("rule_text", "")
    if published:
        back = criteria.recognise(published, node["weight"], node["name"], node.get("explanation", ""))
        if back.recognised and back.kind == kind and same_params(back.params, params) and back.not_applicable == na:
            return published
    return criteria.describe(kind, params, node["name"], na)


def same_params(a, b) -> bool:
    """Rule parameters equal as numbers (3 and 3.0, "full" and "full")."""
    if isinstance(a, dict) and isinstance(b, dict):
        return a.keys() == b.keys() and all(same_params(a[k], b[k]) for k in a)
    if isinstance(a, list) and isinstance(b, list):
        return len(a) == len(b) and all(same_params(x, y) for x, y in zip(a, b))
    if isinstance(a, (int, float, Decimal)) and isinstance(b, (int, float, Decimal)) and not isinstance(a, bool):
        try:
            return Decimal(str(a)) == Decimal(str(b))
        except InvalidOperation:
            return False
    return a == b


def export_table(raw: dict, path: str | Path) -> None:
    """Write the template's indicator table (module doc); OSError when the file cannot be written."""
    from openpyxl import Workbook
    from openpyxl.styles import Alignment, Border, Font, Side

    wb = Workbook()
    ws = wb.active
    ws.title = "指标体系"
    thin = Side(style="thin")
    box = Border(left=thin, right=thin, top=thin, bottom=thin)
    wrap = Alignment(wrap_text=True, vertical="center")
    centre = Alignment(wrap_text=True, vertical="center", horizontal="center")

    def put(r, c, value, align=wrap, bold=False):
        cell = ws.cell(row=r, column=c)
        if isinstance(value, str):
            cell.value = value
            cell.data_type = "s"  # text stays text (formula injection)
        else:
            cell.value = value
        cell.alignment, cell.border = align, box
        if bold:
            cell.font = Font(bold=True)
        return cell

    ws.cell(row=1, column=1, value=raw.get("title", "")).font = Font(bold=True, size=14)
    ws.merge_cells(start_row=1, start_column=1, end_row=1, end_column=len(HEADERS))
    ws.cell(row=1, column=1).alignment = centre
    ws.cell(row=2, column=1, value="单位：分")
    for c, h in enumerate(HEADERS, 1):
        put(3, c, h, centre, bold=True)
    r = 4
    for l1 in raw["indicators"]:
        top1 = r
        for l2 in l1["children"]:
            top2 = r
            for node in l2["children"]:
                values = (l1["name"], l1["weight"], l2["name"], l2["weight"], node["name"], node["weight"],
                          node.get("explanation", ""), criterion_text(node), node.get("data_source", ""),
                          metric_label(node), node["id"])
                for c, v in enumerate(values, 1):
                    put(r, c, v, centre if c in (1, 2, 3, 4, 6, 11) else wrap)
                ws.row_dimensions[r].height = max(30, 15 * (1 + len(values[7]) // 28))
                r += 1
            _merge_down(ws, top2, r - 1, (3, 4))
        _merge_down(ws, top1, r - 1, (1, 2))
    put(r, 1, "合计", centre, bold=True)
    put(r, 2, number(sum((Decimal(str(l1["weight"])) for l1 in raw["indicators"]), Decimal(0))), centre)
    bands = raw.get("grade_bands") or []
    if bands:
        shown = "；".join(f"{b['grade']}≥{number(b['min'])}分" if Decimal(str(b["min"])) > 0 else f"{b['grade']}<"
                         f"{number(bands[i - 1]['min'])}分" for i, b in enumerate(bands))
        ws.cell(row=r + 2, column=1, value=f"评价等次：{shown}")
    for c, width in enumerate((10, 6, 14, 6, 20, 6, 40, 48, 24, 14, 18), 1):
        ws.column_dimensions[chr(64 + c)].width = width
    ws.freeze_panes = "A4"
    ws.print_title_rows = "3:3"
    ws.page_setup.orientation = "landscape"
    ws.page_setup.paperSize = 9
    ws.sheet_properties.pageSetUpPr.fitToPage = True
    ws.page_setup.fitToWidth, ws.page_setup.fitToHeight = 1, 0
    wb.save(path)


def _merge_down(ws, top: int, bottom: int, columns) -> None:
    if bottom > top:
        for c in columns:
            ws.merge_cells(start_row=top, start_column=c, end_row=bottom, end_column=c)
