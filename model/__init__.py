"""Pure-Python core of 绩效自评填报助手: data, templates, rules, scoring, checks, storage.

Nothing in this package imports Qt; tests/model/test_no_qt.py keeps it that way.
"""
