"""index.py: the reports index lists each rendered report with date and links, offline."""

from __future__ import annotations

import pytest

from reportlib import index
from reportlib.errors import ReportlibError


def _fake_report(root, report_id, title, date, pdf=True):
    folder = root / report_id
    folder.mkdir(parents=True)
    (folder / f"{report_id}.html").write_text(
        f"<html><head><title>{title}</title></head><body>"
        f"<dl><dt>报告日期</dt><dd>{date}</dd></dl></body></html>",
        encoding="utf-8",
    )
    if pdf:
        (folder / f"{report_id}.pdf").write_bytes(b"%PDF-1.7\n")


def test_index_lists_reports_overview_first_with_dates_and_links(tmp_path):
    _fake_report(tmp_path, "suixi", "濉溪县报告", "2025年8月13日")
    _fake_report(tmp_path, "all", "概览 &amp; 汇总", "2025年8月13日")
    _fake_report(tmp_path, "huli", "湖里区报告", "2025年6月4日", pdf=False)
    (tmp_path / "build-leftover").mkdir()  # a folder without a report is skipped
    path = index.write_index(tmp_path)
    page = path.read_text(encoding="utf-8")
    assert path == tmp_path / "index.html"
    assert page.index("概览") < page.index("湖里区报告") < page.index("濉溪县报告")
    assert "概览 &amp; 汇总" in page  # unescaped from the title, escaped again once
    assert 'href="suixi/suixi.html"' in page and 'href="suixi/suixi.pdf"' in page
    assert 'href="huli/huli.pdf"' not in page and "无 PDF" in page
    assert "2025年6月4日" in page
    assert "http" not in page  # nothing fetched from the network
    # the CJK font travels with the page, so a machine without Chinese fonts shows no tofu
    assert "@font-face" in page and "data:font/otf;base64," in page
    assert index.write_index(tmp_path).read_text(encoding="utf-8") == page  # deterministic


def test_index_of_missing_folder_says_how_to_fix(tmp_path):
    with pytest.raises(ReportlibError, match="render"):
        index.write_index(tmp_path / "nope")
