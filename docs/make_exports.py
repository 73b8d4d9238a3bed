"""Render what a clerk prints: the PDF, and the xlsx and docx as LibreOffice prints them, for every sample.

    python3 docs/make_exports.py            # → docs/exports/<sample>_<pdf|xlsx|docx>-<page>-<what>.png

Needs pdftoppm/pdftotext (poppler-utils) and LibreOffice.  Only pages worth
looking at are kept: the first page of each form, a page that continues a
form (its labels printed again with （续）), the report text with a table,
the 签章 page and the 评分说明 appendix; and a blank new report, printed as a
draft (草稿（未评完）, no score, no grade).
"""
from __future__ import annotations

import os
import re
import shutil
import subprocess
import sys
import tempfile
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

OUT = ROOT / "docs" / "exports"
DPI = "60"
# page text → short name of what the page shows (the first page matching each is kept)
WANTED = [
    (r"评价方式：", "cover"),
    (r"^\s*部门整体支出绩效自评表\s*$", "dept-form"),
    (r"评价组组长（签字）", "sign-off"),
    (r"^\s*评价指标体系及得分\s*$", "indicators"),
    (r"（续）", "continued"),
    (r"^\s*得分情况表\s*$", "score-summary"),
    (r"^\s*项目支出绩效自评表\s*$", "project-form"),
    (r"^\s*基础数据\s*$", "base-data"),
    (r"^\s*评分说明\s*$", "appendix"),
    (r"^\s*表\S*\s+\S+", "text-table"),
    (r"草稿（未评完）", "draft"),
]


def pages_text(pdf: Path) -> list[str]:
    out = subprocess.run(["pdftotext", "-layout", str(pdf), "-"], capture_output=True, text=True, check=True).stdout
    return out.split("\f")


def keep(pdf: Path, stem: str) -> list[Path]:
    """PNGs of the wanted pages of ``pdf``, named ``stem-<page>-<what>.png``."""
    texts = pages_text(pdf)
    chosen: dict[int, str] = {1: "first"}
    for pattern, what in WANTED:
        for n, text in enumerate(texts, 1):
            if re.search(pattern, text, re.M) and n not in chosen:
                chosen[n] = what
                break
    made = []
    for n, what in sorted(chosen.items()):
        target = OUT / f"{stem}-{n}-{what}"
        subprocess.run(["pdftoppm", "-png", "-r", DPI, "-f", str(n), "-l", str(n), "-singlefile", str(pdf),
                        str(target)], check=True)
        made.append(target.with_suffix(".png"))
    return made


def office_pdf(path: Path, work: Path) -> Path:
    env = dict(os.environ)
    alias = ROOT.parent / "shared" / "tools" / "fonts-alias.conf"
    if alias.exists():  # 宋体/黑体/仿宋 mapped to look-alikes, as on a clerk's PC
        env["FONTCONFIG_FILE"] = str(alias)
    folder = work / path.suffix.lstrip(".")  # not beside the app's own PDF of the same name
    subprocess.run(["soffice", "--headless", f"-env:UserInstallation=file://{work}/lo", "--convert-to", "pdf",
                    "--outdir", str(folder), str(path)], check=True, capture_output=True, env=env, timeout=300)
    return folder / (path.stem + ".pdf")


def main() -> int:
    from model import storage
    from model.paths import samples_dir
    from model.report import BasicInfo, Report

    for tool in ("pdftoppm", "pdftotext", "soffice"):
        if shutil.which(tool) is None:
            print(f"缺少 {tool}：请安装 poppler-utils 和 LibreOffice")
            return 2
    for old in OUT.glob("*.png"):
        old.unlink()
    blank_dir = tempfile.TemporaryDirectory()
    blank = Path(blank_dir.name) / "blank_hunan.jxzp.json"
    blank.write_text(storage.dumps(Report(template_id="hunan-dept", fiscal_year=2025,
                                          basic=BasicInfo(department="某县乡村振兴局"))), encoding="utf-8")
    for sample in [*sorted(samples_dir().glob("*.jxzp.json")), blank]:
        name = sample.name.removesuffix(".jxzp.json")
        with tempfile.TemporaryDirectory() as tmp:
            folder = Path(tmp)
            subprocess.run([sys.executable, str(ROOT / "main.py"), "export", str(sample), "-o", str(folder)],
                           check=True, capture_output=True)
            for path in sorted(p for p in folder.iterdir() if p.is_file()):
                kind = path.suffix.lstrip(".")
                if kind == "pdf":
                    made = keep(path, f"{name}_pdf")
                elif kind in ("xlsx", "docx"):
                    made = keep(office_pdf(path, folder), f"{name}_{kind}")
                else:
                    continue
                print(f"{name} {kind}: {', '.join(p.name for p in made)}")
        storage.load(sample)  # the sample still opens (sanity)
    return 0


if __name__ == "__main__":
    sys.exit(main())
