"""index.py: the reports index lists each rendered report with date and links, offline."""

from __future__ import annotations

import re

import pytest

from reportlib.batch import index
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
    assert 'font-family: "ReportCJK"' in page  # the rule as written, not HTML-escaped
    assert index.write_index(tmp_path).read_text(encoding="utf-8") == page  # deterministic


def test_index_of_missing_folder_says_how_to_fix(tmp_path):
    with pytest.raises(ReportlibError, match="render"):
        index.write_index(tmp_path / "nope")


# ---------------------------------------------------------------- the index in a browser


@pytest.fixture(scope="module")
def country_index(tmp_path_factory):
    """An index over fake reports of a 60-locality synthetic country plus its data."""
    from reportlib.data import dataset
    from reportlib.data.synthetic import make_synthetic

    root = tmp_path_factory.mktemp("country")
    data = make_synthetic(root / "data", 60, seed=2)
    ds = dataset.load(data, validate=False)
    reports = root / "reports"
    for row in ds.localities.itertuples():
        _fake_report(reports, row.locality_id, f"{row.name_zh}报告", "2025 年 8 月 13 日")
    _fake_report(reports, "henan", "河南省概览", "2025 年 8 月 13 日")
    return index.write_index(reports, data_dir=data), ds


def test_index_rows_carry_province_level_and_coverage(country_index):
    path, ds = country_index
    page = path.read_text(encoding="utf-8")
    in_henan = int((ds.localities["province_zh"] == "河南省").sum())
    assert page.count('data-province="河南省"') == in_henan + 1  # and the Henan roll-up
    assert '<option value="新疆维吾尔自治区">' in page
    # provinces in the official order: 北京市 (11) before 河南省 (41) before 新疆 (65)
    assert page.index('<option value="北京市">') < page.index('<option value="河南省">')
    assert page.index('<option value="河南省">') < page.index('<option value="新疆维吾尔自治区">')
    assert 'data-level="省级汇总"' in page
    assert re.search(r'data-label="证据覆盖" class="num">[0-9]+/[0-9]+<', page)
    assert "http" not in page.replace('xmlns="http', "")  # no network reference


def test_index_filters_by_province_searches_and_sorts_in_a_browser(country_index, browser):
    path, ds = country_index
    henan = set(ds.localities.loc[ds.localities["province_zh"] == "河南省", "locality_id"])
    context = browser.new_context()
    try:
        page = context.new_page()
        requests: list[str] = []
        page.on("request", lambda r: requests.append(r.url))
        page.goto(path.as_uri())
        visible = "#reports tbody tr[data-id]:not([hidden])"
        assert page.locator(visible).count() == len(ds.localities) + 1
        # the embedded font loads and covers the province names (no tofu)
        script = "document.fonts.ready.then(() => document.fonts.check('16px ReportCJK', '河南省'))"
        assert page.evaluate(script)
        assert page.evaluate("[...document.fonts].some(f => f.status === 'loaded')")
        page.select_option("#province", "河南省")
        shown = set(page.eval_on_selector_all(visible, "rs => rs.map(r => r.dataset.id)"))
        assert shown == henan | {"henan"}
        assert page.inner_text("#count") == f"显示{len(shown)}份，共{len(ds.localities) + 1}份"
        page.select_option("#level", "省级汇总")
        assert page.eval_on_selector_all(visible, "rs => rs.map(r => r.dataset.id)") == ["henan"]
        page.select_option("#province", "")
        page.select_option("#level", "")
        page.fill("#q", "濉溪")
        assert page.eval_on_selector_all(visible, "rs => rs.map(r => r.dataset.id)") == ["suixi"]
        page.fill("#q", "")
        page.click("th[data-key=coverage] button")  # ascending, then descending
        page.click("th[data-key=coverage] button")
        cover = page.eval_on_selector_all(visible, "rs => rs.map(r => +r.dataset.coverage)")
        assert cover == sorted(cover, reverse=True)
        # a phone: cards, no sideways scrolling
        page.set_viewport_size({"width": 375, "height": 700})
        assert page.evaluate("document.documentElement.scrollWidth") <= 375
        assert not page.is_visible("#reports thead")
        page.select_option("#sort", "coverage:1")  # no headers on a phone: the menu sorts
        cover = page.eval_on_selector_all(visible, "rs => rs.map(r => +r.dataset.coverage)")
        assert cover == sorted(cover)
        page.select_option("#province", "河南省")  # filtered cards stay hidden on a phone
        assert page.is_visible("tr[data-id=henan]") and not page.is_visible("tr[data-id=huli]")
    finally:
        context.close()
    assert all(u.startswith("file:") for u in requests), requests
