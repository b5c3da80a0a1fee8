"""Stage 3: a document -> PDF bytes: story of flowables, pages with header and footer, the
structure tree of a tagged PDF, booklet imposition. The only stage that uses ReportLab, and
ReportLab's internals only through reportlab_seam, imported here before any of the stage's
modules: it offers ReportLab its bidi module before ReportLab's text module is first imported."""
from . import reportlab_seam  # noqa: F401  (first: see reportlab_seam.offer_rlbidi)
