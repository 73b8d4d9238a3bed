"""Build 项目支出绩效目标表 workbooks from seed 002's four project tables, in the layouts the importer reads.

The targets are those of resources/samples/xingxian_2022.jxzp.json (built from seed
002's 项目支出绩效自评表): 项目名称, 主管部门, 实施单位, 资金 in 万元, 年度总体目标 and each
indicator's 一级/二级/三级, 年度指标值 and 分值 — the actuals removed.  Layouts:

  per_sheet   one project per sheet, as the seed prints it: merged 项目名称 and labels,
              项目资金（万元）with 年初预算数 / 全年预算数(A) / 全年执行数(B) columns,
              年度总体目标 over 预期目标 | 实际完成情况 with the text on the next row,
              绩效指标 with merged 一级 “产出指标（50分）” and 二级, an empty 实际完成值 column,
              分值, 评分标准, 总分 row and notes
  stacked     the four on one sheet, nothing merged (blank 一级/二级 repeat the row above),
              资金 on one row (年度资金总额 | 883.56 | 其中：财政拨款 | 883.56 | 其他资金),
              年度总体目标 beside its label, blank rows and a title between tables
  long        one table listing every project: 项目名称 (merged down its rows), 主管部门,
              年度资金总额（万元）, 年度总体目标, then the indicator columns
  no_weights  per_sheet without the 分值 column
  split       per_sheet with 年度指标值 split under a merged heading into 指标性质 (≥, >=,
              不低于 in turn) | 指标值 | 度量单位, and 权重 for 分值
  split.xls   split converted once by LibreOffice and committed (the tests need no LibreOffice):

    python tests/importers/targets_data/make.py          # re-makes split.xls here

The .xlsx layouts are built by the tests in a temporary folder (``build``).
"""
from __future__ import annotations

import re
import shutil
import subprocess
import sys
import tempfile
from decimal import Decimal
from pathlib import Path

from openpyxl import Workbook

HERE = Path(__file__).resolve().parent
ROOT = HERE.parents[2]
LAYOUTS = ("per_sheet", "stacked", "long", "no_weights", "split")
LEVEL1 = {"output": "产出指标（50分）", "outcome": "效益指标（30分）", "satisfaction": "满意度指标（10分）"}
OPS = ("≥", ">=", "不低于")


def sample():
    sys.path.insert(0, str(ROOT))
    from model import storage

    return storage.load(ROOT / "resources" / "samples" / "xingxian_2022.jxzp.json")


def wan(amount: Decimal | None):
    return None if amount is None else float(amount / 10000)


def split_target(text: str) -> tuple[str, str, str]:
    """“≥1734人” → ("≥", "1734", "人"); “1.47万人” → ("", "1.47", "万人"); “提高”, “2022年底” → ("", text, "")."""
    from model.targets import parse_quantity

    if parse_quantity(text) is None:  # words and dates are one value
        return "", text, ""
    op = text[0] if text[:1] in ("≥", "≤") else ""
    m = re.fullmatch(r"(\d+(?:\.\d+)?)(\D*)", text[len(op):])
    return (op, m.group(1), m.group(2)) if m else (op, text[len(op):], "")


class Writer:
    def __init__(self, ws):
        self.ws, self.r = ws, 1

    def row(self, *values, merge: tuple[int, int] | None = None):
        for c, v in enumerate(values, 1):
            if v is not None:
                self.ws.cell(row=self.r, column=c, value=v)
        if merge:
            self.ws.merge_cells(start_row=self.r, start_column=merge[0], end_row=self.r, end_column=merge[1])
        self.r += 1

    def merge_down(self, col: int, first: int, last: int):
        if last > first:
            self.ws.merge_cells(start_row=first, start_column=col, end_row=last, end_column=col)


def _runs(keys: list) -> list[tuple[int, int]]:
    out, start = [], 0
    for i in range(1, len(keys) + 1):
        if i == len(keys) or keys[i] != keys[start]:
            out.append((start, i - 1))
            start = i
    return out


def seed_form(w: Writer, p, weights: bool = True, split: bool = False):
    """One project as the seed prints its form (targets only)."""
    w.row("项目支出绩效目标表", merge=(1, 8))
    w.row("（2022年度）", merge=(1, 8))
    w.row("预算单位（盖章）：")
    w.row("项目名称", p.name, None, None, "资金来源", "本级安排 ☑  上级转移支付 □", merge=(2, 4))
    w.row("主管部门", p.authority, None, None, "实施单位", p.implementer, merge=(2, 4))
    top = w.r
    w.row("项目资金（万元）（10分）", None, "年初预算数", "全年预算数(A)", "全年执行数(B)")
    for label, funds in (("年度资金总额：", p.funds_total), ("其中：当年财政拨款", p.funds_current),
                         ("上年结转资金", p.funds_carryover), ("其他资金", p.funds_other)):
        w.row(None, label, wan(funds.initial_budget), wan(funds.annual_budget), None)
    w.merge_down(1, top, w.r - 1)
    w.row("年度总体目标", "预期目标", None, None, "实际完成情况", merge=(2, 4))
    w.row(None, p.goal_expected, None, None, None, merge=(2, 4))
    w.merge_down(1, w.r - 2, w.r - 1)
    head = w.r
    if split:
        w.row("绩效指标", "一级指标", "二级指标", "三级指标", "年度指标值(A)", None, None, "实际完成值(B)", "权重")
        w.row(None, None, None, None, "指标性质", "指标值", "度量单位")
        w.ws.merge_cells(start_row=head, start_column=5, end_row=head, end_column=7)
        for c in (2, 3, 4, 8, 9):
            w.merge_down(c, head, head + 1)
    else:
        cols = ["绩效指标", "一级指标", "二级指标", "三级指标", "年度指标值(A)", "实际完成值(B)"]
        w.row(*(cols + (["分值"] if weights else []) + ["评分标准", "得分"]))
    first = w.r
    for i, row in enumerate(p.indicators):
        if split:
            op, value, unit = split_target(row.target)
            op = OPS[i % len(OPS)] if op == "≥" else op
            w.row(None, LEVEL1[row.level1], row.level2, row.name, op or None, _number(value), unit or None, None,
                  float(row.weight))
        else:
            values = [None, LEVEL1[row.level1], row.level2, row.name, row.target, None]
            values += ([float(row.weight)] if weights else []) + ["完成指标得满分；未完成按完成情况得分", None]
            w.row(*values)
    for a, b in _runs([r.level1 for r in p.indicators]):
        w.merge_down(2, first + a, first + b)
    for a, b in _runs([(r.level1, r.level2) for r in p.indicators]):
        w.merge_down(3, first + a, first + b)
    w.merge_down(1, head, w.r - 1)
    w.row("总分", None, None, None, None, None, 100 if weights else None)
    w.row("注：1.得分一档最高不能超过该指标分值上限。")


def _number(text: str):
    """Numbers as the finance system writes them: numeric cells (2套 → 2), words stay text."""
    try:
        value = Decimal(text)
    except ArithmeticError:
        return text
    return int(value) if value == value.to_integral_value() else float(value)


def per_sheet(report, weights: bool = True, split: bool = False) -> Workbook:
    wb = Workbook()
    wb.remove(wb.active)
    for i, p in enumerate(report.projects, 1):
        seed_form(Writer(wb.create_sheet(f"附件{i}")), p, weights, split)
    return wb


def stacked(report) -> Workbook:
    wb = Workbook()
    w = Writer(wb.active)
    w.ws.title = "绩效目标"
    for p in report.projects:
        w.row("2022年度项目支出绩效目标申报表")
        w.row("项目名称", p.name)
        w.row("主管部门", p.authority, "实施单位", p.implementer)
        w.row("项目资金（万元）", "年度资金总额：", wan(p.funds_total.annual_budget), "其中：财政拨款",
              wan(p.funds_current.annual_budget), "其他资金", wan(p.funds_other.annual_budget))
        w.row("年度总体目标", p.goal_expected)
        w.row("一级指标", "二级指标", "三级指标", "指标值", "分值")
        previous = (None, None)
        for row in p.indicators:
            l1 = LEVEL1[row.level1].split("（")[0]
            w.row(l1 if l1 != previous[0] else None, row.level2 if (row.level1, row.level2) != previous[1] else None,
                  row.name, row.target, float(row.weight))
            previous = (l1, (row.level1, row.level2))
        w.row("合计", None, None, None, 90)
        w.row()
        w.row()
    return wb


def long(report) -> Workbook:
    wb = Workbook()
    w = Writer(wb.active)
    w.ws.title = "项目绩效目标"
    w.row("2022年度项目支出绩效目标表（单位：万元）")
    w.row("项目名称", "主管部门", "年度资金总额（万元）", "年度总体目标", "一级指标", "二级指标", "三级指标", "年度指标值", "分值")
    for p in report.projects:
        first = w.r
        for j, row in enumerate(p.indicators):
            head = (p.name, p.authority, wan(p.funds_total.annual_budget), p.goal_expected) if j == 0 else (None,) * 4
            w.row(*head, LEVEL1[row.level1].split("（")[0], row.level2, row.name, row.target, float(row.weight))
        w.merge_down(1, first, w.r - 1)
    return wb


def build(layout: str, folder: Path, report=None) -> Path:
    report = report or sample()
    wb = {"per_sheet": lambda: per_sheet(report), "stacked": lambda: stacked(report), "long": lambda: long(report),
          "no_weights": lambda: per_sheet(report, weights=False),
          "split": lambda: per_sheet(report, split=True)}[layout]()
    path = folder / f"{layout}.xlsx"
    wb.save(path)
    return path


def make_xls() -> None:
    soffice = shutil.which("soffice") or shutil.which("libreoffice")
    if not soffice:
        sys.exit("需要 LibreOffice（soffice）才能生成 .xls")
    with tempfile.TemporaryDirectory() as tmp:
        source = build("split", Path(tmp))
        subprocess.run([soffice, "--headless", "--convert-to", "xls", "--outdir", str(HERE), str(source)],
                       check=True, capture_output=True, timeout=120)


if __name__ == "__main__":
    make_xls()
    print(HERE / "split.xls")
