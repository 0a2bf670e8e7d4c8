"""Render many localities with a small pool of long-lived worker processes.

Each worker imports reportlib, pandas, matplotlib, papermill and nbconvert once, then renders
locality after locality with ``render.render_locality(..., engine="inprocess")``: papermill
still executes (and records the parameters of) every notebook, but no kernel is started per
report. The in-process engine gives each notebook a fresh namespace and undoes its
process-wide side effects. One failing locality is recorded in the manifest and does not stop
the others; a worker that dies is replaced and its locality recorded as failed.

The manifest (``build/manifest.json``, written atomically) lists per locality its status,
duration and output paths, and for a failure the error, the failing cell and the kept
notebook.

The modules: ``run`` (``render_all``), ``pool`` (the process pool and its warm fork server),
``workers`` (what a worker and the fork server run), ``progress``, ``manifest``, ``index``
(``reports/index.html``). This package re-exports their public API.
"""

from __future__ import annotations

from reportlib.batch.manifest import MANIFEST_NAME, replaced_reports, write_manifest
from reportlib.batch.progress import Progress
from reportlib.batch.run import OVERVIEW, default_workers, render_all
from reportlib.batch.workers import PRELOAD_ENV, die_with_parent, render_entry

__all__ = [
    "MANIFEST_NAME",
    "OVERVIEW",
    "PRELOAD_ENV",
    "Progress",
    "default_workers",
    "die_with_parent",
    "render_all",
    "render_entry",
    "replaced_reports",
    "write_manifest",
]
