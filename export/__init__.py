"""Exports: read the model and write files (xlsx, pdf, docx). No Qt here.

``export_report(report, tpl, folder)`` scores the report once, makes the
official tables once, builds each requested file and writes each one on its
own: one failure (a file open in Excel, a missing module) never stops the
others.  Each builder is ``export.<kind>.build_<kind>(report, tpl, result,
grids=None, progress=None) -> bytes``, imported only when that kind is asked
for.  ``progress`` and ``cancel`` let a window run the export in a worker
thread with a progress bar and a 取消 button (``ui.worker``).
"""
from __future__ import annotations

import importlib
import inspect
import os
from dataclasses import dataclass
from pathlib import Path
from typing import Iterable, Optional

KINDS = ("xlsx", "pdf", "docx")
KIND_LABELS = {"xlsx": "Excel 工作簿", "pdf": "PDF 文件", "docx": "Word 文档"}
# the share of an export's time each kind takes (500-project report), for one progress bar over all three
WEIGHTS = {"xlsx": 0.25, "pdf": 0.55, "docx": 0.2}


class Cancelled(Exception):
    """The export was cancelled (``cancel`` was set): no file was written."""


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


def export_reviewed(report, tpl, folder: str | os.PathLike, kinds: Iterable[str] = KINDS, **kw) -> list[ExportOutcome]:
    """The report as the county reviewed it (每个审核得分 printed as the score, its reason in 评分说明), into
    files named …_审核 beside the unit's own; ``kw`` as for export_report (no ``result``: scored here)."""
    from model.summary.review import as_reviewed

    from .files import default_name

    kinds = list(kinds)
    names = {kind: default_name(report, tpl, kind, suffix="审核") for kind in kinds}
    return export_report(as_reviewed(report), tpl, folder, kinds, names=names, **kw)


def export_report(report, tpl, folder: str | os.PathLike, kinds: Iterable[str] = KINDS,
                  result=None, names: Optional[dict] = None, progress=None, cancel=None) -> list[ExportOutcome]:
    """Write each requested kind into ``folder``; one outcome per kind, in the order asked.

    ``result``: a ScoreResult the caller already has (else the report is scored here, once);
    ``names``: file names per kind instead of ``files.default_name``;
    ``progress(fraction, text)``: called between forms, 0 … 1 over all the kinds asked for;
    ``cancel``: anything with ``is_set()`` (a ``threading.Event``), looked at between forms:
    once set, ``Cancelled`` is raised and no file is written (every file is built before any
    is written, so a cancelled export leaves nothing behind).
    """
    from model.scoring import score

    from .files import ExportError, default_name, write_file

    folder = Path(folder)
    kinds = list(kinds)
    if result is None:
        result = score(report, tpl)
    total = sum(WEIGHTS.get(k, 0.2) for k in kinds) or 1.0
    done = 0.0

    def step(kind: str, weight: float):
        label = KIND_LABELS.get(kind, kind)

        def report_progress(i: int, n: int):
            if cancel is not None and cancel.is_set():
                raise Cancelled()
            if progress is not None:
                progress((done + weight * (i / n if n else 1.0)) / total,
                         f"正在生成 {label}（{i} / {n}）" if n > 1 else f"正在生成 {label}")

        return report_progress

    grids = None
    if any(k in KINDS for k in kinds):
        try:  # the official tables, made once for the three files
            from .forms import grids_for

            grids = grids_for(report, tpl, result)
        except Exception:  # each builder makes them again and fails on its own
            grids = None
    built = []
    for kind in kinds:
        path = folder / ((names or {}).get(kind) or default_name(report, tpl, kind))
        weight = WEIGHTS.get(kind, 0.2)
        step(kind, weight)(0, 1)
        try:
            fn = builder(kind)
            data = fn(report, tpl, result, **_extra(fn, grids=grids, progress=step(kind, weight)))
        except Cancelled:
            raise
        except ExportError as e:
            built.append((kind, path, None, str(e)))
        except Exception as e:  # a bug in one builder must not cost the clerk the other files
            built.append((kind, path, None, f"生成 {KIND_LABELS.get(kind, kind)} 时出错：{e!r}。"
                                            "其他文件不受影响；请把此消息反馈给软件维护人员。"))
        else:
            built.append((kind, path, data, ""))
        done += weight
    if cancel is not None and cancel.is_set():
        raise Cancelled()
    if progress is not None:
        progress(1.0, "正在写入文件")
    outcomes = []
    for kind, path, data, error in built:
        if error:
            outcomes.append(ExportOutcome(kind, path, error))
            continue
        try:
            write_file(path, data)
        except ExportError as e:
            outcomes.append(ExportOutcome(kind, path, str(e)))
        except Exception as e:
            outcomes.append(ExportOutcome(kind, path, f"生成 {KIND_LABELS.get(kind, kind)} 时出错：{e!r}。"
                                                      "其他文件不受影响；请把此消息反馈给软件维护人员。"))
        else:
            outcomes.append(ExportOutcome(kind, path, warning=getattr(data, "warning", "") or ""))
    return outcomes


def _extra(fn, **given) -> dict:
    """The keyword arguments among ``given`` that ``fn`` takes (a builder may take only the first three)."""
    try:
        params = inspect.signature(fn).parameters
    except (TypeError, ValueError):
        return {}
    if any(p.kind is inspect.Parameter.VAR_KEYWORD for p in params.values()):
        return given
    return {k: v for k, v in given.items() if k in params}
