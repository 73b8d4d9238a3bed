"""Merging someone else's save into the report a window has open (three-way, by field).

``base`` is the version the window read (``storage.to_data`` of it), ``ours`` the
window's report now, ``theirs`` the file on disk now.  Every field the other side
changed and we did not is copied from ``theirs``; when both changed the same
field (or the same list, when one side added or removed items) there is no
automatic merge and the clerk decides.
"""
from __future__ import annotations

from . import edits, storage
from .report import Report


def touches(path: str, changed) -> bool:
    for other in changed:
        if other == path:
            return True
        for a, b in ((other, path), (path, other)):
            if a.startswith(b) and a[len(b)] in ".[":
                return True
    return False


def _tokens_path(tokens: list) -> str:
    out = ""
    for t in tokens:
        out += f"[{t}]" if isinstance(t, int) else (f".{t}" if out else str(t))
    return out


def _unit(path: str, ours: Report, theirs: Report) -> str:
    """The smallest part containing ``path`` that can be copied whole from ``theirs`` into ``ours``:
    a list when an item was added or removed, a keyed group when an entry exists on one side only,
    the object when ours has none there."""
    tokens = edits.parse(path)
    if isinstance(tokens[-1], int):
        tokens = tokens[:-1]  # an item only one side has: the whole list
    while len(tokens) > 1:
        parent = _tokens_path(tokens[:-1])
        p_ours, p_theirs = edits.get_at(ours, parent), edits.get_at(theirs, parent)
        if p_ours is None or p_theirs is None:
            tokens = tokens[:-1]
            continue
        if isinstance(p_ours, dict) and (tokens[-1] not in p_ours or tokens[-1] not in p_theirs):
            tokens = tokens[:-1]
            continue
        if isinstance(p_ours, list) and (not isinstance(tokens[-1], int) or tokens[-1] >= len(p_ours)):
            tokens = tokens[:-1]
            continue
        break
    return _tokens_path(tokens)


def plan(base, ours: Report, theirs: Report, ours_data=None, theirs_data=None
         ) -> tuple[list[tuple[str, object]], list[str]]:
    """``(values, clashes)``: the (path, value from theirs) to set in ours, and the parts both sides
    changed.  Merge only when ``clashes`` is empty.  ``*_data``: their ``storage.to_data``, if at hand."""
    ours_changed = {p for p, _, _ in storage.diff(base, ours if ours_data is None else ours_data)}
    units: list[str] = []
    for path, _, _ in storage.diff(base, theirs if theirs_data is None else theirs_data):
        unit = _unit(path, ours, theirs)
        if unit not in units:
            units.append(unit)
    units = [u for u in units if not any(o != u and touches(u, [o]) and u.startswith(o) for o in units)]
    clashes = [u for u in units if touches(u, ours_changed)]
    values = [(u, edits.clone(edits.get_at(theirs, u))) for u in units]
    return values, clashes


def merged(base, ours: Report, theirs: Report) -> Report | None:
    """A copy of ``ours`` with the other side's changes, or None when both changed the same part."""
    values, clashes = plan(base, ours, theirs)
    if clashes:
        return None
    out = edits.clone(ours)
    for path, value in values:
        edits.set_at(out, path, edits.clone(value))
    return out
