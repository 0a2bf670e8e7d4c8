"""docs/architecture.md lists every module of src/reportlib, layer by layer, and nothing else."""

from __future__ import annotations

import re

from reportlib import paths

DOC = paths.PROJECT_ROOT / "docs" / "architecture.md"
LAYERS = ("data", "analysis", "document", "render", "batch", "cli", "intake")


def _modules() -> set[str]:
    pkg = paths.PACKAGE_DIR
    found = pkg.rglob("*.py")
    return {p.relative_to(pkg).as_posix() for p in found if "__pycache__" not in p.parts}


def _documented() -> set[str]:
    rows = re.findall(r"^\| `([\w/]+\.py)` \|", DOC.read_text(encoding="utf-8"), re.M)
    return set(rows)


def test_every_module_is_in_the_architecture_doc() -> None:
    missing = sorted(_modules() - _documented())
    assert not missing, f"add a row for each to docs/architecture.md: {missing}"


def test_the_architecture_doc_names_no_module_that_is_gone() -> None:
    stale = sorted(_documented() - _modules())
    assert not stale, f"docs/architecture.md lists modules that do not exist: {stale}"


def test_the_layers_are_sub_packages() -> None:
    for layer in LAYERS:
        assert (paths.PACKAGE_DIR / layer / "__init__.py").is_file(), layer
    top = {p.name for p in paths.PACKAGE_DIR.glob("*.py")}
    assert top == {"__init__.py", "__main__.py", "paths.py", "errors.py"}, top


def test_docs_list_the_layers() -> None:
    text = DOC.read_text(encoding="utf-8")
    for layer in LAYERS:
        assert re.search(rf"^### {layer}\b", text, re.M), layer
