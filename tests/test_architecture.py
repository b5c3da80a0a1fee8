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
