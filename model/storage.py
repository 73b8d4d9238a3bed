"""The report file (*.jxzp.json): documented, versioned JSON; atomic saves.

Format (see README “文件格式”): a UTF-8 JSON object
``{"format": "jxzp-report", "schema_version": N, "report": {...}}`` where the
report object mirrors ``model.report`` field by field, amounts are strings
("1482.43") so no float ever touches money, and missing fields take their
defaults.  Older versions are upgraded by ``model.migrations``; a damaged,
foreign or newer file raises StorageError with a Chinese message and nothing
on disk changes.
"""
from __future__ import annotations

import dataclasses
import functools
import json
import os
import tempfile
import types
import typing
from decimal import Decimal, InvalidOperation
from pathlib import Path

from . import migrations
from .report import Report

FORMAT = "jxzp-report"
SCHEMA_VERSION = migrations.CURRENT_VERSION
SUFFIX = ".jxzp.json"


class StorageError(Exception):
    """A file that cannot be read or written; str() is the message for the clerk."""


# ---------------------------------------------------------------- encoding

def to_data(obj):
    """Dataclass tree → JSON-ready data (Decimal → str)."""
    if dataclasses.is_dataclass(obj):
        return {f.name: to_data(getattr(obj, f.name)) for f in dataclasses.fields(obj)}
    if isinstance(obj, Decimal):
        return format(obj, "f")
    if isinstance(obj, list):
        return [to_data(v) for v in obj]
    if isinstance(obj, dict):
        return {str(k): to_data(v) for k, v in obj.items()}
    return obj


@functools.lru_cache(maxsize=None)
def _hints(cls) -> dict:
    """Resolved field types of a dataclass (resolving them is the slow part of opening a file)."""
    return typing.get_type_hints(cls)


def _strip_optional(tp):
    if typing.get_origin(tp) in (typing.Union, types.UnionType):
        args = [a for a in typing.get_args(tp) if a is not type(None)]
        return args[0], True
    return tp, False


def from_data(tp, data, path: str = "report"):
    """JSON data → instance of ``tp``; raises StorageError naming the field."""
    tp, optional = _strip_optional(tp)
    if data is None:
        if optional:
            return None
        raise StorageError(f"文件中“{path}”为空，但这里必须有值。")
    origin = typing.get_origin(tp)
    if dataclasses.is_dataclass(tp):
        if not isinstance(data, dict):
            raise StorageError(f"文件中“{path}”应是一组字段，实际是 {type(data).__name__}。")
        hints = _hints(tp)
        kwargs = {}
        for f in dataclasses.fields(tp):
            if f.name in data:
                kwargs[f.name] = from_data(hints[f.name], data[f.name], f"{path}.{f.name}")
            elif f.default is dataclasses.MISSING and f.default_factory is dataclasses.MISSING:
                raise StorageError(f"文件中“{path}”缺少必填项“{f.name}”，文件可能已损坏。请打开备份文件（.bak）。")
        return tp(**kwargs)
    if origin is list:
        if not isinstance(data, list):
            raise StorageError(f"文件中“{path}”应是列表。")
        (item,) = typing.get_args(tp)
        return [from_data(item, v, f"{path}[{i}]") for i, v in enumerate(data)]
    if origin is dict:
        if not isinstance(data, dict):
            raise StorageError(f"文件中“{path}”应是一组键值。")
        _, item = typing.get_args(tp)
        return {str(k): from_data(item, v, f"{path}.{k}") for k, v in data.items()}
    if tp is Decimal:
        if isinstance(data, bool) or not isinstance(data, (str, int)):
            raise StorageError(f"文件中“{path}”的金额/数值应写成字符串，如 \"1482.43\"。")
        try:
            value = Decimal(str(data))
        except InvalidOperation:
            raise StorageError(f"文件中“{path}”的值“{data}”不是数字。") from None
        if not value.is_finite():
            raise StorageError(f"文件中“{path}”的值“{data}”不是有限数字。")
        return value
    if tp is bool:
        if not isinstance(data, bool):
            raise StorageError(f"文件中“{path}”应是 true 或 false。")
        return data
    if tp is int:
        if isinstance(data, bool) or not isinstance(data, int):
            raise StorageError(f"文件中“{path}”应是整数。")
        return data
    if tp is str:
        if not isinstance(data, str):
            raise StorageError(f"文件中“{path}”应是文字。")
        return data
    raise StorageError(f"文件中“{path}”的类型无法识别。")  # pragma: no cover - schema bug


# ---------------------------------------------------------------- files

def dumps(report: Report) -> str:
    doc = {"format": FORMAT, "schema_version": SCHEMA_VERSION, "report": to_data(report)}
    return json.dumps(doc, ensure_ascii=False, indent=1, sort_keys=False) + "\n"


def loads(text: str, name: str = "文件") -> Report:
    try:
        doc = json.loads(text)
    except json.JSONDecodeError as e:
        raise StorageError(
            f"“{name}”已损坏或不完整（第 {e.lineno} 行第 {e.colno} 列无法解析）。"
            "请打开同一文件夹中的备份文件（.bak），或使用自动恢复的版本。"
        ) from None
    if not isinstance(doc, dict) or doc.get("format") != FORMAT:
        raise StorageError(f"“{name}”不是绩效自评填报助手的报告文件，请选择 *{SUFFIX} 文件。")
    version = doc.get("schema_version")
    if not isinstance(version, int) or isinstance(version, bool) or version < 1:
        raise StorageError(f"“{name}”缺少有效的版本号，无法打开。请选择其他文件或备份。")
    if version > SCHEMA_VERSION:
        raise StorageError(
            f"“{name}”由更新版本的软件保存（文件格式 {version}，本软件支持到 {SCHEMA_VERSION}），"
            "请升级本软件后再打开。"
        )
    data = migrations.upgrade(doc.get("report"), version)
    if not isinstance(data, dict):
        raise StorageError(f"“{name}”中没有报告内容，请选择其他文件或备份。")
    report = from_data(Report, data)
    _validate(report, name)
    return report


_CHOICES = {  # fields whose value must be one of a few words
    "display_unit": ("wan", "yuan"),
}
_ROW_CHOICES = {"nature": ("auto", "quantitative", "qualitative"), "comparator": ("", "≥", "≤", "=", ">=", "<=")}


def _validate(report: Report, name: str) -> None:
    """Values the file's shape allows but the program does not: refuse them now, not on first use."""
    for attr, allowed in _CHOICES.items():
        if getattr(report, attr) not in allowed:
            raise StorageError(f"“{name}”中 {attr} 的值“{getattr(report, attr)}”无效（应为 {'、'.join(allowed)}），文件可能已损坏。")
    for i, project in enumerate(report.projects):
        for j, row in enumerate(project.indicators):
            for attr, allowed in _ROW_CHOICES.items():
                if getattr(row, attr) not in allowed:
                    raise StorageError(f"“{name}”中第 {i + 1} 个项目第 {j + 1} 行指标的 {attr}“{getattr(row, attr)}”无效，文件可能已损坏。")
            if row.band is not None and row.band < 0:
                raise StorageError(f"“{name}”中第 {i + 1} 个项目第 {j + 1} 行指标的定性档次无效，文件可能已损坏。")


def load(path: str | os.PathLike) -> Report:
    path = Path(path)
    try:
        raw = path.read_bytes()
    except FileNotFoundError:
        raise StorageError(f"找不到文件“{path}”，请确认路径是否正确。") from None
    except OSError as e:
        raise StorageError(f"无法读取“{path}”：{e.strerror or e}。请检查文件权限。") from None
    try:
        text = raw.decode("utf-8-sig")
    except UnicodeDecodeError:
        raise StorageError(f"“{path.name}”不是 UTF-8 文本，不是本软件的报告文件。") from None
    return loads(text, path.name)


def atomic_write(path: str | os.PathLike, data: bytes, backup: bool = True) -> None:
    """Write ``data`` so that ``path`` is always the old or the new complete file.

    Temp file in the same folder, flush + fsync, previous version kept as
    ``<name>.bak``, then ``os.replace``.
    """
    path = Path(path)
    folder = path.parent if str(path.parent) else Path(".")
    temps: list[str] = []  # every temp file made here; all removed if anything fails

    def write_temp(prefix: str, content: bytes) -> str:
        fd, tmp = tempfile.mkstemp(prefix=prefix, suffix=".tmp", dir=folder)
        temps.append(tmp)
        os.chmod(tmp, _mode_for(path))
        with os.fdopen(fd, "wb") as fh:
            fh.write(content)
            fh.flush()
            os.fsync(fh.fileno())
        return tmp

    try:
        tmp = write_temp(f".{path.name}.", data)
        if backup and path.exists():
            bak = path.with_name(path.name + ".bak")
            # the backup is itself replaced atomically, from a copy of the old file
            tmpb = write_temp(f".{bak.name}.", path.read_bytes())
            os.replace(tmpb, bak)
            temps.remove(tmpb)
        os.replace(tmp, path)
        temps.remove(tmp)
        _fsync_dir(folder)
        _remove_stale_temps(folder, path.name)
    except OSError as e:
        for leftover in temps:
            try:
                os.unlink(leftover)
            except OSError:
                pass
        if isinstance(e, FileNotFoundError) and not folder.exists():
            raise StorageError(f"文件夹“{folder}”不存在，请选择其他位置保存。") from None
        raise StorageError(
            f"保存“{path.name}”失败：{e.strerror or e}。原文件未改动；请检查磁盘空间、文件是否被其他程序占用，"
            "或换个位置另存。"
        ) from None


def _remove_stale_temps(folder: Path, name: str) -> None:
    """Temp files left by a save that was killed (power cut) are removed by the next good save."""
    for stale in folder.glob(f".{name}.*.tmp"):
        try:
            stale.unlink()
        except OSError:
            pass


def _mode_for(path: Path) -> int:
    """Keep an existing file's permissions; new files get the usual 0666 minus umask."""
    try:
        return path.stat().st_mode & 0o777
    except OSError:
        umask = os.umask(0)
        os.umask(umask)
        return 0o666 & ~umask


def _fsync_dir(folder: Path) -> None:
    if os.name != "posix":
        return
    try:
        fd = os.open(folder, os.O_RDONLY)
    except OSError:
        return
    try:
        os.fsync(fd)
    finally:
        os.close(fd)


def save(report: Report, path: str | os.PathLike) -> None:
    atomic_write(path, dumps(report).encode("utf-8"))
