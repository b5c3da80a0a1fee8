"""The render stage, first step: Document -> Story: ReportLab flowables for the page frame, with what each is in the
handout noted beside it (handoff.py) for the page and tagging stages.

Section bodies are rendered like markdown-it renders HTML: a table of small rules, one per kind
of block in the walk over the Markdown tree (text/walk.py), into a stack of open containers
(lists, items, callouts, tables, rows, cells). Runs of inline text go through InlineRenderer.
"""
from __future__ import annotations

from dataclasses import dataclass, field
from reportlab.lib.colors import HexColor
from reportlab.platypus import (
    Flowable, KeepTogether, ListFlowable, ListItem, PageBreak, Paragraph, Spacer, Table,
    TableStyle,
)
from reportlab.platypus.flowables import HRFlowable

from ..text.citations import vancouver
from ..text.document import Document, leads_with_picture
from ..text.limits import CELL_PADDING
from ..text.walk import (
    BULLET_LIST, CALLOUT, CELL, CODE, HEADING, ITEM, ORDERED_LIST, PARAGRAPH, ROW, RULE, RUN, SKIP, TABLE, Node,
    Walk,
)
from .figures import MAX_FRAME_SHARE, PictureFlowable, caption_style, row
from .handoff import Bookmark, Notes, Story, first_page_of
from .keeping import Kept, KeptFigure, KeptWithEnd, keep_with  # noqa: F401 (Kept: tests import it from here)
from .inline import InlineRenderer, printed_address
from .reportlab_seam import font_name, kept, register
from .shaped import ShapedParagraph
from .styles import Styles, make_styles
from .tables import column_widths, stacked_rows

# The builder's own words ("Key points", "References", ...) come from the leaflet's language
# catalogue (inputs/language.py, catalogues/<language>.yaml); the bookmark keys below stay the same in all.
# ReportLab's keepWithNext passes over these (they are containers), so a heading or an
# introducing paragraph is grouped with them explicitly instead (keeping.py: with their start).
CONTAINERS = (ListFlowable, KeepTogether)


@dataclass
class _Container:
    kind: str  # root, bullet_list, ordered_list, item, callout, table, row, cell
    flowables: list = field(default_factory=list)
    start: int = 1  # ordered lists
    header: bool = False  # cells of the header row
    align: str = "LEFT"  # cells
    lang: str | None = None  # a passage in another language: {lang=fr} before the block


class StoryBuilder:
    """Lays out one Document as flowables. Use `story()`."""

    def __init__(self, document: Document, styles: Styles | None = None):
        self.doc = document
        self.layout = document.layout
        self.words = document.words
        self.styles = styles or make_styles(document.layout, document.fonts.body, self.words)
        layout = document.layout
        self.inline = InlineRenderer(document.fonts, layout.colours.link, document.number, layout.emphasis,
                                     layout.clinic.country if layout.phone_links else None)
        self.notes = Notes()  # what each flowable is in the handout, for the page and tagging stages
        self.stack: list[_Container] = []
        self.pending_style = None
        self.pending_lang: str | None = None
        self.walk = Walk(
            enter={
                PARAGRAPH: self.paragraph_open, HEADING: self.heading_open, RUN: self.inline_block,
                BULLET_LIST: self.list_open, ORDERED_LIST: self.list_open, ITEM: self.item_open,
                CALLOUT: self.callout_open, TABLE: self.table_open, ROW: self.row_open, CELL: self.cell_open,
                RULE: self.rule, CODE: self.code,
            },
            leave={
                PARAGRAPH: self.paragraph_close, HEADING: self.heading_close,
                BULLET_LIST: self.list_close, ORDERED_LIST: self.list_close, ITEM: self.item_close,
                CALLOUT: self.callout_close, TABLE: self.table_close, ROW: self.row_close, CELL: self.cell_close,
            },
        )

    # -- notes for the page and tagging stages -----------------------------------------------------

    def in_language(self, flowable: Flowable, lang: str | None) -> Flowable:
        """Note a block as a passage in another language (the tagged PDF gives its element /Lang)."""
        return self.notes.add(flowable, lang=lang) if lang else flowable

    def part(self, flowable: Flowable, field: str) -> Flowable:
        """Note the first flowable of a part of the handout ("sections[2]"), so that a layout
        failure can name where it is. A note, not a marker flowable: a zero-size flowable would
        keep a heading's space above it at the top of a page."""
        return self.notes.add(flowable, part=field)

    def outline(self, flowable: Flowable, title: str, key: str, level: int = 0) -> Flowable:
        """Note a flowable as a bookmark target; the page stage adds the outline entry."""
        return self.notes.add(flowable, bookmark=Bookmark(title, key, level))

    def set_structure(self, flowable: Flowable, role: str, mirrored: bool = False) -> Flowable:
        """Note what a container means in the tagged structure tree (a Table that is a box, a
        data table or a list), and whether its columns are drawn right to left; marking.py reads it."""
        return self.notes.add(flowable, role=role, mirrored=mirrored)

    def story(self) -> Story:
        """The leaflet's flowables with their notes, and what page 1's header reads."""
        return Story(tuple(self.build()), self.notes, first_page_of(self.doc))

    # -- the whole leaflet ----------------------------------------------------------------------

    def build(self) -> list[Flowable]:
        """The leaflet's flowables: title, key points, sections, contact, references."""
        h, s = self.doc.handout, self.styles
        story: list[Flowable] = [self.part(self.paragraph(self.inline.plain(h.title), s.title), "title")]
        if h.subtitle:
            story.append(self.paragraph(self.inline.plain(h.subtitle), s.subtitle))
        else:
            story.append(Spacer(0, self.layout.spacing.section))
        if self.doc.summary:
            items = [self.paragraph(self.inline.render(run), s.list_item) for run in self.doc.summary]
            key_points = self.words["key_points"]
            box = self.box([self.paragraph(self.inline.plain(key_points), s.box_heading), self.bullets(items)],
                           self.layout.colours.key_points_background)
            self.outline(box.parts[0], key_points, "key-points")  # the shaded table: what is drawn
            story.append(self.part(box, "summary"))
        for index, (section, tree) in enumerate(zip(h.sections, self.doc.bodies), start=1):
            heading = self.paragraph(self.inline.plain(section.heading), s.heading)
            story.append(self.part(self.outline(heading, section.heading, f"section-{index}"), section.field))
            body = self.body(tree)
            if body and isinstance(body[0], CONTAINERS):
                body[0] = self.part(keep_with(story.pop(), body[0]), section.field)
            else:
                body.insert(0, story.pop())
            story.append(self.notes.add(body[0], group="Sect"))  # a section: its heading and body
            story.extend(body[1:])
        closing, references = self.closing(), self.references()
        closing[0] = self.part(closing[0], "contact" if h.contact else "authors")
        self.notes.add(closing[0], group="Document")  # the contact box closes the last section (marking.py)
        # Never alone on a page: the end of the last section goes with the contact box when they
        # do not fit together (keeping.py).
        last = story.pop()
        before = next((self.notes.of(f).part for f in reversed([*story, last]) if self.notes.of(f).part), None)
        group = KeptWithEnd([last, *closing], before_part=before)
        # The group starts the part its first flowable starts, if any; else, the closing's.
        self.part(group, self.notes.of(last).part or self.notes.of(closing[0]).part)
        story.append(group)
        story += [self.part(references[0], "references"), *references[1:]] if references else []
        story.extend(self.online_version())
        return story

    def online_version(self) -> list[Flowable]:
        """On the last page: a QR code to the handout's `url`, with the address printed under it."""
        url, s = self.doc.handout.url, self.styles
        if not url:
            return []
        from .qr import qr_drawing  # ReportLab's barcodes load only for a leaflet with a url

        code = qr_drawing(url, self.layout.qr_size)
        if self.words.right_to_left:  # under the caption's start, on the right
            code.hAlign = "RIGHT"
        block = [self.paragraph(self.inline.plain(self.words["online_version"]), s.small),
                 self.notes.add(code, alt=self.words.say("spoken_qr_code", url=url)),
                 self.paragraph(self.inline.link(printed_address(url), url), s.small)]
        return [self.notes.add(Spacer(0, self.layout.spacing.section), group="Document"), KeepTogether(block)]

    def closing(self) -> list[Flowable]:
        """The contact box and a line on who wrote the leaflet and when, kept together."""
        h, s = self.doc.handout, self.styles
        words = self.words
        if h.review_due:
            about = words.say("edition_with_review_due", version=h.version, reviewed=words.date(h.reviewed),
                              review_due=words.date(h.review_due))
        else:
            about = words.say("edition", version=h.version, reviewed=words.date(h.reviewed))
        if h.authors:
            about = words.say("written_by", authors=", ".join(h.authors)) + " " + about
        approval = self.doc.approval
        if approval is not None:  # only when the layout prints it (print_approval) and the words are approved
            about += " " + words.say("approved_by", name=" ".join(approval.by.split()), date=words.date(approval.on))
        closing: list[Flowable] = []
        if self.doc.contact:
            contact = [self.paragraph(self.inline.plain(words["contact"]), s.box_heading),
                       self.paragraph(self.inline.render(self.doc.contact), s.body)]
            # A bookmark of its own: families look for whom to call, and `diff` sees it apart.
            closing.append(self.outline(self.shaded(contact, self.layout.colours.key_points_background),
                                        words["contact"], "contact"))
        closing.append(self.paragraph(self.inline.plain(about), s.small))
        closing[0].spaceBefore = self.layout.spacing.section
        return closing

    def references(self) -> list[Flowable]:
        """The citation page: cited references numbered in citation order, then further reading."""
        s = self.styles
        if not (self.doc.cited or self.doc.uncited):
            return []
        out: list[Flowable] = [PageBreak()]
        if self.doc.cited:
            title = self.words["references"]
            out.append(self.outline(self.paragraph(self.inline.plain(title), s.heading), title, "references"))
            self.notes.add(out[-1], group="Sect")
            items = [self.in_reference_language(self.paragraph(f'<a name="ref-{n}"/>' + self.reference_markup(ref),
                                                               s.reference), ref)
                     for n, ref in enumerate(self.doc.cited, start=1)]
            out.append(self.numbered(items, 1, s.reference))
        if self.doc.uncited:
            title = self.words["further_reading"]
            out.append(self.outline(self.paragraph(self.inline.plain(title), s.heading), title, "further-reading"))
            self.notes.add(out[-1], group="Sect")
            items = [self.in_reference_language(self.paragraph(self.reference_markup(ref), s.reference), ref)
                     for ref in self.doc.uncited]
            out.append(self.bullets(items, s.reference))
        return out

    def in_reference_language(self, paragraph: Flowable, ref) -> Flowable:
        """A reference's entry, noted as a passage in its own language (English unless it says)
        when that is not the leaflet's: its authors, title and journal are read in that voice."""
        language = ref.language or "en"
        leaflet = self.doc.handout.language
        if language.split("-")[0].lower() == leaflet.split("-")[0].lower():
            return paragraph
        return self.in_language(paragraph, language)

    def reference_markup(self, ref) -> str:
        return "".join(self.inline.link(seg.text, seg.href) if seg.href else self.inline.plain(seg.text)
                       for seg in vancouver(ref, self.words["available_from"], self.words["cited"]))

    def paragraph(self, markup: str, style) -> ShapedParagraph:
        """A paragraph of markup in a style, laid out by the shaped-text engine (shaped.py), in
        every language: one set of rules for line breaking, direction and extraction."""
        return ShapedParagraph(markup, style, right_to_left=self.words.right_to_left)

    # -- a section body -------------------------------------------------------------------------

    def body(self, tree: Node) -> list[Flowable]:
        """Flowables for one section body (a BODY tree, text/walk.py)."""
        self.stack = [_Container("root")]
        self.walk(tree)
        return self.stack.pop().flowables

    @property
    def top(self) -> _Container:
        return self.stack[-1]

    def add(self, flowable: Flowable) -> None:
        flowables = self.top.flowables
        # A paragraph that introduces a list or table ("...such as:") stays on its page. Only on
        # the page itself: inside a list item or a box there is no page to keep it on (ReportLab
        # cannot lay out a KeepTogether inside a table cell).
        # A subheading before a list or box is kept with its start the same way (ReportLab's
        # keepWithNext passes over containers).
        if (self.top.kind == "root" and isinstance(flowable, (ListFlowable, Table, KeepTogether)) and flowables
                and isinstance(flowables[-1], Paragraph)
                and (flowables[-1].getPlainText().rstrip().endswith(":") or flowables[-1].getKeepWithNext())):
            if isinstance(flowable, CONTAINERS):
                flowable = keep_with(flowables.pop(), flowable)
            else:
                flowables[-1].keepWithNext = 1
        flowables.append(flowable)

    def inline_block(self, node: Node) -> object:
        if node.parent is not None and node.parent.kind == PARAGRAPH and leads_with_picture(node):
            self.picture_block(node)
            return SKIP
        markup = self.inline.render(node)
        if self.pending_style is not None:
            style = self.pending_style
        elif self.top.kind == "cell":
            style = self.styles.table_header if self.top.header else self.styles.table_cell
        elif any(c.kind == "item" for c in self.stack):
            style = self.styles.list_item
        else:
            style = self.styles.body
        if self.top.kind == "cell" and self.top.align != "LEFT":
            style = type(style)(f"{style.name}-{self.top.align}", parent=style,
                                alignment={"RIGHT": 2, "CENTER": 1}[self.top.align])
        self.add(self.in_language(self.paragraph(markup, style), self.pending_lang))
        return SKIP  # the inline renderer has walked the run

    def picture_block(self, run: Node) -> None:
        """A paragraph that starts with a picture: the picture and its caption (a figure), or,
        with words after it, the picture beside them (a row: Easy Read's layout)."""
        image, layout = run.children[0], self.layout
        picture = self.doc.pictures[image.href]
        in_item = any(c.kind == "item" for c in self.stack)
        markup = self.inline.render(run).strip()  # the picture itself writes no markup (inline.py)
        frame = layout.page_height - layout.margin_top - layout.margin_bottom
        share = 1.0 if markup else (image.width or layout.picture_width) / 100  # a row's picture fills its column
        align = "CENTER" if not markup else "RIGHT" if self.words.right_to_left else "LEFT"
        drawn = PictureFlowable(picture, share, max_height=frame * MAX_FRAME_SHARE, max_dpi=layout.picture_max_dpi,
                                font=font_name(self.doc.fonts, self.doc.fonts.body), align=align)
        if image.decorative:  # tagged as an artifact: a screen reader passes over it
            self.notes.add(drawn, role="Artifact")
        else:
            self.notes.add(drawn, alt=" ".join(image.text.split()))
        space = self.layout.spacing.paragraph
        if markup:
            words = self.in_language(self.paragraph(markup, self.styles.list_item if in_item else self.styles.body),
                                     self.pending_lang)
            self.add(self.set_structure(row(drawn, words, layout.picture_beside, self.words.right_to_left,
                                            space / 2 if in_item else space,
                                            (self.styles.font, layout.sizes.body)), "Div"))
            return
        parts: list[Flowable] = [drawn]
        if image.caption:
            parts.append(self.in_language(self.paragraph(self.inline.plain(image.caption),
                                                         caption_style(self.styles.small, space)), self.pending_lang))
        else:
            parts.append(Spacer(0, space))
        if self.top.kind == "root":  # kept with its caption on one page
            self.add(KeptFigure(parts))
        else:  # inside a list item or a box there is no page to keep it on (see add)
            for part in parts:
                self.add(part)

    def paragraph_open(self, node: Node) -> None:
        self.pending_lang = node.lang

    def paragraph_close(self, node: Node) -> None:
        self.pending_lang = None

    def heading_open(self, node: Node) -> None:
        self.pending_style = self.styles.subheading
        self.pending_lang = node.lang

    def heading_close(self, node: Node) -> None:
        self.pending_style = None
        self.pending_lang = None

    def list_open(self, node: Node) -> None:
        self.stack.append(_Container(node.kind, start=node.start, lang=node.lang))

    def list_close(self, node: Node) -> None:
        container = self.stack.pop()
        items, start = container.flowables, container.start
        last = start + len(items) - 1

        # One list: a heading or an introducing line is kept with its first items only (keeping.py).
        made = self.numbered(items, start, last=last) if container.kind == "ordered_list" else self.bullets(items)
        self.add(self.in_language(made, container.lang))

    def item_open(self, node: Node) -> None:
        self.stack.append(_Container("item"))

    def item_close(self, node: Node) -> None:
        item = self.stack.pop()
        self.add(item.flowables[0] if len(item.flowables) == 1 else item.flowables)

    def callout_open(self, node: Node) -> None:
        self.stack.append(_Container("callout", lang=node.lang))

    def callout_close(self, node: Node) -> None:
        callout = self.stack.pop()
        colours = self.layout.colours
        shaded = self.in_language(self.shaded(callout.flowables, colours.callout_background, rule=colours.callout_rule,
                                         role="BlockQuote"), callout.lang)
        # Kept on one page on the page itself; inside a list or another callout ReportLab cannot
        # keep a box together inside a cell.
        self.add(Kept([shaded]) if self.top.kind == "root" else shaded)

    def table_open(self, node: Node) -> None:
        self.stack.append(_Container("table", lang=node.lang))

    def row_open(self, node: Node) -> None:
        self.stack.append(_Container("row"))

    def row_close(self, node: Node) -> None:
        row = self.stack.pop()
        self.add(row)

    def cell_open(self, node: Node) -> None:
        self.stack.append(_Container("cell", header=node.header, align=node.align))

    def cell_close(self, node: Node) -> None:
        cell = self.stack.pop()
        self.add(cell.flowables or [self.paragraph("", self.styles.table_cell)])

    def table_close(self, node: Node) -> None:
        table = self.stack.pop()
        self.add(self.in_language(self.table([row.flowables for row in table.flowables]), table.lang))

    def rule(self, node: Node) -> None:
        self.add(HRFlowable(width="100%", thickness=0.75, color=HexColor(self.layout.colours.rule),
                            spaceBefore=4, spaceAfter=self.layout.spacing.paragraph + 4))

    def code(self, node: Node) -> None:
        lines = node.text.rstrip("\n").split("\n")
        markup = "<br/>".join(self.inline.plain(line).replace("  ", " \u00a0") for line in lines)
        self.add(self.paragraph(markup, self.styles.body))

    # -- building blocks ------------------------------------------------------------------------

    def indent(self, width: float) -> dict:
        """A list's indent and bullet side: on the left, or on the right in a right-to-left leaflet."""
        if self.words.right_to_left:
            return {"leftIndent": 0, "rightIndent": width, "bulletDir": "rtl"}
        return {"leftIndent": width}

    def font_for(self, text: str, bold: bool = False) -> str:
        """The font a list draws its bullets or numbers in: the body font when it has them
        (an Arabic or Bengali font may not have "\u2022"), else the fallback that does."""
        fonts = self.doc.fonts
        family = fonts.body if {f for f, _ in fonts.runs(text)} == {fonts.body} else fonts.family_for(text[0])
        if family is self.doc.fonts.body:
            return self.styles.bold_font if bold else self.styles.font
        return font_name(self.doc.fonts, family, "bold" if bold else "regular")

    def list_indent(self, style, digits: int = 1) -> float:
        """Where a list item's text starts: the same for bullets and numbers up to 9; a list
        numbered past 9 is wider by the extra digits, so its numbers still fit."""
        return style.fontSize * (1.2 + 0.6 * max(digits, 1))

    def around_block(self) -> dict:
        """The same space above and below a list, a table or a box (the layout's spacing.blocks)."""
        space = self.layout.spacing.around_blocks
        return {"spaceBefore": space, "spaceAfter": space}

    def bullets(self, items: list, style=None) -> ListFlowable:
        style = style or self.styles.list_item
        return ListFlowable(
            [ListItem(item) for item in items], bulletType="bullet", start="\u2022",
            bulletFontName=self.font_for("\u2022"), bulletFontSize=style.fontSize,
            bulletColor=HexColor(self.layout.colours.accent), **self.indent(self.list_indent(style)),
            bulletOffsetY=0, **self.around_block(),
        )

    def numbered(self, items: list, start: int, style=None, last: int | None = None) -> ListFlowable:
        style = style or self.styles.list_item
        widest = len(str(last or start + len(items) - 1))  # `last`: a list printed in parts aligns as one
        return ListFlowable(
            [ListItem(item) for item in items], bulletType="1", start=start, bulletFormat="%s.",
            bulletFontName=self.font_for("0123456789.", bold=True), bulletFontSize=style.fontSize,
            bulletColor=HexColor(self.layout.colours.accent), **self.indent(self.list_indent(style, widest)),
            bulletDedent="auto", **self.around_block(),
        )

    def box(self, flowables: list, background: str, rule: str | None = None, role: str = "Sect") -> KeepTogether:
        """A shaded box (Key points, callouts): kept on one page when it fits on one, split
        across pages only when it is taller than a page."""
        return Kept([self.shaded(flowables, background, rule, role)])

    def shaded(self, flowables: list, background: str, rule: str | None = None, role: str = "Sect") -> Table:
        """Flowables on a shaded background, with a coloured rule down the left when given.
        `role`: what the box is in the tagged PDF's structure (Sect, or BlockQuote for a callout)."""
        pad = self.layout.spacing.box_padding
        commands = [
            ("BACKGROUND", (0, 0), (-1, -1), HexColor(background)) if self.layout.boxes == "shaded"
            # Clear Print: no text over a tint; a border marks the box instead.
            else ("BOX", (0, 0), (-1, -1), 1.5, HexColor(rule or self.layout.colours.accent)),
            ("FONT", (0, 0), (-1, -1), self.styles.font, self.layout.sizes.body),
            ("LEFTPADDING", (0, 0), (-1, -1), pad * 1.2), ("RIGHTPADDING", (0, 0), (-1, -1), pad * 1.2),
            ("TOPPADDING", (0, 0), (-1, -1), pad), ("BOTTOMPADDING", (0, 0), (-1, -1), pad * 0.5),
            ("VALIGN", (0, 0), (-1, -1), "TOP"),
        ]
        if rule:  # on the side a line starts from
            # Flat ends (cap 0): ReportLab's round caps would stick out of the tint above and below.
            commands.append(("LINEAFTER" if self.words.right_to_left else "LINEBEFORE", (0, 0), (0, -1), 4,
                             HexColor(rule), 0))
        return self.set_structure(Table([[flowables]], colWidths=["100%"], style=TableStyle(commands), splitInRow=1,
                                   **self.around_block()), role)

    def available_width(self) -> float:
        """The width left for a table here: the text frame less the indents of lists and boxes."""
        width = self.layout.page_width - self.layout.margin_left - self.layout.margin_right
        for container in self.stack:
            if container.kind == "item":
                width -= self.styles.list_item.fontSize * 2.4  # the widest list indent
            elif container.kind == "callout":
                width -= self.layout.spacing.box_padding * 2.4 + 4
        return width

    def table(self, rows: list[list]) -> Table:
        """A data table: header row shaded and repeated on each page, columns sized by content;
        stacked a block a row when its columns would be too narrow (see tables.py)."""
        colours = self.layout.colours
        columns = max(len(row) for row in rows)
        rows = [row + [[self.paragraph("", self.styles.table_cell)]] * (columns - len(row)) for row in rows]
        available = self.available_width()
        widths = column_widths(rows, available, self.layout.table_min_column)
        if widths is None:
            return self.stacked_table(rows)
        mirrored = self.words.right_to_left
        if mirrored:  # the first column on the right
            rows, widths = [row[::-1] for row in rows], widths[::-1]
        widths = [f"{100 * w / available:.2f}%" for w in widths]
        header = (("BACKGROUND", (0, 0), (-1, 0), HexColor(colours.table_header_background))
                  if self.layout.boxes == "shaded" else ("LINEBELOW", (0, 0), (-1, 0), 1.5, HexColor(colours.accent)))
        commands = [
            ("FONT", (0, 0), (-1, -1), self.styles.font, self.layout.sizes.table),
            header,
            ("LINEBELOW", (0, 0), (-1, -1), 0.5, HexColor(colours.rule)),
            ("BOX", (0, 0), (-1, -1), 0.75, HexColor(colours.rule)),
            ("VALIGN", (0, 0), (-1, -1), "TOP"),
            ("TOPPADDING", (0, 0), (-1, -1), 5), ("BOTTOMPADDING", (0, 0), (-1, -1), 6),
            ("LEFTPADDING", (0, 0), (-1, -1), CELL_PADDING), ("RIGHTPADDING", (0, 0), (-1, -1), CELL_PADDING),
        ]
        return self.set_structure(Table(rows, colWidths=widths, repeatRows=1, style=TableStyle(commands), splitInRow=1,
                                   **self.around_block(), hAlign="RIGHT" if mirrored else "LEFT"), "Table", mirrored)

    def stacked_table(self, rows: list[list]) -> Table:
        """A table too wide for its columns, one block a row of "Header: value" lines, ruled apart."""
        blocks = stacked_rows(rows, self.styles.table_cell, self.paragraph)
        commands = [
            ("FONT", (0, 0), (-1, -1), self.styles.font, self.layout.sizes.table),
            ("LINEABOVE", (0, 0), (-1, -1), 0.75, HexColor(self.layout.colours.rule)),
            ("LINEBELOW", (0, -1), (-1, -1), 0.75, HexColor(self.layout.colours.rule)),
            ("VALIGN", (0, 0), (-1, -1), "TOP"),
            ("TOPPADDING", (0, 0), (-1, -1), 6), ("BOTTOMPADDING", (0, 0), (-1, -1), 8),
            ("LEFTPADDING", (0, 0), (-1, -1), 0), ("RIGHTPADDING", (0, 0), (-1, -1), 0),
        ]
        # Tagged as a list of rows: it has no header cells left to read a column by.
        return self.set_structure(Table([[block] for block in blocks], colWidths=["100%"], style=TableStyle(commands),
                                   splitInRow=1, **self.around_block(),
                                   hAlign="RIGHT" if self.words.right_to_left else "LEFT"), "L")


def build_story(document: Document) -> Story:
    """The Story for a Document: its flowables and what each is in the handout."""
    register(document.fonts)  # Paragraphs look their fonts up as they are made
    return StoryBuilder(document).story()
