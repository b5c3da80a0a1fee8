"""The benchmark's reference leaflet with WeasyPrint: bench/others/leaflet.html.

    python bench/others/weasyprint_leaflet.py OUT.pdf [COUNT]     # COUNT in one process (default 1)
"""
import sys
from pathlib import Path

from weasyprint import HTML

HERE = Path(__file__).resolve().parent
for n in range(int(sys.argv[2]) if len(sys.argv) > 2 else 1):
    HTML(filename=str(HERE / "leaflet.html")).write_pdf(sys.argv[1])
