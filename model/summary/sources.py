"""Where the reports of a 汇总 come from: files, folders and the .zip a township emails.

A folder gives every ``*.jxzp.json`` in it and below it (backups ``.bak`` and lock files are not
reports) and every ``.zip`` there; a zip gives its ``*.jxzp.json`` members, read in memory and
never unpacked to disk.  A zip is read within the limits a report file has (``storage.MAX_FILE_MB``
per member) and a few of its own, checked on the sizes the zip states and again while reading
(a zip can lie about them): what breaks a limit is refused with a message, the rest is read.
"""
from __future__ import annotations

import os
import zipfile
import zlib
from dataclasses import dataclass
from pathlib import Path

from ..storage import MAX_FILE_MB, SUFFIX

MAX_MEMBERS = 2000  # entries of one zip (a county has a few hundred units at most)
MAX_ZIP_MB = 500  # reports of one zip together, unpacked


class SourceError(Exception):
    """A file, folder or zip that cannot be read; str() is the message for the clerk."""


@dataclass(frozen=True)
class Source:
    """One report: a file, or a member of a zip (``member``) at ``path``."""
    path: Path
    member: str = ""  # the zip's own name of the member (what ``getinfo`` finds)
    shown: str = ""  # the member's name as the clerk named it (see ``_member_name``)

    @property
    def name(self) -> str:
        """As the 汇总 table shows it: the file name, or 压缩包 › 成员."""
        return f"{self.path.name} › {self.shown or self.member}" if self.member else self.path.name

    @property
    def writable(self) -> bool:
        """A review can be saved into it (not into a zip member: unpack the zip first)."""
        return not self.member


def is_report(name: str) -> bool:
    return name.lower().endswith(SUFFIX) and not Path(name).name.startswith(".")


def gather(paths) -> tuple[list[Source], list[str]]:
    """The reports in ``paths`` (files, folders, zips), each once, and what could not be read."""
    sources: list[Source] = []
    problems: list[str] = []
    for given in paths:
        path = Path(given)
        try:
            if path.is_dir():
                found = sorted(p for p in path.rglob("*") if p.is_file() and (is_report(p.name) or _is_zip(p)))
                if not found:
                    problems.append(f"文件夹“{path}”中没有报告文件（*{SUFFIX}）或压缩包（.zip）。")
                for p in found:
                    sources += zip_members(p) if _is_zip(p) else [Source(p)]
            elif _is_zip(path):
                sources += zip_members(path)
            elif path.is_file():
                sources.append(Source(path))
            else:
                problems.append(f"找不到“{path}”，请确认路径是否正确。")
        except SourceError as e:
            problems.append(str(e))
        except OSError as e:
            problems.append(f"无法读取“{path}”：{e.strerror or e}。请检查文件权限或网络连接。")
    seen: set = set()
    unique = []
    for s in sources:
        key = (os.path.normcase(str(s.path.resolve())), s.member)
        if key not in seen:
            seen.add(key)
            unique.append(s)
    return unique, problems


def _is_zip(path: Path) -> bool:
    return path.suffix.lower() == ".zip" and path.is_file()


def zip_members(path: Path) -> list[Source]:
    """The report members of a zip, after checking the limits on what the zip says of them."""
    try:
        with zipfile.ZipFile(path) as zf:
            infos = zf.infolist()
    except (zipfile.BadZipFile, OSError, ValueError) as e:
        raise SourceError(f"压缩包“{path.name}”无法打开（{e}），可能已损坏。请让报送单位重新发送。") from None
    if len(infos) > MAX_MEMBERS:
        raise SourceError(f"压缩包“{path.name}”有 {len(infos)} 个文件，超过上限 {MAX_MEMBERS}，不像是报告的压缩包。"
                          "请解压后只选其中的报告文件。")
    reports = [i for i in infos if not i.is_dir() and is_report(i.filename)]
    if not reports:
        raise SourceError(f"压缩包“{path.name}”中没有报告文件（*{SUFFIX}）。请确认报送单位发来的是本软件保存的报告。")
    if sum(i.file_size for i in reports) > MAX_ZIP_MB * 2**20:
        raise SourceError(f"压缩包“{path.name}”中的报告解压后超过 {MAX_ZIP_MB} MB，远超任何报告。请解压后逐个选择报告文件。")
    return [Source(path, i.filename, _member_name(i)) for i in reports]


def _member_name(info: zipfile.ZipInfo) -> str:
    """A member's name as it was on the sender's disk.  Zips made by Windows' 发送到 → 压缩文件 on a Chinese
    system store names in GBK without the UTF-8 flag; Python reads them as cp437 (“│╟╣╪╒“.jxzp.json”)."""
    if info.flag_bits & 0x800:
        return info.filename
    try:
        return info.filename.encode("cp437").decode("gb18030")
    except (UnicodeEncodeError, UnicodeDecodeError):
        return info.filename


def read(source: Source) -> bytes:
    """The bytes of a report; a zip member is read in memory, at most ``MAX_FILE_MB`` MB of it."""
    from ..storage import StorageError

    if not source.member:
        return source.path.read_bytes()  # storage checks the size before reading a file itself
    limit = MAX_FILE_MB * 2**20
    try:
        with zipfile.ZipFile(source.path) as zf:
            info = zf.getinfo(source.member)
            if info.flag_bits & 0x1:
                raise StorageError(f"“{source.name}”有密码，无法读取。请让报送单位发送不加密的压缩包。")
            if info.file_size > limit:
                raise StorageError(f"“{source.name}”有 {info.file_size / 2**20:.1f} MB，超过报告文件的上限 {MAX_FILE_MB} MB。")
            with zf.open(info) as fh:
                data = fh.read(limit + 1)
    except (zipfile.BadZipFile, zlib.error, KeyError, OSError, RuntimeError, ValueError, EOFError,
            NotImplementedError) as e:
        raise StorageError(f"无法从压缩包读取“{source.name}”（{e}）。请让报送单位重新发送。") from None
    if len(data) > limit:
        raise StorageError(f"“{source.name}”解压后超过报告文件的上限 {MAX_FILE_MB} MB，不是本软件保存的报告文件。")
    return data
