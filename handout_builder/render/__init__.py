"""Stage 3: a document -> PDF bytes: story of flowables, pages with header and footer, the
structure tree of a tagged PDF, booklet imposition. The only stage that uses ReportLab, and
ReportLab's internals only through reportlab_seam."""
