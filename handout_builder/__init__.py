"""handout-builder: patient-information leaflets from YAML to clinic-ready PDF.

The stages, each a subpackage with one input and one output (tests/test_architecture.py holds
the import rules):
  inputs (YAML text -> validated, frozen model) -> text (Markdown parsed, citations numbered,
  characters checked: the document) -> render (story of flowables -> pages -> tagged PDF bytes)
  -> build (the file, written atomically; manifests, batches, watching). `checks` reviews a
  document as a leaflet reviewer would; `fonts` knows what each font file can draw.
  `build_pdf.py` is the command line.
"""
__version__ = "0.1.0"
