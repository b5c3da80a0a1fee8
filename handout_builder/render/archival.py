"""PDF/A-2u for the copies a clinic releases and archives: what tagging adds, and what it checks.

A released leaflet is kept for years (archive/), so it must render the same in any viewer long
after this builder is gone: an sRGB output intent (a free profile: srgb.icc beside this module,
made with littleCMS's built-in sRGB, its header date fixed so the bytes never change), XMP that
claims PDF/A-2u beside PDF/UA-1 (with the extension schema PDF/A asks for pdfuaid), every
annotation printable, and nothing PDF/A forbids. What cannot be added here is checked instead
(`archival_problems`): every font embedded with a Unicode map, no transparency, no actions or
scripts; a leaflet that fails is not released, named with the reason.
"""
from __future__ import annotations

from pathlib import Path

import pikepdf
from pikepdf import Array, Dictionary, Name, String

ICC_PROFILE = Path(__file__).with_name("srgb.icc")
OUTPUT_CONDITION = "sRGB IEC61966-2.1"
PRINT_FLAG = 4  # an annotation's /F: printed; not hidden, invisible or no-view

# The XMP PDF/A-2u adds: its identification, the Trapped key ReportLab writes in the document
# information, and a description of the pdfuaid schema, which PDF/A does not know by itself.
XMP_ARCHIVAL = """
   <pdf:Trapped>False</pdf:Trapped>
   <pdfaid:part>2</pdfaid:part>
   <pdfaid:conformance>U</pdfaid:conformance>
   <pdfaExtension:schemas>
    <rdf:Bag>
     <rdf:li rdf:parseType="Resource">
      <pdfaSchema:schema>PDF/UA identification schema</pdfaSchema:schema>
      <pdfaSchema:namespaceURI>http://www.aiim.org/pdfua/ns/id/</pdfaSchema:namespaceURI>
      <pdfaSchema:prefix>pdfuaid</pdfaSchema:prefix>
      <pdfaSchema:property>
       <rdf:Seq>
        <rdf:li rdf:parseType="Resource">
         <pdfaProperty:name>part</pdfaProperty:name>
         <pdfaProperty:valueType>Integer</pdfaProperty:valueType>
         <pdfaProperty:category>internal</pdfaProperty:category>
         <pdfaProperty:description>Indicates, which part of ISO 14289 standard is followed</pdfaProperty:description>
        </rdf:li>
       </rdf:Seq>
      </pdfaSchema:property>
     </rdf:li>
    </rdf:Bag>
   </pdfaExtension:schemas>"""
XMP_ARCHIVAL_NAMESPACES = """
    xmlns:pdfaid="http://www.aiim.org/pdfa/ns/id/"
    xmlns:pdfaExtension="http://www.aiim.org/pdfa/ns/extension/"
    xmlns:pdfaSchema="http://www.aiim.org/pdfa/ns/schema#"
    xmlns:pdfaProperty="http://www.aiim.org/pdfa/ns/property#\""""


def make_archival(pdf: pikepdf.Pdf) -> None:
    """Add what PDF/A-2u needs beyond a tagged PDF's XMP (written by tagging.py): the sRGB output
    intent and printable annotations. Raise ValueError naming what PDF/A forbids, if anything."""
    problems = archival_problems(pdf)
    if problems:
        raise ValueError("; ".join(problems))
    profile = pikepdf.Stream(pdf, ICC_PROFILE.read_bytes())
    profile.N = 3
    intent = Dictionary(Type=Name.OutputIntent, S=Name.GTS_PDFA1, OutputConditionIdentifier=String(OUTPUT_CONDITION),
                        Info=String(OUTPUT_CONDITION), RegistryName=String("http://www.color.org"),
                        DestOutputProfile=pdf.make_indirect(profile))
    pdf.Root.OutputIntents = Array([intent])
    for page in pdf.pages:
        for annotation in page.obj.get("/Annots", Array()):
            annotation.F = PRINT_FLAG


def archival_problems(pdf: pikepdf.Pdf) -> list[str]:
    """What in the PDF PDF/A-2 forbids and this builder cannot mend: fonts not embedded or
    without a Unicode map, transparency (soft masks, alpha, blend modes, transparency groups),
    colour other than RGB or grey, scripts and actions other than links. Empty when none."""
    problems: list[str] = []
    if "/Names" in pdf.Root and "/JavaScript" in pdf.Root.Names or "/OpenAction" in pdf.Root or "/AA" in pdf.Root:
        problems.append("it holds scripts or actions")
    for number, page in enumerate(pdf.pages, start=1):
        where = f"page {number}"
        if "/Group" in page.obj and page.obj.Group.get("/S") == Name.Transparency:
            problems.append(f"{where}: a transparency group")
        for annotation in page.obj.get("/Annots", Array()):
            if annotation.get("/Subtype") != Name.Link or "/AA" in annotation:
                problems.append(f"{where}: an annotation other than a link")
            action = annotation.get("/A")
            if action is not None and action.get("/S") not in (Name.URI, Name.GoTo):
                problems.append(f"{where}: a link that runs {action.get('/S')}")
        problems.extend(_resource_problems(page.obj.get("/Resources", Dictionary()), where, set()))
    return sorted(set(problems), key=problems.index)


def _resource_problems(resources: Dictionary, where: str, seen: set) -> list[str]:
    problems: list[str] = []
    for font in resources.get("/Font", Dictionary()).values():
        name = str(font.get("/BaseFont", "?"))
        fonts = [font, *font.get("/DescendantFonts", Array())]
        if font.get("/Subtype") == Name.Type3:
            continue  # drawn with content streams: nothing to embed
        if not any("/FontDescriptor" in f and any(k in f.FontDescriptor for k in ("/FontFile", "/FontFile2",
                                                                                   "/FontFile3")) for f in fonts):
            problems.append(f"{where}: font {name} is not embedded")
        if "/ToUnicode" not in font:
            problems.append(f"{where}: font {name} has no Unicode map (ToUnicode)")
    for state in resources.get("/ExtGState", Dictionary()).values():
        for key in ("/CA", "/ca"):
            if key in state and float(state[key]) < 1:
                problems.append(f"{where}: transparency (alpha {float(state[key]):g})")
        if "/SMask" in state and state.SMask != Name["/None"]:
            problems.append(f"{where}: a soft mask")
        if "/BM" in state and state.BM not in (Name.Normal, Name.Compatible):
            problems.append(f"{where}: blend mode {state.BM}")
    for colour in resources.get("/ColorSpace", Dictionary()).values():
        family = colour[0] if isinstance(colour, Array) else colour
        if family in (Name.DeviceCMYK,):
            problems.append(f"{where}: CMYK colour under an sRGB output intent")
    for xobject in resources.get("/XObject", Dictionary()).values():
        if xobject.objgen in seen:
            continue
        seen.add(xobject.objgen)
        if "/SMask" in xobject or "/Mask" in xobject and isinstance(xobject.Mask, pikepdf.Stream):
            problems.append(f"{where}: an image with transparency (a soft mask)")
        if xobject.get("/ColorSpace") == Name.DeviceCMYK:
            problems.append(f"{where}: a CMYK image under an sRGB output intent")
        if "/Group" in xobject and xobject.Group.get("/S") == Name.Transparency:
            problems.append(f"{where}: a transparency group")
        if "/Resources" in xobject:
            problems.extend(_resource_problems(xobject.Resources, where, seen))
    return problems
