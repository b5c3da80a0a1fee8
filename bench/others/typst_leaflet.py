"""The benchmark's reference leaflet with Typst (the `typst` package): bench/others/leaflet.typ.

    python bench/others/typst_leaflet.py OUT.pdf [COUNT]

COUNT leaflets in one process (default 1), each a different copy (its number in the header), so
that Typst's in-process memoisation cannot reuse a whole earlier leaflet, as it could not for a
clinic's different leaflets.
"""
import sys
from pathlib import Path

import typst

HERE = Path(__file__).resolve().parent
REPO = HERE.parent.parent

compiler = typst.Compiler(str(HERE / "leaflet.typ"), root=str(REPO), font_paths=[str(REPO / "fonts")],
                          ignore_system_fonts=True)
for n in range(int(sys.argv[2]) if len(sys.argv) > 2 else 1):
    compiler.compile(output=sys.argv[1], sys_inputs={"copy": f" ({n})" if n else ""})
