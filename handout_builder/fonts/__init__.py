"""What each font file of a layout can draw, read from its tables (no ReportLab)."""
