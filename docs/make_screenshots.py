"""Screenshots of every wizard step in a real X window (run under Xvfb), for docs/screenshots/.

    xvfb-run -s "-screen 0 1366x768x24" python docs/make_screenshots.py 1366x768
    xvfb-run -s "-screen 0 1920x1080x24" env QT_SCALE_FACTOR=1.5 python docs/make_screenshots.py 1920x1080-150 shilong_2020

Each PNG is what the screen shows (ImageMagick ``import -window root``), so cut-off
widgets and missing glyphs show exactly as a clerk would see them.
"""
import os
import subprocess
import sys
import tempfile
import time
from pathlib import Path

os.environ.setdefault("QT_QPA_PLATFORM", "xcb")
os.environ.setdefault("JXZP_DATA_DIR", tempfile.mkdtemp())
sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from PySide6.QtWidgets import QApplication  # noqa: E402

from ui.app import build, ensure_cjk_font  # noqa: E402

OUT = Path(__file__).resolve().parent / "screenshots"


def settle(app, seconds=0.6):
    end = time.time() + seconds
    while time.time() < end:
        app.processEvents()
        time.sleep(0.02)


def main(tag: str, samples: list[str]):
    app = QApplication(sys.argv)
    ensure_cjk_font(app)
    for sample in samples:
        window = build(f"resources/samples/{sample}.jxzp.json", recover=False)
        window.setGeometry(app.primaryScreen().availableGeometry())  # no window manager under Xvfb
        window.show()
        settle(app, 1.2)
        for row, page in enumerate(window.pages):
            window.steps.setCurrentRow(row)
            settle(app)
            out = OUT / f"{tag}_{sample}_{row + 1}_{page.step_id}.png"
            subprocess.run(["import", "-window", "root", "-resize", "80%", "-colors", "96", "+dither", str(out)], check=True)
            print(out)
        window.doc.undo_stack.setClean()
        window.close()


if __name__ == "__main__":
    main(sys.argv[1] if len(sys.argv) > 1 else "1366x768", sys.argv[2:] or ["shilong_2020", "xingxian_2022"])
