"""Import the approved 绩效目标表 so that only actuals are left to type.

* ``read``: find the tables in a workbook's grids (.xlsx/.xls via
  ``workbook.read_workbook``) by their indicator header — one per sheet,
  several stacked in a sheet, or one long table with a 项目名称 column — and
  read each as written (``columns``: the words that name each field and column);
* ``weights``: the table's 分值 checked against the template, or the
  template's proposal where it has none;
* ``plan``: match tables to the report's projects by name, place rows under
  the template's 一级/二级, list old → new, and ``apply`` as one step; the
  department's 整体绩效目标表 fills ``dept_goals`` and ``basic.performance_goal``.

``export.targets`` writes a report's targets back in the layout read here.
"""
from ..common import describe
from .plan import TargetsError, TargetsPlan, apply, has_updates, plan_tables, preview, preview_text
from .read import TargetRow, TargetTable, read_tables
from .weights import propose

__all__ = ["TargetsError", "TargetsPlan", "apply", "describe", "has_updates", "plan_tables", "preview", "preview_text",
           "TargetRow", "TargetTable", "read_tables", "propose"]
