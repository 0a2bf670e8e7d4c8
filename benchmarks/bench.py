"""Benchmark reportlib against the conventional papermill + nbconvert pipeline, side by side.

Run ``make bench`` (or ``.venv/bin/python benchmarks/bench.py [--n 200] [--repeat 3]``).
Prints a table and writes ``build/bench.json``. Scenarios:

1. one report, HTML+PDF, clean build dir: ``python -m reportlib render huli`` vs the
   ``papermill`` CLI then ``jupyter nbconvert --to html`` (HTML only), in subprocesses;
2. a no-op ``make reports`` (nothing changed);
3. a batch of N synthetic localities, HTML+PDF, with ``batch.render_all`` vs the conventional
   pipeline two localities at a time, measured on a sample (``--sample``), as throughput;
   peak memory = the largest sum over the process tree of PSS (proportional set size, shared
   pages split between the processes sharing them), sampled with psutil; RSS sums (which count
   shared pages once per process: an upper bound) are recorded too;
4. ``python -m reportlib validate --data <2,800 synthetic localities ≈ 300,000 facts>``;
5. ``country``: one report (huli, HTML+PDF) from the 2,800-locality data set beside the same
   report from today's data: wall time and peak memory (PSS over the process tree) of each.
6. the live preview (``reportlib.render.preview``, in this process): from saving a data file to the
   re-rendered HTML being served (watch latency included), and the re-render alone.
   Run it alone with ``make bench BENCH_ARGS="--only preview"``.
7. the overview (``render all``) of the 3 real localities beside that of 2,800 synthetic ones
   with 107 facts each ≈ 300,000 facts (``--overview-localities``, ``--overview-facts``):
   wall time, peak memory (PSS and RSS sums over the process tree), PDF pages and size.
   Run it alone with ``make bench BENCH_ARGS="--only overview"``.
8. only with ``--country N`` (``make bench BENCH_ARGS="--country 2800"``: about 20 minutes
   on 2 cores): the whole country, ``python -m reportlib render --all`` on N synthetic
   localities spread over the 31 provinces, with its wall time, peak memory and the
   overview's and index's sizes.

Cheap scenarios run ``--repeat`` times and report medians; the batch runs once.
"""

from __future__ import annotations

import argparse
import json
import os
import platform
import shutil
import statistics
import subprocess
import sys
import tempfile
import threading
import time
from collections.abc import Callable, Sequence
from pathlib import Path
from typing import Any

import psutil

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT / "src"))

from reportlib import paths  # noqa: E402
from reportlib.data.synthetic import make_synthetic, synthetic_id  # noqa: E402

PY = sys.executable
BIN = Path(PY).parent
NOTEBOOK = paths.notebooks_dir() / "locality_report.ipynb"
TARGETS = {
    "single_ratio": 0.7,
    "batch_speedup": 5.0,
    "batch_peak_gib": 1.5,
    "noop_make_s": 0.5,
    "validate_s": 5.0,
    "country_peak_gib": 1.0,
    "country_time_ratio": 2.0,
    "preview_s": 1.0,
    "overview_s": 60.0,
    "overview_peak_gib": 1.0,
    "overview_pages": 40,
}


# --- measuring -------------------------------------------------------------------------------


class TreeMemory:
    """Samples the summed memory of a process and all its descendants in a thread."""

    def __init__(self, pid: int, interval: float = 0.25) -> None:
        self.root = psutil.Process(pid)
        self.interval = interval
        self.peak_pss = 0
        self.peak_rss = 0
        self._stop = threading.Event()
        self._thread = threading.Thread(target=self._run, daemon=True)

    def __enter__(self) -> TreeMemory:
        self._thread.start()
        return self

    def __exit__(self, *exc: object) -> None:
        self._stop.set()
        self._thread.join()

    def _run(self) -> None:
        while not self._stop.is_set():
            self.sample()
            self._stop.wait(self.interval)

    def sample(self) -> None:
        try:
            procs = [self.root, *self.root.children(recursive=True)]
        except psutil.Error:
            return
        pss = rss = 0
        for proc in procs:
            try:
                info = proc.memory_full_info()
            except psutil.Error:
                continue
            pss += getattr(info, "pss", info.rss)
            rss += info.rss
        self.peak_pss = max(self.peak_pss, pss)
        self.peak_rss = max(self.peak_rss, rss)


def run(cmd: Sequence[str], env: dict[str, str] | None = None, cwd: Path = ROOT) -> float:
    """Run ``cmd``; return its wall time; fail loudly with its output if it fails."""
    start = time.perf_counter()
    proc = subprocess.run(
        list(cmd), cwd=cwd, env=env, stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True
    )
    elapsed = time.perf_counter() - start
    if proc.returncode != 0:
        raise RuntimeError(f"{' '.join(cmd)} failed ({proc.returncode}):\n{proc.stdout[-3000:]}")
    return elapsed


def median_of(repeat: int, fn: Callable[[], float]) -> dict[str, Any]:
    times = [fn() for _ in range(repeat)]
    return {"median_s": round(statistics.median(times), 3), "runs_s": [round(t, 3) for t in times]}


def env_quiet() -> dict[str, str]:
    env = dict(os.environ)
    env["CI"] = "1"  # no progress animations in the measured commands
    env.setdefault("PYDEVD_DISABLE_FILE_VALIDATION", "1")
    return env


# --- the conventional pipeline -------------------------------------------------------------


def notebook_parameters(locality: str, data_dir: Path | None) -> list[str]:
    """``-p name value`` arguments for the report notebook, from its parameters cell."""
    import papermill

    names = {p["name"] for p in papermill.inspect_notebook(str(NOTEBOOK)).values()}
    wanted: dict[str, str] = {}
    for key in ("locality", "locality_id"):
        if key in names:
            wanted[key] = locality
    if data_dir is not None:
        for key in ("data_dir", "data"):
            if key in names:
                wanted[key] = str(data_dir)
    args: list[str] = []
    for key, value in wanted.items():
        args += ["-p", key, value]
    return args


def conventional(locality: str, work: Path, data_dir: Path | None = None) -> float:
    """papermill CLI, then nbconvert CLI (HTML only), as separate processes; wall time."""
    work.mkdir(parents=True, exist_ok=True)
    executed = work / f"{locality}.ipynb"
    env = env_quiet()
    if data_dir is not None:
        env[paths.DATA_ENV] = str(data_dir)
    start = time.perf_counter()
    run(
        [str(BIN / "papermill"), str(NOTEBOOK), str(executed), "--no-progress-bar"]
        + notebook_parameters(locality, data_dir),
        env=env,
    )
    run([str(BIN / "jupyter"), "nbconvert", "--to", "html", str(executed)], env=env)
    return time.perf_counter() - start


# --- scenarios -------------------------------------------------------------------------------


def scenario_single(repeat: int, work: Path) -> dict[str, Any]:
    """One report from a clean build dir: ours (HTML+PDF) vs conventional (HTML only)."""

    def ours() -> float:
        out, build = work / "single-out", work / "single-build"
        for folder in (out, build):
            shutil.rmtree(folder, ignore_errors=True)
        cmd = [PY, "-m", "reportlib", "render", "huli", "--out", str(out), "--build", str(build)]
        return run(cmd, env=env_quiet())

    def conv() -> float:
        folder = work / "single-conv"
        shutil.rmtree(folder, ignore_errors=True)
        return conventional("huli", folder)

    result: dict[str, Any] = {
        "ours_html_pdf": median_of(repeat, ours),
        "conventional_html": median_of(repeat, conv),
    }
    result["ratio"] = round(
        result["ours_html_pdf"]["median_s"] / result["conventional_html"]["median_s"], 3
    )
    return result


def scenario_noop_make(repeat: int) -> dict[str, Any]:
    """``make reports`` when nothing changed (after one make to bring it up to date)."""
    makefile = ROOT / "Makefile"
    if not makefile.exists() or "reports:" not in makefile.read_text(encoding="utf-8"):
        return {"skipped": "no 'reports' target in the Makefile"}
    env = env_quiet()
    run(["make", "-s", "reports"], env=env)
    return median_of(repeat, lambda: run(["make", "-s", "reports"], env=env))


def scenario_batch(n: int, sample: int, workers: int | None, work: Path) -> dict[str, Any]:
    """N synthetic localities: batch.render_all (HTML+PDF) vs conventional two at a time."""
    data = make_synthetic(work / "batch-data", n)
    ids = [synthetic_id(i) for i in range(1, n + 1)]
    out, build = work / "batch-out", work / "batch-build"
    script = (
        "import json, sys\n"
        "from reportlib.batch import render_all\n"
        f"m = render_all(data_dir={str(data)!r}, out_dir={str(out)!r}, build_dir={str(build)!r},"
        f" workers={workers!r}, quiet=True, localities={ids!r})\n"
        "print(json.dumps({'ok': m['ok'], 'failed': m['failed'][:5]}))\n"
    )
    start = time.perf_counter()
    proc = subprocess.Popen(
        [PY, "-c", script], cwd=ROOT, env=env_quiet(), stdout=subprocess.PIPE, text=True
    )
    with TreeMemory(proc.pid) as mem:
        stdout, _ = proc.communicate()
    elapsed = time.perf_counter() - start
    if proc.returncode != 0:
        raise RuntimeError(f"batch failed ({proc.returncode}): {stdout[-2000:]}")
    outcome = json.loads(stdout.strip().splitlines()[-1])
    ours = {
        "reports": n,
        "ok": outcome["ok"],
        "failed_sample": outcome["failed"],
        "wall_s": round(elapsed, 2),
        # Only reports that were made count (a failure is usually faster than a report).
        "reports_per_min": round(outcome["ok"] / elapsed * 60, 1),
        "peak_pss_gib": round(mem.peak_pss / 2**30, 3),
        "peak_rss_sum_gib": round(mem.peak_rss / 2**30, 3),
    }

    conv_ids = ids[:sample]
    conv_dir = work / "batch-conv"
    start = time.perf_counter()
    me = psutil.Process()
    with TreeMemory(me.pid) as conv_mem:
        threads = []
        queue = list(conv_ids)
        lock = threading.Lock()
        errors: list[str] = []

        def lane() -> None:
            while True:
                with lock:
                    if not queue:
                        return
                    loc = queue.pop(0)
                try:
                    conventional(loc, conv_dir / loc, data_dir=data)
                except RuntimeError as exc:
                    errors.append(str(exc)[:500])

        for _ in range(2):
            threads.append(threading.Thread(target=lane))
            threads[-1].start()
        for thread in threads:
            thread.join()
    conv_elapsed = time.perf_counter() - start
    conv_ok = sample - len(errors)
    conv = {
        "reports": sample,
        "ok": conv_ok,
        "note": f"measured on the first {sample} of the {n} localities, HTML only",
        "errors": errors[:3],
        "wall_s": round(conv_elapsed, 2),
        "reports_per_min": round(conv_ok / conv_elapsed * 60, 1),
        "peak_pss_gib": round(conv_mem.peak_pss / 2**30, 3),
        "peak_rss_sum_gib": round(conv_mem.peak_rss / 2**30, 3),
    }
    valid = ours["ok"] == n and conv_ok == sample
    return {
        "ours_html_pdf": ours,
        "conventional_html": conv,
        "speedup": round(ours["reports_per_min"] / conv["reports_per_min"], 2) if conv_ok else None,
        "valid": valid,
    }


def scenario_validate(repeat: int, work: Path, localities: int, facts: int) -> dict[str, Any]:
    """``python -m reportlib validate`` on ~300,000 synthetic facts (CLI wall time)."""
    data = make_synthetic(work / "validate-data", localities, facts_per_locality=facts)
    with (data / "facts.csv").open(encoding="utf-8") as fh:
        n_facts = sum(1 for _ in fh) - 1
    cmd = [PY, "-m", "reportlib", "validate", "--data", str(data)]
    result = median_of(repeat, lambda: run(cmd, env=env_quiet()))
    result.update({"localities": localities, "facts": n_facts})
    return result


def measured_render(cmd: list[str], env: dict[str, str]) -> tuple[float, int]:
    """Wall time and peak PSS (bytes, over the process tree) of one render subprocess."""
    start = time.perf_counter()
    proc = subprocess.Popen(
        cmd, cwd=ROOT, env=env, stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True
    )
    with TreeMemory(proc.pid, interval=0.1) as mem:
        output, _ = proc.communicate()
    elapsed = time.perf_counter() - start
    if proc.returncode != 0:
        raise RuntimeError(f"{' '.join(cmd)} failed ({proc.returncode}):\n{output[-3000:]}")
    return elapsed, mem.peak_pss


def scenario_country(repeat: int, work: Path, localities: int, facts: int) -> dict[str, Any]:
    """One report (huli) from ~2,800 localities beside the same report from today's data.

    Each from a clean build folder. The first run of each validates the data (an empty
    dataset cache, ``cold_s``); the others read the validated tables from the cache.
    """
    data = make_synthetic(work / "country-data", localities, facts_per_locality=facts)
    with (data / "facts.csv").open(encoding="utf-8") as fh:
        n_facts = sum(1 for _ in fh) - 1
    result: dict[str, Any] = {"localities": localities, "facts": n_facts}
    env = env_quiet()
    env["REPORTLIB_CACHE"] = str(work / "country-cache")
    for label, data_dir in (("today", None), ("country", data)):
        runs = []
        for i in range(repeat + 1):
            out, build = work / f"country-{label}-{i}-out", work / f"country-{label}-{i}-build"
            cmd = [
                PY,
                "-m",
                "reportlib",
                "render",
                "huli",
                "--out",
                str(out),
                "--build",
                str(build),
            ]
            cmd += ["--data", str(data_dir)] if data_dir else []
            runs.append(measured_render(cmd, env))
        warm = runs[1:]
        result[label] = {
            "median_s": round(statistics.median(t for t, _ in warm), 3),
            "runs_s": [round(t, 3) for t, _ in warm],
            "cold_s": round(runs[0][0], 3),
            "peak_pss_gib": round(max(m for _, m in runs) / 2**30, 3),
        }
    result["time_ratio"] = round(result["country"]["median_s"] / result["today"]["median_s"], 2)
    result["cold_time_ratio"] = round(result["country"]["cold_s"] / result["today"]["cold_s"], 2)
    return result


def scenario_preview(repeat: int, work: Path) -> dict[str, Any]:
    """Save a data file → re-rendered HTML served by the preview (warm process), ``repeat``×."""
    from reportlib.render.preview import Preview

    data = work / "preview-data"
    shutil.copytree(paths.data_dir(), data)
    localities = data / "localities.csv"
    original = localities.read_text(encoding="utf-8")
    preview = Preview("huli", data_dir=data)
    stop = threading.Event()
    saves: list[float] = []
    renders: list[float] = []
    first: dict[str, float] = {}

    def edit() -> None:
        try:
            preview.wait_for(0, 120)  # the first (cold) render
            first["s"] = preview.seconds
            for n in range(repeat):
                time.sleep(0.5)
                seen = preview.version
                started = time.perf_counter()
                name = f"湖里区{'预览' * (n + 1)}"
                localities.write_text(original.replace("湖里区", name, 1), encoding="utf-8")
                preview.wait_for(seen, 60)
                saves.append(time.perf_counter() - started)
                renders.append(preview.seconds)
                if preview.error is not None or name not in (preview.html or ""):
                    raise RuntimeError(f"the preview did not show the edit: {preview.error}")
        finally:
            stop.set()

    editor = threading.Thread(target=edit)
    editor.start()
    try:
        # the watch loop (IPython) stays in the main thread, as in `serve`
        preview.watch(stop, quiet=True, on_ready=preview.render)
    finally:
        stop.set()
        editor.join()
        preview.close()
    if len(saves) < repeat:
        raise RuntimeError("the preview stopped before every edit was rendered")
    return {
        "save_to_served_s": statistics.median(saves),
        "rerender_s": statistics.median(renders),
        "runs_s": [round(t, 3) for t in saves],
        "first_render_s": round(first.get("s", 0.0), 3),
    }


def _render_overview(work: Path, name: str, data: Path | None) -> dict[str, Any]:
    """``python -m reportlib render all`` in a subprocess: time, peak memory, PDF pages."""
    from pypdf import PdfReader

    out, build = work / f"{name}-out", work / f"{name}-build"
    cmd = [PY, "-m", "reportlib", "render", "all", "--out", str(out), "--build", str(build)]
    if data is not None:
        cmd += ["--data", str(data)]
    start = time.perf_counter()
    proc = subprocess.Popen(
        cmd, cwd=ROOT, env=env_quiet(), stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True
    )
    with TreeMemory(proc.pid) as mem:
        stdout, _ = proc.communicate()
    elapsed = time.perf_counter() - start
    if proc.returncode != 0:
        raise RuntimeError(f"{' '.join(cmd)} failed ({proc.returncode}):\n{stdout[-3000:]}")
    pdf = out / "all" / "all.pdf"
    return {
        "wall_s": round(elapsed, 2),
        "peak_pss_gib": round(mem.peak_pss / 2**30, 3),
        "peak_rss_sum_gib": round(mem.peak_rss / 2**30, 3),
        "pdf_pages": len(PdfReader(pdf).pages),
        "pdf_mib": round(pdf.stat().st_size / 2**20, 2),
        "html_mib": round((out / "all" / "all.html").stat().st_size / 2**20, 2),
    }


def scenario_overview(work: Path, localities: int, facts: int | None) -> dict[str, Any]:
    """The overview of the 3 real localities and of ``localities`` synthetic ones."""
    data = make_synthetic(work / "overview-data", localities, facts_per_locality=facts)
    with (data / "facts.csv").open(encoding="utf-8") as fh:
        n_facts = sum(1 for _ in fh) - 1
    synthetic = _render_overview(work, "overview-syn", data)
    return {
        "real": _render_overview(work, "overview-real", None),
        "synthetic": {"localities": localities, "facts": n_facts, **synthetic},
    }


def scenario_country_all(n: int, work: Path) -> dict[str, Any]:
    """``render --all`` on a synthetic country of ``n`` localities: time, memory, sizes."""
    from pypdf import PdfReader

    data = make_synthetic(work / "country-data", n)
    out, build = work / "country-out", work / "country-build"
    cmd = [PY, "-m", "reportlib", "render", "--all", "--data", str(data)]
    cmd += ["--out", str(out), "--build", str(build)]
    start = time.perf_counter()
    proc = subprocess.Popen(cmd, cwd=ROOT, env=env_quiet(), stdout=subprocess.PIPE, text=True)
    with TreeMemory(proc.pid) as mem:
        stdout, _ = proc.communicate()
    elapsed = time.perf_counter() - start
    manifest = json.loads((build / "manifest.json").read_text(encoding="utf-8"))
    overview = out / "all" / "all.pdf"
    index = out / "index.html"
    pdf_size = overview.stat().st_size if overview.is_file() else 0
    return {
        "localities": n,
        "reports": len(manifest.get("reports", {})),
        "failed": list(manifest.get("failed", []))[:5],
        "exit": proc.returncode,
        "wall_s": round(elapsed, 1),
        "peak_pss_gib": round(mem.peak_pss / 2**30, 3),
        "peak_rss_sum_gib": round(mem.peak_rss / 2**30, 3),
        "overview_pages": len(PdfReader(overview).pages) if overview.is_file() else None,
        "overview_pdf_mib": round(pdf_size / 2**20, 2),
        "index_mib": round(index.stat().st_size / 2**20, 2) if index.is_file() else None,
    }


# --- report ------------------------------------------------------------------------------


def verdict(ok: bool | None) -> str:
    return "n/a" if ok is None else ("PASS" if ok else "MISS")


def _overview_rows(ov: dict[str, Any]) -> list[tuple[str, str, str, str, str]]:
    if "synthetic" not in ov:
        return []
    real, syn = ov["real"], ov["synthetic"]
    n = syn["localities"]
    return [
        (
            f"overview: 3 vs {n} localities ({syn.get('facts', 0):,} facts)",
            f"{real['wall_s']:.1f} s / {syn['wall_s']:.1f} s",
            "-",
            f"< {TARGETS['overview_s']:.0f} s",
            verdict(syn["wall_s"] < TARGETS["overview_s"]),
        ),
        (
            "overview peak memory (PSS sum)",
            f"{real['peak_pss_gib']:.2f} / {syn['peak_pss_gib']:.2f} GiB",
            "-",
            f"< {TARGETS['overview_peak_gib']} GiB",
            verdict(syn["peak_pss_gib"] < TARGETS["overview_peak_gib"]),
        ),
        (
            "overview PDF pages",
            f"{real['pdf_pages']} / {syn['pdf_pages']} ({syn['pdf_mib']:.1f} MiB)",
            "-",
            f"<= {TARGETS['overview_pages']}",
            verdict(syn["pdf_pages"] <= TARGETS["overview_pages"]),
        ),
    ]


def table(results: dict[str, Any]) -> str:
    rows: list[tuple[str, str, str, str, str]] = []
    single = results.get("single", {})
    if "ratio" in single:
        ours, conv = single["ours_html_pdf"]["median_s"], single["conventional_html"]["median_s"]
        rows.append(
            (
                "one report (huli)",
                f"{ours:.2f} s (HTML+PDF)",
                f"{conv:.2f} s (HTML)",
                f"ratio {single['ratio']:.2f} (<= {TARGETS['single_ratio']})",
                verdict(single["ratio"] <= TARGETS["single_ratio"]),
            )
        )
    noop = results.get("noop_make", {})
    if "median_s" in noop:
        rows.append(
            (
                "no-op make reports",
                f"{noop['median_s']:.2f} s",
                "-",
                f"< {TARGETS['noop_make_s']} s",
                verdict(noop["median_s"] < TARGETS["noop_make_s"]),
            )
        )
    elif noop:
        rows.append(("no-op make reports", noop.get("skipped", "?"), "-", "-", "n/a"))
    batch = results.get("batch", {})
    if "speedup" in batch:
        ours, conv = batch["ours_html_pdf"], batch["conventional_html"]
        speedup = batch["speedup"]
        failures = ""
        if not batch.get("valid", True):
            failures = f" ({ours['reports'] - ours['ok']}+{conv['reports'] - conv['ok']} failed)"
        rows.append(
            (
                f"batch of {ours['reports']} (rate){failures}",
                f"{ours['reports_per_min']:.0f}/min",
                f"{conv['reports_per_min']:.0f}/min (sample {conv['reports']})",
                f"x{speedup:.1f} (>= {TARGETS['batch_speedup']})" if speedup else "-",
                verdict(speedup >= TARGETS["batch_speedup"] if batch.get("valid") else None),
            )
        )
        rows.append(
            (
                "batch peak memory (PSS sum)",
                f"{ours['peak_pss_gib']:.2f} GiB",
                f"{conv['peak_pss_gib']:.2f} GiB",
                f"< {TARGETS['batch_peak_gib']} GiB",
                verdict(ours["peak_pss_gib"] < TARGETS["batch_peak_gib"]),
            )
        )
    val = results.get("validate", {})
    if "median_s" in val:
        rows.append(
            (
                f"validate {val['facts']:,} facts",
                f"{val['median_s']:.2f} s",
                "-",
                f"< {TARGETS['validate_s']} s",
                verdict(val["median_s"] < TARGETS["validate_s"]),
            )
        )
    country = results.get("country", {})
    if "time_ratio" in country:
        big, small = country["country"], country["today"]
        ok = (
            big["peak_pss_gib"] < TARGETS["country_peak_gib"]
            and country["time_ratio"] < TARGETS["country_time_ratio"]
        )
        rows.append(
            (
                f"one report, {country['localities']:,} localities",
                f"{big['median_s']:.2f} s (cold {big['cold_s']:.2f}), "
                f"{big['peak_pss_gib']:.2f} GiB",
                f"today's data: {small['median_s']:.2f} s (cold {small['cold_s']:.2f}), "
                f"{small['peak_pss_gib']:.2f} GiB",
                f"< {TARGETS['country_peak_gib']} GiB, time x{country['time_ratio']:.2f} "
                f"(< {TARGETS['country_time_ratio']})",
                verdict(ok),
            )
        )
    prev = results.get("preview", {})
    if "save_to_served_s" in prev:
        rows.append(
            (
                "preview: save to re-rendered HTML",
                f"{prev['save_to_served_s']:.2f} s (render {prev['rerender_s']:.2f} s)",
                "-",
                f"<= {TARGETS['preview_s']} s",
                verdict(prev["save_to_served_s"] <= TARGETS["preview_s"]),
            )
        )
    rows += _overview_rows(results.get("overview", {}))
    country_all = results.get("country_all", {})
    if "wall_s" in country_all:
        failed = f", {len(country_all['failed'])}+ failed" if country_all["failed"] else ""
        rows.append(
            (
                f"country: render --all, {country_all['reports']} reports{failed}",
                f"{country_all['wall_s']:.0f} s, {country_all['peak_pss_gib']:.2f} GiB",
                "-",
                f"overview {country_all['overview_pages']} pages, "
                f"index {country_all['index_mib']} MiB",
                "n/a",
            )
        )
    head = ("scenario", "reportlib", "conventional", "target", "")
    widths = [max(len(r[i]) for r in [head, *rows]) for i in range(5)]
    lines = ["  ".join(c.ljust(w) for c, w in zip(r, widths, strict=True)) for r in [head, *rows]]
    lines.insert(1, "  ".join("-" * w for w in widths))
    return "\n".join(lines)


def main(argv: Sequence[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--n", type=int, default=200, help="synthetic localities in the batch")
    parser.add_argument("--sample", type=int, default=20, help="conventional batch sample")
    parser.add_argument("--repeat", type=int, default=3, help="runs of the cheap scenarios")
    parser.add_argument("--workers", type=int, default=None, help="batch workers (default: cores)")
    parser.add_argument("--validate-localities", type=int, default=2800)
    parser.add_argument("--validate-facts", type=int, default=107, help="facts per locality")
    parser.add_argument("--overview-localities", type=int, default=2800)
    parser.add_argument(
        "--overview-facts", type=int, default=107, help="facts per locality (0: as the real)"
    )
    parser.add_argument(
        "--only",
        nargs="*",
        choices=["single", "noop_make", "batch", "validate", "country", "preview", "overview"],
        help="run only these scenarios",
    )
    parser.add_argument(
        "--country",
        type=int,
        default=0,
        metavar="N",
        help="also render --all a synthetic country of N localities (2800: the full country)",
    )
    parser.add_argument("--json", type=Path, default=paths.build_dir() / "bench.json")
    parser.add_argument("--keep", action="store_true", help="keep the scratch folder")
    args = parser.parse_args(argv)
    chosen = set(
        args.only or ["single", "noop_make", "batch", "validate", "country", "preview", "overview"]
    )
    if args.country:
        chosen.add("country_all")

    work = Path(tempfile.mkdtemp(prefix="reportlib-bench-"))
    results: dict[str, Any] = {
        "machine": {
            "cpus": os.cpu_count(),
            "python": platform.python_version(),
            "platform": platform.platform(),
            "memory_gib": round(psutil.virtual_memory().total / 2**30, 1),
        },
        "targets": TARGETS,
        "memory_measure": "peak of the sum of PSS over the process tree (psutil, every 0.25 s)",
    }
    try:
        for name, fn in (
            ("single", lambda: scenario_single(args.repeat, work)),
            ("noop_make", lambda: scenario_noop_make(args.repeat)),
            ("batch", lambda: scenario_batch(args.n, args.sample, args.workers, work)),
            (
                "validate",
                lambda: scenario_validate(
                    args.repeat, work, args.validate_localities, args.validate_facts
                ),
            ),
            (
                "country",
                lambda: scenario_country(
                    args.repeat, work, args.validate_localities, args.validate_facts
                ),
            ),
            ("preview", lambda: scenario_preview(args.repeat, work)),
            (
                "overview",
                lambda: scenario_overview(
                    work, args.overview_localities, args.overview_facts or None
                ),
            ),
            ("country_all", lambda: scenario_country_all(args.country, work)),
        ):
            if name not in chosen:
                continue
            print(f"running {name} ...", file=sys.stderr, flush=True)
            try:
                results[name] = fn()
            except Exception as exc:  # noqa: BLE001 - one broken scenario must not hide the rest
                results[name] = {"error": f"{type(exc).__name__}: {exc}"[:2000]}
                print(f"  {name} failed: {results[name]['error'][:500]}", file=sys.stderr)
    finally:
        if args.keep:
            print(f"scratch folder kept: {work}", file=sys.stderr)
        else:
            shutil.rmtree(work, ignore_errors=True)
    args.json.parent.mkdir(parents=True, exist_ok=True)
    tmp = args.json.with_name(args.json.name + ".tmp")
    tmp.write_text(json.dumps(results, ensure_ascii=False, indent=2) + "\n", encoding="utf-8")
    os.replace(tmp, args.json)
    print(table(results))
    print(f"\n{results['memory_measure']}; details in {args.json}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
