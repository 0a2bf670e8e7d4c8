"""End to end: render huli (HTML + PDF) into temp folders and check what a reader gets.

Renders: huli once per session (``rendered_report``, shared with other modules), one repeat
for byte identity, one with a data copy whose quote is hostile text. The failing-cell test
stops at the bad cell.
"""

from __future__ import annotations

import re
import shutil
from pathlib import Path

import nbformat
import pandas as pd
import pytest
from fontTools.ttLib import TTFont
from nbformat.v4 import new_code_cell, new_notebook
from pypdf import PdfReader

from reportlib.data import dataset
from reportlib.errors import NotebookCellError, UnknownLocalityError
from reportlib.render import render_locality
from reportlib.render.fonts import find_cjk_font

NASTY = '<script>alert(1)</script> #panic("x") $x$ *a* @ref'
SVG_NAMESPACES = {"http://www.w3.org/2000/svg", "http://www.w3.org/1999/xlink"}


def _pdf_text(path: Path) -> str:
    return "".join(page.extract_text() or "" for page in PdfReader(str(path)).pages)


def _squash(text: str) -> str:
    return re.sub(r"\s+", "", text)


@pytest.fixture(scope="module")
def huli(rendered_report):
    result = rendered_report("huli")  # the session's render, shared with other modules
    return result, result.html.parents[2]


def test_outputs_where_the_contract_says(huli) -> None:
    result, root = huli
    assert result.html == root / "reports" / "huli" / "huli.html"
    assert result.pdf == root / "reports" / "huli" / "huli.pdf"
    assert result.notebook == root / "build" / "huli" / "huli.ipynb"
    assert result.route in ("builtin", "quarto")
    executed = nbformat.read(str(result.notebook), as_version=4)
    assert executed.metadata["papermill"]["parameters"]["locality"] == "huli"
    assert not [p for p in result.html.parent.iterdir() if p.name.startswith(".")]


def test_pdf_has_locality_and_a_fact_value_from_the_data(huli, real_data) -> None:
    result, _ = huli
    ds = dataset.load(*real_data)
    values = ds.facts.loc[ds.facts["locality_id"] == "huli", "value_text"].dropna()
    value_text = str(values.iloc[0])
    text = _squash(_pdf_text(result.pdf))
    assert "湖里区" in text
    assert _squash(value_text) in text
    assert ds.data_hash in text  # the stamp


def test_pdf_embeds_the_cjk_font(huli) -> None:
    result, _ = huli
    font = find_cjk_font()
    ps_name = TTFont(str(font.path), fontNumber=font.font_number, lazy=True)["name"].getDebugName(6)
    embedded = set()
    for page in PdfReader(str(result.pdf)).pages:
        for f in (page.get("/Resources", {}).get("/Font") or {}).values():
            f = f.get_object()
            embedded.add(str(f.get("/BaseFont")))
            for desc in f.get("/DescendantFonts") or []:
                d = desc.get_object().get("/FontDescriptor", {})
                if d and any(k in d for k in ("/FontFile", "/FontFile2", "/FontFile3")):
                    embedded.add(str(d.get("/FontName")))
    assert any(ps_name in name for name in embedded), embedded


def test_html_is_self_contained(huli) -> None:
    result, _ = huli
    html = result.html.read_text(encoding="utf-8")
    urls = set(re.findall(r"https?://[^\s\"'<>)]+", html))
    assert urls <= SVG_NAMESPACES, urls - SVG_NAMESPACES
    assert "<script" not in html.lower()
    assert "<link" not in html.lower()
    assert "@font-face" in html and "data:font/otf;base64," in html
    assert "湖里区" in html
    assert 'class="toc"' in html and "<h2" in html


def test_second_build_is_byte_identical(huli) -> None:
    result, root = huli
    before = result.html.read_bytes(), result.pdf.read_bytes()
    again = render_locality("huli", out_dir=root / "reports", build_dir=root / "build")
    assert (again.html.read_bytes(), again.pdf.read_bytes()) == before


@pytest.mark.usefixtures("real_data")
def test_unknown_locality_lists_known_ones_and_writes_nothing(tmp_path) -> None:
    with pytest.raises(UnknownLocalityError) as info:
        render_locality("atlantis", out_dir=tmp_path / "reports", build_dir=tmp_path / "build")
    for known in ("huli", "sanmenxia", "suixi"):
        assert known in str(info.value)
    assert list(tmp_path.iterdir()) == []


@pytest.mark.usefixtures("real_data")
def test_failing_cell_names_the_cell_keeps_notebook_and_previous_report(tmp_path) -> None:
    nb = new_notebook(
        cells=[
            new_code_cell('locality = "huli"', metadata={"tags": ["parameters"]}),
            new_code_cell("x = 1"),
            new_code_cell("1/0"),
        ],
        metadata={"kernelspec": {"name": "python3", "display_name": "Python 3"}},
    )
    bad = tmp_path / "bad.ipynb"
    nbformat.write(nb, str(bad))
    previous = tmp_path / "reports" / "huli"
    previous.mkdir(parents=True)
    (previous / "huli.html").write_text("previous good report")
    (previous / "huli.pdf").write_bytes(b"%PDF previous")
    with pytest.raises(NotebookCellError) as info:
        render_locality(
            "huli",
            out_dir=tmp_path / "reports",
            build_dir=tmp_path / "build",
            notebook=bad,
            engine="kernel",
        )
    err = info.value
    assert err.ename == "ZeroDivisionError"
    assert "1/0" in str(err) and f"cell {err.cell_index}" in str(err)
    assert err.kept.exists()
    assert err.cell_index == 2  # as in the notebook the analyst edits
    kept = nbformat.read(str(err.kept), as_version=4)
    failed = [c for c in kept.cells if any(o.output_type == "error" for o in c.get("outputs", []))]
    assert [c.source for c in failed] == ["1/0"]
    assert (previous / "huli.html").read_text() == "previous good report"
    assert (previous / "huli.pdf").read_bytes() == b"%PDF previous"
    assert sorted(p.name for p in previous.iterdir()) == ["huli.html", "huli.pdf"]


@pytest.fixture()
def nasty_data(tmp_path, real_data) -> Path:
    """A data copy where one huli fact's quote is hostile text (its source made unverified)."""
    data = tmp_path / "data"
    shutil.copytree(real_data[0], data)
    read = {"dtype": str, "keep_default_na": False}
    fact_rows = pd.read_csv(data / "facts.csv", **read)
    i = fact_rows.index[(fact_rows.locality_id == "huli") & (fact_rows.value_text != "")][0]
    fact_rows.loc[i, "quote"] = f"{NASTY} {fact_rows.loc[i, 'value_text']}"
    fact_rows.to_csv(data / "facts.csv", index=False)
    sources = pd.read_csv(data / "sources.csv", **read)
    sources.loc[sources.source_id == fact_rows.loc[i, "source_id"], "text_file"] = ""
    sources.to_csv(data / "sources.csv", index=False)
    return data


def test_hostile_quote_renders_literally_in_html_and_pdf(nasty_data, tmp_path) -> None:
    result = render_locality(
        "huli", data_dir=nasty_data, out_dir=tmp_path / "reports", build_dir=tmp_path / "build"
    )
    html = result.html.read_text(encoding="utf-8")
    assert "<script>" not in html
    # text nodes may keep '"' unescaped (the exporter re-serialises the page): both are literal
    assert '&lt;script&gt;alert(1)&lt;/script&gt; #panic("x") $x$ *a* @ref' in html.replace(
        "&quot;", '"'
    )
    pdf = _squash(_pdf_text(result.pdf))
    for token in ("<script>alert(1)</script>", '#panic("x")', "$x$", "*a*", "@ref"):
        assert token in pdf, token


def test_html_font_covers_every_chart_label(huli) -> None:
    import base64
    import html as html_lib
    import io

    from fontTools.ttLib import TTFont

    result, _ = huli
    page = result.html.read_text(encoding="utf-8")
    data = re.search(r"data:font/otf;base64,([A-Za-z0-9+/=]+)", page).group(1)
    cmap = set(TTFont(io.BytesIO(base64.b64decode(data))).getBestCmap())
    labels = "".join(html_lib.unescape(t) for t in re.findall(r"<text\b[^>]*>([^<]*)</text>", page))
    assert "湖里区" in labels  # chart labels are SVG text, not glyph paths
    missing = {c for c in labels if not c.isspace() and ord(c) not in cmap}
    assert not missing, missing
