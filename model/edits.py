"""Reading and changing report fields by path, the unit of every edit and undo.

A path names one place in the report: ``basic.department``,
``finance.units[0].general_budget``, ``projects[1].indicators[2].weight``,
``answers.goal_basis.value`` (dict keys after a dot).  The UI's undo commands
are thin wrappers around ``set_at`` / ``insert_at`` / ``remove_at`` /
``move_at``, each of which returns what is needed to undo it.
"""
from __future__ import annotations

import copy
import re
from typing import Any

_TOKEN = re.compile(r"([^.\[\]]+)|\[(\d+)\]")


class PathError(KeyError):
    pass


def parse(path: str) -> list:
    tokens = []
    for name, index in _TOKEN.findall(path):
        tokens.append(int(index) if index else name)
    if not tokens:
        raise PathError(path)
    return tokens


def _step(obj, token, create: bool = False):
    if isinstance(token, int):
        return obj[token]
    if isinstance(obj, dict):
        if token not in obj:
            if not create:
                return None
            from .report import IndicatorAnswer

            obj[token] = IndicatorAnswer()  # answers are the only dict of objects
        return obj[token]
    if not hasattr(obj, token):
        raise PathError(token)
    return getattr(obj, token)


def get_at(root, path: str) -> Any:
    obj = root
    for token in parse(path):
        if obj is None:
            return None
        obj = _step(obj, token)
    return obj


def _parent(root, path: str, create: bool = True):
    tokens = parse(path)
    obj = root
    for token in tokens[:-1]:
        obj = _step(obj, token, create)
    return obj, tokens[-1]


def set_at(root, path: str, value) -> Any:
    """Set the value at ``path``; returns the previous value."""
    parent, last = _parent(root, path)
    if isinstance(last, int) or isinstance(parent, dict):
        old = parent[last] if (isinstance(last, int) or last in parent) else None
        parent[last] = value
        return old
    if not hasattr(parent, last):
        raise PathError(path)
    old = getattr(parent, last)
    setattr(parent, last, value)
    return old


def insert_at(root, list_path: str, index: int, item) -> None:
    items = get_at(root, list_path)
    items.insert(index, item)


def remove_at(root, list_path: str, index: int):
    """Remove and return the item (for undo)."""
    return get_at(root, list_path).pop(index)


def move_at(root, list_path: str, src: int, dst: int) -> None:
    items = get_at(root, list_path)
    items.insert(dst, items.pop(src))


def clone(obj):
    """A deep copy, for 复制项目 and for keeping removed items for undo."""
    return copy.deepcopy(obj)
