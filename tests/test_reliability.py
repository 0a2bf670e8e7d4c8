"""Hardening (#12): interrupted, killed and unlucky runs leave nothing behind and say why."""

from __future__ import annotations

import errno
import json
import os
import signal
import subprocess
import sys
import time
from pathlib import Path

import psutil
import pytest

from reportlib import batch, cli, paths
from reportlib.errors import BatchInterrupted


def _dead_pid() -> int:
    proc = subprocess.Popen(["true"])
    proc.wait()
    return proc.pid


def test_temp_files_of_a_dead_process_are_removed_and_live_ones_kept(tmp_path: Path) -> None:
    stale = tmp_path / f".huli.html.{_dead_pid()}.k2j4_x.tmp"
    live = tmp_path / f".huli.pdf.{os.getpid()}.a8b9c0.tmp"
    other = tmp_path / ".notes.tmp"  # not ours: no pid in the name
    for path in (stale, live, other):
        path.touch()
    assert paths.clean_stale_temps(tmp_path) == [stale]
    assert sorted(p.name for p in tmp_path.iterdir()) == sorted([live.name, other.name])


@pytest.mark.usefixtures("real_data")
def test_a_render_removes_what_a_killed_render_left(tmp_path: Path) -> None:
    """kill -9 during a render used to leave 0-byte .huli.html.*.tmp files for ever."""
    from reportlib.render import render_locality

    out, build = tmp_path / "reports", tmp_path / "build"
    (out / "huli").mkdir(parents=True)
    dead = _dead_pid()
    for name in (f".huli.html.{dead}.ab12cd.tmp", f".huli.pdf.{dead}.ef34gh.tmp"):
        (out / "huli" / name).touch()
    render_locality("huli", out_dir=out, build_dir=build)
    assert sorted(p.name for p in (out / "huli").iterdir()) == ["huli.html", "huli.pdf"]
    assert not list(build.rglob("*.tmp"))


def _one_line(text: str) -> str:
    lines = [line for line in text.splitlines() if line.strip()]
    assert len(lines) == 1, text
    assert "Traceback" not in text
    return lines[0]


@pytest.mark.usefixtures("real_data")
def test_an_unwritable_output_folder_is_one_line_naming_the_path(tmp_path: Path, capsys) -> None:
    blocker = tmp_path / "not-a-folder"
    blocker.write_text("x", encoding="utf-8")
    args = ["render", "huli", "--out", str(blocker / "reports"), "--build", str(tmp_path / "b")]
    assert cli.main(args) == cli.EXIT_ERROR
    line = _one_line(capsys.readouterr().err)
    assert str(blocker) in line and "choose another" in line


@pytest.mark.parametrize(
    ("code", "advice"),
    [(errno.ENOSPC, "free some space"), (errno.EROFS, "read-only"), (errno.EACCES, "permission")],
)
def test_full_or_read_only_disk_is_one_line_with_what_to_do(monkeypatch, capsys, code, advice):
    import reportlib.render

    where = "/srv/reports/huli/.huli.pdf.123.abc.tmp"

    def fail(*args, **kwargs):
        raise OSError(code, os.strerror(code), where)

    monkeypatch.setattr(reportlib.render, "render_locality", fail)
    assert cli.main(["render", "huli"]) == cli.EXIT_ERROR
    line = _one_line(capsys.readouterr().err)
    assert where in line and advice in line


def test_ctrl_c_in_one_render_is_one_line(monkeypatch, capsys) -> None:
    import reportlib.render

    def interrupted(*args, **kwargs):
        raise KeyboardInterrupt

    monkeypatch.setattr(reportlib.render, "render_locality", interrupted)
    assert cli.main(["render", "huli"]) == cli.EXIT_INTERRUPTED
    assert "not replaced" in _one_line(capsys.readouterr().err)


def test_ctrl_c_in_a_batch_names_what_was_replaced(monkeypatch, tmp_path: Path, capsys) -> None:
    """Ctrl-C printed "rendered 0/4" after two reports had been replaced."""
    out, build = tmp_path / "reports", tmp_path / "build"

    def fake_entry(locality: str, **options) -> dict:
        if locality == "suixi":
            raise KeyboardInterrupt
        for ext in ("html", "pdf"):
            (out / locality).mkdir(parents=True, exist_ok=True)
            (out / locality / f"{locality}.{ext}").write_text("new", encoding="utf-8")
        return {"locality": locality, "status": "ok", "duration": 0.1}

    monkeypatch.setattr(batch.run, "render_entry", fake_entry)
    monkeypatch.setattr(batch.run, "_write_index", lambda *args: None)
    with pytest.raises(BatchInterrupted) as caught:
        batch.render_all(
            out_dir=out,
            build_dir=build,
            workers=0,
            quiet=True,
            localities=["huli", "sanmenxia", "suixi"],
        )
    assert caught.value.replaced == ["huli", "sanmenxia"]
    manifest = json.loads((build / "manifest.json").read_text(encoding="utf-8"))
    assert manifest["interrupted"] is True
    assert manifest["replaced"] == ["huli", "sanmenxia"]
    assert (manifest["ok"], manifest["total"]) == (2, 3)
    assert "suixi" not in manifest["reports"]

    def interrupted_batch(**kwargs):
        raise caught.value

    monkeypatch.setattr(batch, "render_all", interrupted_batch)
    assert cli.main(["render", "--all"]) == cli.EXIT_INTERRUPTED
    line = _one_line(capsys.readouterr().err)
    assert "replaced: huli, sanmenxia" in line and "manifest.json" in line


def _alive(proc: psutil.Process) -> bool:
    try:
        return proc.is_running() and proc.status() != psutil.STATUS_ZOMBIE
    except psutil.NoSuchProcess:
        return False


def _is_tracker(proc: psutil.Process) -> bool:
    try:
        return "resource_tracker" in " ".join(proc.cmdline())
    except psutil.Error:
        return False


@pytest.mark.skipif(not sys.platform.startswith("linux"), reason="PR_SET_PDEATHSIG is Linux's")
def test_a_child_that_asked_dies_with_its_parent() -> None:
    """The mechanism alone: a parent killed with -9 takes its (sleeping) child along."""
    script = (
        "import os, sys, time\n"
        "from reportlib.batch import die_with_parent\n"
        "if os.fork() == 0:\n"
        "    die_with_parent()\n"
        "    time.sleep(60)\n"
        "    os._exit(0)\n"
        "time.sleep(60)\n"
    )
    parent = subprocess.Popen([sys.executable, "-c", script], start_new_session=True)
    try:
        deadline = time.monotonic() + 30
        children: list[psutil.Process] = []
        while not children and time.monotonic() < deadline:
            children = psutil.Process(parent.pid).children()
            time.sleep(0.05)
        assert children
        time.sleep(0.5)  # the child has asked by now
        os.kill(parent.pid, signal.SIGKILL)
        parent.wait()
        deadline = time.monotonic() + 5
        while _alive(children[0]) and time.monotonic() < deadline:
            time.sleep(0.05)
        assert not _alive(children[0])
    finally:
        for child in children:
            if _alive(child):
                child.kill()


@pytest.mark.skipif(not sys.platform.startswith("linux"), reason="PR_SET_PDEATHSIG is Linux's")
def test_kill_9_of_the_batch_leaves_no_process_behind(tmp_path: Path) -> None:
    """The fork server, resource tracker and a worker outlived `kill -9` of the batch."""
    cmd = [sys.executable, "-m", "reportlib", "render", "--all", "--workers", "1"]
    cmd += ["--out", str(tmp_path / "reports"), "--build", str(tmp_path / "build")]
    proc = subprocess.Popen(
        cmd, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL, start_new_session=True
    )
    seen: dict[int, psutil.Process] = {}
    try:
        deadline = time.monotonic() + 90
        # resource tracker, fork server and a worker forked from it
        while time.monotonic() < deadline and proc.poll() is None:
            for child in psutil.Process(proc.pid).children(recursive=True):
                seen.setdefault(child.pid, child)
            if any(len(c.children()) for c in seen.values() if c.is_running()):
                break
            time.sleep(0.2)
        assert proc.poll() is None, "the batch ended before it could be killed"
        # a worker forked between the listing and the check above: list once more
        for child in psutil.Process(proc.pid).children(recursive=True):
            seen.setdefault(child.pid, child)
        assert len(seen) >= 3, seen
        time.sleep(1.0)  # the worker is rendering now
        os.kill(proc.pid, signal.SIGKILL)
        proc.wait()
        # The kernel kills the fork server and the workers at once (without it a rendering
        # worker ran on to its end); the resource tracker exits when its pipe closes.
        for grace, kind in ((5.0, "killed"), (15.0, "tracker")):
            procs = [c for c in seen.values() if (_is_tracker(c) == (kind == "tracker"))]
            deadline = time.monotonic() + grace
            while time.monotonic() < deadline and any(_alive(c) for c in procs):
                time.sleep(0.1)
            alive = [c.pid for c in procs if _alive(c)]
            assert alive == [], f"{kind}: still running after kill -9 of the batch: {alive}"
    finally:
        for child in seen.values():
            if _alive(child):
                child.kill()


def _text_right_edges(pdf: Path) -> list[tuple[float, float]]:
    """(right edge of the rightmost glyph run, page width) for each page, from pypdf."""
    from pypdf import PdfReader

    edges = []
    for page in PdfReader(str(pdf)).pages:
        width = float(page.mediabox.width)
        right = [0.0]

        def visit(text, cm, tm, font, size, right=right):
            if text.strip():
                x = tm[4] * cm[0] + tm[5] * cm[2] + cm[4]
                # a rough advance: half an em per character is narrow for Latin capitals
                right[0] = max(right[0], x + 0.5 * size * cm[0] * tm[0] * len(text.strip()))

        page.extract_text(visitor_text=visit)
        edges.append((right[0], width))
    return edges


@pytest.mark.usefixtures("real_data")
def test_a_10000_character_run_without_spaces_stays_on_the_page(tmp_path: Path) -> None:
    import shutil

    import pandas as pd

    from reportlib.render import render_locality

    data = tmp_path / "data"
    shutil.copytree(paths.data_dir(), data)
    read = {"dtype": str, "keep_default_na": False}
    rows = pd.read_csv(data / "commitments.csv", **read)
    first = rows.index[rows.locality_id == "huli"][0]
    rows.loc[first, "description_zh"] = "W" * 10_000
    rows.to_csv(data / "commitments.csv", index=False)
    result = render_locality(
        "huli", data_dir=data, out_dir=tmp_path / "reports", build_dir=tmp_path / "build"
    )
    from pypdf import PdfReader

    text = "".join(p.extract_text() for p in PdfReader(str(result.pdf)).pages)
    assert text.count("W") >= 10_000  # all of it is printed...
    for right, width in _text_right_edges(result.pdf):
        assert right <= width, (right, width)  # ...and none of it past the page's edge


@pytest.mark.usefixtures("real_data")
def test_peers_are_chosen_by_province_and_level_and_the_rest_counted(tmp_path: Path) -> None:
    """At country size the peers section listed the first localities in file order."""
    from reportlib import analysis
    from reportlib.data import dataset as facts
    from reportlib.data.synthetic import make_synthetic
    from reportlib.document import sections

    # the first nine synthetic localities lie in provinces from Beijing to Shanghai (none in
    # Fujian); the districts among them (syn-0001, -0002, -0006, -0007, -0009) copy huli
    data = make_synthetic(tmp_path / "data", 9)
    ds = facts.load(data)
    assert analysis.peer_localities(ds, "huli", limit=3) == ["syn-0001", "syn-0002", "syn-0006"]
    candidates = analysis.peer_candidates(ds, "huli")
    # sanmenxia and its copies share ai-investment with huli; suixi's figures use other indicators
    assert len(candidates) == 7
    blocks = list(sections.peers(ds, "huli", "2025-08-31", max_peers=3))
    text = " ".join(str(b) for b in blocks)
    assert "共7个" in text and "其余4个未逐一列出" in text


def test_a_new_process_reads_validated_tables_from_the_disk_cache(
    monkeypatch, tmp_path: Path, minimal_data, minimal_sources, edit_cell
) -> None:
    """Validating 300,000 facts cost more than the report: done once per set of bytes."""
    from reportlib.data import dataset as facts
    from reportlib.data import schema
    from reportlib.errors import DataValidationError

    monkeypatch.setenv("REPORTLIB_CACHE", str(tmp_path / "cache"))
    first = facts.load(minimal_data, minimal_sources)
    facts._LAST.clear()  # what a new process starts with

    def no_validation(*args, **kwargs):
        raise AssertionError("validated again although the bytes did not change")

    with monkeypatch.context() as m:
        m.setattr(schema, "check_table", no_validation)
        again = facts.load(minimal_data, minimal_sources)
    assert again.data_hash == first.data_hash
    assert again.facts.equals(first.facts)
    # changed bytes are validated again (and a problem is still found)
    facts._LAST.clear()
    edit_cell(minimal_data / "facts.csv", 0, "value", "twelve")
    with pytest.raises(DataValidationError):
        facts.load(minimal_data, minimal_sources)


def test_the_disk_cache_can_be_turned_off_and_ignores_foreign_entries(
    monkeypatch, tmp_path: Path, minimal_data, minimal_sources
) -> None:
    from reportlib.data import cache
    from reportlib.data import dataset as facts

    monkeypatch.setenv("REPORTLIB_CACHE", "off")
    facts._LAST.clear()
    facts.load(minimal_data, minimal_sources)
    assert cache.cache_dir() is None
    folder = tmp_path / "cache"
    monkeypatch.setenv("REPORTLIB_CACHE", str(folder))
    cache.put("entry", {"a": 1})
    assert cache.get("entry") == {"a": 1}
    (folder / "entry.pickle").chmod(0o666)  # anyone could have written it
    assert cache.get("entry") is None
