"""The report file (*.jxzp.json): documented, versioned JSON; atomic saves.

Format (see README “文件格式”): a UTF-8 JSON object
``{"format": "jxzp-report", "schema_version": N, "report": {...}}`` where the
report object mirrors ``model.report`` field by field, amounts are strings
("1482.43") so no float ever touches money, and missing fields take their
defaults.  Older versions are upgraded by ``model.migrations``; a damaged,
foreign or newer file raises StorageError with a Chinese message and nothing
on disk changes.

Limits, checked before the work (README “可靠性”): a file over ``MAX_FILE_MB``
MB or with more than ``MAX_CONTAINERS`` objects/lists is refused unread; JSON
nested deeper than ``MAX_DEPTH`` levels is refused (the report itself is under
ten levels); every amount must be within ±10¹⁵ 元 with at most 2 decimals,
every other number within ±10¹⁵ with at most 6 (``model.money``).
"""
from __future__ import annotations

import dataclasses
import functools
import json
import os
import tempfile
import time
import types
import typing
from decimal import Decimal, InvalidOperation
from pathlib import Path

from . import migrations
from .money import AMOUNT_PLACES, LIMIT_TEXT, MAX_ABS, MAX_TEXT, NUMBER_PLACES, limit_problem, unsigned_zero
from .report import Finance, FunctionalRow, FundsRow, PriorYear, Report, ThreePublic, UnitFinance

FORMAT = "jxzp-report"
SCHEMA_VERSION = migrations.CURRENT_VERSION
SUFFIX = ".jxzp.json"
MAX_FILE_MB = 50  # the 500-project report is about 5 MB
MAX_CONTAINERS = 1_000_000  # objects + lists (the 500-project report has about 60,000)
MAX_DEPTH = 64  # nesting levels (the report has 7)
# every Decimal field of these is money (元, 2 decimals); other Decimals are rates, scores, counts (6 decimals)
_MONEY_TYPES = (UnitFinance, ThreePublic, FunctionalRow, PriorYear, Finance, FundsRow)
_DAMAGED = "文件可能已损坏或被改动，请打开同一文件夹中的备份文件（.bak），或使用自动恢复的版本。"


class StorageError(Exception):
    """A file that cannot be read or written; str() is the message for the clerk."""


# ---------------------------------------------------------------- encoding

def to_data(obj):
    """Dataclass tree → JSON-ready data (Decimal → str)."""
    if dataclasses.is_dataclass(obj):
        return {f.name: to_data(getattr(obj, f.name)) for f in dataclasses.fields(obj)}
    if isinstance(obj, Decimal):
        return format(unsigned_zero(obj), "f")
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


def from_data(tp, data, path: str = "report", places: int = NUMBER_PLACES):
    """JSON data → instance of ``tp``; raises StorageError naming the field.

    ``places``: decimals a Decimal here may have (2 for the money fields of ``_MONEY_TYPES``).
    """
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
        field_places = AMOUNT_PLACES if tp in _MONEY_TYPES else NUMBER_PLACES
        for f in dataclasses.fields(tp):
            if f.name in data:
                kwargs[f.name] = from_data(hints[f.name], data[f.name], f"{path}.{f.name}", field_places)
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
        text = str(data)
        if len(text) > MAX_TEXT:
            raise StorageError(f"文件中“{path}”的值“{text[:20]}…”有 {len(text)} 个字符，不是范围内的数字"
                               f"（绝对值不超过 {LIMIT_TEXT}）。{_DAMAGED}")
        try:
            value = Decimal(text)
        except InvalidOperation:
            raise StorageError(f"文件中“{path}”的值“{data}”不是数字。") from None
        if not value.is_finite():
            raise StorageError(f"文件中“{path}”的值“{data}”不是有限数字。")
        problem = limit_problem(value, places, typed=False)
        if problem:
            what = "金额" if places == AMOUNT_PLACES else "数值"
            raise StorageError(f"文件中“{path}”的{what}“{data}”{problem}。{_DAMAGED}")
        return unsigned_zero(value)
    if tp is bool:
        if not isinstance(data, bool):
            raise StorageError(f"文件中“{path}”应是 true 或 false。")
        return data
    if tp is int:
        if isinstance(data, bool) or not isinstance(data, int):
            raise StorageError(f"文件中“{path}”应是整数。")
        if abs(data) > MAX_ABS:
            raise StorageError(f"文件中“{path}”的整数超出范围：绝对值不能超过 {LIMIT_TEXT}。{_DAMAGED}")
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


def _too_big(name: str, size: int) -> StorageError:
    return StorageError(
        f"“{name}”有 {size / 2**20:.1f} MB，超过报告文件的上限 {MAX_FILE_MB} MB（500 个项目的报告也只有约 5 MB），"
        "不是本软件保存的报告文件。请选择正确的文件，或打开同一文件夹中的备份文件（.bak）。")


def _deeper_than(doc, limit: int) -> bool:
    """Whether JSON data nests more than ``limit`` levels (iterative: no recursion on hostile data)."""
    if not isinstance(doc, (dict, list)):
        return False
    stack = [(doc, 1)]
    while stack:
        node, depth = stack.pop()
        if depth > limit:
            return True
        for value in node.values() if isinstance(node, dict) else node:
            if isinstance(value, (dict, list)):
                stack.append((value, depth + 1))
    return False


def parse_json(text: str, name: str = "文件"):
    """``json.loads`` within the limits (size, number of objects, depth); StorageError in Chinese otherwise."""
    if len(text) > MAX_FILE_MB * 2**20:
        raise _too_big(name, len(text.encode("utf-8", "surrogatepass")))
    if text.count("{") + text.count("[") > MAX_CONTAINERS:  # counts brackets inside texts too: an upper bound
        raise StorageError(
            f"“{name}”包含超过 {MAX_CONTAINERS:,} 组数据，远超任何报告，不是本软件保存的报告文件。"
            "请选择正确的文件，或打开同一文件夹中的备份文件（.bak）。")
    deep = StorageError(
        f"“{name}”的内容嵌套超过 {MAX_DEPTH} 层（本软件的报告只有几层），不是本软件保存的报告文件，"
        "也可能已损坏。请打开同一文件夹中的备份文件（.bak），或使用自动恢复的版本。")
    try:
        doc = json.loads(text)
    except json.JSONDecodeError as e:
        raise StorageError(
            f"“{name}”已损坏或不完整（第 {e.lineno} 行第 {e.colno} 列无法解析）。"
            "请打开同一文件夹中的备份文件（.bak），或使用自动恢复的版本。"
        ) from None
    except RecursionError:  # the C scanner's own guard, far below any stack limit
        raise deep from None
    except ValueError:  # an integer of thousands of digits (Python's int-from-text limit)
        raise StorageError(f"“{name}”中有位数过多的数字，不是本软件保存的报告文件。{_DAMAGED}") from None
    if _deeper_than(doc, MAX_DEPTH):
        raise deep
    return doc


def loads(text: str, name: str = "文件") -> Report:
    doc = parse_json(text, name)
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
        size = path.stat().st_size
        if size > MAX_FILE_MB * 2**20:  # refused unread
            raise _too_big(path.name, size)
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
    ``<name>.bak``, then ``os.replace``.  Windows (issue #13): a name Windows cannot hold (CON, ':',
    a trailing dot) is refused before anything is written; a replace refused because another program
    has the file open (Excel/WPS, an antivirus or a sync client for a moment) is retried for about a
    second, then explained, as are a read-only file and a path over 260 characters.
    """
    path = Path(path)
    folder = path.parent if str(path.parent) else Path(".")
    if os.name == "nt" and (problem := _windows_name_problem(path.name)):
        raise StorageError(f"文件名“{path.name}”在 Windows 上不能使用：{problem}。请换一个文件名。")
    if os.name == "nt" and path.is_file() and not os.access(path, os.W_OK):
        raise StorageError(f"保存“{path.name}”失败：该文件是只读的。原文件未改动；请在文件“属性”中取消“只读”，"
                           "或另存为其他文件名。")
    temps: list[str] = []  # every temp file made here; all removed if anything fails

    def write_temp(prefix: str, content: bytes) -> str:
        fd, tmp = tempfile.mkstemp(prefix=prefix, suffix=".tmp", dir=folder)
        temps.append(tmp)
        if os.name != "nt":  # on Windows chmod only sets “read-only”, which would stop the replace
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
            tmpb = write_temp(f".{bak.name}.", _retry(path.read_bytes))
            _retry(os.replace, tmpb, bak)
            temps.remove(tmpb)
        _retry(os.replace, tmp, path)
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
        if os.name == "nt" and len(str(path.absolute())) + 20 >= 260:  # + “.bak” and the temp file's suffix
            raise StorageError(
                f"保存“{path.name}”失败：路径有 {len(str(path.absolute()))} 个字符，超过 Windows 的 260 个字符限制。"
                "原文件未改动；请保存到路径较短的文件夹（如 D:\\绩效自评），或缩短文件名。") from None
        if os.name == "nt" and isinstance(e, PermissionError):
            raise StorageError(f"保存“{path.name}”失败：文件正被其他程序占用（如 Excel/WPS、杀毒软件或网盘同步）。"
                               "原文件未改动；请关闭占用它的程序后再保存，或另存为其他文件名。") from None
        raise StorageError(
            f"保存“{path.name}”失败：{e.strerror or e}。原文件未改动；请检查磁盘空间、文件是否被其他程序占用，"
            "或换个位置另存。"
        ) from None


_WINDOWS_DEVICES = {"CON", "PRN", "AUX", "NUL", *(f"COM{i}" for i in range(1, 10)), *(f"LPT{i}" for i in range(1, 10))}


def _windows_name_problem(name: str) -> str:
    """Why Windows cannot hold a file called ``name`` (empty when it can)."""
    bad = sorted({ch for ch in name if ch in '<>:"/\\|?*' or ord(ch) < 32})
    if bad:
        return "含有 Windows 文件名不允许的字符 " + " ".join(repr(ch)[1:-1] for ch in bad)
    if name.rstrip(". ") != name:
        return "末尾的点或空格会被 Windows 去掉，保存的将是另一个文件"
    if name.split(".")[0].rstrip(" ").upper() in _WINDOWS_DEVICES:
        return f"“{name.split('.')[0]}”是 Windows 保留的设备名"
    return ""


def _retry(func, *args):
    """``func(*args)``; on Windows retried for about a second while another program holds the file open."""
    for attempt in range(10):
        try:
            return func(*args)
        except PermissionError:
            if os.name != "nt" or attempt == 9:
                raise
            time.sleep(0.1)


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


def save(report: Report, path: str | os.PathLike) -> "Fingerprint":
    """Write the report atomically; returns the fingerprint of exactly what was written."""
    return save_with_content(report, path)[0]


def save_with_content(report: Report, path: str | os.PathLike) -> "tuple[Fingerprint, bytes]":
    """``save``, also returning the bytes written (a window keeps them to tell later who changed what)."""
    data = dumps(report).encode("utf-8")
    atomic_write(path, data)
    return Fingerprint.of_bytes(data, path), data


# ---------------------------------------------------------------- who else wrote the file
# A window remembers the fingerprint of the file it read (and of each file it saved);
# before saving over it again it compares, so a save by another window, another PC on
# a shared folder or a command (import-final, roll-forward) is never silently undone.

@dataclasses.dataclass(frozen=True)
class Fingerprint:
    """Size, modification time and SHA-256 of a file's bytes.  Only the hash decides “changed”:
    a shared folder may keep coarse times and an edit may keep the size."""
    size: int
    mtime_ns: int
    sha256: str

    @classmethod
    def of(cls, path: str | os.PathLike) -> "Fingerprint | None":
        """The file as it is now; None when there is no such file."""
        import hashlib

        path = Path(path)
        try:
            with open(path, "rb") as fh:
                st = os.fstat(fh.fileno())
                digest = hashlib.sha256()
                for chunk in iter(lambda: fh.read(1 << 20), b""):
                    digest.update(chunk)
        except FileNotFoundError:
            return None
        except OSError as e:
            raise StorageError(f"无法读取“{path}”：{e.strerror or e}。请检查文件权限或网络连接后重试。") from None
        return cls(st.st_size, st.st_mtime_ns, digest.hexdigest())

    @classmethod
    def of_bytes(cls, data: bytes, path: str | os.PathLike | None = None) -> "Fingerprint":
        """The fingerprint of ``data`` (just written to ``path``, whose time is taken if it exists)."""
        import hashlib

        mtime = 0
        if path is not None:
            try:
                mtime = os.stat(path).st_mtime_ns
            except OSError:
                pass
        return cls(len(data), mtime, hashlib.sha256(data).hexdigest())

    def same_content(self, other: "Fingerprint | None") -> bool:
        return other is not None and other.sha256 == self.sha256

    def to_json(self) -> dict:
        return {"size": self.size, "mtime_ns": self.mtime_ns, "sha256": self.sha256}

    @classmethod
    def from_json(cls, data) -> "Fingerprint | None":
        try:
            return cls(int(data["size"]), int(data["mtime_ns"]), str(data["sha256"]))
        except (TypeError, KeyError, ValueError):
            return None


def changed_on_disk(known: "Fingerprint | None", path: str | os.PathLike) -> "Fingerprint | None":
    """The file's current fingerprint if it differs from ``known`` (the version we read or wrote), else None.

    A file that is gone is not “changed” (saving recreates it); a file that appeared where
    there was none is.
    """
    current = Fingerprint.of(path)
    if current is None:
        return None
    if known is not None and known.same_content(current):
        return None
    return current


class FileChangedError(StorageError):
    """The file on disk is not the version this window read: saving would undo someone else's save."""

    def __init__(self, path: str | os.PathLike, current: "Fingerprint | None" = None):
        self.path = Path(path)
        self.current = current
        super().__init__(
            f"“{self.path.name}”在您打开之后已被修改（另一个窗口、另一台电脑或导入命令保存过它），"
            "为免覆盖对方的修改，本次没有保存。请另存为其他文件，或重新打开该文件后再修改。")


_MISSING = object()


def diff(a, b) -> list[tuple[str, object, object]]:
    """Fields that differ between two reports: ``[(path, ours, theirs), …]``.

    ``a``/``b`` are Reports or their ``to_data`` trees.  Paths are edit paths
    (``basic.contact_person``, ``projects[1].indicators[0].actual``; see
    ``model.field_labels.label`` for the Chinese name).  Values are as saved
    (amounts as strings); a list item only one side has is one row whose other
    side is None.
    """
    a = to_data(a) if dataclasses.is_dataclass(a) else a
    b = to_data(b) if dataclasses.is_dataclass(b) else b
    out: list[tuple[str, object, object]] = []
    _diff(a, b, "", out)
    return out


def _is_empty(value) -> bool:
    # False: an unset flag (IndicatorAnswer.not_applicable) of an answer created empty is no difference
    return value is None or value is _MISSING or value is False or value == "" or value == [] or value == {}


def _diff(x, y, path: str, out: list) -> None:
    if x == y:
        return
    if isinstance(x, dict) or isinstance(y, dict):
        if (x is _MISSING or x is None) and isinstance(y, dict) or (y is _MISSING or y is None) and isinstance(x, dict):
            # a keyed entry one side lacks (an indicator answer): its filled-in fields differ
            x = x if isinstance(x, dict) else {}
            y = y if isinstance(y, dict) else {}
        if isinstance(x, dict) and isinstance(y, dict):
            for key in list(x) + [k for k in y if k not in x]:
                xv, yv = x.get(key, _MISSING), y.get(key, _MISSING)
                if _is_empty(xv) and _is_empty(yv):
                    continue
                _diff(xv, yv, f"{path}.{key}" if path else str(key), out)
            return
    if isinstance(x, list) and isinstance(y, list) and any(isinstance(v, dict) for v in x + y):
        for i in range(max(len(x), len(y))):
            xv = x[i] if i < len(x) else None
            yv = y[i] if i < len(y) else None
            if xv is None or yv is None:
                out.append((f"{path}[{i}]", xv, yv))  # an item only one side has: one row
            else:
                _diff(xv, yv, f"{path}[{i}]", out)
        return
    out.append((path, None if x is _MISSING else x, None if y is _MISSING else y))


BASE_MAX_BYTES = 64 * 2**20  # larger files are fingerprinted without keeping their bytes


def load_with_fingerprint(path: str | os.PathLike) -> "tuple[Report, Fingerprint | None, bytes | None]":
    """``load`` plus the fingerprint and bytes of the file, both taken *before* reading it: should the
    file change in between, the next save asks rather than overwrite (never the reverse)."""
    path = Path(path)
    raw = None
    try:
        if path.stat().st_size <= BASE_MAX_BYTES:
            raw = path.read_bytes()
    except OSError:
        raw = None  # load() says what is wrong
    known = Fingerprint.of_bytes(raw, path) if raw is not None else Fingerprint.of(path)
    return load(path), known, raw


def content_data(raw: bytes | None):
    """The ``to_data`` tree of a report file's bytes, or None when they are not a readable report."""
    if raw is None:
        return None
    try:
        return to_data(loads(raw.decode("utf-8-sig")))
    except (StorageError, UnicodeDecodeError, RecursionError, ValueError):
        return None
