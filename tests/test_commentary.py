"""Commentary per locality: citations print the fact; validate refuses untraceable numbers."""

from __future__ import annotations

import shutil

import pytest

from reportlib import cli
from reportlib.data import dataset
from reportlib.document import commentary
from reportlib.errors import DataValidationError


@pytest.fixture
def data_copy(tmp_path, real_data):
    """A writable copy of the real data, with an empty commentary folder."""
    target = tmp_path / "data"
    shutil.copytree(real_data[0], target)
    (target / "commentary").mkdir(exist_ok=True)
    return target, real_data[1]


def _write(data, locality: str, text: str):
    path = data / "commentary" / f"{locality}.md"
    path.write_text(text, encoding="utf-8")
    return path


def test_citation_prints_value_unit_and_source_note(data_copy) -> None:
    data, sources = data_copy
    _write(
        data, "huli", "## 判断\n\n湖里区已建成人工智能教室[@huli-ai-classrooms]，**成效明显**。\n"
    )
    ds = dataset.load(data, sources)
    html = commentary.section(ds, "huli").to_html()
    assert '<h2 id="sec-commentary">评估与建议</h2>' in html
    assert "本节是编写人员对厦门市湖里区答复的评估与建议" in html  # templates/text/commentary
    assert "<h3>判断</h3>" in html
    assert "人工智能教室13间" in html  # the fact's value as printed, with its unit
    assert "<strong>成效明显</strong>" in html
    # its source note: the source's short label and locator, linked to the quote in the appendix
    assert "〔湖里答复〕二、措施与成效（二）" in html and 'href="#q-' in html
    assert "[@" not in html


def test_numbers_that_are_figures_years_dates_or_section_numbers_pass(data_copy) -> None:
    data, sources = data_copy
    text = (
        "2025年6月以来，湖里区投入4000多万元[@huli-ai-classrooms]。\n\n"
        "见第3节和2.1节；2024—2025学年继续推进。\n\n"
        "1. 第一条建议\n2. 第二条建议\n"
    )
    _write(data, "huli", text)
    ds = dataset.load(data, sources)
    assert commentary.check(ds) == []
    assert len(commentary.section(ds, "huli")) > 0


def test_untraceable_number_and_unknown_citation_are_refused_with_file_and_line(
    data_copy, capsys
) -> None:
    data, sources = data_copy
    _write(
        data,
        "huli",
        "## 建议\n\n再建25间教室。\n\n另见[@sanmenxia-first-batch-experimental-schools]。\n",
    )
    status = cli.main(["validate", "--data", str(data), "--sources", str(sources)])
    out = capsys.readouterr().out
    assert status == cli.EXIT_ERROR
    assert "commentary/huli.md:3 field 'number': got '25'" in out
    # a fact of another locality is no fact of this one
    assert "commentary/huli.md:5 field 'citation'" in out
    assert "[@sanmenxia-first-batch-experimental-schools]" in out
    ds = dataset.load(data, sources)
    with pytest.raises(DataValidationError, match="huli.md:3"):
        commentary.section(ds, "huli")


def test_commentary_for_an_unknown_locality_is_refused(data_copy) -> None:
    data, sources = data_copy
    _write(data, "atlantis", "很好。\n")
    problems = commentary.check(dataset.load(data, sources))
    assert [(p.field, p.value) for p in problems] == [("file name", "atlantis")]


def test_no_commentary_no_section(data_copy) -> None:
    ds = dataset.load(*data_copy)
    assert len(commentary.section(ds, "huli")) == 0
    assert len(commentary.overview_section(ds)) == 0


def test_overview_prints_each_commentary_under_its_locality(data_copy) -> None:
    data, sources = data_copy
    _write(data, "huli", "建成人工智能教室[@huli-ai-classrooms]。\n")
    html = commentary.overview_section(dataset.load(data, sources)).to_html()
    assert "评估与建议" in html and "人工智能教室13间" in html
    assert "本节汇总编写人员对厦门市湖里区答复的评估与建议" in html  # one locality: no count


def test_data_hash_covers_the_commentary(data_copy) -> None:
    data, sources = data_copy
    before = dataset.load(data, sources).data_hash
    _write(data, "huli", "建成人工智能教室[@huli-ai-classrooms]。\n")
    after = dataset.load(data, sources).data_hash  # the same process: the cache sees the change
    assert after != before
    assert dataset.data_hash(data) == after
