"""Stage 1: files an author writes (handouts, layouts, catalogues) -> the validated, frozen model.

Nothing here knows about fonts' outlines, Markdown or ReportLab."""
