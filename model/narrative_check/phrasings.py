"""How reports write a figure after its label: the phrasing families the check reads.

- amount: "基本支出543,923.64元", "…支出决算数为828.93万元", "…共计0.29亿元";
- share: "，占比1.87%", "，占87.79%", "，占基本支出的72.85%", "，占本年支出合计的100.00%",
  "，所占比重为9.81%", "，占支出总额的比例为…%";
- completion: "，完成全年预算（20,000.00元）的104.90%";
- change after the amount: "，比上年（度）/较上年决算数/较2021年/同比 增加|减少|增长|下降|增支|减支 …元/万元，
  增长|下降|增幅|降幅（为）…%", the amount or the percent alone, "，与上年持平/相同";
- change before it: "与2021年相比，财政拨款支出减少…元，下降…%";
- rate: "预算执行率为93.63%", "执行率-8.65%";
- score: "自评得分为83.73分", "产出指标分值共计50分，本项目实际得分42分", "…执行率得 1.73 分";
- grade: "评价等次为“良”", "自评等级：优秀".

Amounts in 元/万元/亿元, with or without 千分位; full-width digits are read as ASCII ones.
"""
from __future__ import annotations

import re
from decimal import Decimal

NUM = r"(?:\d{1,3}(?:,\d{3})+(?:\.\d+)?|\d+(?:\.\d+)?)"
UNIT = r"亿元|万元|元"
SEP = r"[，,]?\s*"
UNIT_FACTOR = {"元": Decimal(1), "万元": Decimal(10000), "亿元": Decimal(100000000)}
DIGITS = str.maketrans("０１２３４５６７８９．％", "0123456789.%")

AMOUNT_TAIL = re.compile(
    r"\s*(?:决算数|决算|实际支出|支出|总额|合计|共计|共)?\s*(?:为|是|达到|达|：|:)?\s*"
    rf"(?P<num>{NUM})\s*(?P<unit>{UNIT})")
RATE_TAIL = re.compile(rf"\s*(?:为|是|达到|达|：|:)?\s*(?P<sign>[-−])?\s*(?P<num>{NUM})\s*[%％]")
SHARE = re.compile(
    rf"{SEP}所?占(?:(?P<of>[^，。；;,、%\d\n]{{1,24}}?)的)?(?:比重|比例|比)?\s*(?:为|是|达到|达)?\s*"
    rf"(?P<num>{NUM})\s*[%％]")
COMPLETION = re.compile(
    rf"{SEP}(?:完成|为)全年预算(?:数)?(?:\s*[（(]?\s*(?:{NUM})\s*(?:{UNIT})[）)]?)?的\s*(?P<num>{NUM})\s*[%％]")

# last year, as the texts name it: 上年（度）、上一年度、去年、2021年（度）, with 同期/决算数
_BASE = r"(?:上年度?|上一年度?|去年|(?P<year>\d{4})年度?)(?:同期)?(?:决算数?|实际数?)?"
_UP = ("增加", "增长", "增支", "上升", "增幅", "提高")
_VERB = r"增加|减少|增长|下降|增支|减支|上升|降低|提高"
_TREND = r"增长|下降|增幅|降幅|上升|降低|减少|增加|提高"
_PCT = rf"(?P<trend>{_TREND})(?:了|为|幅度为)?\s*(?P<pct>{NUM})\s*[%％]"
_AMT = rf"(?P<verb>{_VERB})(?:了)?\s*(?P<amt>{NUM})\s*(?P<unit>{UNIT})(?:{SEP}{_PCT})?"
# after the amount: "，比上年减少16,869.00元，下降44.57%" / "，同比增长5%" / "，较上年决算数增加…"
CHANGE = re.compile(rf"{SEP}(?:(?:较|比)\s*{_BASE}|同比)\s*(?:{_AMT}|{_PCT.replace('trend', 'trend2').replace('pct', 'pct2')})")
SAME = re.compile(rf"{SEP}(?:与|和|同|较|比)\s*{_BASE}(?:相比)?\s*(?:持平|相同|一致|没有变化|无变化)")
# the comparison said before the label: "与2021年相比，财政拨款支出减少…"
COMPARED_BEFORE = re.compile(rf"(?:与|同|较|比)\s*{_BASE}\s*相比")
CHANGE_INLINE = re.compile(rf"\s*(?:决算数)?\s*{_AMT}")

SCORE_TAIL = re.compile(
    rf"\s*(?:指标)?(?:[^，。；\d]{{0,12}}?分值(?:共计|为)?\s*{NUM}\s*分{SEP}(?:本项目|该项目|其中)?)?"
    rf"\s*(?:实际)?(?:得分|得)?\s*(?:为|是|：|:)?\s*(?P<num>{NUM})\s*分(?!值)")
GROUP_SCORE_TAIL = re.compile(
    rf"\s*(?:指标)?(?:[^，。；\d]{{0,12}}?分值(?:共计|为)?\s*{NUM}\s*分{SEP}(?:本项目|该项目|其中)?)?"
    rf"\s*(?:实际)?(?:得分|得)\s*(?:为|是|：|:)?\s*(?P<num>{NUM})\s*分(?!值)")
GRADE_TAIL = re.compile(r"\s*(?:为|是|：|:)?\s*[“\"‘「]?(?P<grade>优秀|良好|中等|优|良|中|差)(?P<close>[”\"’」])?")


def up(word: str) -> bool:
    """A verb or trend word of increase."""
    return word in _UP


def other_year(m: re.Match, fiscal_year: int) -> bool:
    """The comparison names a year that is not the one before the report's."""
    year = m.group("year")
    return year is not None and int(year) != fiscal_year - 1
