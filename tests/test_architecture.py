"""The engine's stages import one way only: each subpackage may use the ones below it, never
one above or beside it. A new import that breaks the order fails here, naming the line."""
from __future__ import annotations

import ast
from pathlib import Path

import handout_builder

PACKAGE = Path(handout_builder.__file__).parent

# Each stage and the stages it may import. errors and model are the shared vocabulary every
# stage may use; nothing in them may import a stage.
MAY_IMPORT = {
    "": set(),  # errors.py, model.py, world.py
    "inputs": {""},
    "fonts": {"", "inputs"},
    "text": {"", "inputs", "fonts"},
    "render": {"", "inputs", "fonts", "text"},
    "checks": {"", "inputs", "fonts", "text"},
    "build": {"", "inputs", "fonts", "text", "render", "checks"},
}


def _stage(module: Path) -> str:
    parts = module.relative_to(PACKAGE).parts
    return parts[0] if len(parts) > 1 else ""


def _imports(module: Path, source: str | None = None):
    """(line, stage imported) for every import of the engine in a module, at any depth."""
    tree = ast.parse(source if source is not None else module.read_text(encoding="utf-8"))
    here = module.relative_to(PACKAGE).parts[:-1]
    for node in ast.walk(tree):
        if isinstance(node, ast.ImportFrom):
            if node.level:
                base = list(here[: len(here) - (node.level - 1)])
                target = base + (node.module.split(".") if node.module else [])
            elif node.module and node.module.split(".")[0] == "handout_builder":
                target = node.module.split(".")[1:]
            else:
                continue
            if not target:  # from . import x / from .. import x: x is the module
                target = [alias.name for alias in node.names][:1]
            yield node.lineno, target[0] if target[0] in MAY_IMPORT else ""
        elif isinstance(node, ast.Import):
            for alias in node.names:
                parts = alias.name.split(".")
                if parts[0] == "handout_builder":
                    yield node.lineno, parts[1] if len(parts) > 1 and parts[1] in MAY_IMPORT else ""


def _broken(module: Path, source: str | None = None) -> list[str]:
    stage = _stage(module)
    return [f"{module.relative_to(PACKAGE)}:{line} imports {imported or 'the top level'}"
            for line, imported in _imports(module, source)
            if imported != stage and imported not in MAY_IMPORT[stage]]


def test_every_module_belongs_to_a_stage():
    stray = [str(p.relative_to(PACKAGE)) for p in PACKAGE.rglob("*.py")
             if len(p.relative_to(PACKAGE).parts) > 2 or (len(p.relative_to(PACKAGE).parts) == 2
                                                           and p.parent.name not in MAY_IMPORT)]
    assert stray == []
    top = sorted(p.name for p in PACKAGE.glob("*.py"))
    assert top == ["__init__.py", "errors.py", "model.py", "world.py"]


def test_stages_import_only_the_stages_below_them():
    broken = []
    for module in sorted(PACKAGE.rglob("*.py")):
        if module.name == "__init__.py" and module.parent == PACKAGE:
            continue  # the package's own start-up
        broken += _broken(module)
    assert broken == []


def test_the_rule_checker_catches_each_way_of_importing_upwards():
    """The checker itself, on source text: every spelling of an upward import is caught, and
    imports from below or from the same stage pass."""
    document = PACKAGE / "text" / "document.py"
    for upward in ("from ..render.story import build_story", "from ..render import story",
                   "from handout_builder.build.pipeline import Pipeline", "import handout_builder.checks.quality",
                   "def f():\n    from ..build import batch"):
        assert _broken(document, upward), upward
    for allowed in ("from ..inputs.fields import quoted", "from .citations import citation_label",
                    "from ..errors import HandoutError", "from . import prose", "import re"):
        assert _broken(document, allowed) == [], allowed
    assert _broken(PACKAGE / "model.py", "from .inputs import fields")


# -- only the render stage draws -------------------------------------------------------------------

DRAWING_LIBRARIES = {"reportlab", "svglib"}  # svglib is ReportLab's too: it makes ReportLab drawings
CLI = PACKAGE.parent / "build_pdf.py"
COMMAND_LINE = [CLI]  # the command line: one script, as the design card has it


def _drawing_imports(module: Path, source: str | None = None):
    """(line, module imported) for every import of ReportLab or svglib in a module, at any depth:
    import and from-import statements (in functions and classes too), and importlib.import_module
    or __import__ called with the module's name."""
    tree = ast.parse(source if source is not None else module.read_text(encoding="utf-8"))
    for node in ast.walk(tree):
        if isinstance(node, ast.Import):
            names = [alias.name for alias in node.names]
        elif isinstance(node, ast.ImportFrom) and not node.level:
            names = [node.module or ""]
        elif (isinstance(node, ast.Call) and ast.unparse(node.func) in ("__import__", "importlib.import_module",
                                                                         "import_module")
              and node.args and isinstance(node.args[0], ast.Constant) and isinstance(node.args[0].value, str)):
            names = [node.args[0].value]
        else:
            continue
        for name in names:
            if name.split(".")[0] in DRAWING_LIBRARIES:
                yield node.lineno, name


def test_only_the_render_stage_imports_reportlab_or_svglib():
    """The inputs, fonts, text, checks and build stages (and the command line) never draw, so
    `check` and `list` run without ReportLab, and a ReportLab upgrade can only break render/."""
    modules = [module for module in sorted(PACKAGE.rglob("*.py")) if _stage(module) != "render"]
    command_line = [path for path in COMMAND_LINE if path.exists()]
    modules += command_line
    found = [f"{module.name if module in command_line else module.relative_to(PACKAGE)}:{line} imports {name}"
             for module in modules for line, name in _drawing_imports(module)]
    assert found == [], "draw in handout_builder/render/ (the logo: render/logo.py)"


def test_the_drawing_import_checker_catches_each_way_of_importing():
    logo = PACKAGE / "inputs" / "logo.py"
    for caught in ("import reportlab", "import reportlab.lib.utils as utils",
                   "from reportlab.graphics import renderPDF", "from svglib.svglib import svg2rlg", "import svglib",
                   "def width(logo):\n    from reportlab.lib.utils import ImageReader",
                   "class Logo:\n    def draw(self):\n        if True:\n            import reportlab.graphics",
                   "import importlib\nimportlib.import_module('reportlab.lib.utils')", "__import__('svglib.svglib')"):
        assert list(_drawing_imports(logo, caught)), caught
    for allowed in ("import re", "from .fields import quoted", "from PIL import Image", "import reportlabish",
                    "LIBRARIES = ('reportlab', 'svglib')", "from . import reportlab_seam"):
        assert list(_drawing_imports(logo, allowed)) == [], allowed


# -- the environment is read through the World --------------------------------------------------

def _environment_reads(module: Path, source: str | None = None):
    """(line, what) for every read of the process's environment in a module: os.environ,
    os.getenv (or either imported from os)."""
    tree = ast.parse(source if source is not None else module.read_text(encoding="utf-8"))
    for node in ast.walk(tree):
        if isinstance(node, ast.Attribute) and ast.unparse(node) in ("os.environ", "os.getenv", "os.environb"):
            yield node.lineno, ast.unparse(node)
        elif isinstance(node, ast.ImportFrom) and node.module == "os":
            for alias in node.names:
                if alias.name in ("environ", "getenv", "environb"):
                    yield node.lineno, f"os.{alias.name}"


def test_only_the_world_reads_the_environment():
    """SOURCE_DATE_EPOCH, HANDOUT_BUILDER_TODAY and HANDOUT_BUILDER_DEBUG are each decided in one
    place, the World (world.py), which every stage and the command line ask."""
    modules = [module for module in sorted(PACKAGE.rglob("*.py")) if module != PACKAGE / "world.py"]
    modules += [path for path in COMMAND_LINE if path.exists()]
    found = [f"{module.name}:{line} reads {what}" for module in modules for line, what in _environment_reads(module)]
    assert found == [], "ask the World (world.py: environment, source_date_epoch, today, debugging)"
    for caught in ("import os\nif os.environ.get('HANDOUT_BUILDER_DEBUG'): pass", "os.getenv('X')",
                   "from os import environ", "def f():\n    return os.environ['X']"):
        assert list(_environment_reads(CLI, caught)), caught
    assert list(_environment_reads(CLI, "world.environment('X')\nos.path.join('a')")) == []
