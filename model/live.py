"""The score and the problems of a report being edited, recomputed in parts after each edit.

``Live(report, tpl)`` scores and checks the whole report once; ``edited(path)`` then redoes
only what an edit at ``path`` can change:

- inside one project (``projects[3].indicators[1].weight``, or a row added to its table):
  that project's score and its checks;
- anywhere else (basic info, finance, answers, narrative…): the ratios, the department
  indicators and the report-wide checks.  A project's score depends on the project and the
  project template alone (``scoring.score_project`` takes nothing else), so every project's
  score and checks are kept; only a change of the display unit redoes the projects' checks
  (their messages print amounts in it);
- the list of projects itself (a project added, removed, moved): projects are matched by
  object, a project that only moved keeps its score with the keys renumbered
  (``scoring.reindexed``) and is checked again (its messages name its position); new ones
  are scored;
- ``""`` (an import, a roll-forward: anything may have changed): everything.

Problems that did not change stay the *same objects* from one edit to the next, so a view
can tell what changed by identity (the 复核 list updates only those rows).
Pure Python, no Qt: ``ui.document.Document`` holds one.
"""
from __future__ import annotations

import re

from . import checks, scoring
from . import templates as templates_mod
from .report import Report
from .templates import Template

_PROJECT = re.compile(r"projects\[(\d+)\](?:[.\[]|$)")
_SEVERITIES = tuple(sorted(checks.SEVERITY_ORDER, key=checks.SEVERITY_ORDER.get))


def _split(items) -> tuple[list, ...]:
    """Problems by severity, in the order ``checks.ordered`` lists them."""
    out = tuple([] for _ in _SEVERITIES)
    for p in items:
        out[checks.SEVERITY_ORDER[p.severity]].append(p)
    return out


def _interned(new: list, old) -> list:
    """``new`` with each problem equal to one in ``old`` replaced by that (older) object."""
    if not old or not new:
        return new
    pool: dict = {}
    for p in old:
        pool.setdefault(p, []).append(p)
    out = []
    for p in new:
        same = pool.get(p)
        out.append(same.pop() if same else p)
    return out


class Live:
    def __init__(self, report: Report, tpl: Template):
        self.report, self.tpl = report, tpl
        self.result: scoring.ScoreResult | None = None
        self.problems: list = []
        self.rescored: tuple = ()  # what the last update recomputed (for tests and the bench)
        self._objects: list = []  # the Project object scored at each position
        self._project_problems: list[tuple[list, ...]] = []  # per position, split by severity
        self._general: list = []
        self._unit = report.display_unit
        self.full()

    # ------------------------------------------------------------ updates
    def full(self):
        """Score and check everything (a report opened, or an edit that may have changed anything)."""
        r, tpl = self.report, self.tpl
        self.result = scoring.score(r, tpl)
        # the projects scored (none when the template has no project form: then none ever is)
        self._objects = list(r.projects) if len(self.result.projects) == len(r.projects) else []
        old = self._project_problems
        self._project_problems = [
            tuple(_interned(s, old[i][k] if i < len(old) else ()) for k, s in
                  enumerate(_split(checks.project_checks(r, tpl, self.result, i))))
            for i in range(len(self.result.projects))]
        self._unit = r.display_unit
        self.rescored = ("all",)
        self._finish()

    def edited(self, path: str):
        """Bring the result and the problems up to date after an edit at ``path``."""
        if not path:
            self.full()
            return
        if path.startswith("projects"):
            if templates_mod.project_template(self.tpl) is None:  # projects are not scored nor checked
                self.rescored = ("projects", ())
                self._finish()
                return
            done = self._sync_projects()
            m = _PROJECT.match(path)
            if m and int(m.group(1)) < len(self.report.projects):
                i = int(m.group(1))
                self.result = scoring.with_project(self.result, self.report, self.tpl, i)
                self._objects[i] = self.report.projects[i]
                self._recheck(i)
                done += ((i,) if i not in done else ())
            self.rescored = ("projects", done)
        else:
            self.result = scoring.with_dept(self.result, self.report, self.tpl)
            self.rescored = ("dept",)
            if self.report.display_unit != self._unit:  # project messages print amounts in this unit
                self._unit = self.report.display_unit
                for i in range(len(self._objects)):
                    self._recheck(i)
        self._finish()

    def _sync_projects(self) -> tuple:
        """Match ``result.projects`` to the list as it is now (projects added, removed or moved).
        Returns the positions scored or checked again."""
        now = self.report.projects
        if len(now) == len(self._objects) and all(a is b for a, b in zip(now, self._objects)):
            return ()
        ptpl = templates_mod.project_template(self.tpl)
        was = {}
        for k, obj in enumerate(self._objects):
            was.setdefault(id(obj), k)  # the objects are held in _objects: no id is reused meanwhile
        scores, problems, redo, moved = [], [], [], []
        for i, p in enumerate(now):
            k = was.get(id(p))
            if k is None:
                scores.append(scoring.score_project(i, p, ptpl))
                problems.append(((), (), ()))
                redo.append(i)
            else:
                scores.append(scoring.reindexed(self.result.projects[k], i))
                problems.append(self._project_problems[k])
                if k != i:
                    moved.append((i, k))
        self.result = scoring.with_projects(self.result, scores)
        self._objects = list(now)
        self._project_problems = problems
        for i, k in moved:  # the same problems at another position: locations renumbered
            parts = tuple(checks.moved_project_problems(part, self.report, k, i) for part in problems[i])
            if any(part is None for part in parts):
                redo.append(i)
            else:
                self._project_problems[i] = parts
        for i in redo:
            self._recheck(i)
        return tuple(sorted(redo + [i for i, _k in moved]))

    def _recheck(self, i: int):
        old = self._project_problems[i]
        new = _split(checks.project_checks(self.report, self.tpl, self.result, i))
        self._project_problems[i] = tuple(_interned(n, o) for n, o in zip(new, old))

    def _finish(self):
        general = checks.general_checks(self.report, self.tpl, self.result)
        self._general = _interned(general, self._general)
        problems = []
        for k, head in enumerate(_split(self._general)):  # = checks.ordered(general + every project's)
            problems += head
            for parts in self._project_problems:
                if parts[k]:
                    problems += parts[k]
        self.problems = problems
