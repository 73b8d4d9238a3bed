"""QAbstractTableModel adapters over lists in the report.

``ObjectTableModel`` shows one object per row (team, functional rows, project
indicators); ``UnitsModel`` shows the per-unit finance fields transposed, one
unit per column plus the computed 汇总 column.  Edits go through the
Document, so they are undoable and rescored at once; text that cannot be
parsed is refused and reported through ``message``.
"""
from __future__ import annotations

from dataclasses import dataclass, field
from decimal import Decimal
from typing import Callable, Optional

from PySide6.QtCore import QAbstractTableModel, QModelIndex, Qt, Signal
from PySide6.QtGui import QBrush, QColor

from model.money import MoneyError, format_amount, parse_amount, parse_number, unit_doubt
from model.report import Override
from model.targets import SYMBOL, operator

COMPUTED_BG = QBrush(QColor("#eef3f8"))
CARRIED_BG = QBrush(QColor("#fff7dc"))
REFUSED_BG = QBrush(QColor("#fde2e1"))
REFUSED_FG = QBrush(QColor("#b42318"))
CANCELLED = object()  # the clerk cancelled the question about the unit: nothing changes


@dataclass
class Column:
    attr: str  # path relative to the row object, e.g. "name", "three_public.reception", "override"
    label: str
    kind: str = "text"  # text / amount / number / int / choice / override / reason / computed
    choices: list = field(default_factory=list)  # [(label, value)] for kind == "choice"
    computed: Optional[Callable] = None  # (doc, row) -> str, for kind == "computed"
    tip: str = ""
    read: Optional[Callable[[str], object]] = None  # choice: typed text → a choice value (None: not one)


def parse_cell(kind: str, text: str, unit: str):
    """Text typed or pasted into a cell → the value to store (raises MoneyError/ValueError); amounts are
    read by ``RefusedCells.read_amount`` (which may ask for the unit)."""
    text = text.strip()
    if kind in ("number", "override"):
        return parse_number(text) if text else None
    if kind == "int":
        if not text:
            return None
        value = parse_number(text)
        if value != value.to_integral_value() or value < 0:
            raise ValueError(f"“{text}”不是整数，请输入不小于 0 的整数")
        return int(value)
    return text


def comparator_symbol(text: str) -> Optional[str]:
    """A comparator as typed (>=, ＞＝, 不低于, 不超过 …) → ≥ / ≤ / = (or "" for none); None when it is none."""
    op = operator(text)
    return None if op is None else SYMBOL.get(op, "") if op else ""


def show_cell(kind: str, value, unit: str, choices=()) -> str:
    if value is None:
        return ""
    if kind == "amount":
        return format_amount(value, unit)
    if kind == "choice":
        return next((label for label, v in choices if v == value), str(value))
    if isinstance(value, Decimal):
        return f"{value.normalize():f}"
    return str(value)


class RefusedCells:
    """What a cell refused stays on show — red, its reason in the tooltip and the status line — until the
    clerk corrects it (a good value) or cancels it (Esc or Delete); the report keeps the value it had.
    Also asks which unit was meant when an amount looks typed in the other one (``ask_unit``, set by
    the view: a model does not open dialogs)."""
    message: Signal
    ask_unit: Optional[Callable[[str, str, str], Optional[str]]] = None

    def refused_cells(self) -> dict:
        if "_refused" not in self.__dict__:
            self._refused: dict[tuple[int, int], tuple[str, str]] = {}
        return self._refused

    def refuse(self, index, text: str, reason: str) -> bool:
        self.refused_cells()[(index.row(), index.column())] = (text, reason)
        self.message.emit(reason)
        self.dataChanged.emit(index, index)
        return False

    def settled(self, index):
        if self.refused_cells().pop((index.row(), index.column()), None) is not None:
            self.dataChanged.emit(index, index)

    def cancel_refused(self, indexes) -> bool:
        """Esc / Delete on refused cells: back to what the report holds. True when any was refused."""
        hit = [i for i in indexes if (i.row(), i.column()) in self.refused_cells()]
        for index in hit:
            self.settled(index)
        return bool(hit)

    def forget_refused(self):
        self.refused_cells().clear()

    def refused_data(self, index, role):
        """The refused cell's look for ``role``, or None when the cell holds no refused text."""
        entry = self.refused_cells().get((index.row(), index.column()))
        if entry is None:
            return None
        text, reason = entry
        return {Qt.DisplayRole: text, Qt.EditRole: text, Qt.BackgroundRole: REFUSED_BG, Qt.ForegroundRole: REFUSED_FG,
                Qt.ToolTipRole: f"未写入：{reason}（改正后回车；按 Esc 放弃）"}.get(role)

    def read_amount(self, text: str):
        """An amount typed or pasted into a cell, in 元; CANCELLED when the clerk cancels the unit question."""
        doubt = unit_doubt(text, self.doc.unit)
        if doubt and self.ask_unit is not None:
            chosen = self.ask_unit(text.strip(), self.doc.unit, doubt)
            if chosen is None:
                return CANCELLED
            return parse_amount(f"{text.strip()}{'万' if chosen == 'wan' else '元'}", self.doc.unit)
        return parse_amount(text, self.doc.unit)


class ObjectTableModel(RefusedCells, QAbstractTableModel):
    message = Signal(str)  # a refused edit, for the status bar

    def __init__(self, doc, list_path: str, columns: list[Column], new_item: Callable[[], object], parent=None):
        super().__init__(parent)
        self.doc, self.list_path, self.columns, self.new_item = doc, list_path, columns, new_item
        self.has_computed = any(c.kind == "computed" for c in columns)
        doc.structure_changed.connect(self._structure)
        doc.changed.connect(self._changed)

    # -- plumbing
    def set_list_path(self, list_path: str):
        self.beginResetModel()
        self.list_path = list_path
        self.forget_refused()
        self.endResetModel()

    def items(self) -> list:
        if not self.list_path:
            return []
        try:
            return self.doc.get(self.list_path) or []
        except IndexError:  # its object is gone (undoing an import that added the project); the page rebinds next
            return []

    def _structure(self, path: str):
        if not path or path == self.list_path:  # "" = anything may have changed (import, roll-forward)
            self.beginResetModel()
            self.forget_refused()
            self.endResetModel()

    def _changed(self, path: str):
        # only edits inside this list (or anywhere, for tables with computed columns of that object)
        scope = self.list_path.rsplit(".", 1)[0] if self.has_computed else self.list_path
        if path and path != "display_unit" and not path.startswith(scope):
            return
        if self.rowCount():
            self.dataChanged.emit(self.index(0, 0), self.index(self.rowCount() - 1, self.columnCount() - 1))

    def cell_path(self, row: int, col: int) -> str:
        return f"{self.list_path}[{row}].{self.columns[col].attr}"

    # -- Qt model API
    def rowCount(self, parent=QModelIndex()):
        return 0 if parent.isValid() else len(self.items())

    def columnCount(self, parent=QModelIndex()):
        return 0 if parent.isValid() else len(self.columns)

    def headerData(self, section, orientation, role=Qt.DisplayRole):
        if role == Qt.DisplayRole:
            return self.columns[section].label if orientation == Qt.Horizontal else str(section + 1)
        if role == Qt.ToolTipRole and orientation == Qt.Horizontal:
            return self.columns[section].tip or None
        return None

    def flags(self, index):
        base = Qt.ItemIsEnabled | Qt.ItemIsSelectable
        return base if self.columns[index.column()].kind == "computed" else base | Qt.ItemIsEditable

    def value(self, row: int, col: int):
        column = self.columns[col]
        if column.kind == "computed":
            return column.computed(self.doc, row)
        value = self.doc.get(self.cell_path(row, col))
        if column.kind in ("override", "reason") and value is not None:
            value = value.score if column.kind == "override" else value.reason
        return value

    def data(self, index, role=Qt.DisplayRole):
        if not index.isValid():
            return None
        column = self.columns[index.column()]
        refused = self.refused_data(index, role)
        if refused is not None:
            return refused
        if role in (Qt.DisplayRole, Qt.EditRole):
            value = self.value(index.row(), index.column())
            if column.kind == "computed":
                return value
            return show_cell(column.kind, value, self.doc.unit, column.choices)
        if role == Qt.BackgroundRole:
            if column.kind == "computed":
                return COMPUTED_BG
            if self.doc.report.provenance.get(self.cell_path(index.row(), index.column())):
                return CARRIED_BG
        if role == Qt.TextAlignmentRole and column.kind in ("amount", "number", "int", "override", "computed"):
            return int(Qt.AlignRight | Qt.AlignVCenter)
        if role == Qt.ToolTipRole and column.kind == "computed":
            return "自动计算，不能手工修改"
        return None

    def setData(self, index, value, role=Qt.EditRole):
        if role != Qt.EditRole or not index.isValid():
            return False
        column = self.columns[index.column()]
        if column.kind == "computed":
            return False
        text = str(value)
        if column.kind == "choice":
            if isinstance(value, str):
                typed = column.read(value) if column.read else value.strip()
                match = [v for label, v in column.choices if typed is not None and (label == typed or v == typed)]
                if not match:
                    return self.refuse(index, text, f"{column.label}：“{value}”不是可选项，可选："
                                                    f"{'、'.join(l or '（空）' for l, _ in column.choices)}")
                value = match[0]
            self.settled(index)
            self.doc.set(self.cell_path(index.row(), index.column()), value)
            return True
        try:
            parsed = self.read_amount(text) if column.kind == "amount" else parse_cell(column.kind, text, self.doc.unit)
        except (MoneyError, ValueError) as e:
            return self.refuse(index, text, f"{column.label}：{e}")
        if parsed is CANCELLED:
            return False
        path = self.cell_path(index.row(), index.column())
        if column.kind in ("override", "reason"):
            if not self._set_override(path, column.kind, parsed):
                return self.refuse(index, text, "调整理由：请先填写人工得分，再填写调整理由")
            self.settled(index)
            return True
        self.settled(index)
        self.doc.set(path, parsed)
        return True

    def _set_override(self, path: str, kind: str, value) -> bool:
        current = self.doc.get(path)
        if kind == "override":
            new = None if value is None else Override(value, current.reason if current else "")
        else:
            if current is None:
                return False
            new = Override(current.score, value)
        self.doc.set(path, new, "人工评分")
        return True

    # -- rows
    def insert_row(self, row: int | None = None) -> int:
        row = self.rowCount() if row is None else row
        self.doc.insert(self.list_path, row, self.new_item(), "添加行")
        return row

    def remove_rows(self, rows: list[int]):
        with self.doc.macro("删除行"):
            for row in sorted(set(rows), reverse=True):
                self.doc.remove(self.list_path, row, "删除行")

    def move_row(self, row: int, delta: int) -> int:
        target = row + delta
        if 0 <= target < self.rowCount():
            self.doc.move(self.list_path, row, target, "移动行")
            return target
        return row


# ---------------------------------------------------------------- finance per unit

UNIT_ROWS = [  # (attr, label, editable)
    ("carryover_begin", "上年结转（年初结转和结余）", True),
    ("general_budget", "一般公共预算财政拨款", True),
    ("fund_budget", "政府性基金预算财政拨款", True),
    ("state_capital_budget", "国有资本经营预算财政拨款", True),
    ("special_account_nontax", "纳入专户管理的非税收入拨款", True),
    ("higher_subsidy", "上级补助收入", True),
    ("service_income", "事业收入", True),
    ("business_income", "经营收入", True),
    ("affiliate_remittance", "附属单位上缴收入", True),
    ("other_income", "其他收入", True),
    ("income_total", "本年收入合计", False),
    ("income_with_carryover", "收入合计（含上年结转）", False),
    ("basic_entered", "基本支出（按报表填列，可空）", True),
    ("personnel", "基本支出：人员经费", True),
    ("operating", "基本支出：公用经费", True),
    ("basic_expenditure", "基本支出（采用数）", False),
    ("project_expenditure", "项目支出", True),
    ("remit_higher", "上缴上级支出", True),
    ("business_expenditure", "经营支出", True),
    ("affiliate_subsidy", "对附属单位补助支出", True),
    ("expenditure_total", "支出合计", False),
    ("balance", "当年结转结余", False),
    ("carryover_end", "年末结转和结余（累计）", True),
    ("three_public.overseas_travel", "三公：因公出国（境）费", True),
    ("three_public.vehicle_purchase", "三公：公务用车购置费", True),
    ("three_public.vehicle_operation", "三公：公务用车运行维护费", True),
    ("three_public.reception", "三公：公务接待费", True),
    ("three_public.total", "三公经费合计", False),
    ("assets_in_use", "固定资产：在用", True),
    ("assets_leased", "固定资产：出租", True),
    ("assets_idle", "固定资产：闲置", True),
    ("assets_other", "固定资产：其他", True),
    ("assets_total", "固定资产合计", False),
]


class UnitsModel(RefusedCells, QAbstractTableModel):
    """Rows: finance fields; columns: each unit, then the computed 汇总 when there are two or more.

    A report without units shows one column for the unit it will have, headed with the department's
    name: the first amount typed there creates that unit (so a new report's typing is stored, and a
    one-unit township never has to invent a unit name; ``ui.unit_name`` keeps the name in step)."""
    message = Signal(str)

    def __init__(self, doc, parent=None):
        super().__init__(parent)
        self.doc = doc
        doc.structure_changed.connect(self._structure)
        doc.changed.connect(self._changed)

    def _structure(self, path: str):
        if not path or path == "finance.units":
            self._reset()

    def _changed(self, path: str):
        if not path or path in ("display_unit", "basic.department") or path.startswith("finance.units"):
            self._refresh()

    def _reset(self):
        self.beginResetModel()
        self.forget_refused()
        self.endResetModel()

    def _refresh(self):
        if self.rowCount() and self.columnCount():
            self.headerDataChanged.emit(Qt.Horizontal, 0, self.columnCount() - 1)
            self.dataChanged.emit(self.index(0, 0), self.index(self.rowCount() - 1, self.columnCount() - 1))

    def units(self):
        return self.doc.report.finance.units

    def rowCount(self, parent=QModelIndex()):
        return 0 if parent.isValid() else len(UNIT_ROWS)

    def columnCount(self, parent=QModelIndex()):
        n = len(self.units())
        return 0 if parent.isValid() else max(n, 1) + (n > 1)

    def is_summary(self, col: int) -> bool:
        return len(self.units()) > 1 and col == len(self.units())

    def headerData(self, section, orientation, role=Qt.DisplayRole):
        if role != Qt.DisplayRole:
            return None
        if orientation == Qt.Vertical:
            return UNIT_ROWS[section][1]
        if self.is_summary(section):
            return "汇总（自动）"
        if not self.units():
            return self.doc.report.basic.department or "本单位"
        return self.units()[section].name or f"单位{section + 1}"

    def flags(self, index):
        base = Qt.ItemIsEnabled | Qt.ItemIsSelectable
        editable = UNIT_ROWS[index.row()][2] and not self.is_summary(index.column())
        return base | Qt.ItemIsEditable if editable else base

    def path(self, row: int, col: int) -> str:
        return f"finance.units[{col}].{UNIT_ROWS[row][0]}"

    def _value(self, row: int, col: int):
        if not self.units():
            return None  # the unit to come: nothing entered yet
        obj = self.doc.report.finance.summary if self.is_summary(col) else self.units()[col]
        for part in UNIT_ROWS[row][0].split("."):
            obj = getattr(obj, part)
        return obj

    def data(self, index, role=Qt.DisplayRole):
        if not index.isValid():
            return None
        computed = not (self.flags(index) & Qt.ItemIsEditable)
        refused = self.refused_data(index, role)
        if refused is not None:
            return refused
        if role in (Qt.DisplayRole, Qt.EditRole):
            return format_amount(self._value(index.row(), index.column()), self.doc.unit)
        if role == Qt.BackgroundRole:
            if computed:
                return COMPUTED_BG
            if self.doc.report.provenance.get(self.path(index.row(), index.column())):
                return CARRIED_BG
        if role == Qt.TextAlignmentRole:
            return int(Qt.AlignRight | Qt.AlignVCenter)
        if role == Qt.ToolTipRole and computed:
            return "自动计算（各单位之和或本单位各项之和），不能手工修改"
        return None

    def setData(self, index, value, role=Qt.EditRole):
        if role != Qt.EditRole or not (self.flags(index) & Qt.ItemIsEditable):
            return False
        try:
            amount = self.read_amount(str(value))
        except MoneyError as e:
            return self.refuse(index, str(value), f"{UNIT_ROWS[index.row()][1]}：{e}")
        if amount is CANCELLED:
            return False
        self.settled(index)
        path = self.path(index.row(), index.column())
        if self.units():
            self.doc.set(path, amount)
        elif amount is not None:  # the first amount creates the unit, in the same undo step
            from model.report import UnitFinance

            with self.doc.macro("录入"):
                self.doc.insert("finance.units", 0, UnitFinance(name=self.doc.report.basic.department), "添加单位")
                self.doc.set(path, amount)
        return True

