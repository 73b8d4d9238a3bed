"""The report as an editable Word file (python-docx), in 公文 style.

``build_docx(report, tpl, result) -> bytes``: A4 with 公文 margins (top 37 mm,
bottom 35 mm, left 28 mm, right 26 mm); title 方正小标宋简体 (when installed,
else 黑体) 22 pt centred, with “（草稿：未评完）” while scored indicators are
unanswered; body 仿宋 16 pt, first line indented two characters, lines exactly
28 pt; headings are Word's own “Heading 1–4” styles restyled (黑体 / 楷体 /
仿宋 bold / 仿宋) so the navigation pane and a table of contents work; tables
written in the narrative (``model.narrative_tables``) as real tables under
their title; “第 X 页 共 Y 页” and the report's 校验码 in the footer (PAGE / NUMPAGES fields); the
score summary; signature lines; then each 项目支出绩效自评表 as 附件, a Word
table built from the same Grid as the PDF and the xlsx (``export.docx_table``),
on its own A4 section (landscape when the grid is) — those pages are
``export.docx_forms``.

No heading stands alone: a section the clerk has not written is left out (as
in the PDF) — never filled with a draft the clerk has not seen.  Formatting
helpers live in ``export.docx_format``.
"""
from __future__ import annotations

import io
import re
import time
import zipfile
from typing import Optional

from docx import Document
from docx.enum.style import WD_STYLE_TYPE
from docx.enum.text import WD_ALIGN_PARAGRAPH, WD_BREAK
from docx.oxml.ns import nsdecls, qn
from docx.opc.oxml import serialize_part_xml
from docx.shared import Pt
from lxml import etree

from model.checksum import checksum

from . import narrative as narrative_mod
from .docx_format import (  # noqa: F401  (set_fonts and the constants are reached here too)
    BODY_PT,
    BODY_STYLE,
    DATE_BLANK,
    FULL_SPACE,
    HEADINGS,
    LINE_PT,
    TABLE_PT,
    TABLE_STYLE,
    TITLE_PT,
    exact_lines,
    gongwen_style,
    no_row_splits,
    page_field,
    reset_rpr,
    set_fonts,
    setup_document,
)
from .docx_forms import FormPages
from .docx_table import table_width_mm, word_table
from .fonts import docx_face
from .gcpause import collector_paused
from .grid import Grid

APP_NAME = "绩效自评填报助手"
DRAFT_MARK = "（草稿：未评完）"
CORE_LIMIT = 255  # characters of a core property (title, author, subject …): python-docx refuses more
_NOT_XML = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\ufffe\uffff]")


def core_text(text: str) -> str:
    """A document property as Word keeps it: no characters XML cannot hold, at most 255 characters."""
    text = _NOT_XML.sub("", text or "").strip()
    return text if len(text) <= CORE_LIMIT else text[: CORE_LIMIT - 1] + "…"


class DocxBuilder(FormPages):
    def __init__(self, report, tpl, result, grids: Optional[list[Grid]] = None):
        self.report, self.tpl, self.result = report, tpl, result
        self._grids = grids
        self.faces = {role: docx_face(role) for role in ("song", "hei", "fang", "kai", "title")}
        self.doc = Document()
        self._style_ids: dict[str, Optional[str]] = {}
        self._setup()

    # ------------------------------------------------------------ setup

    def _setup(self) -> None:
        doc = self.doc
        setup_document(doc, self.faces)
        line1, line2 = self.title_lines()
        props = doc.core_properties
        props.title = core_text(f"{line1}{line2}")
        props.author = core_text(self.report.basic.department) or APP_NAME
        props.subject = core_text(self.tpl.title)
        props.comments = core_text(f"由{APP_NAME}生成，可继续在 WPS 或 Word 中编辑。")
        props.language = "zh-CN"
        # the report's 校验码 after the page number (model.checksum): the printed pages name their file
        footer = doc.sections[0].footer.paragraphs[0]
        footer.add_run(f"{FULL_SPACE * 2}校验码 {checksum(self.report)}").font.size = Pt(9)


    def title_lines(self) -> tuple[str, str]:
        """The title's two lines; the second says “（草稿：未评完）” while scored indicators are unanswered."""
        line1, line2 = narrative_mod.report_title(self.report, self.tpl)
        if self.result is not None and not self.result.complete:
            line2 += DRAFT_MARK
        return line1, line2

    # ------------------------------------------------------------ writing helpers

    def run(self, paragraph, text: str, role: Optional[str] = None, bold: Optional[bool] = None, size=None):
        r = paragraph.add_run(text)
        if role:
            set_fonts(r._r, self.faces[role])
        if bold is not None:
            r.bold = bold
        if size:
            r.font.size = Pt(size)
        return r

    def style_id(self, name: str) -> Optional[str]:
        """The w:pStyle id python-docx writes for paragraph style ``name`` (None for the default style), found once.

        ``add_paragraph(text, style=name)`` looks the style up by name and
        compares it with the default style by scanning every style of the
        document, for every paragraph: 40 % of the Word export's time.
        """
        if name not in self._style_ids:
            self._style_ids[name] = self.doc.part.get_style_id(name, WD_STYLE_TYPE.PARAGRAPH)
        return self._style_ids[name]

    def paragraph(self, text: str = "", style: Optional[str] = None, container=None):
        """``(container or doc).add_paragraph(text, style)``, with the style id looked up once; characters
        XML cannot hold (a NUL pasted into a field) are left out, as python-docx refuses them."""
        p = (container if container is not None else self.doc).add_paragraph(_NOT_XML.sub("", text))
        if style is not None:
            self.set_style(p, style)
        return p

    def set_style(self, p, style: str) -> None:
        """``p.style = style`` (by name), with the style id looked up once."""
        p._p.style = self.style_id(style)

    def body(self, text: str = ""):
        return self.paragraph(text, BODY_STYLE)

    def heading(self, level: int, text: str):
        name = HEADINGS[min(max(level, 1), 4)][0]
        return self.paragraph(text, name)

    def block(self, b: narrative_mod.Block, ahead: Optional[narrative_mod.Block] = None) -> None:
        if b.is_table:
            self.narrative_table(b.table)
        elif b.level and not b.run_in:
            self.heading(b.level, b.text)
        elif b.run_in:
            _name, role, bold = HEADINGS[min(b.level, 4)]
            p = self.body()
            self.run(p, b.lead, role, bold=bold or None)
            self.run(p, b.rest)
        else:
            p = self.body(b.text)
            if ahead is not None and ahead.is_table:
                p.paragraph_format.keep_with_next = True  # “如下表所示：” stays with its table

    def blocks(self, blocks: list) -> None:
        for i, b in enumerate(blocks):
            self.block(b, blocks[i + 1] if i + 1 < len(blocks) else None)

    def centred(self, text: str, role: str, size: float, style: str = TABLE_STYLE, keep: bool = True):
        p = self.paragraph(style=style)
        p.alignment = WD_ALIGN_PARAGRAPH.CENTER
        p.paragraph_format.keep_with_next = keep
        self.run(p, text, role, size=size)
        return p

    def right_line(self, text: str, style=BODY_STYLE, indent_chars: int = 4):
        p = self.paragraph(text, style)
        p.alignment = WD_ALIGN_PARAGRAPH.RIGHT
        p.paragraph_format.first_line_indent = Pt(0)
        p.paragraph_format.right_indent = Pt(BODY_PT * indent_chars)
        ind = p._p.get_or_add_pPr().get_or_add_ind()
        ind.set(qn("w:firstLineChars"), "0")
        return p

    def page_break(self) -> None:
        p = self.paragraph(style="Normal")
        p.add_run().add_break(WD_BREAK.PAGE)

    def gap(self, points: float = 6) -> None:
        """A thin empty line (between a table and what follows)."""
        p = self.paragraph(style=TABLE_STYLE)
        exact_lines(p.paragraph_format, points)

    # ------------------------------------------------------------ parts

    def title(self) -> None:
        line1, line2 = self.title_lines()
        p = self.paragraph(style="Title")
        lines = [line for line in (line1, line2) if line]
        for i, line in enumerate(lines):
            r = p.add_run(line)
            if i < len(lines) - 1:
                r.add_break()
        self.paragraph(style=BODY_STYLE)  # one blank 公文 line under the title
        addressee = self.report.basic.addressee.strip()
        if addressee:
            self.paragraph(addressee.rstrip("：:") + "：", "Normal")

    def narrative(self) -> None:
        self.blocks(narrative_mod.report_blocks(self.report, self.tpl))
        # 落款: unit and date
        self.paragraph(style=BODY_STYLE)
        self.right_line(narrative_mod.signatory(self.report))
        self.right_line(self.report.basic.report_date.strip() or DATE_BLANK)

    def narrative_table(self, table) -> None:
        """A table of the narrative: title (黑体 14 pt, centred) and 单位 line kept with it; the table text-wide."""
        if table.title:
            p = self.centred(table.title, "hei", 14)
            p.paragraph_format.space_before = Pt(6)
        if table.unit:
            p = self.paragraph(table.unit, TABLE_STYLE)
            p.alignment = WD_ALIGN_PARAGRAPH.RIGHT
            p.paragraph_format.keep_with_next = True
        word_table(self, narrative_mod.table_grid(table), table_width_mm(self.doc.sections[-1]))
        self.gap()

    # ------------------------------------------------------------ all

    def build(self, progress=None) -> bytes:
        self.title()
        self.narrative()
        self.page_break()
        if self.score_summary():
            self.paragraph(style=TABLE_STYLE)
        self.sign_off()
        grids = self.annex_grids()
        self._grids = None  # each grid can go once its form is written
        aside = self._aside = _SetAside(self.doc)
        for n in range(1, len(grids) + 1):
            if progress is not None:
                progress(n - 1, len(grids))
            g, grids[n - 1] = grids[n - 1], None
            self.grid_form(g, f"附件{n}")
            aside.take()
        buf = io.BytesIO()
        aside.save(buf)
        if progress is not None:
            progress(len(grids), len(grids))
        return buf.getvalue()


class _SetAside:
    """Finished 附件 forms taken out of the document tree as the XML they serialize to.

    A 500-project report's forms are 1.7 million XML elements (800 MB as a tree) for 47 MB of
    text.  A form is finished once the next one starts (python-docx adds a section by copying the
    final ``w:sectPr``, which stays in the tree, into a new paragraph).  Each of its elements is
    serialized where it stands — lxml then declares on it the namespaces of its ancestors, which
    inside the whole document are declared once on the root: those declarations are cut (an
    element that does not start with exactly them is serialized inside a wrapper that declares
    the same namespaces instead) — and the form is deleted from the tree.  The document's XML is
    written with the pieces put back where a marker element stands; the other parts are written
    as ``Document.save`` writes them.
    """

    MARK = "jxzpSetAside"
    TABLE = "jxzpTable"  # stands for a table kept as text (hold_table)
    FAST_TABLES = True  # tests turn it off to compare the parts

    def __init__(self, doc):
        self.doc = doc
        self.body = doc.element.body
        self.pieces: list[bytes] = []
        self.tables: dict[int, bytes] = {}
        self._table_decl = f"<w:tbl {nsdecls('w')}>"
        self.sentinel = self.body[-1] if len(self.body) else None
        self.mark = None
        if self.sentinel is not None and self.sentinel.tag == qn("w:sectPr"):
            self.mark = etree.SubElement(self.body, qn(f"w:{self.MARK}"))
            self.sentinel.addprevious(self.mark)  # forms are added before the final w:sectPr, after the mark
            # the ancestors' namespace declarations lxml writes on an element serialized on its own
            alone = etree.tostring(self.mark, encoding="UTF-8", xml_declaration=False)
            self.declared = alone[len(f"<w:{self.MARK}"):-len(b"/>")]

    def hold_table(self, xml: str) -> bool:
        """Keep a table ``export.docx_table`` wrote as text, as lxml would serialize it in the document:
        without the namespace declaration of its root (the document's root has it), an empty ``w:pPr``
        closed as ``<w:pPr/>``.  Everything else of that text is spelt as libxml2 spells it (escaped
        ``& < >`` in text, attributes in double quotes) — unless an attribute value holds a double
        quote (``quoteattr`` then uses single quotes): such a table is parsed as before.  False when
        the table is to be parsed and inserted."""
        if self.mark is None or not self.FAST_TABLES or not xml.startswith(self._table_decl) or "='" in xml:
            return False
        key = len(self.tables)
        self.tables[key] = ("<w:tbl>" + xml[len(self._table_decl):]).replace("<w:pPr></w:pPr>", "<w:pPr/>").encode()
        stand_in = etree.Element(qn(f"w:{self.TABLE}"), n=str(key))
        self.sentinel.addprevious(stand_in)  # where python-docx inserts a table: before the final w:sectPr
        return True

    def take(self) -> None:
        if self.mark is None:
            return
        first = self.body.index(self.mark) + 1
        last = len(self.body) - 1  # the final w:sectPr stays
        if first >= last:
            return
        out = []
        table = qn(f"w:{self.TABLE}")
        for node in self.body[first:last]:
            out.append(self.tables.pop(int(node.get("n"))) if node.tag == table else self._serialized(node))
            node = None
        self.pieces.append(b"".join(out))
        del self.body[first:last]  # nothing else refers to them: freed at once

    def _serialized(self, node) -> bytes:
        text = etree.tostring(node, encoding="UTF-8", xml_declaration=False)
        name_end = 1
        while name_end < len(text) and text[name_end:name_end + 1] not in (b" ", b">", b"/"):
            name_end += 1
        if text.startswith(self.declared, name_end):
            return text[:name_end] + text[name_end + len(self.declared):]
        # the element declares a namespace itself: serialize it under a root like the document's
        wrapper = etree.Element(self.doc.element.tag, nsmap=self.body.nsmap)
        copy = etree.fromstring(etree.tostring(node))
        wrapper.append(copy)
        text = etree.tostring(wrapper, encoding="UTF-8", xml_declaration=False)
        return text[text.index(b">") + 1:text.rindex(b"</")]

    def save(self, buf) -> None:
        from docx.opc.pkgwriter import PackageWriter
        from docx.opc.phys_pkg import PhysPkgWriter

        if self.mark is None:
            self.doc.save(buf)
            return
        self.take()
        package = self.doc.part.package
        for part in package.parts:
            part.before_marshal()
        document = self.doc.part
        xml = serialize_part_xml(document.element)
        head, tail = xml.split(f"<w:{self.MARK}/>".encode(), 1)
        writer = PhysPkgWriter(buf)
        PackageWriter._write_content_types_stream(writer, package.parts)
        PackageWriter._write_pkg_rels(writer, package.rels)
        for part in package.parts:  # as PackageWriter._write_parts, the document's XML in pieces
            if part is document:
                # as ZipFile.writestr names a member: now, deflated, rw-------
                info = zipfile.ZipInfo(part.partname.membername, date_time=time.localtime(time.time())[:6])
                info.compress_type = zipfile.ZIP_DEFLATED
                info.external_attr = 0o600 << 16
                with writer._zipf.open(info, "w") as out:
                    out.write(head)
                    for i, piece in enumerate(self.pieces):
                        out.write(piece)
                        self.pieces[i] = b""
                    out.write(tail)
            else:
                writer.write(part.partname, part.blob)
            if len(part.rels):
                writer.write(part.partname.rels_uri, part.rels.xml)
        writer.close()


@collector_paused()
def build_docx(report, tpl, result, grids: Optional[list[Grid]] = None, progress=None) -> bytes:
    """The report as an editable .docx (bytes); ``grids``: the official tables, by default ``export.forms.grids_for``.
    ``progress(done, total)``: called before each 附件 form; an exception it raises stops the build."""
    return DocxBuilder(report, tpl, result, grids).build(progress)
