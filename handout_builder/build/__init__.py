"""Stage 4: the stages run for a set of leaflets into a folder: which are stale, the PDFs
written atomically, the manifest, watching, diffs."""
