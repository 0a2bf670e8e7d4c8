"""Provinces and cities above the localities: validated hierarchy, real divisions, roll-ups."""

from __future__ import annotations

from pathlib import Path

import pytest
from pypdf import PdfReader

from reportlib.data import regions
from reportlib.data.dataset import load, validate
from reportlib.errors import DataValidationError, ReportlibError, UnknownLocalityError


def _problems(data: Path, sources: Path) -> list[str]:
    return [str(p) for p in validate(data, sources)]


def test_unknown_parent_is_refused_with_file_and_line(
    minimal_data, minimal_sources, edit_cell
) -> None:
    edit_cell(minimal_data / "localities.csv", 0, "parent", "无名市")
    with pytest.raises(DataValidationError) as err:
        load(minimal_data, minimal_sources)
    problems = [p for p in err.value.problems if p.field == "parent"]
    assert [(p.file, p.line, p.value) for p in problems] == [("localities.csv", 2, "无名市")]
    assert "示范市" in problems[0].expected  # names what would do


def test_unknown_province_is_refused_with_file_and_line(
    minimal_data, minimal_sources, edit_cell
) -> None:
    edit_cell(minimal_data / "localities.csv", 0, "province", "atlantis")
    found = _problems(minimal_data, minimal_sources)
    assert any(p.startswith("localities.csv:2 field 'province'") for p in found), found


def test_region_of_an_unknown_province_is_refused(minimal_data, minimal_sources, edit_cell) -> None:
    edit_cell(minimal_data / "regions.csv", 1, "province", "nowhere")
    found = _problems(minimal_data, minimal_sources)
    assert any(p.startswith("regions.csv:3 field 'province'") for p in found), found


def test_real_localities_are_real_divisions(real_data) -> None:
    ds = load(*real_data)
    assert regions.division_warnings(ds.localities) == []


def test_a_name_or_parent_that_is_not_a_real_division_warns_with_line(real_data) -> None:
    ds = load(*real_data)
    loc = ds.localities.copy()
    loc.loc[loc["locality_id"] == "suixi", "name_zh"] = "濉西县"
    loc.loc[loc["locality_id"] == "huli", "parent"] = "漳州市"
    found = {(p.line, p.field, p.value) for p in regions.division_warnings(loc)}
    assert found == {(4, "name_zh", "濉西县"), (2, "parent", "漳州市")}


def test_country_divisions_have_31_provinces() -> None:
    kinds = [d.kind for d in regions.divisions()]
    assert kinds.count("province") == 31
    assert kinds.count("city") > 300 and kinds.count("county") > 2800


def test_henan_subset_keeps_its_notice_and_localities(real_data) -> None:
    ds = load(*real_data)
    sub = regions.subset(ds, "henan")
    assert sub.localities["locality_id"].tolist() == ["sanmenxia"]
    assert set(sub.sources["source_id"]) == {
        "moe-2024-notice",
        "henan-2019-notice",
        "sanmenxia-2025-reply",
    }
    assert set(sub.facts["locality_id"]) == {"sanmenxia"}
    assert set(sub.targets["scope"]) == {"national", "henan"}
    # A city: the localities whose parent it is; Fujian's roll-up has no Henan notice.
    assert regions.localities_under(ds, "xiamen") == ["huli"]
    fujian = set(regions.applicable_notices(ds, "fujian")["source_id"])
    assert fujian == {"moe-2024-notice"}
    assert set(regions.subset(ds, "fujian").targets["scope"]) == {"national"}


def test_unknown_id_lists_provinces_and_cities(real_data) -> None:
    ds = load(*real_data)
    with pytest.raises(UnknownLocalityError, match="provinces and cities.*henan.*xiamen"):
        ds.locality("atlantis")


def test_region_with_no_locality_is_an_error(minimal_data, minimal_sources) -> None:
    (minimal_data / "regions.csv").write_text(
        "region_id,name_zh,level,province,code\n"
        "demo,示范省,province,demo,\ndemo-city,示范市,city,demo,\nempty,空市,city,demo,\n",
        encoding="utf-8",
    )
    with pytest.raises(ReportlibError, match="no locality lies under 'empty'"):
        regions.subset(load(minimal_data, minimal_sources), "empty")


def test_henan_rollup_renders_with_its_notice_and_sanmenxia(real_data, tmp_path) -> None:
    from reportlib.render import render_locality

    result = render_locality("henan", out_dir=tmp_path / "reports", build_dir=tmp_path / "build")
    assert result.pdf == tmp_path / "reports" / "henan" / "henan.pdf"
    text = "".join(page.extract_text() for page in PdfReader(result.pdf).pages)
    assert "河南省中小学人工智能教育进展概览" in text
    assert "河南省教育厅关于推进中小学人工智能教育的通知" in text
    assert "三门峡市" in text
    assert "湖里" not in text and "濉溪" not in text
    html = result.html.read_text(encoding="utf-8")
    assert "河南省教育厅" in html and "三门峡市" in html


def test_a_province_of_the_synthetic_country_renders(real_data, tmp_path) -> None:
    from reportlib.data.synthetic import make_synthetic
    from reportlib.render import render_locality

    data = make_synthetic(tmp_path / "data", 70, seed=4)
    ds = load(data, real_data[1])
    henan = ds.localities[ds.localities["province"] == "henan"]
    assert len(henan) >= 3  # sanmenxia and synthetic Henan counties
    guangdong = ds.regions.loc[ds.regions["name_zh"] == "广东省", "region_id"].item()
    assert set(regions.applicable_notices(ds, guangdong)["source_id"]) == {"moe-2024-notice"}
    out = dict(out_dir=tmp_path / "reports", build_dir=tmp_path / "build", data_dir=data)
    result = render_locality("henan", **out)
    text = "".join(page.extract_text() for page in PdfReader(result.pdf).pages)
    assert "河南省教育厅关于推进中小学人工智能教育的通知" in text
    for name in henan["name_zh"]:
        assert name in text
