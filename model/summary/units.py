"""The county's list of its units (单位名单): who should have sent a report.

A text file (one unit a line; UTF-8, or GBK as Notepad on a Chinese Windows saves it) or an
Excel workbook (the first text of each row of the first sheet; a header such as 单位名称 is skipped).
Names are compared as ``same_unit`` says: spaces and full-width forms do not count.
"""
from __future__ import annotations

import unicodedata
from pathlib import Path

MAX_UNITS = 5000
HEADERS = {"单位", "单位名称", "预算单位", "部门", "部门名称", "序号", "名称"}


class UnitListError(Exception):
    """The list cannot be read; str() says what to do."""


def unit_key(name: str) -> str:
    """A unit's name for comparison: NFKC (full-width → half-width), no spaces."""
    return "".join(unicodedata.normalize("NFKC", name).split())


def read_units(path: str | Path) -> list[str]:
    path = Path(path)
    try:
        if path.suffix.lower() in (".xlsx", ".xlsm"):
            names = _from_workbook(path)
        else:
            raw = path.read_bytes()
            if len(raw) > 2**20:
                raise UnitListError(f"“{path.name}”超过 1 MB，不像是单位名单。请选择每行一个单位名称的文本文件或 Excel 文件。")
            for encoding in ("utf-8-sig", "gb18030"):
                try:
                    text = raw.decode(encoding)
                    break
                except UnicodeDecodeError:
                    continue
            names = text.splitlines()
    except OSError as e:
        raise UnitListError(f"无法读取单位名单“{path}”：{e.strerror or e}。请检查文件是否存在。") from None
    out, seen = [], set()
    for name in names:
        name = name.strip().split("\t")[-1].strip()  # “1<Tab>某某镇” pasted from a numbered list
        if name and unit_key(name) not in HEADERS and unit_key(name) not in seen:
            seen.add(unit_key(name))
            out.append(name)
    if not out:
        raise UnitListError(f"单位名单“{path.name}”中没有单位名称。请每行写一个单位名称（Excel 写在第一列）。")
    if len(out) > MAX_UNITS:
        raise UnitListError(f"单位名单“{path.name}”有 {len(out)} 个名称，超过上限 {MAX_UNITS}。请确认选对了文件。")
    return out


def _from_workbook(path: Path) -> list[str]:
    from openpyxl import load_workbook

    try:
        wb = load_workbook(path, read_only=True, data_only=True)
    except Exception as e:  # openpyxl raises many kinds for a file that is not a workbook
        raise UnitListError(f"单位名单“{path.name}”不是有效的 Excel 文件（{e}）。请另存为 .xlsx 后重试。") from None
    try:
        ws = wb.worksheets[0]
        # the first text of each row: a 序号 column before the names is passed over
        firsts = (next((v.strip() for v in row if isinstance(v, str) and v.strip()), "")
                  for row in ws.iter_rows(max_col=3, max_row=MAX_UNITS + 10, values_only=True))
        return [name for name in firsts if name]
    finally:
        wb.close()
