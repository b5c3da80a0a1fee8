"""Stage 2: a validated handout and its layout -> the document: Markdown parsed, citations
numbered, every character checked, the header and footer worded. No ReportLab."""
