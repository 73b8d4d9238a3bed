"""Exports: read the model and write files (xlsx, pdf, docx). No Qt here.

``export_report(report, tpl, folder)`` scores the report once, builds each
requested file and writes each one on its own: one failure (a file open in
Excel, a missing module) never stops the others.  Each builder is
``export.<kind>.build_<kind>(report, tpl, result) -> bytes``, imported only
when that kind is asked for.
"""
from __future__ import annotations

import importlib
import os
from dataclasses import dataclass
from pathlib import Path
from typing import Iterable, Optional

KINDS = ("xlsx", "pdf", "docx")
KIND_LABELS = {"xlsx": "Excel 工作簿", "pdf": "PDF 文件", "docx": "Word 文档"}


@dataclass(frozen=True)
class ExportOutcome:
    kind: str
    path: Optional[Path]  # where the file was (or would have been) written
    error: str = ""  # Chinese message; empty when the file was written
    warning: str = ""  # written, but the clerk should look (e.g. characters no font has)

    @property
    def ok(self) -> bool:
        return not self.error


def builder(kind: str):
    """``build_<kind>`` from ``export.<kind>``; raises ExportError when it is not available."""
    from .files import ExportError

    if kind not in KINDS:
        raise ExportError(f"不支持的导出格式“{kind}”，可用：{'、'.join(KINDS)}。")
    module_name = f"{__name__}.{kind}"
    try:
        module = importlib.import_module(module_name)
    except ModuleNotFoundError as e:
        if e.name == module_name:
            raise ExportError(f"本版本尚不能导出 {KIND_LABELS[kind]}（缺少 export/{kind}.py 模块）。") from None
        raise ExportError(f"无法导出 {KIND_LABELS[kind]}：缺少所需的组件“{e.name}”，请重新安装本软件。") from None
    except ImportError as e:
        raise ExportError(f"无法导出 {KIND_LABELS[kind]}：组件加载失败（{e}），请重新安装本软件。") from None
    fn = getattr(module, f"build_{kind}", None)
    if fn is None:
        raise ExportError(f"本版本尚不能导出 {KIND_LABELS[kind]}（export/{kind}.py 中没有 build_{kind}）。")
    return fn


def export_report(report, tpl, folder: str | os.PathLike, kinds: Iterable[str] = KINDS,
                  result=None, names: Optional[dict] = None) -> list[ExportOutcome]:
    """Write each requested kind into ``folder``; one outcome per kind, in the order asked.

    ``result``: a ScoreResult the caller already has (else the report is scored here, once);
    ``names``: file names per kind instead of ``files.default_name``.
    """
    from model.scoring import score

    from .files import ExportError, default_name, write_file

    folder = Path(folder)
    if result is None:
        result = score(report, tpl)
    outcomes = []
    for kind in kinds:
        path = folder / ((names or {}).get(kind) or default_name(report, tpl, kind))
        try:
            data = builder(kind)(report, tpl, result)
            write_file(path, data)
        except ExportError as e:
            outcomes.append(ExportOutcome(kind, path, str(e)))
        except Exception as e:  # a bug in one builder must not cost the clerk the other files
            outcomes.append(ExportOutcome(kind, path, f"生成 {KIND_LABELS.get(kind, kind)} 时出错：{e!r}。"
                                                      "其他文件不受影响；请把此消息反馈给软件维护人员。"))
        else:
            outcomes.append(ExportOutcome(kind, path, warning=getattr(data, "warning", "") or ""))
    return outcomes
