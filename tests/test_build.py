"""The one-folder app built from build.spec works on its own (issue #6).

Builds with PyInstaller into a temporary folder (about half a minute on 2 cores),
then runs the built executable headless — offscreen Qt, a temporary user data
folder, a working directory outside the repo — so nothing can come from the
source tree: ``--version``, ``templates``, ``score`` of a bundled sample,
``export`` to all three formats, and the window (hidden ``--smoke`` switch,
main.py).  Also checks that what build.spec leaves out stays out.
"""
from __future__ import annotations

import os
import shutil
import subprocess
import sys
import zipfile
from pathlib import Path

import pytest

pytestmark = pytest.mark.slow

ROOT = Path(__file__).resolve().parent.parent
WINDOWS = sys.platform == "win32"
SIZE_GUARD_MB = 140  # README “打包”: 139 MB on Linux with printing; catches a big library sneaking back in


@pytest.fixture(scope="module")
def app(tmp_path_factory) -> Path:
    """``dist/jxzp`` built by ``python -m PyInstaller build.spec`` into a temporary folder."""
    pytest.importorskip("PyInstaller", reason="PyInstaller 未安装（pip install -r requirements-dev.txt）：跳过打包测试")
    if sys.platform.startswith("linux") and shutil.which("objdump") is None:
        pytest.skip("PyInstaller 在 Linux 上需要 objdump（binutils 软件包）：跳过打包测试")
    base = tmp_path_factory.mktemp("build")
    cmd = [sys.executable, "-m", "PyInstaller", str(ROOT / "build.spec"), "--noconfirm", "--log-level", "WARN",
           "--distpath", str(base / "dist"), "--workpath", str(base / "work")]
    done = subprocess.run(cmd, cwd=base, capture_output=True, text=True, timeout=1800)
    assert done.returncode == 0, f"PyInstaller failed:\n{done.stdout[-3000:]}\n{done.stderr[-6000:]}"
    return base / "dist" / "jxzp"


def exe(app: Path, console: bool = True) -> Path:
    """The executable: on Windows the CLI needs the console one, ``jxzp-cli.exe``."""
    if WINDOWS:
        return app / ("jxzp-cli.exe" if console else "jxzp.exe")
    return app / "jxzp"


def run(app: Path, *args, tmp_path: Path, console: bool = True) -> subprocess.CompletedProcess:
    env = {k: v for k, v in os.environ.items() if not k.startswith("PYTHON")}
    env.update(QT_QPA_PLATFORM="offscreen", JXZP_DATA_DIR=str(tmp_path / "data"), PYTHONIOENCODING="utf-8")
    return subprocess.run([str(exe(app, console)), *map(str, args)], cwd=tmp_path, env=env, capture_output=True,
                          timeout=300, encoding="utf-8", errors="replace")


def bundled_sample(app: Path, name: str) -> Path:
    found = list(app.rglob(f"{name}.jxzp.json"))
    assert len(found) == 1, f"sample {name} bundled once, found {found}"
    return found[0]


def test_version_and_templates(app, tmp_path):
    from model.version import __version__

    done = run(app, "--version", tmp_path=tmp_path)
    assert done.returncode == 0, done.stderr
    assert done.stdout.strip() == f"绩效自评填报助手 {__version__}"
    done = run(app, "templates", tmp_path=tmp_path)
    assert done.returncode == 0, done.stderr
    for tid in ("henan-dept-2020", "hunan-dept", "mof-project-2020"):
        assert tid in done.stdout


def test_score_of_a_bundled_sample(app, tmp_path):
    done = run(app, "score", bundled_sample(app, "shilong_2020"), tmp_path=tmp_path)
    assert done.returncode == 0, done.stderr
    assert "总分 86.00" in done.stdout, done.stdout[-2000:]


def test_export_all_three_formats(app, tmp_path):
    out = tmp_path / "out"
    done = run(app, "export", bundled_sample(app, "shilong_2020"), "-o", out, tmp_path=tmp_path)
    assert done.returncode == 0, done.stdout + done.stderr
    files = {p.suffix: p for p in out.iterdir()}
    assert set(files) == {".xlsx", ".pdf", ".docx"}, files
    for path in files.values():
        assert path.stat().st_size > 0, path
    assert "xl/workbook.xml" in zipfile.ZipFile(files[".xlsx"]).namelist()
    assert "word/document.xml" in zipfile.ZipFile(files[".docx"]).namelist()
    assert files[".pdf"].read_bytes().startswith(b"%PDF")
    if shutil.which("pdftotext"):
        text = subprocess.run(["pdftotext", "-enc", "UTF-8", str(files[".pdf"]), "-"], capture_output=True,
                              encoding="utf-8").stdout
        assert "平顶山市石龙区乡村振兴局" in text and "绩效" in text, text[:500]


def test_window_opens_offscreen(app, tmp_path):
    done = run(app, "--smoke", tmp_path=tmp_path, console=False)
    assert done.returncode == 0, done.stderr
    if not WINDOWS:  # a windowed .exe has no stdout
        assert "window ok" in done.stdout and "pages ok" in done.stdout  # every step page can be built


@pytest.mark.skipif(not sys.platform.startswith("linux"), reason="Linux desktops")
def test_menu_entry_starts_the_packaged_app(app, tmp_path):
    from tests.test_desktop_entry import parse_exec

    done = run(app, "desktop-entry", "--prefix", tmp_path / "share", tmp_path=tmp_path)
    assert done.returncode == 0, done.stderr
    entry = (tmp_path / "share" / "applications" / "jxzp.desktop").read_text(encoding="utf-8")
    exec_line = next(line for line in entry.splitlines() if line.startswith("Exec="))
    assert parse_exec(exec_line[5:]) == [str(exe(app, console=False)), "%f"]
    assert (tmp_path / "share" / "icons" / "hicolor" / "256x256" / "apps" / "jxzp.png").stat().st_size > 1000


@pytest.mark.skipif(not WINDOWS, reason="jxzp-cli.exe is built on Windows only")
def test_windows_has_both_executables(app):
    assert (app / "jxzp.exe").exists() and (app / "jxzp-cli.exe").exists()


def test_left_out_stays_out(app):
    names = {p.relative_to(app).as_posix() for p in app.rglob("*")}
    internal = next(p for p in app.iterdir() if p.is_dir()).name  # _internal
    for unwanted in ("numpy", "tkinter", "unittest", "PySide6/QtNetwork", "PySide6/Qt/qml", "QtWebEngine"):
        assert not any(f"{internal}/{unwanted}" in n for n in names), unwanted
    translations = {Path(n).name for n in names if "/translations/" in n}
    assert translations <= {"qt_zh_CN.qm", "qtbase_zh_CN.qm"}, translations
    for resource in ("templates/hunan-dept.yaml", "samples/xingxian_2022.jxzp.json", "fonts/wqy-microhei.ttc"):
        assert f"{internal}/resources/{resource}" in names, resource
    size = sum(p.stat().st_size for p in app.rglob("*") if p.is_file() and not p.is_symlink())
    assert size < SIZE_GUARD_MB * 1e6, f"one-folder app is {size / 1e6:.1f} MB"
