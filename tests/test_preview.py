"""Live preview: a server on a free loopback port re-renders after a data change."""

from __future__ import annotations

import os
import re
import shutil
import signal
import subprocess
import sys
import time
import urllib.request

import pytest

DEADLINE = 90.0  # seconds: start-up (imports, first render) plus one re-render, on a busy machine


def _get(url: str) -> str:
    with urllib.request.urlopen(url, timeout=10) as response:
        return response.read().decode("utf-8")


def _wait_for(url: str, text: str, until: float) -> str:
    page = ""
    while time.monotonic() < until:
        page = _get(url)
        if text in page:
            return page
        time.sleep(0.2)
    pytest.fail(f"{text!r} never appeared in the served page; last page starts {page[:300]!r}")


@pytest.fixture
def server(tmp_path, real_data):
    data = tmp_path / "data"
    shutil.copytree(real_data[0], data)
    cmd = [sys.executable, "-m", "reportlib", "preview", "huli", "--port", "0"]
    cmd += ["--data", str(data), "--sources", str(real_data[1])]
    proc = subprocess.Popen(
        cmd, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True, start_new_session=True
    )
    try:
        line = proc.stdout.readline()  # the first line names the address once it listens
        found = re.search(r"http://127\.0\.0\.1:\d+/", line)
        assert found, f"no address in {line!r}; stderr: {proc.stderr.read() if proc.poll() else ''}"
        yield found.group(), data
    finally:
        os.killpg(proc.pid, signal.SIGINT)
        try:
            proc.wait(timeout=10)
        except subprocess.TimeoutExpired:
            os.killpg(proc.pid, signal.SIGKILL)
            proc.wait()


def test_served_html_follows_a_data_change_and_keeps_the_last_good_report(
    server, edit_cell
) -> None:
    url, data = server
    until = time.monotonic() + DEADLINE
    first = _get(url)
    assert "湖里区" in first and "EventSource" in first  # the report, with the reload script
    # the locality's name is in localities.csv, row 0 is huli: its title changes
    lines = (data / "localities.csv").read_text(encoding="utf-8").splitlines()
    row = next(i for i, line in enumerate(lines[1:]) if line.startswith("huli,"))
    edit_cell(data / "localities.csv", row, "name_zh", "湖里区预览")
    changed = _wait_for(url, "湖里区预览", until)
    assert "reportlib-preview-error" not in changed
    # a commentary with an untraceable number: the error shows over the last good report
    (data / "commentary").mkdir(exist_ok=True)
    (data / "commentary" / "huli.md").write_text("再建99间教室。\n", encoding="utf-8")
    failed = _wait_for(url, "reportlib-preview-error", until)
    assert "huli.md:1" in failed and "湖里区预览" in failed
