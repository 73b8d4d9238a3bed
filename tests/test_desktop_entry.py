"""The Linux menu entry and file type (统信UOS/麒麟 desktops): valid files, Exec lines that survive any path."""
import configparser
import os
import shutil
import subprocess
import sys
import xml.etree.ElementTree as ET
from pathlib import Path

import pytest

from model.paths import resources_dir
from ui.desktop_entry import MIME_TYPE, desktop_file, exec_arg, install

ROOT = Path(__file__).resolve().parent.parent


def parse_exec(value: str) -> list[str]:
    """A desktop file's Exec value back to arguments, as the specification reads it: the string escapes
    first (``\\\\`` → ``\\``), then the quoting (inside "…", a backslash takes the next character)."""
    text = value.replace("\\\\", "\\")
    args, current, quoted, i, started = [], [], False, 0, False
    while i < len(text):
        c = text[i]
        if quoted:
            if c == "\\":
                i += 1
                current.append(text[i])
            elif c == '"':
                quoted = False
            else:
                current.append(c)
        elif c == '"':
            quoted, started = True, True
        elif c == " ":
            if started or current:
                args.append("".join(current))
            current, started = [], False
        else:
            current.append(c)
        i += 1
    if started or current:
        args.append("".join(current))
    return [a.replace("%%", "%") for a in args]


@pytest.mark.parametrize("arg", [
    "/opt/jxzp/jxzp",
    "/home/张三/桌面/绩效 自评/jxzp",
    '/tmp/a "quoted" $HOME `cmd` \\back\\slash 100%/jxzp',
    "/tmp/(1)&;|<>*?#~'/main.py",
])
def test_exec_arguments_read_back_as_written(arg):
    assert parse_exec(exec_arg(arg)) == [arg]
    line = desktop_file(["/usr/bin/python3", arg]).split("Exec=", 1)[1].split("\n", 1)[0]
    assert parse_exec(line) == ["/usr/bin/python3", arg, "%f"]  # the file the clerk double-clicked


def test_install_writes_entry_icon_and_file_type(tmp_path):
    target = tmp_path / "share with space"
    written = install(target, ["/opt/绩效 助手/jxzp"])
    assert sorted(p.relative_to(target).as_posix() for p in written) == [
        "applications/jxzp.desktop", "icons/hicolor/256x256/apps/jxzp.png", "mime/packages/jxzp.xml"]
    entry = configparser.ConfigParser(interpolation=None)
    entry.optionxform = str
    entry.read(target / "applications" / "jxzp.desktop", encoding="utf-8")
    section = entry["Desktop Entry"]
    assert section["Name[zh_CN]"] == "绩效自评填报助手" and section["Icon"] == "jxzp"
    assert parse_exec(section["Exec"]) == ["/opt/绩效 助手/jxzp", "%f"]
    assert section["MimeType"] == f"{MIME_TYPE};"
    assert (target / "icons/hicolor/256x256/apps/jxzp.png").read_bytes() == (resources_dir() / "icons/app.png").read_bytes()
    mime = ET.parse(target / "mime" / "packages" / "jxzp.xml").getroot()
    ns = {"m": "http://www.freedesktop.org/standards/shared-mime-info"}
    assert mime.find("m:mime-type", ns).get("type") == MIME_TYPE
    assert mime.find("m:mime-type/m:glob", ns).get("pattern") == "*.jxzp.json"
    if shutil.which("update-mime-database"):  # the desktop's database now knows report files
        assert f"{MIME_TYPE}:*.jxzp.json" in (target / "mime" / "globs2").read_text(encoding="utf-8")


@pytest.mark.skipif(not shutil.which("desktop-file-validate"), reason="desktop-file-utils 未安装")
def test_desktop_file_passes_the_freedesktop_validator(tmp_path):
    install(tmp_path, ["/opt/绩效 助手/jxzp"])
    done = subprocess.run(["desktop-file-validate", str(tmp_path / "applications" / "jxzp.desktop")],
                          capture_output=True, text=True)
    assert done.returncode == 0 and not done.stdout.strip(), done.stdout


def run_cli(*args, **env):
    return subprocess.run([sys.executable, str(ROOT / "main.py"), "desktop-entry", *args], capture_output=True,
                          text=True, encoding="utf-8", env=dict(os.environ, PYTHONIOENCODING="utf-8", **env), cwd=ROOT)


@pytest.mark.skipif(not sys.platform.startswith("linux"), reason="Linux desktops")
def test_command_installs_for_the_clerk_and_explains_failures(tmp_path):
    done = run_cli(XDG_DATA_HOME=str(tmp_path / "home-share"))
    assert done.returncode == 0, done.stderr
    assert "已添加到应用程序菜单" in done.stdout
    exec_line = (tmp_path / "home-share/applications/jxzp.desktop").read_text(encoding="utf-8").split("Exec=")[1]
    assert parse_exec(exec_line.split("\n")[0])[:2] == [sys.executable, str(ROOT / "main.py")]
    blocker = tmp_path / "not-a-folder"
    blocker.write_text("")
    done = run_cli("--prefix", str(blocker))
    assert done.returncode == 2 and "无法写入" in done.stderr and "sudo" in done.stderr
