"""The package's shape: docs/architecture.md lists every module of src/reportlib, layer by
layer, and nothing else; the README's layout names folders that exist; modules and functions
stay small enough to read (or say at their top why not)."""

from __future__ import annotations

import ast
import re

from reportlib import paths

DOC = paths.PROJECT_ROOT / "docs" / "architecture.md"
LAYERS = ("data", "analysis", "document", "render", "batch", "intake", "cli")


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
    found = [m for m in re.findall(r"^### (\w+) —", text, re.M) if m in LAYERS]
    assert found == list(LAYERS), "docs/architecture.md lists the layers in their import order"


#: Imports from a lower layer, each stated in docs/architecture.md ("Imports against the
#: order"): (importing module, imported layer).
UPWARD = {
    ("data/dataset.py", "render"),  # the glyph check asks the report font (render/fonts.py)
    ("data/dataset.py", "document"),  # validate checks the commentary's citations
    ("document/charts/style.py", "render"),  # charts draw in the report font
    ("document/sections/annex.py", "render"),  # the annex prints the provenance hashes
}


def _imported_layers(source: str) -> set[str]:
    layers = set()
    for node in ast.walk(ast.parse(source)):
        names: list[str] = []
        if isinstance(node, ast.ImportFrom) and node.module:
            names = [node.module] + [f"{node.module}.{a.name}" for a in node.names]
        elif isinstance(node, ast.Import):
            names = [a.name for a in node.names]
        for name in names:
            parts = name.split(".")
            if parts[0] == "reportlib" and len(parts) > 1 and parts[1] in LAYERS:
                layers.add(parts[1])
    return layers


def test_a_layer_imports_only_from_the_layers_above_it() -> None:
    found = set()
    for module, source in _sources().items():
        layer = module.split("/")[0]
        if layer not in LAYERS:
            continue
        for other in _imported_layers(source):
            if LAYERS.index(other) > LAYERS.index(layer):
                found.add((module, other))
    assert found - UPWARD == set(), "a new import against the layer order"
    assert UPWARD - found == set(), "an allowed upward import is gone: remove it from UPWARD"


MAX_MODULE_LINES = 600
MAX_FUNCTION_LINES = 60
REASON = "Longer than 600 lines because"


def _sources() -> dict[str, str]:
    pkg = paths.PACKAGE_DIR
    return {
        p.relative_to(pkg).as_posix(): p.read_text(encoding="utf-8")
        for p in sorted(pkg.rglob("*.py"))
        if "__pycache__" not in p.parts
    }


def test_no_module_over_600_lines_without_a_reason() -> None:
    long = [
        f"{name} ({text.count(chr(10))} lines)"
        for name, text in _sources().items()
        if text.count("\n") > MAX_MODULE_LINES
        and REASON not in (ast.get_docstring(ast.parse(text)) or "")
    ]
    assert not long, f"split these, or say at the top '{REASON} …': {long}"


def test_no_function_over_60_lines() -> None:
    long = []
    for name, text in _sources().items():
        for node in ast.walk(ast.parse(text)):
            if isinstance(node, ast.FunctionDef | ast.AsyncFunctionDef):
                size = (node.end_lineno or node.lineno) - node.lineno + 1
                if size > MAX_FUNCTION_LINES:
                    long.append(f"{name}:{node.lineno} {node.name} ({size} lines)")
    assert not long, f"split these into named helpers: {long}"


def test_the_readme_layout_names_folders_and_files_that_exist() -> None:
    readme = (paths.PROJECT_ROOT / "README.md").read_text(encoding="utf-8")
    block = re.search(r"^## Layout\n.*?^```\n(.*?)^```", readme, re.M | re.S)
    assert block, "README.md has a Layout section with the tree in a code block"
    named, top = [], paths.PROJECT_ROOT
    # An entry starts at column 0 (the project) or 2 (inside the entry above); wider indents
    # continue the description.
    for indent, name in re.findall(r"^( {0,2})([\w./-]+) ", block.group(1), re.M):
        path = (top if indent else paths.PROJECT_ROOT) / name
        named.append(path)
        if not indent:
            top = path
    # Made by a run or by the analyst, so absent from a fresh clone.
    optional = {"reports", "build", "commentary"}
    missing = [
        p.relative_to(paths.PROJECT_ROOT).as_posix()
        for p in named
        if not p.exists() and p.name not in optional
    ]
    assert len(named) > 15, named
    assert not missing, f"README.md's layout names what is not in the tree: {missing}"
