"""What the reports print equals what analysis computes; notebooks hold no figures or logic.

The notebooks are checked by what they print, never by their list of calls: an analyst may
reorder, delete or add cells and pass options (``max_peers=3``). Code cells type no figure
(a number is allowed only as an option), Markdown cells print none, and the section headings
the notebook writes are the rendered report's sections, in the notebook's order.
"""

from __future__ import annotations

import ast
import dataclasses
import re
from datetime import date

import nbformat
import pytest
from pypdf import PdfReader

from reportlib import analysis as an
from reportlib import paths
from reportlib.data import dataset as facts
from reportlib.document import display, outline, sections
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


NOTEBOOKS = ("locality_report.ipynb", "overview_report.ipynb")


def _typed_figures(source: str) -> list[str]:
    """Literals in a code cell a reader could take for a figure: numbers, and text with a
    digit. A number given as a keyword argument is an option (``max_peers=3``), not a figure."""
    tree = ast.parse(source)
    options = {
        id(kw.value)
        for node in ast.walk(tree)
        if isinstance(node, ast.Call)
        for kw in node.keywords
        if isinstance(kw.value, ast.Constant) and isinstance(kw.value.value, (int, float))
    }
    found = []
    for node in ast.walk(tree):
        if not isinstance(node, ast.Constant) or id(node) in options:
            continue
        value = node.value
        number = isinstance(value, (int, float, complex)) and not isinstance(value, bool)
        if number or (isinstance(value, str) and re.search(r"\d", value)):
            found.append(ast.unparse(node))
    return found


def test_typed_figures_are_found_and_options_are_not() -> None:
    assert _typed_figures('display(Paragraph("建成13间教室"))') == ["'建成13间教室'"]
    assert _typed_figures("classrooms = 13") == ["13"]
    assert _typed_figures('show(sections.peers(ds, "huli", as_of, max_peers=3))') == []
    assert _typed_figures('sections.peers(ds, "huli", as_of, caption="2025年")') != []


def _printed(nb: nbformat.NotebookNode, kind: str) -> list[nbformat.NotebookNode]:
    """The notebook's cells of ``kind`` that reach the report (not the parameters, not the
    analyst's notes tagged remove-cell)."""
    return [
        c
        for c in nb.cells
        if c.cell_type == kind
        and not {"parameters", "remove-cell"} & set(c.metadata.get("tags", []))
    ]


@pytest.mark.parametrize("name", NOTEBOOKS)
def test_notebooks_have_parameters_first_and_no_typed_figures(name):
    nb = nbformat.read(paths.notebooks_dir() / name, as_version=4)
    assert "parameters" in nb.cells[0].metadata.get("tags", [])
    for cell in _printed(nb, "code"):
        assert not _typed_figures(cell.source), f"a figure in a notebook cell: {cell.source!r}"
        assert not cell.get("outputs"), "notebooks are committed without outputs"
    for cell in _printed(nb, "markdown"):  # headings and prose: figures come from the data
        assert not re.search(r"\d", cell.source), f"a figure in a Markdown cell: {cell.source!r}"


def _headings(name: str) -> list[tuple[str, str]]:
    """(id, title) of the section headings written in the notebook's Markdown cells."""
    nb = nbformat.read(paths.notebooks_dir() / name, as_version=4)
    found = []
    for cell in _printed(nb, "markdown"):
        for line in cell.source.splitlines():
            m = outline.HEADING_LINE.match(line)
            if m and len(m.group(1)) == 2:
                found.append((m.group(3), m.group(2)))
    return found


@pytest.mark.parametrize(("lid", "name"), [("huli", NOTEBOOKS[0]), ("all", NOTEBOOKS[1])])
def test_notebooks_headings_are_the_reports_sections_in_order(rendered_report, lid, name):
    written = _headings(name)
    assert len(written) >= 8
    result = rendered_report(lid)
    page = result.html.read_text(encoding="utf-8")
    printed = re.findall(r'<h2 id="(sec-[\w-]+)">([^<]*)</h2>', page)
    # every heading the notebook writes, in its order (a commentary adds its own)
    assert [h for h in printed if h[0] != "sec-commentary"] == written
    toc = page[page.index('<nav class="toc"') : page.index("</nav>")]
    assert [t for t in re.findall(r'href="#(sec-[\w-]+)"', toc) if t in dict(written)] == [
        ident for ident, _ in written
    ]
    marks = [
        m.title.split(" ")[-1]
        for m in PdfReader(str(result.pdf)).outline
        if not isinstance(m, list)
    ]
    assert [m for m in marks if m != "评估与建议"] == [title for _, title in written]
