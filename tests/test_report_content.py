"""What the reports print equals what analysis computes; notebooks hold no figures or logic."""

from __future__ import annotations

import dataclasses
import re
from datetime import date

import nbformat
import pytest

from reportlib import analysis as an
from reportlib import paths
from reportlib.data import dataset as facts
from reportlib.document import display, sections
from reportlib.document.blocks import Table

AS_OF = date(2025, 9, 1)


@pytest.fixture(scope="module")
def ds(real_data):
    return facts.load(*real_data)


def _text(blocks) -> str:
    html = re.sub(r"<svg\b.*?</svg>", "", blocks.to_html(), flags=re.S)
    return re.sub(r"<[^>]+>", "", html)


def _table(blocks, caption: str) -> Table:
    return next(b for b in blocks if isinstance(b, Table) and b.caption == caption)


@pytest.mark.parametrize("lid", ["huli", "sanmenxia", "suixi"])
def test_summary_counts_are_the_coverage_counts(ds, lid):
    text = _text(sections.summary(ds, lid, AS_OF))
    counts = an.coverage_counts(ds, lid)
    for level, words in (("quantified", "有已完成的数字"), ("described", "只有文字描述")):
        if counts[level]:
            assert f"{counts[level]}项{words}" in text
    if counts["none"]:
        assert f"{counts['none']}项答复未涉及" in text
    n_tasks = int((an.national_items(ds)["kind"] == "task").sum())
    assert f"对照国家通知的{n_tasks}项主要任务" in text


@pytest.mark.parametrize("lid", ["huli", "sanmenxia", "suixi"])
def test_scorecard_levels_are_the_coverage_levels(ds, lid):
    table = _table(sections.scorecard(ds, lid, AS_OF), "国家通知任务覆盖情况与依据")
    levels = [row[table.columns.index("覆盖情况")] for row in table.rows]
    assert levels == [sections.LEVEL_ZH[v] for v in an.coverage(ds, lid)["level"]]


def test_normalised_values_printed_are_the_computed_ones(ds):
    table = _table(sections.key_figures(ds, "suixi", AS_OF), "关键数据")
    shown = " ".join(row[table.columns.index("标准化")] for row in table.rows)
    norm = an.normalise(ds, "suixi")
    assert len(norm) > 0
    for row in norm.itertuples():
        assert sections.normalised_text(row._asdict()) in shown
    text = _text(sections.key_figures(ds, "suixi", AS_OF))
    estimates = an.denominator_estimates(ds, "suixi")
    used = set(norm["denominator"])
    assert used == {"schools-total", "students-total"}  # teachers: no per-teacher indicator
    for denom in used:
        value, _basis, _used = an.known_denominators(ds, "suixi")[denom]
        whole = an.whole_count(value, *estimates[denom][1:])
        assert f"约{display.format_number(whole)}" in text


def test_implied_denominators_printed_are_the_computed_ones(ds):
    table = _table(sections.data_quality(ds, "suixi", AS_OF), "由百分比推算的总数")
    implied = an.implied_denominators(ds, "suixi")
    wholes = [an.whole_count(r.estimate, r.low, r.high) for r in implied.itertuples()]
    assert [row[table.columns.index("推算值")] for row in table.rows] == [
        "—" if w is None else f"约{display.format_number(w)}" for w in wholes
    ]
    # hand-checked: 307 schools at 96% → about 320 schools
    assert "约320" in [row[table.columns.index("推算值")] for row in table.rows]


def test_commitment_statuses_printed_are_the_computed_ones(ds):
    table = _table(sections.commitments(ds, "sanmenxia", AS_OF), "承诺事项")
    status = an.commitment_status(ds, "sanmenxia", AS_OF)
    assert [row[table.columns.index("状态")] for row in table.rows] == [
        sections.STATUS_ZH[s] for s in status["status"]
    ]


def test_qualifiers_print_as_a_reader_expects(ds):
    huli = _text(sections.key_figures(ds, "huli", AS_OF))
    assert "4000多万元" in huli
    assert "不少于16课时" in huli
    assert "90%以上" in huli


def test_appendix_lists_every_fact_with_its_quote(ds):
    text = _text(sections.appendix(ds, "huli", AS_OF))
    mine = ds.facts[ds.facts["locality_id"] == "huli"]
    for quote in mine["quote"]:
        assert f"“{quote}”" in text


def test_hostile_quote_is_shown_literally(ds):
    hostile = '<script>alert(1)</script> #panic("x") $x$ *a* @ref'
    facts_df = ds.facts.copy()
    first = facts_df.index[facts_df["locality_id"] == "huli"][0]
    facts_df.loc[first, "quote"] = hostile
    evil = dataclasses.replace(ds, facts=facts_df)
    blocks = sections.appendix(evil, "huli", AS_OF)
    assert "<script>" not in blocks.to_html()
    assert "&lt;script&gt;" in blocks.to_html()
    assert r"\<script\>" in blocks.to_markdown()


@pytest.mark.parametrize("name", ["locality_report.ipynb", "overview_report.ipynb"])
def test_notebooks_have_parameters_first_and_no_figures(name):
    nb = nbformat.read(paths.notebooks_dir() / name, as_version=4)
    assert "parameters" in nb.cells[0].metadata.get("tags", [])
    content = [c for c in nb.cells[1:] if c.cell_type == "code"]
    for cell in content:
        code = re.sub(r"#.*", "", cell.source)  # comments may say "level 2"
        assert not re.search(r"\d", code), f"a figure in a notebook cell: {cell.source!r}"
        assert not cell.get("outputs"), "notebooks are committed without outputs"
    calls = re.findall(r"sections\.(\w+)\(", "\n".join(c.source for c in content))
    if name == "locality_report.ipynb":
        assert calls == [fn.__name__ for fn in sections.LOCALITY_SECTIONS]
    else:
        assert all(call.startswith("overview_") for call in calls)
