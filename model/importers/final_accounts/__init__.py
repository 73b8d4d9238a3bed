"""Import the 部门决算公开 tables (公开01–10表) from the finance system's workbook.

Reading happens in three steps, each testable alone (one module per job):

1. ``workbook.read_workbook``: .xlsx/.xls → plain grids (merged cells resolved).
2. ``read.read_tables``: find each table **by its title text** anywhere in the
   workbook (``layout``: never by sheet order, sheet name or table number:
   provinces number and order them differently, and some stack every table on
   one sheet, which is then split at the title rows), read its header and
   金额单位 (元/万元), and pull out the figures with their cells → ``FinalAccounts``
   (``figures``), one reader per table kind: ``overview`` (公开01/04表),
   ``coded`` (公开02/03/05/08/09表), ``detail`` (06), ``three_public`` (07),
   ``info`` (10).  Amounts no reader placed are 警告s.
3. ``preview.preview(path, report)`` maps them onto report fields
   (``mapping``), runs the tables' own sums (``cross_checks``) and compares
   with the report → ``ImportResult`` (changes old → new with their source
   cells, problems, precision), without touching the report;
   ``apply(report, result)`` writes the changes, marks each path in
   ``report.provenance`` as "imported" and records ``report.source_precision``.

Mapping into the report (all into ``finance.units[0]``, created as “本级” when
the report has none; with several units the first gets the figures and a
提示 says so):

* 一般公共预算/政府性基金/国有资本经营预算财政拨款收入: the split in
  财政拨款收入支出决算总表 (else 收入支出决算总表's income rows, else all of
  收入决算表's 财政拨款收入 as 一般公共预算 with a 提示).
* 上级补助/事业/经营/附属单位上缴/其他收入: 收入决算表's 合计 row (else the
  总表's income rows).
* 项目支出, 上缴上级支出, 经营支出, 对附属单位补助支出 and every coded row
  (类/款/项 with 合计/基本/项目) of ``finance.functional_rows``: 支出决算表.
* 基本支出 = 支出决算表's 基本支出, split into 人员经费 and 公用经费 by this rule:
  (a) when 一般公共预算财政拨款基本支出决算(明细)表 gives 基本支出 figures for
  人员经费合计 and 公用经费合计 that add up to 基本支出, use them;
  (b) otherwise, when 相关信息统计表 gives 机关运行经费, 公用经费 = 机关运行经费
  and 人员经费 = 基本支出 − 机关运行经费.  机关运行经费 is by definition the
  公用经费 part of a 行政/参公 unit's 财政拨款基本支出, and the 明细表 that many
  provinces publish (seed 002's 公开06表) mixes 项目支出 into 人员经费/公用经费
  by economic class, so its totals (10,035,725.08 + 17,231,165.20 = all
  27,266,890.28 of 一般公共预算 spending) are not the basic split.  This is how
  resources/samples/xingxian_2022.jxzp.json was built from seed 002;
  (c) otherwise all of 基本支出 goes to 人员经费 and a 警告 asks for the split.
* 年初/年末结转和结余: 收入支出决算总表.
* 三公经费 决算 by kind → ``units[0].three_public``; 预算 →
  ``finance.three_public_budget`` (小计/合计 columns are not imported: computed).
* 财政拨款支出 / 一般公共预算财政拨款支出 → ``finance.fiscal_expenditure`` /
  ``general_expenditure``: 财政拨款收入支出决算总表's 本年支出合计 (合计 and
  一般公共预算 columns; the latter else 一般公共预算财政拨款支出决算表's 合计).
* 上年 columns, where a table prints them (总表, 财政拨款总表, 三公经费表) →
  ``finance.prior``.
* 政府采购 货物/工程/服务, 机关运行经费 (行政单位 + 参公), 车辆数 (合计, else the
  sum of the kinds): 相关信息统计表.

Blank cells, “——”, “本表无数据” mean nothing to report and are imported as
empty (None), never as a typed 0.  A figure that cannot be read, a file that
is not a workbook, a workbook without any 决算 table or a table whose amount
column cannot be found raise ``FinalAccountsError`` naming the table, sheet,
row and column, and nothing changes.
"""
from ..common import describe
from .figures import FinalAccounts
from .preview import apply, has_updates, imported_paths, preview, preview_text
from .read import read_tables
from .layout import find_tables
from .text import TABLE_NAMES, FinalAccountsError, label_of, norm, title_kind

__all__ = ["FinalAccountsError", "FinalAccounts", "read_tables", "preview", "apply", "preview_text", "describe",
           "has_updates", "imported_paths", "TABLE_NAMES", "norm", "label_of", "title_kind", "find_tables"]
