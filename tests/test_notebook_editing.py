"""An analyst edits a copy of the locality notebook and the report follows (issue #17 item 1).

One render of huli from an edited copy of ``locality_report.ipynb`` through the command line
(``reportlib render huli --notebook FILE``): the 时间线 and 同类比较 sections swapped (heading
cells with their code cells), a Markdown paragraph of the analyst's own added, and an option
passed to one section (``max_peers=0``: no other locality compared). The PDF and the HTML
show the new order, the paragraph and the option's effect; the committed notebook is not
touched.
"""

from __future__ import annotations

import html
import re
from pathlib import Path

import nbformat
import pytest
from nbformat.v4 import new_markdown_cell
from pypdf import PdfReader

from reportlib import paths
from reportlib.cli import main
from reportlib.document.wording import say

PARAGRAPH = "分析员在此说明：同类比较一节移到时间线之前，本段为手写说明。"


def _squash(text: str) -> str:
    return re.sub(r"\s+", "", text)


def _section(nb: nbformat.NotebookNode, key: str) -> list[nbformat.NotebookNode]:
    """A section's cells: its Markdown heading cell and the code cells up to the next heading."""
    start = next(i for i, c in enumerate(nb.cells) if c.get("id") == f"{key}-heading")
    end = start + 1
    while end < len(nb.cells) and nb.cells[end].cell_type == "code":
        end += 1
    return nb.cells[start:end]


def _edited(target: Path) -> Path:
    nb = nbformat.read(str(paths.notebooks_dir() / "locality_report.ipynb"), as_version=4)
    timeline, peers = _section(nb, "timeline"), _section(nb, "peers")
    call = next(c for c in peers if "sections.peers(" in c.source)
    assert "max_peers=" in call.source
    call.source = re.sub(r"max_peers=\d+", "max_peers=0", call.source)
    at = nb.cells.index(timeline[0])
    rest = [c for c in nb.cells if c not in (*timeline, *peers)]
    note = new_markdown_cell(PARAGRAPH)
    # one cell per table: the timeline's table is left out, its chart kept
    timeline = [c for c in timeline if c.source.strip() != 'show(timeline, "tbl-timeline")']
    nb.cells = [*rest[:at], *peers, note, *timeline, *rest[at:]]
    nbformat.write(nb, str(target))
    return target


@pytest.fixture(scope="module")
def edited_report(tmp_path_factory, real_data):
    root = tmp_path_factory.mktemp("editing")
    notebook = _edited(root / "my_report.ipynb")
    committed = (paths.notebooks_dir() / "locality_report.ipynb").read_bytes()
    args = ["render", "huli", "--notebook", str(notebook), "--route", "builtin"]
    args += ["--data", str(real_data[0]), "--sources", str(real_data[1])]
    args += ["--out", str(root / "reports"), "--build", str(root / "build")]
    assert main(args) == 0
    assert (paths.notebooks_dir() / "locality_report.ipynb").read_bytes() == committed
    reader = PdfReader(str(root / "reports" / "huli" / "huli.pdf"))
    page = html.unescape((root / "reports" / "huli" / "huli.html").read_text(encoding="utf-8"))
    return reader, page


def _outline(items) -> list[str]:
    """The PDF's bookmarks (Typst makes one per heading), flattened, in order, without
    their section numbers."""
    out: list[str] = []
    for item in items:
        out += _outline(item) if isinstance(item, list) else [item.title.split(" ")[-1]]
    return out


def test_sections_print_in_the_notebooks_new_order(edited_report) -> None:
    reader, page = edited_report
    marks = _outline(reader.outline)
    assert marks.index("同类比较") < marks.index("时间线")
    assert marks.index("目标进展") < marks.index("同类比较")
    assert marks.index("时间线") < marks.index("数据质量")
    headings = re.findall(r'<h2 id="(sec-[\w-]+)">', page)
    assert headings.index("sec-peers") + 1 == headings.index("sec-timeline")
    # the table of contents follows the notebook too
    toc = page[page.index('<nav class="toc"') : page.index("</nav>")]
    assert toc.index("同类比较") < toc.index("时间线")


def test_analysts_paragraph_prints_where_it_stands(edited_report) -> None:
    reader, page = edited_report
    text = _squash("".join(p.extract_text() or "" for p in reader.pages))
    body = text[text.rindex("同类比较", 0, text.index(_squash(PARAGRAPH))) :]
    assert body.index(_squash(PARAGRAPH)) < body.index("时间线")
    main_part = page[page.index("<main>") :]
    where = main_part.index(PARAGRAPH)
    assert main_part.index('id="sec-peers"') < where < main_part.index('id="sec-timeline"')


def test_option_passed_to_a_section_shows_its_effect(edited_report, real_data) -> None:
    reader, page = edited_report
    text = _squash("".join(p.extract_text() or "" for p in reader.pages))
    from reportlib import analysis as an
    from reportlib.data import dataset

    ds = dataset.load(*real_data)
    total = len(an.peer_candidates(ds, "huli"))
    sentence = _squash(say("peers/not_shown.txt", total=total))
    assert sentence in text and sentence in _squash(page)
    # max_peers=0: no comparison printed (the default report compares huli with its peers)
    assert _squash(say("peers/rule.txt")) not in text
    assert "同名但不可直接比较的数字" not in text


def test_markdown_heading_with_an_id_prints_as_the_sections_heading_block() -> None:
    from nbformat.v4 import new_code_cell, new_notebook, new_output

    from reportlib.document.blocks import Heading
    from reportlib.document.outline import report_cells

    block = Heading("同类比较", level=2, id="sec-peers")
    as_block = new_code_cell(
        "", outputs=[new_output("display_data", data=block._repr_mimebundle_())]
    )
    written = new_markdown_cell("前言。\n\n## 同类比较 {#sec-peers}\n\n分析员的话。")
    kept = new_markdown_cell("## 普通标题\n\n```\n## 代码 {#sec-code}\n```")
    note = new_markdown_cell("## 备忘 {#sec-note}", metadata={"tags": ["remove-cell"]})
    cells = report_cells(new_notebook(cells=[written, kept, note])).cells
    assert [c.cell_type for c in cells] == ["markdown", "code", "markdown", "markdown"]
    assert cells[0].source == "前言。" and cells[2].source == "分析员的话。"
    shown = cells[1].outputs[0].data
    for mime, text in as_block.outputs[0].data.items():
        assert shown[mime] == text
    assert cells[3].source == kept.source  # no id, or inside a code fence: Markdown as written


@pytest.mark.usefixtures("real_data")
def test_the_peers_chart_caption_is_an_option(tmp_path: Path) -> None:
    """``caption=`` in the notebook's peers cell names the chart; an empty one is refused."""
    from reportlib.data import dataset as facts
    from reportlib.data.synthetic import make_synthetic
    from reportlib.document import sections
    from reportlib.document.charts.style import Figure
    from reportlib.errors import ReportlibError

    ds = facts.load(make_synthetic(tmp_path / "data", 9))
    blocks = sections.peers(ds, "huli", "2025-08-31", max_peers=3, caption="试点校与投入比较")
    captions = [b.caption for b in blocks if isinstance(b, Figure)]
    assert captions and captions[0].startswith("试点校与投入比较")
    with pytest.raises(ReportlibError, match="caption"):
        sections.peers(ds, "huli", "2025-08-31", caption=" ")


def test_a_tables_cell_deleted_leaves_the_table_out(edited_report) -> None:
    reader, page = edited_report
    text = _squash("".join(p.extract_text() or "" for p in reader.pages))
    assert "时间线事件" not in text and 'id="tbl-timeline"' not in page
    assert "<figcaption>厦门市湖里区时间线</figcaption>" in page  # its chart kept


def test_a_section_shows_part_by_part_in_its_order() -> None:
    import pandas as pd

    from reportlib.document.blocks import BlockList, Paragraph, Table
    from reportlib.document.outline import parts, show
    from reportlib.errors import ReportlibError

    table = Table(pd.DataFrame({"a": [1]}), "表一", id="tbl-one")
    later = Table(pd.DataFrame({"b": [2]}), "表二", id="tbl-two")
    blocks = BlockList(
        [Paragraph("引言"), table, Paragraph("表二的说明"), later, Paragraph("结语")]
    )
    cut = parts(blocks)
    assert [name for name, _ in cut] == ["text", "tbl-one", "tbl-two"]
    assert [id(b) for _, items in cut for b in items] == [id(b) for b in blocks]
    assert [id(b) for b in cut[2][1]] == [id(b) for b in list(blocks)[2:]]
    assert parts(BlockList([Paragraph("只有文字")]))[0][0] == "text"
    with pytest.raises(ReportlibError, match="tbl-one, tbl-two"):
        show(blocks, "tabel")
