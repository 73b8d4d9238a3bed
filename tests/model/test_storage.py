import json
import os
from decimal import Decimal as D

import pytest

from model import migrations, storage
from model.report import FundsRow, IndicatorAnswer, Override, Project, ProjectIndicator, Report, UnitFinance
from model.storage import StorageError


def _report():
    r = Report(template_id="mof-project-2020", fiscal_year=2022)
    r.basic.department = "兴县乡村振兴局"
    r.finance.units.append(UnitFinance(name="局机关", general_budget=D("27274348.52"), other_income=D("0.01")))
    r.answers["x"] = IndicatorAnswer(value=D("95.5"), items=[True, False], override=Override(D("1.5"), "理由"))
    r.projects.append(Project(name="雨露计划", funds_current=FundsRow(D("5202000"), D("5202000"), D("5202000")),
                              indicators=[ProjectIndicator(level1="output", name="资助学生数量", weight=D("10"))]))
    r.published["summary.income_total"] = D("31066335.81")
    return r


def test_round_trip_keeps_every_field_exact(tmp_path):
    r = _report()
    path = tmp_path / "报告 一.jxzp.json"
    storage.save(r, path)
    assert storage.load(path) == r


def test_amounts_are_strings_in_the_file(tmp_path):
    path = tmp_path / "r.jxzp.json"
    storage.save(_report(), path)
    doc = json.loads(path.read_text(encoding="utf-8"))
    assert doc["format"] == "jxzp-report" and doc["schema_version"] == storage.SCHEMA_VERSION
    assert doc["report"]["finance"]["units"][0]["general_budget"] == "27274348.52"


def test_save_keeps_previous_version_as_backup(tmp_path):
    path = tmp_path / "r.jxzp.json"
    r = _report()
    storage.save(r, path)
    first = path.read_bytes()
    r.basic.department = "改名后"
    storage.save(r, path)
    assert (tmp_path / "r.jxzp.json.bak").read_bytes() == first
    assert storage.load(path).basic.department == "改名后"
    assert [p.name for p in tmp_path.iterdir() if p.name.endswith(".tmp")] == []


@pytest.mark.parametrize("content,needle", [
    (b"", "\u635f\u574f"),  # 损坏
    (b'{"format": "jxzp-report", "schema_version": 1, "report": {"basic": {"depart', "\u635f\u574f"),
    (b'{"hello": 1}', "\u4e0d\u662f"),  # 不是
    (b'[1, 2]', "\u4e0d\u662f"),
    (b'{"format": "jxzp-report", "schema_version": 99, "report": {}}', "\u5347\u7ea7"),  # 升级
    (b'{"format": "jxzp-report", "schema_version": "1", "report": {}}', "\u7248\u672c"),
    (b'{"format": "jxzp-report", "schema_version": 1, "report": {"fiscal_year": "abc"}}', "fiscal_year"),
    (b'{"format": "jxzp-report", "schema_version": 1, "report": {"finance": {"initial_budget": 1.5}}}', "initial_budget"),
    (b'{"format": "jxzp-report", "schema_version": 1, "report": {"finance": {"initial_budget": "x1"}}}', "initial_budget"),
    (b"\xff\xfe\x00garbage", "UTF-8"),
])
def test_bad_files_give_a_chinese_error_and_change_nothing(tmp_path, content, needle):
    path = tmp_path / "bad.jxzp.json"
    path.write_bytes(content)
    with pytest.raises(StorageError) as e:
        storage.load(path)
    assert needle in str(e.value)
    assert path.read_bytes() == content


def test_missing_file():
    with pytest.raises(StorageError, match="找不到"):
        storage.load("/nonexistent/x.jxzp.json")


def test_failed_save_leaves_the_old_file(tmp_path):
    path = tmp_path / "r.jxzp.json"
    storage.save(_report(), path)
    before = path.read_bytes()
    os.chmod(tmp_path, 0o500)
    try:
        if os.access(tmp_path, os.W_OK):  # running as root: permissions do not bite
            pytest.skip("root can write into read-only folders")
        with pytest.raises(StorageError, match="原文件未改动"):
            storage.save(Report(), path)
    finally:
        os.chmod(tmp_path, 0o700)
    assert path.read_bytes() == before


def test_migrations_run_in_order_from_an_old_version():
    """The upgrade chain applies each step once, oldest first (real steps get their own tests)."""
    steps = {1: lambda d: {**d, "a": 2}, 2: lambda d: {**d, "b": d["a"] + 1}}
    assert migrations.upgrade({"a": 1}, 1, steps) == {"a": 2, "b": 3}
    assert migrations.upgrade({"x": 0}, migrations.CURRENT_VERSION) == {"x": 0}


def test_a_gap_in_the_chain_is_an_error():
    with pytest.raises(StorageError, match="无法升级"):
        migrations.upgrade({}, 1, {2: lambda d: d})


def test_new_files_are_not_private_and_existing_modes_are_kept(tmp_path):
    path = tmp_path / "r.jxzp.json"
    storage.save(_report(), path)
    assert path.stat().st_mode & 0o044  # readable by others as with any saved document
    os.chmod(path, 0o600)
    storage.save(_report(), path)
    assert path.stat().st_mode & 0o777 == 0o600
