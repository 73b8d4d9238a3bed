"""校验码: a short code of a report's content, printed on every exported page.

A county that receives a signed paper and a file can compare the code on the paper with the code
the 汇总 table shows for the file: the same code, the same report.  The code is the first 12 hex
digits of SHA-256 of the report as saved (``storage.to_data``) written as compact JSON with sorted
keys, so it does not depend on the file's layout, the field order or which version of the program
saved it, only on what the report says.

It leaves out one thing: the ``review`` block (审核分, 审核意见, 状态).  The county's reviewer writes
it into the unit's file after the unit signed its paper; counting it would make every reviewed file
disagree with the paper it came with.
"""
from __future__ import annotations

import hashlib
import json

from .report import Report
from .storage import to_data

LENGTH = 12  # hex digits: 48 bits, short enough to read aloud, no two reports of a county alike


def checksum(report: Report) -> str:
    data = to_data(report)
    data.pop("review", None)
    text = json.dumps(data, ensure_ascii=False, sort_keys=True, separators=(",", ":"))
    return hashlib.sha256(text.encode("utf-8")).hexdigest()[:LENGTH]
