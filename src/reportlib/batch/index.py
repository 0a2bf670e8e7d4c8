"""``reports/index.html``: one self-contained page listing every rendered report.

Each report folder ``reports/<id>/`` holding ``<id>.html`` (and usually ``<id>.pdf``) gets a
row with the report's title and date, read back from the rendered HTML (its ``<title>`` and
the 报告日期 entry of the title block), and relative links to both files. From the data, a
locality's row adds its province, level and evidence coverage (national items with
quantified or described evidence); a province's or city's roll-up its province.

The page (``templates/index/index.html.j2``) can be searched, filtered by province, level
and coverage, and sorted by any column, by a few lines of plain JavaScript inlined in it:
no library, no network, and at 2,800 reports the filters still answer at once. On a phone
each report is a card. The page has no timestamps of its own, so the same reports and
data give a byte-identical index.
"""

from __future__ import annotations

import html
import os
import re
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from reportlib import paths
from reportlib.errors import ReportlibError
from reportlib.render.fonts import find_cjk_font
from reportlib.render.html import font_face_css

__all__ = ["IndexEntry", "read_entries", "write_index"]

OVERVIEW_ID = "all"
_TITLE = re.compile(r"<title>(.*?)</title>", re.S)
_DATE = re.compile(r"<dt>报告日期</dt>\s*<dd>(.*?)</dd>", re.S)
_DIGITS = re.compile(r"[0-9]+")
#: Coverage bands of the filter: share of national items with evidence, lowest first.
_BANDS = ((0.0, "不足三分之一"), (1 / 3, "三分之一至三分之二"), (2 / 3, "三分之二以上"))
_LEVEL_ZH = {"city": "地级市", "county": "县（县级市）", "district": "市辖区"}
#: The search box's hint (its characters go into the font subset too).
_PLACEHOLDER = "地区名称或编号"


@dataclass(frozen=True)
class IndexEntry:
    """One rendered report: id, title, report date and its files (relative to the index)."""

    report_id: str
    title: str
    date: str
    html: str
    pdf: str | None


def _read_entry(folder: Path) -> IndexEntry | None:
    report_id = folder.name
    page = folder / f"{report_id}.html"
    if not page.is_file():
        return None
    text = page.read_text(encoding="utf-8", errors="replace")
    title = _TITLE.search(text)
    date = _DATE.search(text)
    pdf = folder / f"{report_id}.pdf"
    return IndexEntry(
        report_id=report_id,
        title=html.unescape(title.group(1)).strip() if title else report_id,
        date=html.unescape(date.group(1)).strip() if date else "",
        html=f"{report_id}/{page.name}",
        pdf=f"{report_id}/{pdf.name}" if pdf.is_file() else None,
    )


def read_entries(reports_dir: str | os.PathLike[str] | None = None) -> list[IndexEntry]:
    """Every rendered report under ``reports_dir``: the overview first, then by id."""
    root = paths.reports_dir(reports_dir)
    if not root.is_dir():
        raise ReportlibError(
            f"reports folder {root} does not exist; render a report first "
            "(python -m reportlib render <locality>)"
        )
    entries = [e for d in sorted(root.iterdir()) if d.is_dir() and (e := _read_entry(d))]
    return sorted(entries, key=lambda e: (e.report_id != OVERVIEW_ID, e.report_id))


def _iso(date: str) -> str:
    """``2025 年 8 月 13 日`` → ``2025-08-13`` (what the date column sorts by)."""
    parts = _DIGITS.findall(date)[:3]
    return "-".join([parts[0]] + [p.zfill(2) for p in parts[1:]]) if parts else ""


def _band(share: float) -> str:
    return [name for low, name in _BANDS if share >= low][-1]


def _locality_facts(
    data_dir: Any, sources_dir: Any
) -> tuple[dict[str, dict[str, Any]], int, list[str]]:
    """Report id → province, level, coverage; the national item count; provinces in order.

    Nothing (an index without those columns) when the data cannot be loaded: the index
    lists what was rendered, and says nothing it cannot back.
    """
    from reportlib import analysis
    from reportlib.data import dataset as facts

    try:
        ds = facts.load(data_dir, sources_dir, validate=False)
        matrix = analysis.coverage_matrix(ds)
    except (ReportlibError, OSError, KeyError, ValueError):
        return {}, 0, []
    total = matrix.shape[1]
    covered = matrix.isin(["quantified", "described"]).sum(axis=1)
    out: dict[str, dict[str, Any]] = {}
    for row in ds.localities.itertuples():
        n = int(covered.get(row.locality_id, 0))
        share = n / total if total else 0.0
        out[str(row.locality_id)] = {
            "province": str(row.province_zh),
            "level": _LEVEL_ZH.get(str(row.level), str(row.level)),
            "coverage": f"{n}/{total}",
            "coverage_sort": f"{share:.4f}",
            "band": _band(share) if total else "",
            "search": f"{row.name_zh} {row.parent} {row.province_zh}",
        }
    names = dict(zip(ds.regions["region_id"], ds.regions["name_zh"], strict=True))
    for r in ds.regions.itertuples():
        level = "省级汇总" if r.level == "province" else "市级汇总"
        province = names.get(r.province, "")
        out[str(r.region_id)] = {"province": province, "level": level, "search": province}
    out[OVERVIEW_ID] = {"province": "", "level": "全国概览"}
    # provinces in the official order (by division code), as statistics print them
    provinces = ds.regions[ds.regions["level"] == "province"].sort_values("code", kind="stable")
    return out, total, [str(v) for v in provinces["name_zh"]]


def write_index(
    reports_dir: str | os.PathLike[str] | None = None,
    data_dir: str | os.PathLike[str] | None = None,
    sources_dir: str | os.PathLike[str] | None = None,
) -> Path:
    """Write ``<reports_dir>/index.html`` listing every rendered report; return its path.

    ``data_dir``/``sources_dir``: the data the reports were made from (default: the
    project's), for each row's province, level and coverage.
    """
    import jinja2

    root = paths.reports_dir(reports_dir)
    entries = read_entries(root)
    meta, total, order = _locality_facts(data_dir, sources_dir)
    rows = []
    for e in entries:
        m = {"province": "", "level": "", "coverage": "", "coverage_sort": "-1", "band": ""}
        m.update(meta.get(e.report_id, {}))
        search = f"{e.title} {e.report_id} {m.pop('search', '')}".lower()
        rows.append({**e.__dict__, **m, "search": search, "date_iso": _iso(e.date)})
    template = jinja2.Environment(
        loader=jinja2.FileSystemLoader(paths.PACKAGE_DIR / "templates" / "index"),
        autoescape=True,
        keep_trailing_newline=True,
    ).get_template("index.html.j2")
    context = {
        "entries": rows,
        "provinces": sorted(
            {r["province"] for r in rows if r["province"]},
            key=lambda p: (order.index(p) if p in order else len(order), p),
        ),
        "levels": list(dict.fromkeys(r["level"] for r in rows if r["level"])),
        "bands": [name for _, name in _BANDS] if total else [],
        "coverage_total": total,
        "placeholder": _PLACEHOLDER,
    }
    text = template.render(font_face="", **context)
    # Like the reports, the index carries the subset of the CJK font it needs, so it shows
    # Chinese on a machine that has no Chinese font.
    visible = html.unescape(re.sub(r"<[^>]+>", "", text)) + _PLACEHOLDER
    page = template.render(font_face=font_face_css(find_cjk_font(), visible), **context)
    target = root / "index.html"
    paths.atomic_write(target, page.encode("utf-8"))
    return target
