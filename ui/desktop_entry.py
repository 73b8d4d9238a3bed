"""The app on a Linux desktop (统信UOS、麒麟 …): a menu entry with its icon, and report files
(``*.jxzp.json``) that open in it on a double-click.

``install()`` writes, under a data folder (the clerk's ``~/.local/share`` by default, or
``/usr/share`` when a package installs the app for everyone), the files the freedesktop.org
standards ask for: ``applications/jxzp.desktop``, ``icons/hicolor/256x256/apps/jxzp.png`` and the
file type ``mime/packages/jxzp.xml``; then refreshes the desktop's caches if their tools are there.
No Qt: the ``desktop-entry`` command runs it without a window.
"""
from __future__ import annotations

import os
import shutil
import subprocess
import sys
from pathlib import Path

from model.paths import resources_dir

APP_ID = "jxzp"
MIME_TYPE = "application/x-jxzp-report"
NAME = "绩效自评填报助手"
COMMENT = "部门整体支出与项目支出绩效自评：填报、计分、复核，导出 Excel/PDF/Word"

MIME_XML = f"""<?xml version="1.0" encoding="UTF-8"?>
<mime-info xmlns="http://www.freedesktop.org/standards/shared-mime-info">
  <mime-type type="{MIME_TYPE}">
    <comment>绩效自评报告</comment>
    <comment xml:lang="zh_CN">绩效自评报告</comment>
    <sub-class-of type="application/json"/>
    <glob pattern="*.jxzp.json" weight="80"/>
  </mime-type>
</mime-info>
"""


def launch_command() -> list[str]:
    """How this app is started: the packaged executable, or Python with main.py from source."""
    if getattr(sys, "frozen", False):
        return [sys.executable]
    return [sys.executable, str(Path(__file__).resolve().parent.parent / "main.py")]


def exec_arg(arg: str) -> str:
    """One argument of a desktop file's Exec line (Desktop Entry Specification, “The Exec key”)."""
    if arg and not any(c in arg for c in ' \t\n"\'\\><~|&;$*?#()`'):
        quoted = arg
    else:  # inside double quotes, " ` $ \ are escaped by a backslash
        quoted = '"' + "".join("\\" + c if c in '"`$\\' else c for c in arg) + '"'
    # then the escapes of every string value (a backslash doubled) and of field codes (% doubled)
    return quoted.replace("\\", "\\\\").replace("%", "%%")


def desktop_file(command: list[str]) -> str:
    exec_line = " ".join(exec_arg(a) for a in command) + " %f"
    return "\n".join([
        "[Desktop Entry]",
        "Type=Application",
        "Version=1.0",
        f"Name={NAME}",
        f"Name[zh_CN]={NAME}",
        f"Comment={COMMENT}",
        f"Comment[zh_CN]={COMMENT}",
        f"Exec={exec_line}",
        f"Icon={APP_ID}",
        "Terminal=false",
        "Categories=Office;Finance;",
        f"MimeType={MIME_TYPE};",
        "Keywords=绩效;自评;部门整体支出;项目支出;财政;",
        "",
    ])


def install(data_dir: Path | None = None, command: list[str] | None = None) -> list[Path]:
    """Write the menu entry, icon and file type under ``data_dir``; returns the files written."""
    base = data_dir or Path(os.environ.get("XDG_DATA_HOME") or Path.home() / ".local" / "share")
    targets = {
        base / "applications" / f"{APP_ID}.desktop": desktop_file(command or launch_command()).encode("utf-8"),
        base / "icons" / "hicolor" / "256x256" / "apps" / f"{APP_ID}.png": (resources_dir() / "icons" / "app.png").read_bytes(),
        base / "mime" / "packages" / f"{APP_ID}.xml": MIME_XML.encode("utf-8"),
    }
    for path, data in targets.items():
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_bytes(data)
    # The desktop notices new entries by itself; these only make it immediate (best effort).
    for tool, folder in (("update-mime-database", base / "mime"), ("update-desktop-database", base / "applications"),
                         ("gtk-update-icon-cache", base / "icons" / "hicolor")):
        if shutil.which(tool):
            subprocess.run([tool, *(["-f", "-t"] if tool == "gtk-update-icon-cache" else []), str(folder)],
                           capture_output=True, timeout=60)
    return list(targets)
