"""The overview summarises instead of listing (issue #16, items 1 and 5).

Values on the real data are worked out by hand; the synthetic localities copy the real ones'
records, so their coverage is one of the real ones' (whatever provinces they are spread
over). The rendered PDFs are read with pypdf: a small overview names every locality, a large
one names only a few.
"""

from __future__ import annotations

import re
from pathlib import Path

import pytest
from pypdf import PdfReader

from reportlib.analysis import overview
from reportlib.data import dataset as facts
from reportlib.data.synthetic import make_synthetic
from reportlib.document import sections
from reportlib.render import render_locality

AS_OF = "2025-09-01"
#: Synthetic localities in the large case: big enough to need summarising, fast to render.
LARGE = 300
#: The large overview's page bound (the 2,800-locality one is measured by ``make bench``).
MAX_PAGES = 20


def _pdf_text(path: Path) -> tuple[str, int]:
    """The PDF's text without white space (Typst spaces digits from CJK), and its pages."""
    reader = PdfReader(path)
    text = "".join(page.extract_text() for page in reader.pages)
    return re.sub(r"\s+", "", text), len(reader.pages)


@pytest.fixture(scope="module")
def real_ds(real_data):
    return facts.load(*real_data)


@pytest.fixture(scope="module")
def large(real_data, tmp_path_factory):
    """(data dir, Dataset, rendered PDF text, pages) for 300 synthetic + 3 real localities."""
    root = tmp_path_factory.mktemp("overview-large")
    data = make_synthetic(root / "data", LARGE)
    ds = facts.load(data, real_data[1])
    result = render_locality(
        "all",
        data_dir=data,
        sources_dir=real_data[1],
        out_dir=root / "out",
        build_dir=root / "build",
        as_of=AS_OF,
    )
    text, pages = _pdf_text(result.pdf)
    return data, ds, text, pages


# ------------------------------------------------------------------------------ values


def test_real_shares_and_documents(real_ds):
    locs = overview.localities(real_ds)
    assert locs["has_document"].all()
    # newest reply of each locality (sources.csv written_date)
    assert dict(zip(locs["locality_id"], locs["document_date"], strict=True)) == {
        "huli": "2025-06-04",
        "sanmenxia": "2025-06-17",
        "suixi": "2025-07-02",
    }
    cov = overview.coverage_long(real_ds)
    shares = overview.item_shares(real_ds, cov).set_index("task_id")
    assert shares["n"].eq(3).all()
    levels = ["quantified", "described", "planned", "none"]
    assert (shares[levels].sum(axis=1) == 3).all()
    # every reply gives a figure reached on task 4 (AI classrooms, labs, terminals …)
    assert shares.loc["moe-t4", "quantified"] == 3


def test_real_coverage_per_locality_and_province(real_ds):
    cov = overview.coverage_long(real_ds)
    scores = overview.locality_scores(cov)["coverage"].to_dict()
    # items with AI-specific evidence (quantified or described) of the 10 national items
    assert scores == pytest.approx({"huli": 0.9, "sanmenxia": 0.7, "suixi": 0.3})
    locs = overview.localities(real_ds)
    provinces = overview.group_coverage(locs, overview.locality_scores(cov), "province_zh")
    assert provinces.set_index("group")["coverage"].to_dict() == pytest.approx(
        {"福建省": 0.9, "河南省": 0.7, "安徽省": 0.3}
    )


def test_large_shares_by_province_add_up(large, real_ds):
    # whatever the synthetic country's provinces, each locality copies a real one's records
    _, ds, _, _ = large
    real = overview.locality_scores(overview.coverage_long(real_ds))["coverage"]
    locs = overview.localities(ds)
    scores = overview.locality_scores(overview.coverage_long(ds))
    assert set(scores["coverage"].round(6)) <= set(real.round(6))
    by_province = overview.group_coverage(locs, scores, "province_zh")
    assert by_province["n"].sum() == LARGE + 3
    weighted = (by_province["n"] * by_province["coverage"]).sum() / by_province["n"].sum()
    assert weighted == pytest.approx(scores["coverage"].mean())


def test_distributions_are_like_for_like(large):
    _, ds, _, _ = large
    dist = overview.distributions(ds)
    assert not dist.empty
    assert not dist.duplicated(overview.DISTRIBUTION_KEY).any()
    for r in dist.itertuples(index=False):
        assert r.n == len(r.values) >= 3
        assert r.min <= r.q1 <= r.median <= r.q3 <= r.max


def test_tile_grid_has_every_province_once():
    tiles = overview.province_tiles()
    assert tiles["in_scope"].sum() == 31
    assert not tiles.duplicated(["row", "col"]).any()
    assert overview.tile_of("广西壮族自治区") == overview.tile_of("广西") == "广西壮族自治区"
    assert overview.tile_of("河南省") == "河南省"
    assert overview.tile_of("不存在省") is None


# ----------------------------------------------------------------------------- rendered


def test_small_overview_names_every_locality(real_data, real_ds, tmp_path):
    result = render_locality(
        "all", *real_data, out_dir=tmp_path / "out", build_dir=tmp_path / "build", as_of=AS_OF
    )
    text, _ = _pdf_text(result.pdf)
    body = text[text.index("国家通知任务覆盖情况", text.index("附录")) :]  # past the contents
    for name in real_ds.localities["name_zh"]:
        assert name in body
    for heading in ("答复文件与时效", "各项任务的覆盖面", "分省份", "证据薄弱之处", "各地逐项情况"):
        assert heading in body
    assert "另有一般信息化数据" in body


def test_large_overview_summarises(large):
    _, ds, text, pages = large
    names = [n for n in ds.localities["name_zh"] if n in text]
    # a few named at the ends of rankings or as examples, never the list
    assert len(names) < 40, names[:50]
    assert f"{LARGE + 3}个地区" in text
    assert "分省份" in text and "各省份覆盖情况" in text
    for province in ds.localities["province_zh"].unique():
        assert province in text
    assert "中位数" in text and "四分位" in text
    assert "各省份有人工智能教育证据的地区占比" in text  # province × item heat map
    assert "各地逐项情况" not in text  # the locality × item matrix is for small data sets
    assert pages <= MAX_PAGES


def test_large_overview_opens_with_national_findings(large):
    _, ds, text, _ = large
    points = text[text.index("全国主要发现") : text.index("目录")]  # the 要点 box, page 1
    assert f"本报告涵盖{LARGE + 3}个地区" in points
    assert "比例中位数为" in points and "涉及最广的是" in points and "量化证据" in points
    assert not [n for n in ds.localities["name_zh"] if n in points]  # no locality ranked


def test_large_sections_are_bounded_in_blocks(large):
    _, ds, _, _ = large
    markdown = sections.overview_commitments(ds, AS_OF).to_markdown()
    # the bounded list of examples, not every commitment
    assert markdown.count("\n| ") < 40
    assert "全部见各地报告" in markdown


def test_large_charts_are_reproducible(large):
    _, ds, _, _ = large
    first = sections.overview_peers(ds, AS_OF).to_markdown()
    assert "data:image/svg+xml" in first  # the distribution chart (jittered dots: seeded)
    assert sections.overview_peers(ds, AS_OF).to_markdown() == first
