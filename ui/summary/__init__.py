"""The 汇总 window (文件 → 新建汇总): many units' reports in one table, reviewed one by one.

``window.SummaryWindow`` shows a ``model.summary.Summary`` through ``table.SummaryTableModel``
(sortable, filterable); ``review_dialog.ReviewDialog`` enters a reviewer's scores into one report.
"""
