"""No tofu: with no system CJK font at all, the bundled font draws every character of the window."""
import os
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
CHILD = r"""
import sys
from PySide6.QtWidgets import QApplication, QWidget, QLabel, QAbstractButton, QLineEdit, QGroupBox, QListWidget
from PySide6.QtGui import QFontDatabase, QFontMetrics
app = QApplication([])
assert not QFontDatabase.families(QFontDatabase.SimplifiedChinese), "system CJK font present"
from ui.app import ensure_cjk_font, build
family = ensure_cjk_font(app)
window = build(sys.argv[1], recover=False)
window.pages  # every step's page, not only the first one shown
texts = [window.windowTitle()]
for w in window.findChildren(QWidget):
    for attr in ("text", "title", "placeholderText"):
        getter = getattr(w, attr, None)
        value = getter() if callable(getter) else getter
        if isinstance(value, str):
            texts.append(value)
    if isinstance(w, QListWidget):
        texts += [w.item(i).text() for i in range(w.count())]
metrics = QFontMetrics(app.font())
chars = {c for t in texts for c in t if ord(c) > 0x2E7F}
missing = sorted(c for c in chars if not metrics.inFontUcs4(ord(c)))
print(len(chars), "".join(missing) or "-", family, sep="\t")
"""


def test_bundled_font_covers_every_character_shown(tmp_path):
    conf = tmp_path / "fonts.conf"  # a fontconfig with no font folders: no system fonts at all
    conf.write_text('<?xml version="1.0"?><!DOCTYPE fontconfig SYSTEM "fonts.dtd"><fontconfig>'
                    f'<cachedir>{tmp_path}/cache</cachedir></fontconfig>', encoding="utf-8")
    env = dict(os.environ, FONTCONFIG_FILE=str(conf), QT_QPA_PLATFORM="offscreen", PYTHONPATH=str(ROOT),
               JXZP_DATA_DIR=str(tmp_path / "data"), QT_QPA_FONTDIR=str(tmp_path / "nofonts"))
    out = subprocess.run([sys.executable, "-c", CHILD, str(ROOT / "resources/samples/shilong_2020.jxzp.json")],
                         cwd=ROOT, env=env, capture_output=True, text=True, encoding="utf-8", timeout=120)
    assert out.returncode == 0, out.stderr[-2000:]
    count, missing, family = out.stdout.strip().split("\t")
    assert family == "WenQuanYi Micro Hei" and int(count) > 500  # bundled font, lots of Chinese shown
    assert missing == "-", f"no glyph for: {missing}"


def test_qt_dialog_buttons_are_chinese(qapp):
    from PySide6.QtWidgets import QDialogButtonBox

    from ui.app import install_chinese_qt

    assert install_chinese_qt(qapp)
    box = QDialogButtonBox(QDialogButtonBox.Save | QDialogButtonBox.Discard | QDialogButtonBox.Cancel)
    assert sorted(b.text() for b in box.buttons()) == sorted(["保存", "丢弃", "取消"])
