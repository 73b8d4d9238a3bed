"""Fonts on Windows (issue #13, item 4), on any machine: export/fonts.py pointed at a fake Windows font
folder.  With simsun.ttc / simhei.ttf / simfang.ttf in ``%WINDIR%\\Fonts`` the PDF uses them (宋体 body,
黑体 headings, 仿宋 narrative) and the Word file names 宋体/黑体/仿宋; with only other fonts there the
bundled WenQuanYi Micro Hei is used for every role.  The “Windows fonts” are copies of the bundled font
under the Windows names, beside decoys (Latin TTFs and a TTC under other Windows names).
"""
from __future__ import annotations

import shutil
import subprocess
from pathlib import Path

import pytest

from export import fonts

ROOT = Path(__file__).resolve().parents[2]
BUNDLED = ROOT / "resources" / "fonts" / fonts.BUNDLED_FILE
SAMPLE = ROOT / "resources" / "samples" / "shilong_2020.jxzp.json"
LATIN = next(iter(sorted(Path("/usr/share/fonts").rglob("DejaVuSans.ttf"))), None) if Path("/usr/share/fonts").is_dir() else None


def renamed(target: Path, face: str) -> None:
    """A copy of the bundled font whose names say ``face`` (17 letters, as long as WenQuanYiMicroHei),
    so the PDF shows which file each text came from."""
    assert len(face) == 17
    data = BUNDLED.read_bytes()
    for old, new in (("WenQuanYiMicroHei", face), ("WenQuanYi Micro Hei", face[:17] + "  ")):
        for enc in ("ascii", "utf-16-be"):
            data = data.replace(old.encode(enc), new.encode(enc))
    target.write_bytes(data)


def decoys(folder: Path) -> None:
    """Fonts every Windows has that are none of ours: Latin TTFs and a TTC not named in export/fonts.py."""
    folder.mkdir(parents=True, exist_ok=True)
    latin = LATIN or BUNDLED
    for name in ("arial.ttf", "times.ttf", "consola.ttf"):
        shutil.copy(latin, folder / name)
    shutil.copy(BUNDLED, folder / "cambria.ttc")


@pytest.fixture
def windows(tmp_path, monkeypatch):
    """Font discovery as on Windows, with C:\\Windows and %LOCALAPPDATA% in tmp_path."""
    monkeypatch.setattr(fonts, "WINDOWS", True)
    monkeypatch.setenv("WINDIR", str(tmp_path / "Windows"))
    monkeypatch.delenv("SystemRoot", raising=False)
    monkeypatch.setenv("LOCALAPPDATA", str(tmp_path / "Local"))
    before = fonts._CURRENT
    yield tmp_path
    fonts.use_fonts(before)


def export_pdf(tmp_path: Path) -> Path:
    from export import export_report
    from model.cli import load_report

    report, tpl = load_report(str(SAMPLE))
    out = tmp_path / "out"
    out.mkdir()
    (outcome,) = export_report(report, tpl, out, ["pdf"])
    assert outcome.ok, outcome.error
    return outcome.path


def pdf_fonts(path: Path) -> set[str]:
    listing = subprocess.run(["pdffonts", str(path)], capture_output=True, text=True, check=True).stdout
    return {line.split()[0].split("+")[-1].rsplit("-", 1)[0] for line in listing.splitlines()[2:] if line.strip()}


def test_windows_font_folders(windows):
    assert fonts.font_dirs() == [windows / "Windows" / "Fonts", windows / "Local" / "Microsoft" / "Windows" / "Fonts"]


def test_system_fonts_used_when_present(windows):
    system = windows / "Windows" / "Fonts"
    decoys(system)
    renamed(system / "simsun.ttc", "FakeSimSunForTest")
    renamed(system / "SimHei.ttf", "FakeSimHeiForTest")  # any case, as Windows names it
    per_user = windows / "Local" / "Microsoft" / "Windows" / "Fonts"
    per_user.mkdir(parents=True)
    renamed(per_user / "simfang.ttf", "FakeSimFangForTst")  # installed “for me only”
    found = fonts.FontSet()
    picked = {role: f.path for role, f in found.roles.items()}
    assert picked["song"] == system / "simsun.ttc"
    assert picked["hei"] == system / "SimHei.ttf"
    assert picked["fang"] == per_user / "simfang.ttf"
    assert picked["kai"] == per_user / "simfang.ttf"  # no 楷体: borrows 仿宋
    assert picked["title"] == system / "SimHei.ttf"  # no 小标宋: 黑体
    assert found.docx_faces == {"song": "宋体", "hei": "黑体", "fang": "仿宋", "kai": "仿宋", "title": "黑体"}
    if shutil.which("pdffonts"):
        fonts.use_fonts(found)
        embedded = pdf_fonts(export_pdf(windows))
        assert {"FakeSimSunForTest", "FakeSimHeiForTest", "FakeSimFangForTst"} <= embedded, embedded
        assert not any("WenQuanYi" in name for name in embedded), embedded


def test_bundled_font_when_windows_has_none_of_them(windows):
    decoys(windows / "Windows" / "Fonts")
    found = fonts.FontSet()
    assert {f.path for f in found.roles.values()} == {BUNDLED}
    assert found.docx_faces["song"] == "宋体" and found.docx_faces["fang"] == "仿宋"  # what Word should look for
    if shutil.which("pdffonts"):
        fonts.use_fonts(found)
        embedded = pdf_fonts(export_pdf(windows))
        assert embedded == {"WenQuanYiMicroHei"}, embedded


def test_no_windows_folder_at_all(windows):
    assert {f.path for f in fonts.FontSet().roles.values()} == {BUNDLED}
