"""校验码 (model.checksum): changes when the report changes and not otherwise; printed on every page."""
from __future__ import annotations

import copy
import shutil
import subprocess
from decimal import Decimal

import pytest

from model import storage
from model.checksum import LENGTH, checksum
from model.report import ReviewScore
from tests.conftest import SAMPLES


def sample(name: str = "xingxian_2022"):
    return storage.load(SAMPLES / f"{name}.jxzp.json")


def test_twelve_hex_digits_and_stable_over_save_and_load(tmp_path):
    report = sample()
    code = checksum(report)
    assert len(code) == LENGTH and int(code, 16) >= 0
    path = tmp_path / "r.jxzp.json"
    storage.save(report, path)
    assert checksum(storage.load(path)) == code
    storage.save(storage.load(path), path)  # saved again by another program run: the same content
    assert checksum(storage.load(path)) == code
    assert checksum(copy.deepcopy(report)) == code


def test_any_change_of_content_changes_it():
    report = sample()
    code = checksum(report)
    seen = {code}
    for edit in (lambda r: setattr(r.projects[0].indicators[0], "actual", "1272人"),
                 lambda r: setattr(r.projects[1].funds_current, "executed", Decimal("100.01")),
                 lambda r: setattr(r.basic, "contact_person", "王五"),
                 lambda r: r.narrative.__setitem__("overview", "改过的文字")):
        edited = copy.deepcopy(report)
        edit(edited)
        seen.add(checksum(edited))
    assert len(seen) == 5


def test_the_county_review_leaves_it_alone(tmp_path):
    """The reviewer writes into the unit's file after the unit signed: the paper must still match."""
    report = sample()
    code = checksum(report)
    report.review.status = "已审核"
    report.review.opinion = "同意"
    report.review.scores["project.0.row.0"] = ReviewScore(Decimal("3"), "佐证不足")
    path = tmp_path / "r.jxzp.json"
    storage.save(report, path)
    assert checksum(storage.load(path)) == code


def test_printed_in_xlsx_footer_and_docx_footer():
    import io
    import zipfile
    import xml.etree.ElementTree as ET

    from export.docx import build_docx
    from export.xlsx import build_xlsx
    from model.scoring import score
    from model.templates import get

    report = sample()
    tpl = get(report.template_id)
    result = score(report, tpl)
    code = checksum(report)
    MAIN = "http://schemas.openxmlformats.org/spreadsheetml/2006/main"
    book = zipfile.ZipFile(io.BytesIO(build_xlsx(report, tpl, result)))
    sheets = [n for n in book.namelist() if n.startswith("xl/worksheets/sheet")]
    footers = [ET.fromstring(book.read(n)).find(f"{{{MAIN}}}headerFooter/{{{MAIN}}}oddFooter").text for n in sheets]
    assert sheets and all(f.endswith(f"校验码 {code}") for f in footers)
    doc = zipfile.ZipFile(io.BytesIO(build_docx(report, tpl, result)))
    assert any(f"校验码 {code}" in doc.read(n).decode() for n in doc.namelist() if n.startswith("word/footer"))


@pytest.mark.skipif(not shutil.which("pdftotext"), reason="poppler-utils (pdftotext) not installed")
def test_printed_on_every_pdf_page(tmp_path):
    from export.pdf import build_pdf
    from model.scoring import score
    from model.templates import get

    report = sample("shilong_2020")
    tpl = get(report.template_id)
    path = tmp_path / "r.pdf"
    path.write_bytes(build_pdf(report, tpl, score(report, tpl)))
    pages = subprocess.run(["pdftotext", str(path), "-"], capture_output=True, text=True, check=True).stdout
    pages = pages.split("\f")[:-1]
    assert len(pages) > 10
    assert all(f"校验码 {checksum(report)}" in page for page in pages)
