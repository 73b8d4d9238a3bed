"""End to end on a real fcitx5 (the input method of 统信UOS/麒麟): the window is started as on such a
desktop (QT_IM_MODULE=fcitx, XMODIFIERS=@im=fcitx), the clerk switches pinyin on and types
“nihao” and a space, and 你好 arrives in the report.

Needs an X server, a D-Bus session, fcitx5 with its pinyin engine and xdotool (Debian: xvfb dbus-x11
fcitx5 fcitx5-chinese-addons xdotool); skipped where they are missing.
"""
import os
import queue
import shutil
import subprocess
import sys
import threading
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]
TOOLS = ("Xvfb", "dbus-launch", "fcitx5", "fcitx5-remote", "xdotool")
PINYIN = Path("/usr/share/fcitx5/addon/pinyin.conf")

pytestmark = [
    pytest.mark.slow,
    pytest.mark.skipif(sys.platform != "linux" or not all(map(shutil.which, TOOLS)) or not PINYIN.exists(),
                       reason="需要 Xvfb、dbus-launch、fcitx5（含拼音）和 xdotool"),
]

PROFILE = """[Groups/0]
Name=Default
Default Layout=us
DefaultIM=pinyin

[Groups/0/Items/0]
Name=keyboard-us
Layout=

[Groups/0/Items/1]
Name=pinyin
Layout=

[GroupOrder]
0=Default
"""

# The app's own start-up path up to the window (ui.app.run, with a timer that ends the event loop).
CHILD = r"""
import os
from ui import input_method
print("changes", input_method.changes_for(os.environ, "linux", input_method.has_fcitx_plugin()), flush=True)
from PySide6.QtCore import QTimer
from PySide6.QtWidgets import QLineEdit
from ui.app import build
app = input_method.application([])
print("after", os.environ.get("QT_IM_MODULE"), os.environ.get("IBUS_USE_PORTAL"), flush=True)
window = build(None, recover=False)
window.show()
field = window.findChild(QLineEdit, "basic.department")
ticks = [0]

def tick():
    ticks[0] += 1
    if ticks[0] == 3:
        window.activateWindow()
        field.setFocus()
        print("ready", flush=True)
    text = window.doc.report.basic.department
    if any(ord(c) > 0x2E7F for c in text) or ticks[0] > 100:
        print("department=" + text, flush=True)
        app.quit()

timer = QTimer()
timer.timeout.connect(tick)
timer.start(200)
app.exec()
"""


def _lines(stream) -> queue.Queue:
    out: queue.Queue = queue.Queue()
    threading.Thread(target=lambda: [out.put(line.rstrip("\n")) for line in stream], daemon=True).start()
    return out


def _wait_for(lines: queue.Queue, prefix: str, seconds: float) -> str:
    while True:
        line = lines.get(timeout=seconds)
        if line.startswith(prefix):
            return line


def test_pinyin_typed_through_fcitx5_reaches_the_report(tmp_path):
    home = tmp_path / "home"
    (home / ".config" / "fcitx5").mkdir(parents=True)
    (home / ".config" / "fcitx5" / "profile").write_text(PROFILE, encoding="utf-8")
    env = {k: v for k, v in os.environ.items() if k not in ("QT_QPA_PLATFORM", "IBUS_USE_PORTAL", "QT_IM_MODULE")}
    env.update(HOME=str(home), XDG_CONFIG_HOME=str(home / ".config"), XDG_DATA_HOME=str(home / ".local/share"),
               JXZP_DATA_DIR=str(tmp_path / "data"), PYTHONPATH=str(ROOT))
    started: list[subprocess.Popen] = []
    dbus_pid = None
    try:
        # the desktop: X server, session bus, fcitx5 — a machine that cannot bring them up skips the test
        try:
            xvfb = subprocess.Popen(["Xvfb", "-displayfd", "1", "-screen", "0", "1280x800x24", "-nolisten", "tcp"],
                                    stdout=subprocess.PIPE, stderr=subprocess.DEVNULL, text=True)
            started.append(xvfb)
            env["DISPLAY"] = ":" + _wait_for(_lines(xvfb.stdout), "", 20).strip()
            bus = subprocess.run(["dbus-launch", "--sh-syntax"], env=env, capture_output=True, text=True,
                                 check=True, timeout=30).stdout
            for part in bus.replace("\n", ";").split(";"):
                name, _, value = part.strip().partition("=")
                if name in ("DBUS_SESSION_BUS_ADDRESS", "DBUS_SESSION_BUS_PID"):
                    env[name] = value.strip("'")
            dbus_pid = int(env["DBUS_SESSION_BUS_PID"])
        except (queue.Empty, subprocess.SubprocessError, OSError, KeyError, ValueError) as e:
            pytest.skip(f"无法启动 Xvfb 或 D-Bus：{e!r}")
        started.append(subprocess.Popen(["fcitx5"], env=env, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL))
        for _ in range(100):  # until fcitx5 answers on the bus
            if subprocess.run(["fcitx5-remote"], env=env, capture_output=True).returncode == 0:
                break
            threading.Event().wait(0.1)
        else:
            pytest.skip("fcitx5 没有在会话总线上应答")
        app_env = dict(env, QT_IM_MODULE="fcitx", XMODIFIERS="@im=fcitx", GTK_IM_MODULE="fcitx", QT_QPA_PLATFORM="xcb")
        child = subprocess.Popen([sys.executable, "-c", CHILD], env=app_env, cwd=ROOT, stdout=subprocess.PIPE,
                                 stderr=subprocess.DEVNULL, text=True, encoding="utf-8")
        started.append(child)
        lines = _lines(child.stdout)
        assert _wait_for(lines, "changes", 60) == "changes {'QT_IM_MODULE': 'ibus', 'IBUS_USE_PORTAL': '1'}"
        assert _wait_for(lines, "after", 60) == "after fcitx None"  # programs it starts see the desktop's settings
        _wait_for(lines, "ready", 60)
        window = subprocess.run(["xdotool", "search", "--pid", str(child.pid)], env=env, capture_output=True,
                                text=True).stdout.split()
        assert window, "the window did not appear"
        subprocess.run(["xdotool", "windowfocus", "--sync", window[-1]], env=env, check=True, timeout=20)
        for _ in range(100):  # the clerk presses Ctrl+Space; wait until pinyin is on for the focused field
            subprocess.run(["fcitx5-remote", "-o"], env=env, timeout=20)
            state = subprocess.run(["fcitx5-remote"], env=env, capture_output=True, text=True, timeout=20).stdout
            engine = subprocess.run(["fcitx5-remote", "-n"], env=env, capture_output=True, text=True, timeout=20).stdout
            if state.strip() == "2" and engine.strip() == "pinyin":
                break
            threading.Event().wait(0.1)
        else:
            pytest.fail(f"fcitx5 did not switch pinyin on for the window (state {state!r}, engine {engine!r})")
        subprocess.run(["xdotool", "type", "--delay", "80", "nihao"], env=env, check=True, timeout=20)
        subprocess.run(["xdotool", "key", "space"], env=env, check=True, timeout=20)  # first candidate
        assert _wait_for(lines, "department=", 40) == "department=你好"
    finally:
        for proc in reversed(started):
            proc.kill()
            proc.wait(timeout=20)
        if dbus_pid:
            try:
                os.kill(dbus_pid, 9)
            except ProcessLookupError:
                pass
