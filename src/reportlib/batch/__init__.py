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
"""

from __future__ import annotations

import concurrent.futures as cf
import datetime as dt
import json
import multiprocessing
import os
import sys
import tempfile
import time
import traceback
from collections.abc import Callable, Iterable
from pathlib import Path
from typing import Any, TextIO

from reportlib import paths
from reportlib.errors import BatchInterrupted, describe_os_error

MANIFEST_NAME = "manifest.json"
OVERVIEW = "all"


def default_workers() -> int:
    """One worker per core this process may run on."""
    try:
        return max(1, len(os.sched_getaffinity(0)))
    except AttributeError:  # pragma: no cover - not on Linux
        return max(1, os.cpu_count() or 1)


# --- worker side ---------------------------------------------------------------------------

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


def _init_worker(options: dict[str, Any]) -> None:
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
    from reportlib import paths, render
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


def _render_one(locality: str) -> dict[str, Any]:
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


# --- progress ------------------------------------------------------------------------------


class Progress:
    """done/total, rate and time left on one updating stderr line (TTY), else terse lines."""

    def __init__(self, total: int, quiet: bool = False, stream: TextIO | None = None) -> None:
        self.total = total
        self.done = 0
        self.failed = 0
        self.stream = stream if stream is not None else sys.stderr
        self.start = time.perf_counter()
        is_tty = bool(getattr(self.stream, "isatty", lambda: False)())
        self.silent = quiet
        # CI logs and pipes get no carriage-return animation: a line per failure at most.
        self.live = not quiet and is_tty and not os.environ.get("CI")

    def update(self, entry: dict[str, Any]) -> None:
        self.done += 1
        ok = entry.get("status") == "ok"
        self.failed += not ok
        if self.silent:
            return
        if self.live:
            elapsed = time.perf_counter() - self.start
            rate = self.done / elapsed if elapsed > 0 else 0.0
            left = (self.total - self.done) / rate if rate > 0 else 0.0
            line = (
                f"[{self.done}/{self.total}] {rate * 60:.0f} reports/min, "
                f"{_clock(left)} left, {self.failed} failed; last {entry['locality']}"
            )
            self.stream.write("\r" + line[:100].ljust(100))
            self.stream.flush()
            if not ok:
                self.stream.write(f"\nfailed: {entry['locality']}: {entry.get('error', '')}\n")
        elif not ok:
            self.stream.write(f"failed: {entry['locality']}: {entry.get('error', '')}\n")
            self.stream.flush()

    def close(self, interrupted: bool = False) -> None:
        if self.silent:
            return
        elapsed = time.perf_counter() - self.start
        if self.live:
            self.stream.write("\n")
        if interrupted:  # the CLI names what was replaced, from the manifest
            self.stream.flush()
            return
        self.stream.write(
            f"rendered {self.done - self.failed}/{self.total} report(s) in {_clock(elapsed)}"
            + (f", {self.failed} failed" if self.failed else "")
            + "\n"
        )
        self.stream.flush()


def _clock(seconds: float) -> str:
    seconds = int(round(seconds))
    return f"{seconds // 60}m{seconds % 60:02d}s" if seconds >= 60 else f"{seconds}s"


# --- driver --------------------------------------------------------------------------------


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


def write_manifest(manifest: dict[str, Any], build_dir: Path) -> Path:
    """Write ``manifest.json`` into ``build_dir`` atomically (temp file, then rename)."""
    build_dir.mkdir(parents=True, exist_ok=True)
    target = build_dir / MANIFEST_NAME
    paths.clean_stale_temps(build_dir)
    text = json.dumps(manifest, ensure_ascii=False, indent=2, sort_keys=False) + "\n"
    paths.atomic_write(target, text.encode("utf-8"))
    return target


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
    ids = list(localities) if localities is not None else _locality_ids(data)
    if overview is None:
        overview = localities is None and _overview_exists()
    if overview and OVERVIEW not in ids:
        ids.append(OVERVIEW)
    n_workers = default_workers() if workers is None else max(0, workers)
    n_workers = min(n_workers, len(ids)) if ids else 0
    options = {
        "data_dir": str(data),
        "sources_dir": None if sources_dir is None else str(paths.sources_dir(sources_dir)),
        "out_dir": str(out),
        "build_dir": str(build),
        "as_of": as_of,
    }

    progress = Progress(len(ids), quiet=quiet)
    entries: dict[str, dict[str, Any]] = {}
    interrupted = False
    try:
        if n_workers <= 1 and workers == 0:
            for loc in ids:
                entries[loc] = render_entry(loc, **options)
                progress.update(entries[loc])
        else:
            _run_pool(ids, options, max(1, n_workers), reports_per_process, entries, progress)
    except KeyboardInterrupt:
        interrupted = True
        for loc in ids:  # the killed workers' temporary files
            paths.clean_stale_temps(out / loc)
    finally:
        progress.close(interrupted)

    # no report made (an unwritable folder, say): no index to list them in
    ok_any = any(e.get("status") == "ok" for e in entries.values())
    index_path = _write_index(out, entries, data, sources_dir) if ok_any else None
    ordered = {loc: entries[loc] for loc in ids if loc in entries}
    failed = [loc for loc, e in ordered.items() if e.get("status") != "ok"]
    manifest: dict[str, Any] = {
        "started": started.isoformat(timespec="seconds"),
        "duration": round(time.perf_counter() - t0, 3),
        "workers": n_workers,
        "data_dir": str(data),
        "out_dir": str(out),
        "build_dir": str(build),
        "as_of": None if as_of is None else str(as_of),
        "total": len(ids),
        "ok": sum(e.get("status") == "ok" for e in ordered.values()),
        "failed": failed,
        "index": index_path,
        "interrupted": interrupted,
        # judged from the files, not the results received: a worker may have replaced a
        # report whose result was lost to Ctrl-C
        "replaced": _replaced(out, ids, started),
        "reports": ordered,
    }
    manifest["manifest"] = str(write_manifest(manifest, build))
    if interrupted:
        raise BatchInterrupted(
            manifest["replaced"], [i for i in ids if i not in ordered], manifest["manifest"]
        )
    return manifest


def _replaced(out: Path, ids: list[str], since: dt.datetime) -> list[str]:
    """The localities whose HTML and PDF were both written by this batch."""
    start = since.timestamp() - 1  # file times are coarser than the clock on some disks
    done = []
    for loc in ids:
        try:
            times = [(out / loc / f"{loc}.{ext}").stat().st_mtime for ext in ("html", "pdf")]
        except OSError:
            continue
        if min(times) >= start:
            done.append(loc)
    return done


def _run_pool(
    ids: list[str],
    options: dict[str, Any],
    n_workers: int,
    max_tasks_per_child: int | None,
    entries: dict[str, dict[str, Any]],
    progress: Progress,
) -> None:
    """Render ``ids`` on a process pool; a worker crash costs one locality, not the batch."""
    run = (options, max_tasks_per_child, entries, progress)
    broken = _pool_pass(ids, n_workers, *run)
    if broken:
        # A dead worker breaks every pending future: try those again once together...
        broken = _pool_pass(broken, n_workers, *run)
    for loc in broken:
        # ...then alone, so the locality that kills its worker is the one recorded.
        if _pool_pass([loc], 1, *run):
            entries[loc] = {
                "locality": loc,
                "status": "failed",
                "error": "the worker process died while rendering this locality (a script "
                "that calls render_all must do so under `if __name__ == '__main__':`)",
                "error_type": "WorkerCrash",
                "duration": None,
            }
            progress.update(entries[loc])


def _pool_pass(
    ids: list[str],
    n_workers: int,
    options: dict[str, Any],
    max_tasks_per_child: int | None,
    entries: dict[str, dict[str, Any]],
    progress: Progress,
) -> list[str]:
    """One pool over ``ids``; returns the localities lost to a broken pool."""
    if sys.platform == "win32":  # pragma: no cover
        ctx = multiprocessing.get_context("spawn")
    else:
        ctx = _warm_server(options)
    kwargs: dict[str, Any] = {}
    if max_tasks_per_child:
        kwargs["max_tasks_per_child"] = max_tasks_per_child
    broken: list[str] = []
    with cf.ProcessPoolExecutor(
        max_workers=max(1, min(n_workers, len(ids))),
        mp_context=ctx,
        initializer=_init_worker,
        initargs=(options,),
        **kwargs,
    ) as pool:
        futures = {pool.submit(_render_one, loc): loc for loc in ids}
        try:
            _collect(futures, entries, progress, broken)
        except KeyboardInterrupt:
            # stop now: pending reports are not started, running ones are killed (their
            # temporary files are removed by the next render)
            for proc in list(getattr(pool, "_processes", {}).values()):
                proc.kill()
            pool.shutdown(wait=False, cancel_futures=True)
            raise
    return [loc for loc in ids if loc in broken]


def _collect(
    futures: dict[cf.Future[dict[str, Any]], str],
    entries: dict[str, dict[str, Any]],
    progress: Progress,
    broken: list[str],
) -> None:
    """Record each result as it arrives; a locality lost to a broken pool goes to ``broken``."""
    for fut in cf.as_completed(futures):
        loc = futures[fut]
        try:
            entry = fut.result()
        except cf.process.BrokenProcessPool:
            broken.append(loc)
            continue
        except Exception as exc:  # noqa: BLE001 - e.g. an unpicklable result
            entry = {"locality": loc, "status": "failed", "error": repr(exc)}
        entries[loc] = entry
        progress.update(entry)


def _warm_server(options: dict[str, Any]) -> Any:
    """The forkserver context, its server started warm (see ``_warm``) if not running yet.

    Workers fork from that server: they start in milliseconds, share its pages copy-on-write
    and, with one report per process, leave nothing behind (typst, for one, keeps ~100 MB of
    caches per document for the life of the process).
    """
    from multiprocessing import forkserver

    ctx = multiprocessing.get_context("forkserver")
    ctx.set_forkserver_preload([__name__])
    saved = os.environ.get(PRELOAD_ENV)
    os.environ[PRELOAD_ENV] = json.dumps(options, default=str)
    try:
        forkserver.ensure_running()
    finally:
        if saved is None:
            os.environ.pop(PRELOAD_ENV, None)
        else:
            os.environ[PRELOAD_ENV] = saved
    return ctx


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


if os.environ.get(PRELOAD_ENV) and multiprocessing.parent_process() is None:
    # This module is being preloaded by the fork server (see ``_warm_server``); a failure
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
