"""Execute a report notebook with papermill; name the failing cell; the cells a report shows.

:func:`execute` runs a notebook into its output file (kept as ``<name>.failed.ipynb`` when a
cell fails, and the failing cell named by its index in the notebook the analyst edits);
:func:`report_cells` is what the report prints of the executed notebook (see
:mod:`reportlib.document.outline`).
"""

from __future__ import annotations

import os
from pathlib import Path
from typing import Any

import nbformat

from reportlib.errors import NotebookCellError, ReportlibError

__all__ = ["ENGINES", "execute", "report_cells"]

ENGINES = ("inprocess", "kernel")


def execute(
    notebook: Path,
    output: Path,
    parameters: dict[str, str],
    engine: str = "inprocess",
) -> nbformat.NotebookNode:
    """Run ``notebook`` with papermill into ``output``; a failing cell → NotebookCellError.

    The output is written to a temporary name next to ``output`` and moved into place only
    when every cell ran; a failed run is kept as ``<name>.failed.ipynb``.
    """
    import papermill
    from papermill.exceptions import PapermillExecutionError

    if engine not in ENGINES:
        raise ReportlibError(f"engine must be one of {', '.join(ENGINES)}, not {engine!r}")
    # papermill wants a kernel name even for an engine that starts no kernel
    kwargs: dict[str, Any] = {"kernel_name": "python3", "language": "python"}
    if engine == "inprocess":
        import reportlib.render.engine  # noqa: F401  (registers the "reportlib" papermill engine)

        kwargs["engine_name"] = "reportlib"
    output.parent.mkdir(parents=True, exist_ok=True)
    tmp = output.with_name(f".{output.stem}.running.ipynb")
    try:
        executed = papermill.execute_notebook(
            str(notebook),
            str(tmp),
            parameters=parameters,
            progress_bar=False,
            log_output=False,
            # papermill writes the output once at the end (and on failure); saving after the
            # last cell too serialised a ~1.5 MB notebook twice per report
            request_save_on_cell_execute=False,
            cwd=str(notebook.parent),
            **kwargs,
        )
    except PapermillExecutionError as exc:
        kept = output.with_name(f"{output.stem}.failed.ipynb")
        if tmp.exists():
            os.replace(tmp, kept)
        index = _source_index(kept, exc.cell_index) if kept.exists() else exc.cell_index
        raise NotebookCellError(index, exc.source, exc.ename, exc.evalue, kept) from None
    os.replace(tmp, output)
    return executed  # what papermill wrote: reading the file back cost ~40 ms a report


_ADDED_TAGS = {"injected-parameters", "papermill-error-cell-tag"}


def _source_index(kept: Path, executed_index: int) -> int:
    """Index of the failed cell in the notebook the analyst edits (papermill adds cells).

    ``executed_index`` counts the injected-parameters cell; the kept notebook also has
    papermill's error banners. The failing cell is the one with an error output.
    """
    nb = nbformat.read(str(kept), as_version=4)
    index = 0
    for cell in nb.cells:
        if _ADDED_TAGS & set(cell.get("metadata", {}).get("tags", [])):
            continue
        if any(o.get("output_type") == "error" for o in cell.get("outputs", [])):
            return index
        index += 1
    return executed_index


def report_cells(nb: nbformat.NotebookNode) -> nbformat.NotebookNode:
    """The cells the report prints (:func:`reportlib.document.outline.report_cells`)."""
    from reportlib.document.outline import report_cells as outline_cells

    return outline_cells(nb)
