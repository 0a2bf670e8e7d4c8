"""``render_all``: every locality (and the overview) rendered by a pool, with a manifest.

The driver stays light (no pandas): it reads the locality ids from ``localities.csv``, hands
the reports to the pool (:mod:`reportlib.batch.pool`) or, with ``workers=0``, renders them in
this process, writes ``reports/index.html`` (:mod:`reportlib.batch.index`) and the manifest
(:mod:`reportlib.batch.manifest`). Ctrl-C raises ``BatchInterrupted`` after the manifest
recorded what was replaced.
"""

from __future__ import annotations

import datetime as dt
import os
import time
from collections.abc import Callable, Iterable
from pathlib import Path
from typing import Any

from reportlib import paths
from reportlib.batch.manifest import replaced_reports, write_manifest
from reportlib.batch.pool import run_pool
from reportlib.batch.progress import Progress
from reportlib.batch.workers import render_entry
from reportlib.errors import BatchInterrupted

__all__ = ["OVERVIEW", "default_workers", "render_all"]

#: The overview's id (as ``analysis.report_date.OVERVIEW``, which would import pandas here).
OVERVIEW = "all"


def default_workers() -> int:
    """One worker per core this process may run on."""
    try:
        return max(1, len(os.sched_getaffinity(0)))
    except AttributeError:  # pragma: no cover - not on Linux
        return max(1, os.cpu_count() or 1)


def render_all(
    data_dir: str | os.PathLike[str] | None = None,
    sources_dir: str | os.PathLike[str] | None = None,
    out_dir: str | os.PathLike[str] | None = None,
    build_dir: str | os.PathLike[str] | None = None,
    as_of: dt.date | str | None = None,
    workers: int | None = None,
    quiet: bool = False,
    localities: Iterable[str] | None = None,
    overview: bool | None = None,
    reports_per_process: int | None = 1,
) -> dict[str, Any]:
    """Render every locality (or ``localities``) plus the overview; return the manifest.

    ``manifest["failed"]`` lists the ids that failed (the CLI exits non-zero naming them);
    ``manifest["reports"][id]`` describes each one. ``overview`` defaults to rendering the
    overview ("all") when its notebook exists and no explicit ``localities`` were given.
    With ``workers=0`` everything renders in this process (no pool; for debugging).

    ``reports_per_process``: how many reports a worker renders before it is replaced by a
    fresh fork of the warm server (``None``: never). One keeps memory flat and reports fully
    isolated at the cost of a fork (~50 ms) per report.
    """
    started = dt.datetime.now(dt.timezone.utc)
    t0 = time.perf_counter()
    data = paths.data_dir(data_dir)
    build = paths.build_dir(build_dir)
    out = paths.reports_dir(out_dir)
    ids = _batch_ids(data, localities, overview)
    n_workers = default_workers() if workers is None else max(0, workers)
    n_workers = min(n_workers, len(ids)) if ids else 0
    options = {
        "data_dir": str(data),
        "sources_dir": None if sources_dir is None else str(paths.sources_dir(sources_dir)),
        "out_dir": str(out),
        "build_dir": str(build),
        "as_of": as_of,
    }
    in_process = n_workers <= 1 and workers == 0
    entries, interrupted = _render_ids(
        ids, options, n_workers, in_process, reports_per_process, quiet
    )
    outcome = _outcome(ids, entries, interrupted, out, data, sources_dir, started)
    manifest: dict[str, Any] = {
        "started": started.isoformat(timespec="seconds"),
        "duration": round(time.perf_counter() - t0, 3),
        "workers": n_workers,
        "data_dir": str(data),
        "out_dir": str(out),
        "build_dir": str(build),
        "as_of": None if as_of is None else str(as_of),
        **outcome,
    }
    manifest["manifest"] = str(write_manifest(manifest, build))
    if interrupted:
        raise BatchInterrupted(
            manifest["replaced"], [i for i in ids if i not in entries], manifest["manifest"]
        )
    return manifest


def _batch_ids(data: Path, localities: Iterable[str] | None, overview: bool | None) -> list[str]:
    """The ids to render: ``localities`` or every locality, then the overview if wanted."""
    ids = list(localities) if localities is not None else _locality_ids(data)
    if overview is None:
        overview = localities is None and _overview_exists()
    if overview and OVERVIEW not in ids:
        ids.append(OVERVIEW)
    return ids


def _render_ids(
    ids: list[str],
    options: dict[str, Any],
    n_workers: int,
    in_process: bool,
    reports_per_process: int | None,
    quiet: bool,
) -> tuple[dict[str, dict[str, Any]], bool]:
    """Render ``ids`` (here or on the pool); the entries received and whether Ctrl-C came."""
    progress = Progress(len(ids), quiet=quiet)
    entries: dict[str, dict[str, Any]] = {}
    interrupted = False
    try:
        if in_process:
            for loc in ids:
                entries[loc] = render_entry(loc, **options)
                progress.update(entries[loc])
        else:
            run_pool(ids, options, max(1, n_workers), reports_per_process, entries, progress)
    except KeyboardInterrupt:
        interrupted = True
        for loc in ids:  # the killed workers' temporary files
            paths.clean_stale_temps(Path(options["out_dir"]) / loc)
    finally:
        progress.close(interrupted)
    return entries, interrupted


def _outcome(
    ids: list[str],
    entries: dict[str, dict[str, Any]],
    interrupted: bool,
    out: Path,
    data: Path,
    sources_dir: str | os.PathLike[str] | None,
    started: dt.datetime,
) -> dict[str, Any]:
    """The manifest's results: counts, failed ids, the index page, what was replaced."""
    # no report made (an unwritable folder, say): no index to list them in
    ok_any = any(e.get("status") == "ok" for e in entries.values())
    index_path = _write_index(out, entries, data, sources_dir) if ok_any else None
    ordered = {loc: entries[loc] for loc in ids if loc in entries}
    return {
        "total": len(ids),
        "ok": sum(e.get("status") == "ok" for e in ordered.values()),
        "failed": [loc for loc, e in ordered.items() if e.get("status") != "ok"],
        "index": index_path,
        "interrupted": interrupted,
        # judged from the files, not the results received: a worker may have replaced a
        # report whose result was lost to Ctrl-C
        "replaced": replaced_reports(out, ids, started),
        "reports": ordered,
    }


def _locality_ids(data_dir: Path) -> list[str]:
    """Locality ids in file order, read without pandas (the driver stays light)."""
    import csv

    from reportlib.errors import DataFileError

    path = data_dir / "localities.csv"
    try:
        with path.open(encoding="utf-8", newline="") as fh:
            return [row["locality_id"] for row in csv.DictReader(fh) if row.get("locality_id")]
    except (OSError, KeyError) as exc:
        raise DataFileError(
            f"{path}: cannot read the locality ids ({exc}); check the file exists and has a "
            "'locality_id' column"
        ) from exc


def _overview_exists() -> bool:
    """Whether an overview notebook ships with the project (reportlib.render names it)."""
    from reportlib import render

    path = getattr(render, "OVERVIEW_NOTEBOOK", None)
    if path is not None:
        return Path(path).exists()
    folder = paths.notebooks_dir()
    return any((folder / name).exists() for name in ("overview_report.ipynb", "overview.ipynb"))


def _write_index(
    out_dir: Path, entries: dict[str, dict[str, Any]], data: Path, sources: Any = None
) -> str | None:
    """Call ``batch.index.write_index(out_dir, data, sources)`` when that module exists."""
    try:
        from reportlib.batch import index
    except ImportError:
        return None
    writer: Callable[..., Any] | None = getattr(index, "write_index", None)
    if writer is None:
        return None
    result = writer(out_dir, data_dir=data, sources_dir=sources)
    return None if result is None else str(result)
