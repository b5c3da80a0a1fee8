"""The render stage, third step: PDF bytes + the marks recorded while drawing -> a tagged PDF (PDF/UA-1).

The pages already carry marked content (marking.py); this stage writes what a screen reader
needs to follow it, with pikepdf: the structure tree (Document, H1, H2, P, L/LI/Lbl/LBody,
Table/TR/TH/TD, Sect, BlockQuote, Figure with Alt, Link), the parent tree that leads from each
piece of marked content and each link back to its element, /StructParents and /Tabs /S on every
page, /StructParent and /Contents on every link, and in the catalog /MarkInfo, the display of
the title, and XMP metadata with the title and the PDF/UA identification. The words and the look
of the pages are not touched: content streams are copied as they are.
"""
from __future__ import annotations

import io
import re
import pikepdf
from pikepdf import Array, Dictionary, Name, String

from .inline import escape, printed_address  # not xml.sax.saxutils's: it imports urllib.request, ssl, http
from ..inputs.language import Wording
from .marking import Element, Marks

CELLS = ("TD", "TH")  # kept even when empty, so that every row has its columns
_STRUCT_ELEM, _MCR = Name.StructElem, Name.MCR
_ROLES: dict[str, Name] = {}
_PDF_DATE = re.compile(r"D:(\d{4})(\d{2})(\d{2})(\d{2})(\d{2})(\d{2})")


def tag_pdf(data: bytes, marks: Marks, words: Wording, archival: bool = False) -> bytes:
    """The PDF `data` with the structure tree recorded in `marks` written into it; `words` says
    what links lead to, in the leaflet's language. `archival`: PDF/A-2u as well (archival.py),
    for the copies a clinic releases; raise ValueError saying why a leaflet cannot be."""
    with pikepdf.open(io.BytesIO(data)) as pdf:
        _Tagger(pdf, marks, words, archival).write()
        if archival:
            from .archival import make_archival

            make_archival(pdf)
        out = io.BytesIO()
        # deterministic_id: the file identifier is a hash of the content, so the same leaflet
        # gives the same bytes; the XMP is ours, written from the leaflet's own dates. Object
        # streams pack the many small structure objects: the tagged file is smaller than the
        # untagged one was. PDF/UA-1 is a profile of PDF 1.7.
        pdf.save(out, deterministic_id=True, fix_metadata_version=False, compress_streams=True,
                 object_stream_mode=pikepdf.ObjectStreamMode.generate, min_version="1.7")
        return out.getvalue()


class _Tagger:
    def __init__(self, pdf: pikepdf.Pdf, marks: Marks, words: Wording, archival: bool = False):
        self.pdf = pdf
        self.archival = archival
        self.marks = marks
        self.words = words
        self.pages = [page.obj for page in pdf.pages]
        self.by_mcid: list[dict[int, Dictionary]] = [{} for _ in self.pages]  # page -> MCID -> element
        self.by_annotation: dict[tuple[int, int], Dictionary] = {}  # (page, index) -> Link element

    def write(self) -> None:
        root = self.pdf.make_indirect(Dictionary(Type=Name.StructTreeRoot))
        document = self.element(self.marks.document, root)
        self.footer_links(document)
        root.K = Array([document])
        root.ParentTree, root.ParentTreeNextKey = self.parent_tree()
        catalog = self.pdf.Root
        catalog.StructTreeRoot = root
        catalog.MarkInfo = Dictionary(Marked=True)
        preferences = catalog.get("/ViewerPreferences", Dictionary())
        preferences.DisplayDocTitle = True
        catalog.ViewerPreferences = preferences
        catalog.Metadata = self.metadata()

    def element(self, element: Element, parent: Dictionary) -> Dictionary | None:
        """The element as a StructElem under parent, or None when it holds nothing."""
        # Kids are gathered in a Python list and made one Array: each call into pikepdf costs
        # more than the work it does, and a leaflet has hundreds of elements.
        node = self.pdf.make_indirect(Dictionary(Type=_STRUCT_ELEM, S=_role(element.role), P=parent))
        kids: list = []
        first_page = None
        by_mcid = self.by_mcid
        for piece in element.pieces:
            if isinstance(piece, Element):  # a link's words, read where they are drawn
                written = self.element(piece, node)
                if written is not None:
                    kids.append(written)
                continue
            page, mcid = piece
            if first_page is None:
                first_page = page
                node.Pg = self.pages[page]
            kids.append(mcid if page == first_page else Dictionary(Type=_MCR, Pg=self.pages[page], MCID=mcid))
            by_mcid[page][mcid] = node
        for child in element.children:
            written = self.element(child, node)
            if written is not None:
                kids.append(written)
        if element.role == "Link":  # its words above, then the annotations they are clicked by
            kids.extend(self.link_objects(element.links, node))
        elif element.links:  # links drawn by ReportLab's Paragraph: the annotations alone
            for group in self.link_groups(element.links):
                kids.append(self.link(group, node))
        if not kids and element.role not in CELLS:
            return None
        if kids:
            # One kid stands alone (ISO 32000 allows either; pdfua 0.1.3's empty-heading rule
            # cannot read a heading whose kids are an array, with pikepdf 9 or 10).
            node.K = kids[0] if len(kids) == 1 else Array(kids)
        if element.alt:
            node.Alt = String(element.alt)
        if element.lang:  # a passage in another language: its own voice in a screen reader
            node.Lang = String(element.lang)
        if element.scope:
            node.A = Dictionary(O=Name.Table, Scope=Name("/" + element.scope))
        return node

    def annotation(self, page: int, index: int) -> Dictionary:
        return self.pages[page].Annots[index]

    @staticmethod
    def link_groups(links: list[tuple[int, int, str]]) -> list[list[tuple[int, int, str]]]:
        """Consecutive annotations to the same place (a link broken over two lines) are one link."""
        groups: list[list[tuple[int, int, str]]] = []
        for link in links:
            if groups and groups[-1][-1][2] == link[2]:
                groups[-1].append(link)
            else:
                groups.append([link])
        return groups

    def link_objects(self, links: list[tuple[int, int, str]], node: Dictionary) -> list[Dictionary]:
        """The OBJR kids of the Link element `node` for the annotations `links` (page, index,
        where it leads), each annotation described in words (/Contents) and led back to `node`."""
        kids = []
        for page, index, target in links:
            annotation = self.annotation(page, index)
            annotation.Contents = String(describe_link(target, self.words))
            kids.append(Dictionary(Type=Name.OBJR, Obj=annotation, Pg=self.pages[page]))
            self.by_annotation[(page, index)] = node
        return kids

    def link(self, links: list[tuple[int, int, str]], parent: Dictionary, alt: str | None = None) -> Dictionary:
        """A Link element holding the annotations `links` (page, index, where it leads)."""
        node = self.pdf.make_indirect(Dictionary(Type=Name.StructElem, S=Name.Link, P=parent))
        node.Pg = self.pages[links[0][0]]
        node.K = Array(self.link_objects(links, node))
        if alt:
            node.Alt = String(alt)
        return node

    def footer_links(self, document: Dictionary) -> None:
        """Links drawn in the running header and footer (the clinic's web address on every page)
        belong to no element of the text: each address is one Link at the end of the document."""
        by_target: dict[str, list[tuple[int, int, str]]] = {}
        for page, obj in enumerate(self.pages):
            for index, annotation in enumerate(obj.get("/Annots", Array())):
                if (page, index) not in self.by_annotation:
                    action = annotation.get("/A")
                    if annotation.get("/Subtype") != Name.Link or action is None or "/URI" not in action:
                        raise ValueError(f"page {page + 1}: an annotation outside the text that is not a web link")
                    target = str(action.URI)
                    by_target.setdefault(target, []).append((page, index, target))
        for target, places in by_target.items():
            kids = document.K if isinstance(document.K, Array) else Array([document.K])
            kids.append(self.link(places, document, alt=self.words.say(
                "spoken_footer_link", link=describe_link(target, self.words))))
            document.K = kids

    def parent_tree(self) -> tuple[Dictionary, int]:
        """The number tree from each page's StructParents and each link's StructParent to elements."""
        nums = Array()
        for page, obj in enumerate(self.pages):
            owners = self.by_mcid[page]
            if sorted(owners) != list(range(len(owners))):
                raise ValueError(f"page {page + 1}: marked content ids {sorted(owners)} are not 0..n-1")
            obj.StructParents = page
            obj.Tabs = Name.S  # links are visited in the order of the structure
            nums.extend([page, self.pdf.make_indirect(Array([owners[mcid] for mcid in range(len(owners))]))])
        key = len(self.pages)
        for (page, index), node in sorted(self.by_annotation.items()):
            self.annotation(page, index).StructParent = key
            nums.extend([key, node])
            key += 1
        return Dictionary(Nums=nums), key

    def metadata(self) -> pikepdf.Stream:
        """XMP metadata: the title, author, subject, language and dates of the document
        information, and pdfuaid:part 1, the claim of PDF/UA-1; for an archival copy also the
        claim of PDF/A-2u (archival.py)."""
        info = self.pdf.docinfo
        text = {key: str(info.get(f"/{key}", "")) for key in ("Title", "Author", "Subject", "Keywords", "Creator",
                                                              "Producer", "CreationDate", "ModDate")}
        language = str(self.pdf.Root.get("/Lang", "")) or "x-default"
        packet = XMP.format(
            title=escape(text["Title"]), author=escape(text["Author"]), subject=escape(text["Subject"]),
            keywords=escape(text["Keywords"]), creator=escape(text["Creator"]), producer=escape(text["Producer"]),
            created=xmp_date(text["CreationDate"]), modified=xmp_date(text["ModDate"] or text["CreationDate"]),
            language=escape(language))
        if self.archival:
            from .archival import XMP_ARCHIVAL, XMP_ARCHIVAL_NAMESPACES

            packet = packet.replace('xmlns:pdfuaid="http://www.aiim.org/pdfua/ns/id/">',
                                    'xmlns:pdfuaid="http://www.aiim.org/pdfua/ns/id/"' + XMP_ARCHIVAL_NAMESPACES + ">")
            packet = packet.replace("<pdfuaid:part>1</pdfuaid:part>", "<pdfuaid:part>1</pdfuaid:part>" + XMP_ARCHIVAL)
        stream = pikepdf.Stream(self.pdf, packet.encode("utf-8"))
        stream.Type, stream.Subtype = Name.Metadata, Name.XML
        return self.pdf.make_indirect(stream)


def _role(role: str) -> Name:
    """A structure type as a PDF name (H1, P, LI...), made once a process."""
    name = _ROLES.get(role)
    if name is None:
        name = _ROLES[role] = Name("/" + role)
    return name


def describe_link(target: str, words: Wording) -> str:
    """What a link leads to, in words (its /Contents, for a screen reader) in the leaflet's
    language: the reference a citation leads to, or the address as it is printed."""
    if target.startswith("#ref-"):
        return words.say("spoken_reference", number=target[5:])
    if target.startswith("#"):
        return words.say("spoken_anchor", name=target[1:])
    if target.lower().startswith("mailto:"):
        return words.say("spoken_email", address=target[7:])
    if target.lower().startswith("tel:"):
        return words.say("spoken_phone", number=target[4:])
    return printed_address(target) or target


def xmp_date(pdf_date: str) -> str:
    """A PDF date (D:20261101000000+00'00') as an XMP date (2026-11-01T00:00:00Z)."""
    match = _PDF_DATE.match(pdf_date)
    if not match:
        return ""
    year, month, day, hour, minute, second = match.groups()
    return f"{year}-{month}-{day}T{hour}:{minute}:{second}Z"


XMP = """<?xpacket begin="\ufeff" id="W5M0MpCehiHzreSzNTczkc9d"?>
<x:xmpmeta xmlns:x="adobe:ns:meta/">
 <rdf:RDF xmlns:rdf="http://www.w3.org/1999/02/22-rdf-syntax-ns#">
  <rdf:Description rdf:about=""
    xmlns:dc="http://purl.org/dc/elements/1.1/"
    xmlns:pdf="http://ns.adobe.com/pdf/1.3/"
    xmlns:xmp="http://ns.adobe.com/xap/1.0/"
    xmlns:pdfuaid="http://www.aiim.org/pdfua/ns/id/">
   <dc:format>application/pdf</dc:format>
   <dc:title><rdf:Alt><rdf:li xml:lang="x-default">{title}</rdf:li></rdf:Alt></dc:title>
   <dc:creator><rdf:Seq><rdf:li>{author}</rdf:li></rdf:Seq></dc:creator>
   <dc:description><rdf:Alt><rdf:li xml:lang="x-default">{subject}</rdf:li></rdf:Alt></dc:description>
   <dc:language><rdf:Bag><rdf:li>{language}</rdf:li></rdf:Bag></dc:language>
   <pdf:Keywords>{keywords}</pdf:Keywords>
   <pdf:Producer>{producer}</pdf:Producer>
   <xmp:CreatorTool>{creator}</xmp:CreatorTool>
   <xmp:CreateDate>{created}</xmp:CreateDate>
   <xmp:ModifyDate>{modified}</xmp:ModifyDate>
   <pdfuaid:part>1</pdfuaid:part>
  </rdf:Description>
 </rdf:RDF>
</x:xmpmeta>
<?xpacket end="w"?>"""
