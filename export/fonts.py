"""Chinese fonts for the PDF (and the face names the Word file asks for).

Found at run time, never shipped from Windows: on Windows the system 宋体
(simsun.ttc, subfont 0), 黑体 (simhei.ttf), 仿宋 (simfang.ttf), 楷体 (simkai.ttf),
also per-user fonts in ``%LOCALAPPDATA%\\Microsoft\\Windows\\Fonts``; on Linux
the same files if a clerk copied them, the CESI 国标 fonts of 麒麟/统信, or common
TrueType CJK fonts (AR PL UMing for a 宋体 look, AR PL UKai for 楷体, WenQuanYi);
else the bundled WenQuanYi Micro Hei (``resources/fonts``) for every role.

Only TrueType-outline fonts are used (reportlab ``TTFont``: embedded and
subset).  The unembedded CID font STSong-Light is never used.  A character the
role's font lacks is drawn with another registered font that has it (per
character, as ``<font name=…>`` in Paragraph markup); a character no font has is
drawn as “〓” and reported, never printed blank silently.

Roles: ``song`` body and tables, ``hei`` titles and headings, ``fang`` narrative
body (公文 仿宋), ``kai`` second-level headings (楷体), ``title`` the report title
(方正小标宋 when installed, else 黑体).
"""
from __future__ import annotations

import os
import struct
import sys
import threading
import unicodedata
from dataclasses import dataclass
from pathlib import Path
from typing import Iterable, Optional
from xml.sax.saxutils import escape

from model.paths import resources_dir

ROLES = ("song", "hei", "fang", "kai", "title")
_REGISTERED: dict[str, str] = {}  # reportlab font name → file, for this process
IDEOGRAPHIC_SPACE, NBSP = "\u3000", "\u00a0"
PLACEHOLDER = "〓"  # printed where no font has the character (the 印刷 “geta” mark)
BUNDLED_FILE = "wqy-microhei.ttc"


@dataclass(frozen=True)
class Candidate:
    """A font file worth trying for a role: file names (matched case-insensitively) and the subfont.

    ``psname``: for a .ttc, the PostScript name of the wanted face (e.g. UMingCN); else ``subfont``.
    ``docx``: the face name Word/WPS knows this font by, when it is a Windows-named font.
    """
    files: tuple[str, ...]
    subfont: int = 0
    psname: str = ""
    docx: str = ""


# Best first.  Windows names first (a clerk's Linux box may have them copied in), then
# the CESI 国标 fonts shipped with 麒麟/统信, then free look-alikes.
CANDIDATES: dict[str, tuple[Candidate, ...]] = {
    "song": (
        Candidate(("simsun.ttc",), 0, docx="宋体"),
        Candidate(("simsun.ttf",), docx="宋体"),
        Candidate(("CESI_SS_GB2312.TTF", "CESI_SS_GB18030.TTF"), docx="宋体"),
        Candidate(("FZSSK.TTF", "FZSSJW.TTF"), docx="宋体"),
        Candidate(("uming.ttc",), psname="UMingCN"),
        Candidate(("gbsn00lp.ttf",)),
    ),
    "hei": (
        Candidate(("simhei.ttf",), docx="黑体"),
        Candidate(("CESI_HT_GB2312.TTF", "CESI_HT_GB18030.TTF"), docx="黑体"),
        Candidate(("FZHTK.TTF", "FZHTJW.TTF"), docx="黑体"),
        Candidate(("wqy-microhei.ttc",), 0),
        Candidate(("wqy-zenhei.ttc",), 0),
        Candidate(("msyh.ttc",), 0, docx="黑体"),
    ),
    "fang": (
        Candidate(("仿宋_GB2312.ttf", "FS_GB2312.ttf", "SIMFANG_GB2312.TTF"), docx="仿宋_GB2312"),
        Candidate(("simfang.ttf",), docx="仿宋"),
        Candidate(("CESI_FS_GB2312.TTF", "CESI_FS_GB18030.TTF"), docx="仿宋"),
        Candidate(("FZFSK.TTF", "FZFSJW.TTF"), docx="仿宋"),
        # no 仿宋 on a plain Linux box: a Song face is the closest look
        Candidate(("uming.ttc",), psname="UMingCN"),
        Candidate(("gbsn00lp.ttf",)),
    ),
    "kai": (
        Candidate(("楷体_GB2312.ttf", "KT_GB2312.ttf", "SIMKAI_GB2312.TTF"), docx="楷体_GB2312"),
        Candidate(("simkai.ttf",), docx="楷体"),
        Candidate(("CESI_KT_GB2312.TTF", "CESI_KT_GB18030.TTF"), docx="楷体"),
        Candidate(("FZKTK.TTF", "FZKTJW.TTF"), docx="楷体"),
        Candidate(("ukai.ttc",), psname="UKaiCN"),
        Candidate(("gkai00mp.ttf",)),
    ),
    "title": (
        Candidate(("FZXBSJW.TTF", "方正小标宋简体.ttf", "FZXBSK.TTF", "方正小标宋_GBK.ttf"), docx="方正小标宋简体"),
        Candidate(("CESI_XBS_GB2312.TTF", "CESI_XBS_GB18030.TTF"), docx="方正小标宋简体"),
    ),
}
# When a role has none of its own: the role it borrows from (then the bundled font).
BORROW = {"fang": "song", "kai": "fang", "title": "hei", "song": None, "hei": None}
# Used only for characters the role fonts lack (symbols, rare characters).
EXTRA_FALLBACKS = (
    Candidate(("wqy-zenhei.ttc",), 0),
    Candidate(("DroidSansFallbackFull.ttf", "DroidSansFallback.ttf")),
    Candidate(("uming.ttc",), psname="UMingCN"),
    Candidate(("simsunb.ttf",)),  # 宋体 ExtB on Windows
    Candidate(("DejaVuSans.ttf",)),
    Candidate(("seguisym.ttf",)),
)
# Face names written into the Word file when the machine has no Windows-named font.
DOCX_DEFAULT = {"song": "宋体", "hei": "黑体", "fang": "仿宋", "kai": "楷体", "title": "黑体"}
SAMPLE = "国家财政预算绩效评价0123456789年月日第页共"  # a role font must have all of these


WINDOWS: Optional[bool] = None  # None: as sys.platform says; tests set True to try the Windows font folders on Linux


def windows_font_dirs() -> list[Path]:
    """``%WINDIR%\\Fonts`` (宋体/黑体/仿宋/楷体 live there), then the per-user ``%LOCALAPPDATA%\\Microsoft\\Windows\\Fonts``
    (fonts a clerk installed “for me only”, e.g. 仿宋_GB2312 without administrator rights)."""
    windir = os.environ.get("WINDIR") or os.environ.get("SystemRoot") or r"C:\Windows"
    dirs = [Path(windir) / "Fonts"]
    local = os.environ.get("LOCALAPPDATA")
    if local:
        dirs.append(Path(local) / "Microsoft" / "Windows" / "Fonts")
    return dirs


def font_dirs() -> list[Path]:
    """Where system and user fonts live on this machine, most specific first."""
    dirs: list[Path] = []
    if sys.platform.startswith("win") if WINDOWS is None else WINDOWS:
        dirs += windows_font_dirs()
    elif sys.platform == "darwin":
        dirs += [Path.home() / "Library/Fonts", Path("/Library/Fonts"), Path("/System/Library/Fonts")]
    else:
        data_home = os.environ.get("XDG_DATA_HOME") or str(Path.home() / ".local/share")
        dirs += [Path(data_home) / "fonts", Path.home() / ".fonts"]
        for d in (os.environ.get("XDG_DATA_DIRS") or "/usr/local/share:/usr/share").split(":"):
            if d:
                dirs.append(Path(d) / "fonts")
        dirs += [Path("/usr/share/fonts"), Path("/usr/local/share/fonts"), Path("/opt/kingsoft/wps-office/office6/fonts")]
    out, seen = [], set()
    for d in dirs:
        key = str(d)
        if key not in seen:
            seen.add(key)
            out.append(d)
    return out


def index_files(dirs: Iterable[Path]) -> dict[str, Path]:
    """Lower-case file name → first path found (font files only)."""
    found: dict[str, Path] = {}
    for d in dirs:
        if not d.is_dir():
            continue
        for root, _subdirs, names in os.walk(d):
            for name in names:
                low = name.lower()
                if low.endswith((".ttf", ".ttc")) and low not in found:
                    found[low] = Path(root) / name
    return found


@dataclass
class LoadedFont:
    name: str  # reportlab registration name
    path: Path
    subfont: int
    cmap: frozenset  # code points with a glyph
    docx: str = ""

    def has(self, ch: str) -> bool:
        return ord(ch) in self.cmap

    @property
    def plain(self) -> frozenset:
        """Characters this font draws that markup passes through as they are (a set of str, made once).

        A text made only of these needs no fallback and no rewriting, so it is checked with one set
        operation instead of character by character.  Line breaks and the full-width space are left
        out: markup rewrites them.
        """
        chars = self.__dict__.get("_plain")
        if chars is None:
            chars = self.__dict__["_plain"] = frozenset(map(chr, self.cmap)) - {"\n", "\r", IDEOGRAPHIC_SPACE}
        return chars


def _ignorable(ch: str) -> bool:
    """Characters that need no glyph (line breaks, controls, zero-width marks)."""
    return ch in "\n\r\t" or unicodedata.category(ch) in ("Cc", "Cf")


class FontSet:
    """The fonts of one export run: a font per role plus per-character fallbacks."""

    def __init__(self, search_dirs: Optional[Iterable[Path]] = None, bundled: Optional[Path] = None):
        self._lock = threading.RLock()
        self.files = index_files(font_dirs() if search_dirs is None else search_dirs)
        self.bundled_path = bundled or (resources_dir() / "fonts" / BUNDLED_FILE)
        self._loaded: dict[tuple[str, int], LoadedFont] = {}
        self._failed: set[tuple[str, int]] = set()
        self.roles: dict[str, LoadedFont] = {}
        self.docx_faces: dict[str, str] = {}
        self._extras_done = False
        self._extras: list[LoadedFont] = []
        self._nbsp: dict[str, int] = {}
        self._resolve_roles()

    # ------------------------------------------------------------ loading

    def _load(self, path: Path, subfont: int = 0, psname: str = "", docx: str = "") -> Optional[LoadedFont]:
        """Register one TrueType font with reportlab (once); None when unusable (CFF, broken)."""
        from reportlab.pdfbase import pdfmetrics
        from reportlab.pdfbase.ttfonts import TTFError, TTFont

        indexes = [subfont]
        if psname and str(path).lower().endswith(".ttc"):
            indexes = list(range(0, 16))
        for idx in indexes:
            key = (str(path), idx)
            if key in self._loaded:
                font = self._loaded[key]
                if not psname or font.name.endswith(psname):
                    return font
                continue
            if key in self._failed:
                continue
            try:
                name = f"jx-{path.stem}-{idx}"
                tt = TTFont(name, str(path), subfontIndex=idx)
            except TTFError as e:
                self._failed.add(key)
                if "subfontIndex" in str(e):
                    break  # past the last face of the collection
                continue
            except (OSError, ValueError, KeyError, IndexError, struct.error):
                self._failed.add(key)
                continue
            face_name = tt.face.name.decode("latin-1") if isinstance(tt.face.name, bytes) else str(tt.face.name)
            if psname:
                name = f"jx-{path.stem}-{idx}-{face_name}"
                tt.fontName = name
            owner = _REGISTERED.setdefault(name, str(path))
            if owner != str(path):  # same file name elsewhere (e.g. system and bundled copy)
                name = f"{name}-{len(_REGISTERED)}"
                tt.fontName = name
                _REGISTERED[name] = str(path)
            if name not in pdfmetrics.getRegisteredFontNames():
                pdfmetrics.registerFont(tt)
            font = LoadedFont(name, path, idx, frozenset(tt.face.charToGlyph), docx)
            self._loaded[key] = font
            if not psname or face_name == psname:
                return font
        return None

    def _candidate(self, cand: Candidate) -> Optional[LoadedFont]:
        for fname in cand.files:
            path = self.files.get(fname.lower())
            if path is None:
                continue
            font = self._load(path, cand.subfont, cand.psname, cand.docx)
            if font and all(font.has(c) for c in SAMPLE):
                return font
        return None

    def _resolve_roles(self) -> None:
        bundled = self._load(self.bundled_path, 0) if self.bundled_path.is_file() else None
        for role in ("song", "hei", "fang", "kai", "title"):
            font = None
            for cand in CANDIDATES[role]:
                font = self._candidate(cand)
                if font:
                    break
            if font is None and BORROW[role]:
                font = self.roles.get(BORROW[role])
            if font is None:
                font = bundled
            if font is None:  # no bundled file either (a broken install): any usable font at all
                for cand in (c for r in ROLES for c in CANDIDATES[r]):
                    font = self._candidate(cand)
                    if font:
                        break
            if font is None:
                raise FontError("找不到可用的中文字体：软件自带的字体文件 resources/fonts/"
                                f"{BUNDLED_FILE} 缺失。请重新安装本软件。")
            self.roles[role] = font
            self.docx_faces[role] = font.docx or DOCX_DEFAULT[role]
        if self.docx_faces["title"] not in ("方正小标宋简体",):
            self.docx_faces["title"] = self.docx_faces["hei"]
        self._bundled = bundled

    def _fallbacks(self) -> list[LoadedFont]:
        """Every font a missing character may come from, in order (role fonts, bundled, extras)."""
        order: list[LoadedFont] = []
        for f in (*self.roles.values(), self._bundled):
            if f is not None and f not in order:
                order.append(f)
        return order

    def _load_extras(self) -> None:
        if self._extras_done:
            return
        self._extras_done = True
        for cand in EXTRA_FALLBACKS:
            for fname in cand.files:
                path = self.files.get(fname.lower())
                if path is not None:
                    font = self._load(path, cand.subfont, cand.psname)
                    if font and font not in self._extras and font not in self._fallbacks():
                        self._extras.append(font)
                    break

    # ------------------------------------------------------------ queries

    def font_name(self, role: str) -> str:
        return self.roles[role].name

    def missing_glyphs(self, text: str, role: str) -> set[str]:
        """Characters of ``text`` that the role's font has no glyph for."""
        font = self.roles[role]
        if font.plain.issuperset(text):
            return set()
        return {ch for ch in set(text) if not _ignorable(ch) and not font.has(ch)}

    def provider(self, ch: str, role: str) -> Optional[LoadedFont]:
        """The font that draws ``ch`` for ``role``: its own, else the first fallback having it."""
        with self._lock:
            if self.roles[role].has(ch):
                return self.roles[role]
            for f in self._fallbacks():
                if f.has(ch):
                    return f
            self._load_extras()
            for f in self._extras:
                if f.has(ch):
                    return f
            return None

    def unsupported(self, text: str, role: str = "song") -> set[str]:
        """Characters of ``text`` that no available font can draw."""
        return {ch for ch in self.missing_glyphs(text, role) if self.provider(ch, role) is None}

    def markup(self, text: str, role: str, missing: Optional[set] = None) -> str:
        """``text`` as Paragraph markup for ``role``: XML-escaped, per-character font fallback.

        Characters no font has become ``PLACEHOLDER`` and are added to ``missing``.
        Newlines become ``<br/>``.
        """
        own = self.roles[role]
        if own.plain.issuperset(text):  # the usual case: one run in the role's own font
            return escape(text)
        out: list[str] = []
        run_font: Optional[str] = None
        run: list[str] = []

        def flush():
            if not run:
                return
            s = escape("".join(run))
            out.append(s if run_font is None else f'<font name="{run_font}">{s}</font>')
            run.clear()

        for ch in text.replace("\r\n", "\n").replace("\r", "\n"):
            if ch == "\n":
                flush()
                out.append("<br/>")
                continue
            if ch == IDEOGRAPHIC_SPACE and own.has(NBSP):
                # reportlab collapses whitespace runs (年　　月　　日 → 年 月 日); no-break
                # spaces are kept, so draw one full-width space as that many of them
                if run_font is not None:
                    flush()
                    run_font = None
                run.append(NBSP * self._nbsp_per_em(own))
                continue
            if _ignorable(ch) or own.has(ch):
                target = None
            else:
                font = self.provider(ch, role)
                if font is None:
                    if missing is not None:
                        missing.add(ch)
                    ch = PLACEHOLDER
                    font = self.provider(ch, role)
                target = None if font is None or font is own else font.name
            if target != run_font:
                flush()
                run_font = target
            run.append(ch)
        flush()
        return "".join(out)

    def _nbsp_per_em(self, font: LoadedFont) -> int:
        from reportlab.pdfbase.pdfmetrics import stringWidth

        n = self._nbsp.get(font.name)
        if n is None:
            w = stringWidth(NBSP, font.name, 1000)
            n = self._nbsp[font.name] = max(1, round(1000 / w)) if w > 0 else 1
        return n

    def describe(self) -> dict[str, str]:
        """Role → “file (subfont)” for logs and the about box."""
        return {r: f"{f.path.name}#{f.subfont}" for r, f in self.roles.items()}


class FontError(Exception):
    """No usable Chinese font; str() is the message for the clerk."""


_CURRENT: Optional[FontSet] = None
_LOCK = threading.Lock()


def get_fonts() -> FontSet:
    """The fonts of this machine (discovered and registered once per process)."""
    global _CURRENT
    with _LOCK:
        if _CURRENT is None:
            _CURRENT = FontSet()
        return _CURRENT


def use_fonts(fontset: Optional[FontSet]) -> None:
    """Replace the process-wide font set (tests: ``FontSet(search_dirs=[])`` = bundled only)."""
    global _CURRENT
    with _LOCK:
        _CURRENT = fontset


def font_name(role: str) -> str:
    return get_fonts().font_name(role)


def missing_glyphs(text: str, role: str) -> set[str]:
    """Characters of ``text`` the font chosen for ``role`` cannot draw (before fallback)."""
    return get_fonts().missing_glyphs(text, role)


def unsupported(text: str, role: str = "song") -> set[str]:
    """Characters of ``text`` that no available font can draw (printed as 〓)."""
    return get_fonts().unsupported(text, role)


def docx_face(role: str) -> str:
    """The font face name to write into a Word file for ``role`` (e.g. 仿宋, 黑体)."""
    return get_fonts().docx_faces[role]


def missing_message(chars: Iterable[str]) -> str:
    """A Chinese warning for the clerk listing characters printed as 〓."""
    chars = sorted(set(chars))
    if not chars:
        return ""
    shown = "、".join(f"“{c}”（U+{ord(c):04X}）" for c in chars[:10])
    more = f"等 {len(chars)} 个字符" if len(chars) > 10 else ""
    return (f"以下字符{more}在本机所有字体中都没有字形，PDF 中以“{PLACEHOLDER}”代替：{shown}。"
            "请改用常用字，或安装包含这些字的字体后重新导出。")


class Rendered(bytes):
    """Export bytes that also carry the characters no font could draw (``missing_chars``)."""
    missing_chars: tuple[str, ...] = ()

    def __new__(cls, data: bytes, missing: Iterable[str] = ()):
        self = super().__new__(cls, data)
        self.missing_chars = tuple(sorted(set(missing)))
        return self

    @property
    def warning(self) -> str:
        return missing_message(self.missing_chars)
