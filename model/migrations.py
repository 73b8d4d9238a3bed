"""Upgrades of the report file, one function per schema step.

``STEPS[n]`` turns the report data of version ``n`` into version ``n + 1``.
Version 1 is the first published format, so there is no step yet; when a field
changes, add ``STEPS[1] = _v1_to_v2``, bump CURRENT_VERSION and add a test
with a real v1 file in tests/model/data/.
"""
from __future__ import annotations

from typing import Callable

CURRENT_VERSION = 1

STEPS: dict[int, Callable[[dict], dict]] = {}


def upgrade(data, version: int, steps: dict[int, Callable[[dict], dict]] | None = None):
    """Apply every step from ``version`` up to CURRENT_VERSION (or the last step given)."""
    steps = STEPS if steps is None else steps
    target = max([CURRENT_VERSION, *(k + 1 for k in steps)])
    while version < target:
        step = steps.get(version)
        if step is None:
            from .storage import StorageError

            raise StorageError(f"文件格式 {version} 无法升级（缺少升级步骤），请联系开发者。")
        data = step(data)
        version += 1
    return data
