"""handout-builder: patient-information leaflets from YAML to clinic-ready PDF.

The stages, each a module with one input and one output:
  source (YAML text -> Node tree) -> handout / layout (-> frozen model) -> document (parsed,
  citations numbered, glyphs checked) -> story (ReportLab flowables) -> pages (PDF bytes)
  -> writing (file, atomically). `pipeline` runs them; `build_pdf.py` is the command line.
"""
__version__ = "0.1.0"

from . import rtl as _rtl

_rtl.install()  # before ReportLab's text module is imported: right-to-left lines need it
