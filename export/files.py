"""Export file names and safe writing.

``default_name`` gives the name a clerk expects (单位_年度_表名.扩展名), with
characters Windows forbids replaced and the unit name cut so that the temp
name ``write_file`` writes first (``.名称.xxxxxxxx.tmp``, 14 more) is at most
``MAX_NAME`` = 200: bytes of UTF-8 on Linux (a name there is at most 255 bytes,
and a Chinese character takes 3), characters (UTF-16 units) on Windows (255
per name) — so a unit name of 68 or 300 characters still exports.
``write_file`` writes through a temp file
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
MAX_NAME = 200  # bytes (Linux) or characters (Windows) of the temp name; module doc
TEMP_EXTRA = len(".") + len(".xxxxxxxx.tmp")  # what model.storage.atomic_write adds around the name
MAX_FILE_NAME = MAX_NAME - TEMP_EXTRA  # a finished file's name, extension included
_SHARING_VIOLATION = (32, 33)  # winerror: the file is open in another program (Excel/WPS)


class ExportError(Exception):
    """An export that failed; str() is the message for the clerk."""


def name_size(text: str) -> int:
    """How long the file system counts a name: UTF-8 bytes on Linux/macOS, UTF-16 units on Windows."""
    if os.name == "nt":
        return len(text.encode("utf-16-le")) // 2
    return len(text.encode("utf-8"))


def cut_name(text: str, size: int) -> str:
    """The longest start of ``text`` whose ``name_size`` is at most ``size``; never half a character."""
    if name_size(text) <= size:
        return text
    if size <= 0:
        return ""
    if os.name == "nt":
        return text.encode("utf-16-le")[: size * 2].decode("utf-16-le", "ignore")
    return text.encode("utf-8")[:size].decode("utf-8", "ignore")


def safe_filename(text: str, fallback: str = "未命名", limit: int = MAX_FILE_NAME) -> str:
    """A file name that Windows, macOS and Linux all accept, at most ``limit`` (see ``name_size``)."""
    name = _ILLEGAL.sub("_", text).strip().rstrip(". ")
    name = re.sub(r"\s+", " ", name)
    if not name:
        name = fallback
    if name.split(".")[0].upper() in _RESERVED:
        name = "_" + name
    return cut_name(name, limit).rstrip(". ") or cut_name(fallback, limit)


def form_stem(tpl: Template) -> str:
    """部门整体支出绩效自评表 → 部门整体支出绩效自评: one stem for the workbook, the PDF and the report."""
    title = (tpl.form_title or tpl.title).strip()
    for suffix in ("报告", "表"):
        if title.endswith(suffix) and len(title) > len(suffix):
            return title[: -len(suffix)]
    return title


def default_name(report: Report, tpl: Template, kind: str, ext: str | None = None, suffix: str = "") -> str:
    """e.g. 湘西自治州乡村振兴局_2021_部门整体支出绩效自评.xlsx (``suffix`` 审核: …_部门整体支出绩效自评_审核.xlsx)"""
    ext = (ext or KIND_EXT.get(kind, kind)).lstrip(".")
    unit = report.basic.department.strip() or "未填写单位"
    rest = "_".join(p for p in (str(report.fiscal_year or "").strip(), form_stem(tpl), suffix) if p)
    room = MAX_FILE_NAME - name_size(f".{ext}")
    # the unit name gives way first: year and form stay whole (cleaning below only shortens)
    unit = cut_name(unit, room - (name_size(f"_{rest}") if rest else 0)) or cut_name(unit, 1)
    stem = "_".join(p for p in (unit, rest) if p)
    return f"{safe_filename(stem, limit=room)}.{ext}"


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
    if code == errno.ENAMETOOLONG or name_size(name) > MAX_FILE_NAME:  # before is_dir: stat() fails on it
        return f"文件名“{name[:20]}…”太长，系统无法保存。请把文件名缩短到 {MAX_FILE_NAME if os.name == 'nt' else MAX_FILE_NAME // 3} 个汉字以内后重新导出。"
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
    if name_size(path.name) > MAX_FILE_NAME:  # its temp name would pass the system's 255 (and stat() fails on it)
        raise ExportError(_message(path, OSError(errno.ENAMETOOLONG, "File name too long"), True))
    if path.is_dir():
        raise ExportError(_message(path, IsADirectoryError(errno.EISDIR, "is a directory"), True))
    try:
        atomic_write(path, data, backup=False)
    except StorageError as e:
        cause = e.__context__ if isinstance(e.__context__, OSError) else None
        raise ExportError(_message(path, cause, _folder_writable(folder))) from None
    return path


def make_folder(folder: Path) -> str:
    """Create the export folder when it is missing; "" when it is there, else why it cannot be
    (the caller adds how to choose another: a button in the window, -o on the command line)."""
    if folder.exists() and not folder.is_dir():
        return f"“{folder}”是一个文件，不是文件夹"
    try:
        folder.mkdir(parents=True, exist_ok=True)
    except OSError as e:
        return f"无法创建导出文件夹“{folder}”：{e.strerror or e}"
    return ""
