"""Export speed: xlsx + pdf + docx of the largest sample and of a generated 50-project report,
beside the time LibreOffice takes to turn our xlsx into a PDF (target: ours < 1.5 s together
and under a quarter of LibreOffice's).

    python bench/export_speed.py
"""
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from bench.generate import large_report  # noqa: E402
from export import builder  # noqa: E402
from model import scoring, storage, templates  # noqa: E402
from model.paths import samples_dir  # noqa: E402


def timed(fn, runs=3):
    times = []
    for _ in range(runs):
        start = time.perf_counter()
        out = fn()
        times.append(time.perf_counter() - start)
    return statistics.median(times), out


def libreoffice_seconds(xlsx: bytes) -> float | None:
    office = shutil.which("libreoffice") or shutil.which("soffice")
    if not office:
        return None
    with tempfile.TemporaryDirectory() as folder:
        src = Path(folder) / "r.xlsx"
        src.write_bytes(xlsx)
        cmd = [office, f"-env:UserInstallation=file://{folder}/profile", "--headless", "--convert-to", "pdf",
               "--outdir", folder, str(src)]
        subprocess.run(cmd, capture_output=True, timeout=300)  # first run creates the profile
        start = time.perf_counter()
        subprocess.run(cmd, capture_output=True, timeout=300)
        return time.perf_counter() - start


def main():
    largest = max(samples_dir().glob("*.jxzp.json"), key=lambda p: p.stat().st_size)
    cases = [(largest.name, storage.load(largest)), ("生成：50 项目 × 10 指标", large_report())]
    print(f"{'报告':<28}{'xlsx':>8}{'pdf':>8}{'docx':>8}{'合计':>8}{'LibreOffice xlsx→pdf':>22}{'比值':>8}")
    for name, report in cases:
        tpl = templates.get(report.template_id)
        result = scoring.score(report, tpl)
        row, xlsx = {}, b""
        for kind in ("xlsx", "pdf", "docx"):
            seconds, data = timed(lambda k=kind: builder(k)(report, tpl, result))
            row[kind] = seconds
            if kind == "xlsx":
                xlsx = data
        total = sum(row.values())
        office = libreoffice_seconds(xlsx)
        ratio = f"{total / office:.2f}" if office else "—"
        office_text = f"{office:.2f}s" if office else "未安装"
        print(f"{name:<28}{row['xlsx']:>7.2f}s{row['pdf']:>7.2f}s{row['docx']:>7.2f}s{total:>7.2f}s{office_text:>22}{ratio:>8}")
    print("目标：合计 < 1.5 s，且小于 LibreOffice 转换时间的 1/4（比值 < 0.25）")


if __name__ == "__main__":
    main()
