"""A county of 30 reports made from the samples: varied units, scores and faults (issue 18 acceptance).

- 城关镇…: 12 project reports (xingxian_2022, 4 projects each), each project renamed after its
  unit, except that 东关镇 also files 城关镇's 雨露计划 project (the same project twice);
  高庄乡's 雨露计划 spent half its budget yet scores 95 (自评分 ≥ 95, 执行率 < 60 %);
  李村乡's 雨露计划 has every indicator at full marks with a 未完成原因 written;
  马坊乡's first project has an indicator left unscored (未评完).
- 17 department reports (shilong_2020, xiangxi_2021, yongxing_2020 in turn) of other units.
- 重复局 sent the same report twice (same 校验码): 30 files in all.
- 已审核 and 退回: 城关镇 reviewed (a 审核得分 of 0 on one indicator), 西关镇 returned.
"""
from __future__ import annotations

from decimal import Decimal

import pytest

from model import storage
from model.report import ReviewScore
from tests.conftest import SAMPLES

TOWNS = ["城关镇", "东关镇", "西关镇", "南关镇", "北关镇", "高庄乡", "李村乡", "马坊乡", "赵家乡", "钱家乡", "孙家乡", "周家乡"]
DEPTS = [f"县{n}局" for n in ("财政", "教育", "农业", "水利", "交通", "民政", "卫健", "林业", "文旅", "商务",
                              "审计", "统计", "人社", "应急", "住建", "发改")]
DEPT_SAMPLES = ("shilong_2020", "xiangxi_2021", "yongxing_2020")
UNIT_LIST = TOWNS + DEPTS + ["重复局", "未报局"]  # 未报局 sends nothing


def _load(name):
    return storage.load(SAMPLES / f"{name}.jxzp.json")


def build_county(folder):
    folder.mkdir(parents=True, exist_ok=True)
    for n, town in enumerate(TOWNS):
        r = _load("xingxian_2022")
        r.basic.department = town
        for p in r.projects:
            p.name = f"{town}{p.name}"
        yulu = r.projects[2]  # 雨露计划: 100 分, 执行率 100 %
        if town == "东关镇":
            yulu.name = "城关镇2021-2022年度雨露计划项目"
        if town == "高庄乡":
            yulu.funds_current.executed = yulu.funds_current.annual_budget / 2  # 执行率 50 % → 95 分
        if town == "李村乡":
            yulu.indicators[0].deviation_reason = "受疫情影响，部分学员推迟入学。"
        if town == "马坊乡":
            row = r.projects[0].indicators[0]
            row.actual, row.override = "", None
        if town == "城关镇":
            r.review.status = "已审核"
            r.review.reviewer = "县乡村振兴局 王审"
            r.review.opinion = "稳岗补助资金执行率低，扣减相关指标得分。"
            r.review.scores["project.0.row.0"] = ReviewScore(Decimal("0"), "人数未达标，佐证不足")
        if town == "西关镇":
            r.review.status = "退回"
            r.review.opinion = "请补充佐证材料后重新报送。"
        storage.save(r, folder / f"{n + 1:02d}_{town}.jxzp.json")
    for n, dept in enumerate(DEPTS + ["重复局"]):
        r = _load(DEPT_SAMPLES[n % 3])
        r.basic.department = dept
        storage.save(r, folder / f"{n + 20}_{dept}.jxzp.json")
    (folder / "copy").mkdir()
    storage.save(r, folder / "copy" / "重复局（再次报送）.jxzp.json")
    return folder


@pytest.fixture(scope="session")
def county(tmp_path_factory):
    return build_county(tmp_path_factory.mktemp("county") / "汇总")
