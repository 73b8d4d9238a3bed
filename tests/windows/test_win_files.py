"""Under the Windows Python (Wine, cp936): exports equal to the Linux ones, saving on Windows semantics,
and import-final of the test workbooks (issue #13)."""
from __future__ import annotations

import json
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

from tests.windows.winenv import ROOT, win_path

SAMPLES = sorted((ROOT / "resources" / "samples").glob("*.jxzp.json"))
WORKBOOKS = sorted((ROOT / "tests" / "importers" / "data").glob("*.xls*"))


def run_batch(win, tmp: Path, jobs: list[dict]) -> list[dict]:
    for i, job in enumerate(jobs):
        job.setdefault("mode", "pipe")
        job["out"], job["err"] = win_path(tmp / f"{i}.out"), win_path(tmp / f"{i}.err")
    (tmp / "jobs.json").write_text(json.dumps(jobs, ensure_ascii=False), encoding="utf-8")
    rcs = win.probe("batch", win_path(tmp / "jobs.json"), env=win.env(JXZP_DATA_DIR=win_path(tmp / "data")))
    return [{"rc": r["rc"], "out": (tmp / f"{i}.out").read_bytes().decode("utf-8").replace("\r\n", "\n"),
             "err": (tmp / f"{i}.err").read_bytes().decode("utf-8").replace("\r\n", "\n")} for i, r in enumerate(rcs)]


# ------------------------------------------------------------------ exports

def pdf_pages(path: Path) -> list[str]:
    info = subprocess.run(["pdfinfo", str(path)], capture_output=True, text=True, check=True).stdout
    pages = int(next(line.split()[-1] for line in info.splitlines() if line.startswith("Pages:")))
    return [subprocess.run(["pdftotext", "-layout", "-enc", "UTF-8", "-f", str(i), "-l", str(i), str(path), "-"],
                           capture_output=True, text=True, check=True).stdout for i in range(1, pages + 1)]


def xlsx_cells(path: Path) -> dict:
    import openpyxl

    wb = openpyxl.load_workbook(path)
    return {ws.title: [[c.value for c in row] for row in ws.iter_rows()] for ws in wb.worksheets}


def docx_text(path: Path) -> tuple[list[str], list[list[list[str]]]]:
    import docx

    d = docx.Document(str(path))
    return [p.text for p in d.paragraphs], [[[c.text for c in r.cells] for r in t.rows] for t in d.tables]


@pytest.fixture(scope="module")
def windows_exports(win, tmp_path_factory):
    tmp = tmp_path_factory.mktemp("exports")
    jobs = [{"args": ["export", win_path(s), "-o", win_path(tmp / s.name.split(".")[0])]} for s in SAMPLES]
    results = run_batch(win, tmp, jobs)
    for sample, result in zip(SAMPLES, results):
        assert result["rc"] == 0 and "Traceback" not in result["err"], (sample.name, result)
    return tmp


def test_windows_uses_the_bundled_font_under_wine(win):
    found = win.probe("fonts")
    assert found["dirs"][0].lower() == r"c:\windows\fonts"
    assert set(found["roles"].values()) == {"wqy-microhei.ttc#0"}, found


@pytest.mark.skipif(shutil.which("pdftotext") is None, reason="没有 pdftotext（poppler-utils）")
@pytest.mark.parametrize("sample", SAMPLES, ids=lambda p: p.name.split(".")[0])
def test_pdf_same_pages_and_text(windows_exports, linux_exports, sample):
    name = sample.name.split(".")[0]
    (win_pdf,), (lin_pdf,) = (list((base / name).glob("*.pdf")) for base in (windows_exports, linux_exports))
    got, want = pdf_pages(win_pdf), pdf_pages(lin_pdf)
    assert len(got) == len(want)
    for i, (g, w) in enumerate(zip(got, want), 1):
        assert g == w, f"page {i} differs"


@pytest.mark.parametrize("sample", SAMPLES, ids=lambda p: p.name.split(".")[0])
def test_xlsx_and_docx_same_content(windows_exports, linux_exports, sample):
    name = sample.name.split(".")[0]
    (win_x,), (lin_x,) = (list((b / name).glob("*.xlsx")) for b in (windows_exports, linux_exports))
    assert xlsx_cells(win_x) == xlsx_cells(lin_x)
    (win_d,), (lin_d,) = (list((b / name).glob("*.docx")) for b in (windows_exports, linux_exports))
    assert docx_text(win_d) == docx_text(lin_d)


# ------------------------------------------------------------------ saving on Windows semantics

@pytest.fixture(scope="module")
def storage_cases(win, tmp_path_factory):
    tmp = tmp_path_factory.mktemp("storage")
    return {r["case"]: r for r in win.probe("storage", win_path(tmp / "存储 测试"))}


def chinese(message: str) -> bool:
    return any("\u4e00" <= ch <= "\u9fff" for ch in message) and "Traceback" not in message


def test_no_case_raised_anything_but_the_chinese_error(storage_cases):
    bad = {k: r["message"] for k, r in storage_cases.items() if r["outcome"] == "traceback"}
    assert not bad, bad


@pytest.mark.parametrize("case", ["held_open_python", "held_open_exclusive"])
def test_file_open_elsewhere(storage_cases, case):
    r = storage_cases[case]
    assert r["outcome"] == "error" and "占用" in r["message"] and chinese(r["message"]), r
    assert r["intact"], r
    assert not [n for n in r["left"] if n.endswith(".tmp")], r


def test_handle_gone_within_the_retry_saves(storage_cases):
    r = storage_cases["released_during_retry"]
    assert r["outcome"] == "ok" and r["loads"], r


def test_read_only_file(storage_cases):
    r = storage_cases["read_only"]
    assert r["outcome"] == "error" and "只读" in r["message"] and r["intact"], r


def test_long_chinese_path_with_spaces(storage_cases):
    """Windows without LongPathsEnabled (and Wine) refuse 260+ characters: said so, in Chinese."""
    r = storage_cases["long_chinese_path"]
    if r["outcome"] == "ok":
        assert r["loads"] and r["bak"], r
    else:
        assert "260" in r["message"] and chinese(r["message"]), r


@pytest.mark.parametrize("name", ["CON.jxzp.json", "con.jxzp.json", "NUL", "LPT1.jxzp.json", "报告:草稿.jxzp.json",
                                  "报告.jxzp.json.", "报告.jxzp.json ", "a?b.jxzp.json"])
def test_names_windows_cannot_hold(storage_cases, name):
    r = storage_cases[f"bad_name:{name}"]
    assert r["outcome"] == "error" and "Windows" in r["message"] and chinese(r["message"]), r
    assert r["left"] == [], r  # nothing written, not even a temp file


def test_autosave_goes_to_localappdata(storage_cases):
    r = storage_cases["autosave_into_user_data"]
    assert r["outcome"] == "ok" and r["loads"], r
    assert r["folder"].lower().endswith(r"appdata\local\jxzp\recovery"), r


# ------------------------------------------------------------------ import-final

def test_import_final_of_the_test_workbooks(win, tmp_path):
    from model import storage
    from model.report import Report

    jobs, lin = [], []
    for i, wb in enumerate(WORKBOOKS):
        for side, base in (("win", tmp_path / "win"), ("lin", tmp_path / "lin")):
            base.mkdir(exist_ok=True)
            storage.save(Report(template_id="mof-project-2020", fiscal_year=2022, display_unit="yuan"),
                         base / f"兴县 {i}.jxzp.json")
        for dry in (["--dry-run"], []):
            jobs.append({"args": ["import-final", win_path(tmp_path / "win" / f"兴县 {i}.jxzp.json"), win_path(wb), *dry]})
            lin.append(subprocess.run([sys.executable, str(ROOT / "main.py"), "import-final",
                                       str(tmp_path / "lin" / f"兴县 {i}.jxzp.json"), str(wb), *dry],
                                      capture_output=True, text=True, encoding="utf-8", cwd=ROOT,
                                      env={"PYTHONIOENCODING": "utf-8", "JXZP_DATA_DIR": str(tmp_path / "d"),
                                           "PATH": "/usr/bin:/bin"}))
    results = run_batch(win, tmp_path, jobs)
    for job, got, want in zip(jobs, results, lin):
        norm = got["out"].replace(job["args"][1], str(tmp_path / "lin" / Path(job["args"][1].replace("\\", "/")).name))
        norm = norm.replace(job["args"][2], str(Path(job["args"][2][2:].replace("\\", "/"))))
        err = got["err"].replace(job["args"][2], str(Path(job["args"][2][2:].replace("\\", "/"))))
        assert "Traceback" not in got["err"], got["err"]
        assert (got["rc"], norm, err) == (want.returncode, want.stdout, want.stderr), job["args"]
    for i, _ in enumerate(WORKBOOKS):
        win_doc = json.loads((tmp_path / "win" / f"兴县 {i}.jxzp.json").read_text(encoding="utf-8"))
        lin_doc = json.loads((tmp_path / "lin" / f"兴县 {i}.jxzp.json").read_text(encoding="utf-8"))
        assert win_doc == lin_doc
