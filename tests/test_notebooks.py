"""Notebooks are committed without outputs and document their parameters for papermill."""

from __future__ import annotations

import nbformat
import pytest

from reportlib import paths

NOTEBOOKS = sorted(paths.notebooks_dir().glob("*.ipynb"))


@pytest.mark.parametrize("path", NOTEBOOKS, ids=[p.name for p in NOTEBOOKS])
def test_notebook_has_no_outputs(path) -> None:
    nb = nbformat.read(str(path), as_version=4)
    for i, cell in enumerate(nb.cells):
        if cell.cell_type == "code":
            assert cell.outputs == [], f"{path.name} cell {i} has outputs: run `make format`"
            assert cell.execution_count is None, f"{path.name} cell {i} has an execution count"


def test_locality_notebook_parameters_cell() -> None:
    from papermill.inspection import inspect_notebook

    path = paths.notebooks_dir() / "locality_report.ipynb"
    nb = nbformat.read(str(path), as_version=4)
    first_code = next(c for c in nb.cells if c.cell_type == "code")
    assert "parameters" in first_code.metadata.get("tags", [])
    params = inspect_notebook(str(path))
    assert set(params) == {"locality", "as_of", "data_dir", "sources_dir"}
    assert params["locality"]["default"] == '"huli"'
    assert all(p["inferred_type_name"] == "str" for p in params.values())
    assert "YYYY-MM-DD" in params["as_of"]["help"]
