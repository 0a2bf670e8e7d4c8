"""The batch renderer: same bytes as one-at-a-time rendering, failures recorded, manifest."""

from __future__ import annotations

import io
import json
from pathlib import Path

import pytest

from reportlib import batch, paths

LOCALITIES = ["huli", "suixi"]


@pytest.fixture(scope="module")
def batch_run(tmp_path_factory: pytest.TempPathFactory, real_data) -> tuple[dict, Path]:
    """Two real localities and one unknown one, rendered by two pool workers."""
    pytest.importorskip("reportlib.render")
    if not (paths.notebooks_dir() / "locality_report.ipynb").exists():
        pytest.skip("the report notebook is not there yet")
    root = tmp_path_factory.mktemp("batch")
    manifest = batch.render_all(
        out_dir=root / "reports",
        build_dir=root / "build",
        workers=2,
        quiet=True,
        localities=[*LOCALITIES, "no-such-place"],
        as_of="2025-09-01",
    )
    return manifest, root


def test_batch_reports_are_byte_identical_to_single_renders(batch_run, tmp_path: Path) -> None:
    from reportlib import render

    manifest, _ = batch_run
    for loc in LOCALITIES:
        entry = manifest["reports"][loc]
        assert entry["status"] == "ok", entry
        single = render.render_locality(
            loc,
            out_dir=tmp_path / "reports",
            build_dir=tmp_path / "build",
            as_of="2025-09-01",
            engine="inprocess",
        )
        for kind in ("html", "pdf"):
            ours = Path(entry[kind])
            assert ours.exists(), ours
            assert ours.read_bytes() == Path(getattr(single, kind)).read_bytes(), (loc, kind)


def test_failing_locality_is_recorded_and_others_succeed(batch_run) -> None:
    manifest, root = batch_run
    assert manifest["failed"] == ["no-such-place"]
    assert manifest["ok"] == len(LOCALITIES)
    failed = manifest["reports"]["no-such-place"]
    assert failed["status"] == "failed"
    assert "no-such-place" in failed["error"]
    on_disk = json.loads((root / "build" / "manifest.json").read_text(encoding="utf-8"))
    assert on_disk["failed"] == ["no-such-place"]
    assert set(on_disk["reports"]) == {*LOCALITIES, "no-such-place"}
    assert all(on_disk["reports"][loc]["duration"] > 0 for loc in LOCALITIES)


def test_progress_is_one_line_per_failure_when_not_a_tty(monkeypatch) -> None:
    monkeypatch.delenv("CI", raising=False)
    stream = io.StringIO()
    progress = batch.Progress(3, stream=stream)
    progress.update({"locality": "a", "status": "ok"})
    progress.update({"locality": "b", "status": "failed", "error": "boom"})
    progress.close()
    lines = stream.getvalue().splitlines()
    assert lines == ["failed: b: boom", "rendered 1/3 report(s) in 0s, 1 failed"]


def test_progress_is_silent_when_quiet() -> None:
    stream = io.StringIO()
    progress = batch.Progress(1, quiet=True, stream=stream)
    progress.update({"locality": "a", "status": "failed", "error": "x"})
    progress.close()
    assert stream.getvalue() == ""


def test_manifest_is_written_atomically(tmp_path: Path) -> None:
    target = batch.write_manifest({"reports": {"甲": {"status": "ok"}}}, tmp_path)
    assert json.loads(target.read_text(encoding="utf-8"))["reports"]["甲"]["status"] == "ok"
    assert [p.name for p in tmp_path.iterdir()] == ["manifest.json"]
