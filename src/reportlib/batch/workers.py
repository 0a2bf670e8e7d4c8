"""The worker side of a batch: warm up once, then render one locality per call.

The fork server preloads this module (``pool.warm_server``): with ``PRELOAD_ENV`` set, the
import itself warms the server up (:func:`_warm`, :func:`_rehearse`), so every worker forked
from it starts with everything imported and the first report's caches filled. A worker
renders with :func:`render_entry`, which never raises: the outcome is a manifest entry.
"""

from __future__ import annotations

import json
import multiprocessing
import os
import sys
import tempfile
import time
import traceback
from pathlib import Path
from typing import Any

from reportlib import paths
from reportlib.errors import describe_os_error

__all__ = ["PRELOAD_ENV", "die_with_parent", "init_worker", "render_entry", "render_one"]

_WORKER_OPTIONS: dict[str, Any] = {}


#: Set (to the render options as JSON) while the warm fork server starts: see ``_warm``.
PRELOAD_ENV = "REPORTLIB_BATCH_PRELOAD"


def die_with_parent() -> None:
    """Have the kernel kill this process when its parent dies (Linux; elsewhere a no-op).

    ``kill -9`` of a batch gives it no chance to stop its pool: without this the fork
    server, and through it the workers, outlive it (the resource tracker then exits too,
    once nobody holds its pipe). Each process asks for itself: a fork does not inherit it.
    """
    if not sys.platform.startswith("linux"):
        return
    import ctypes
    import signal

    parent = os.getppid()
    try:
        libc = ctypes.CDLL(None, use_errno=True)
        libc.prctl(1, signal.SIGKILL)  # PR_SET_PDEATHSIG = 1 (linux/prctl.h)
    except (OSError, AttributeError):  # pragma: no cover - no prctl in this libc
        return
    if os.getppid() != parent:  # the parent died before prctl took effect
        os._exit(1)


def init_worker(options: dict[str, Any]) -> None:
    """Keep the shared render options; warm up (a no-op in a child of the warm server)."""
    die_with_parent()
    _WORKER_OPTIONS.clear()
    _WORKER_OPTIONS.update(options)
    _warm(options)


def _warm(options: dict[str, Any] | None) -> None:
    """Do once what every report needs before it knows its locality.

    Runs in the fork server (the template every worker is forked from), so that a worker
    starts with reportlib, pandas, matplotlib, IPython, papermill and nbconvert imported, the
    in-process shell created, the CJK font found and the data set loaded and validated.
    Nothing here may start threads that a fork would lose (no typst compile, for instance).
    """
    import logging

    from reportlib import render  # noqa: F401
    from reportlib.data import dataset as facts
    from reportlib.errors import ReportlibError
    from reportlib.render import engine, fonts

    # papermill warns about every parameter it cannot infer, once per report.
    logging.getLogger("papermill").setLevel(logging.ERROR)
    engine.warm_up()
    import nbconvert  # noqa: F401
    import pypandoc  # noqa: F401
    import typst  # noqa: F401

    try:
        font = fonts.find_cjk_font()
        fonts.font_covers(font.path, "", font.font_number)  # reads the cmap the PDF check uses
        if options is not None:
            facts.load(options.get("data_dir"), options.get("sources_dir"))
    except ReportlibError:
        pass  # each report records the problem in the manifest


def _rehearse(options: dict[str, Any]) -> None:
    """Execute the first locality's notebook and make its HTML, in the fork server, discarded.

    Importing is only part of a cold start: the first report in a process also compiles the
    nbconvert templates, loads the chart font into FreeType and fills matplotlib's and
    pandas' caches (~0.3-0.5 s). Done once here, every worker forked afterwards starts warm.
    The PDF step is left out: typst and the pandoc thread start threads a fork would lose.
    """
    from reportlib import render
    from reportlib.analysis.report_date import resolve_as_of
    from reportlib.data import dataset as facts
    from reportlib.render import fonts

    ds = facts.load(options.get("data_dir"), options.get("sources_dir"))
    ids = ds.locality_ids()
    if not ids:
        return
    day = resolve_as_of(ds, options.get("as_of"))
    params = {
        "locality": ids[0],
        "as_of": day,
        "data_dir": str(ds.data_dir),
        "sources_dir": str(ds.sources_dir),
    }
    with tempfile.TemporaryDirectory(prefix="reportlib-rehearsal-") as tmp:
        nb = render.execute(
            paths.notebooks_dir() / "locality_report.ipynb", Path(tmp) / "rehearsal.ipynb", params
        )
        title = render.title_info(ds, ids[0], day)
        render.html_from_notebook(nb, title, "", fonts.find_cjk_font())


def render_one(locality: str) -> dict[str, Any]:
    """Render one locality in a worker; never raises (the outcome is a manifest entry)."""
    return render_entry(locality, **_WORKER_OPTIONS)


def render_entry(locality: str, **options: Any) -> dict[str, Any]:
    """Render ``locality`` and describe the outcome as a manifest entry (status ok|failed)."""
    from reportlib import render
    from reportlib.errors import NotebookCellError

    start = time.perf_counter()
    entry: dict[str, Any] = {"locality": locality}
    try:
        result = render.render_locality(locality, engine="inprocess", **options)
    except Exception as exc:  # noqa: BLE001 - a failure is data for the manifest
        entry["status"] = "failed"
        entry["error"] = f"{type(exc).__name__}: {exc}"
        if isinstance(exc, OSError):  # a full or read-only disk: say which path, what to do
            entry["error"] = f"{type(exc).__name__}: {describe_os_error(exc)}"
        entry["error_type"] = type(exc).__name__
        if isinstance(exc, NotebookCellError):
            entry["cell_index"] = exc.cell_index
            entry["cell_source"] = exc.cell_source
            entry["ename"] = exc.ename
            entry["evalue"] = exc.evalue
            entry["kept_notebook"] = str(exc.kept)
        else:
            entry["traceback"] = traceback.format_exc(limit=8)
    else:
        entry["status"] = "ok"
        for key in ("html", "pdf", "notebook", "route"):
            value = getattr(result, key, None)
            entry[key] = None if value is None else str(value)
    entry["duration"] = round(time.perf_counter() - start, 3)
    return entry


if os.environ.get(PRELOAD_ENV) and multiprocessing.parent_process() is None:
    # This module is being preloaded by the fork server (see ``pool.warm_server``); a failure
    # here only means colder workers, and each report records its own errors.
    import contextlib

    die_with_parent()
    with contextlib.suppress(Exception):
        _options = json.loads(os.environ.pop(PRELOAD_ENV))
        _warm(_options)
        _rehearse(_options)
    # Everything the server holds now lives as long as it: moved out of the collector's
    # reach, a worker's collections neither walk it nor copy its pages on write.
    import gc

    gc.collect()
    gc.freeze()
