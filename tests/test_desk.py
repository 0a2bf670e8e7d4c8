"""The analyst's desk end to end: one render (HTML + PDF) of huli from a copy of the data
with a commentary, a notebook with the analyst's own cells, and an edited text template.
Also: JupyterLab and the kernel are in the environment; make lists lab and preview.
"""

from __future__ import annotations

import html
import re
import shutil
import subprocess
import sys
from pathlib import Path

import nbformat
import pytest
from nbformat.v4 import new_code_cell, new_markdown_cell
from pypdf import PdfReader

from reportlib import paths
from reportlib.document import wording
from reportlib.render import render_locality

COMMENTARY = """## 总体判断

湖里区已建成人工智能教室[@huli-ai-classrooms]，硬件基础较好，**下一步重在用好**。

- 建议把教室使用情况纳入督导。
"""
ANALYST_CELLS = [
    new_markdown_cell("## 分析员补充\n\n分析员自己写的一段说明文字。"),
    new_code_cell(
        "import pandas as pd\n"
        "df = pd.DataFrame({'学校': ['甲校', '乙校'], '课时': [12, 30]})\n"
        "df.attrs['caption'] = '分析员的课时表'\n"
        "df"
    ),
    new_code_cell(
        "import matplotlib.pyplot as plt\n"
        "fig, ax = plt.subplots(figsize=(4, 2))\n"
        "ax.bar(['甲校', '乙校'], [12, 30])\n"
        "fig.set_label('分析员的课时图')"
    ),
]
NEW_WORDING = "本区答复共作出{{ count }}项承诺，截至{{ as_of }}的状态如下表。\n"
# the 要点's sentence on the national notice, reworded by an analyst (values by name)
NEW_STATUS = (
    "{# 分析员改写 #}\n"
    "国家通知列有{{ tasks }}项任务、{{ safeguards }}项保障措施，"
    "本区有数字支撑的{{ quantified }}项，未涉及的{{ absent }}项。\n"
)


def _squash(text: str) -> str:
    return re.sub(r"\s+", "", text)


def _tree(folder: Path) -> dict[str, int]:
    if not folder.exists():
        return {}
    return {str(p): p.stat().st_mtime_ns for p in folder.rglob("*")}


@pytest.fixture(scope="module")
def desk(tmp_path_factory, real_data):
    root = tmp_path_factory.mktemp("desk")
    data = root / "data"
    shutil.copytree(real_data[0], data)
    (data / "commentary").mkdir(exist_ok=True)
    (data / "commentary" / "huli.md").write_text(COMMENTARY, encoding="utf-8")
    text = root / "text"
    shutil.copytree(paths.templates_dir() / "text", text)
    (text / "commitments" / "intro.txt").write_text(NEW_WORDING, encoding="utf-8")
    (text / "summary" / "status.txt").write_text(NEW_STATUS, encoding="utf-8")
    nb = nbformat.read(str(paths.notebooks_dir() / "locality_report.ipynb"), as_version=4)
    annex = next(i for i, c in enumerate(nb.cells) if c.get("id") == "annex-heading")
    nb.cells[annex:annex] = ANALYST_CELLS  # a section of their own before the annex
    notebook = root / "locality_report.ipynb"
    nbformat.write(nb, str(notebook))
    project = [paths.build_dir(), paths.reports_dir()]
    before = [_tree(p) for p in project]
    with pytest.MonkeyPatch.context() as mp:
        mp.setenv(wording.TEXT_DIR_ENV, str(text))
        result = render_locality(
            "huli",
            data_dir=data,
            sources_dir=real_data[1],
            out_dir=root / "reports",
            build_dir=root / "build",
            notebook=notebook,
            route="builtin",
        )
    after = [_tree(p) for p in project]
    page = html.unescape(result.html.read_text(encoding="utf-8"))
    pdf = _squash("".join(p.extract_text() or "" for p in PdfReader(str(result.pdf)).pages))
    return result, page, pdf, before == after


def test_commentary_and_its_cited_figure_in_the_pdf_and_html(desk) -> None:
    _, page, pdf, _ = desk
    for text in (pdf, _squash(page)):
        assert "评估与建议" in text
        assert "湖里区已建成人工智能教室13间" in text  # [@huli-ai-classrooms] as printed
        assert "下一步重在用好" in text
        assert "建议把教室使用情况纳入督导" in text
    assert "建设了13间人工智能教室" in pdf  # the citation's source note (its quote)
    # after the summary, before the policy section
    assert pdf.index("评估与建议") < pdf.index("政策要求", pdf.index("评估与建议") - 200)


def test_edited_template_wording_in_the_pdf(desk) -> None:
    _, page, pdf, _ = desk
    assert "本区答复共作出" in pdf and "本区答复共作出" in page
    assert "答复中的承诺共" not in pdf


def test_edited_summary_template_wording_in_the_pdf(desk) -> None:
    _, page, pdf, _ = desk
    for text in (pdf, _squash(page)):
        assert re.search(r"国家通知列有\d+项任务、\d+项保障措施，本区有数字支撑的\d+项", text)
    assert "对照国家通知的" not in pdf and "分析员改写" not in pdf


def test_analyst_cells_reach_html_and_pdf_in_house_style(desk) -> None:
    result, page, pdf, _ = desk
    for text in (pdf, _squash(page)):
        assert "分析员补充" in text and "分析员自己写的一段说明文字" in text
        assert "分析员的课时表" in text and "甲校" in text
        assert "分析员的课时图" in text
    # the DataFrame is a report table, the figure an inline SVG chart with its caption
    assert '<div class="table-block"><table><caption>分析员的课时表</caption>' in page
    assert re.search(r'<figure class="chart"><svg[^>]*aria-label="分析员的课时图"', page)
    executed = nbformat.read(str(result.notebook), as_version=4)
    outputs = [o for c in executed.cells if c.cell_type == "code" for o in c.outputs]
    assert not [o for o in outputs if "image/png" in o.get("data", {})]
    figures = list((result.notebook.parent / "figures").glob("*.svg"))
    assert any("font-family" in f.read_text(encoding="utf-8") for f in figures)


def test_remove_cell_notes_stay_out_of_the_report(desk) -> None:
    result, page, pdf, _ = desk
    nb = nbformat.read(str(paths.notebooks_dir() / "locality_report.ipynb"), as_version=4)
    notes = [c for c in nb.cells if "remove-cell" in c.metadata.get("tags", [])]
    assert notes and "DataFrame" in notes[0].source  # the how-to is in the notebook
    assert "Adding your own cells" not in page and "Addingyourowncells" not in pdf


def test_every_section_output_has_html_for_jupyter(desk) -> None:
    """JupyterLab shows text/html (before text/markdown; text/x-typst it ignores)."""
    result, _, _, _ = desk
    executed = nbformat.read(str(result.notebook), as_version=4)
    for cell in executed.cells:
        for out in cell.get("outputs", []):
            if out.output_type in ("display_data", "execute_result"):
                assert "text/html" in out.data, (cell.source[:60], sorted(out.data))


def test_render_with_data_out_build_writes_nothing_into_the_project(desk) -> None:
    assert desk[3], "render_locality(out_dir=…, build_dir=…) wrote into build/ or reports/"


@pytest.mark.usefixtures("real_data")
def test_cli_render_with_data_out_build_writes_nothing_into_the_project(tmp_path) -> None:
    project = [paths.build_dir(), paths.reports_dir()]
    before = [_tree(p) for p in project]
    done = subprocess.run(
        [sys.executable, "-m", "reportlib", "render", "suixi", "--data", str(paths.data_dir())]
        + ["--out", str(tmp_path / "out"), "--build", str(tmp_path / "build")],
        capture_output=True,
        text=True,
        timeout=240,
    )
    assert done.returncode == 0, done.stderr
    assert (tmp_path / "out" / "suixi" / "suixi.pdf").is_file()
    assert [_tree(p) for p in project] == before


def test_jupyterlab_is_installed_and_make_lists_lab_and_preview() -> None:
    done = subprocess.run(
        [sys.executable, "-c", "import jupyterlab, watchfiles, jinja2"], capture_output=True
    )
    assert done.returncode == 0, done.stderr
    make = shutil.which("make")
    if make is None:
        pytest.skip("make is not installed")
    listing = subprocess.run([make, "help"], cwd=paths.PROJECT_ROOT, capture_output=True, text=True)
    assert re.search(r"^\s+lab\s", listing.stdout, re.M)
    assert re.search(r"^\s+preview\s", listing.stdout, re.M)
    dry = subprocess.run(
        [make, "-n", "-B", "lab", "preview", "LOCALITY=huli"],
        cwd=paths.PROJECT_ROOT,
        capture_output=True,
        text=True,
    )
    assert "ipykernel install --sys-prefix --name reportlib" in dry.stdout
    assert "-m jupyterlab --ServerApp.root_dir=notebooks" in dry.stdout
    assert "-m reportlib preview huli" in dry.stdout
