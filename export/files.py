"""Export file names and safe writing.

``default_name`` gives the name a clerk expects (单位_年度_表名.扩展名), with
characters Windows forbids replaced.  ``write_file`` writes through a temp file
in the target folder and ``os.replace`` (``model.storage.atomic_write``), so the
target is either the old file or the complete new one, and turns every failure
into an ExportError whose message says, in Chinese, what to do.
"""
from __future__ import annotations

import errno
import os
import re
import tempfile
from pathlib import Path

from model.report import Report
from model.storage import StorageError, atomic_write
from model.templates import Template

KIND_EXT = {"xlsx": "xlsx", "pdf": "pdf", "docx": "docx"}
_ILLEGAL = re.compile(r'[<>:"/\\|?*\x00-\x1f]')
_RESERVED = {"CON", "PRN", "AUX", "NUL", *(f"COM{i}" for i in range(1, 10)), *(f"LPT{i}" for i in range(1, 10))}
MAX_STEM = 120  # characters; Windows paths stay well under 260 in ordinary folders
_SHARING_VIOLATION = (32, 33)  # winerror: the file is open in another program (Excel/WPS)


class ExportError(Exception):
    """An export that failed; str() is the message for the clerk."""


def safe_filename(text: str, fallback: str = "未命名") -> str:
    """A file name that Windows, macOS and Linux all accept."""
    name = _ILLEGAL.sub("_", text).strip().rstrip(". ")
    name = re.sub(r"\s+", " ", name)
    if not name:
        name = fallback
    if name.split(".")[0].upper() in _RESERVED:
        name = "_" + name
    return name[:MAX_STEM]


def form_stem(tpl: Template) -> str:
    """部门整体支出绩效自评表 → 部门整体支出绩效自评: one stem for the workbook, the PDF and the report."""
    title = (tpl.form_title or tpl.title).strip()
    for suffix in ("报告", "表"):
        if title.endswith(suffix) and len(title) > len(suffix):
            return title[: -len(suffix)]
    return title


def default_name(report: Report, tpl: Template, kind: str, ext: str | None = None) -> str:
    """e.g. 湘西自治州乡村振兴局_2021_部门整体支出绩效自评.xlsx"""
    ext = (ext or KIND_EXT.get(kind, kind)).lstrip(".")
    parts = [report.basic.department.strip() or "未填写单位", str(report.fiscal_year or "").strip(), form_stem(tpl)]
    stem = "_".join(p for p in parts if p)
    return f"{safe_filename(stem)}.{ext}"


def _folder_writable(folder: Path) -> bool:
    try:
        with tempfile.TemporaryFile(dir=folder):
            return True
    except OSError:
        return False


def _message(path: Path, err: OSError | None, folder_ok: bool) -> str:
    name, folder = path.name, path.parent
    code = getattr(err, "errno", None)
    if code in (errno.ENOSPC, getattr(errno, "EDQUOT", -1)):
        return f"磁盘空间不足，无法写入“{name}”。请清理磁盘空间或换一个文件夹后重新导出。"
    if code == errno.EROFS:
        return f"文件夹“{folder}”所在的磁盘是只读的，无法写入“{name}”。请换一个文件夹导出。"
    if isinstance(err, IsADirectoryError) or path.is_dir():
        return f"“{path}”是一个文件夹，不能用作导出文件名。请换一个名称或位置。"
    locked = getattr(err, "winerror", None) in _SHARING_VIOLATION or isinstance(err, PermissionError)
    if not folder_ok:
        return f"没有权限在文件夹“{folder}”中写入文件。请换一个有写入权限的文件夹（如“文档”或桌面）后重新导出。"
    if locked:
        return f"文件“{name}”正被其他程序（如 Excel/WPS）打开，请关闭后重新导出。"
    detail = (err.strerror if err is not None and err.strerror else str(err)) if err is not None else "未知错误"
    return f"写入“{name}”失败：{detail}。原文件未改动；请检查磁盘空间或换个位置重新导出。"


def write_file(path: str | os.PathLike, data: bytes) -> Path:
    """Write ``data`` to ``path`` atomically; raise ExportError with a Chinese message on failure.

    Nothing is left half-written: a failed write leaves no temp file and an existing target untouched.
    """
    path = Path(path)
    folder = path.parent if str(path.parent) else Path(".")
    if not folder.is_dir():
        raise ExportError(f"导出文件夹“{folder}”不存在，请先创建它或选择其他文件夹。")
    if path.is_dir():
        raise ExportError(_message(path, IsADirectoryError(errno.EISDIR, "is a directory"), True))
    try:
        atomic_write(path, data, backup=False)
    except StorageError as e:
        cause = e.__context__ if isinstance(e.__context__, OSError) else None
        raise ExportError(_message(path, cause, _folder_writable(folder))) from None
    return path
