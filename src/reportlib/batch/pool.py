"""The process pool of a batch: workers forked from a warm server; a crash costs one report.

:func:`run_pool` renders the localities on a pool of processes forked from the fork server
(:func:`warm_server`, which preloads :mod:`reportlib.batch.workers`). A dead worker breaks
every pending future: those are tried again together, then alone, so the locality that kills
its worker is the one recorded as failed.
"""

from __future__ import annotations

import concurrent.futures as cf
import json
import multiprocessing
import os
import sys
from typing import Any

from reportlib.batch import workers
from reportlib.batch.progress import Progress
from reportlib.batch.workers import PRELOAD_ENV, init_worker, render_one

__all__ = ["run_pool", "warm_server"]


def run_pool(
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
        ctx = warm_server(options)
    kwargs: dict[str, Any] = {}
    if max_tasks_per_child:
        kwargs["max_tasks_per_child"] = max_tasks_per_child
    broken: list[str] = []
    with cf.ProcessPoolExecutor(
        max_workers=max(1, min(n_workers, len(ids))),
        mp_context=ctx,
        initializer=init_worker,
        initargs=(options,),
        **kwargs,
    ) as pool:
        futures = {pool.submit(render_one, loc): loc for loc in ids}
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


def warm_server(options: dict[str, Any]) -> Any:
    """The forkserver context, its server started warm (see ``workers._warm``) if not running yet.

    Workers fork from that server: they start in milliseconds, share its pages copy-on-write
    and, with one report per process, leave nothing behind (typst, for one, keeps ~100 MB of
    caches per document for the life of the process).
    """
    from multiprocessing import forkserver

    ctx = multiprocessing.get_context("forkserver")
    ctx.set_forkserver_preload([workers.__name__])
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
