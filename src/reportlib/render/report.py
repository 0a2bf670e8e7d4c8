"""Render one report: execute the notebook, then HTML and PDF by the chosen route.

:func:`render_locality` checks the locality against the data, executes its notebook
(:mod:`reportlib.render.execute`), then writes the HTML and PDF by the built-in route
(:mod:`~reportlib.render.html`, :mod:`~reportlib.render.pdf`) or Quarto's
(:mod:`~reportlib.render.quarto`). Both files are written to temporary names in the target
folder and moved into place only once both exist: a failed render leaves the previous report
untouched.
"""

from __future__ import annotations

import os
import shutil
import tempfile
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import nbformat

from reportlib import paths
from reportlib.analysis.report_date import OVERVIEW, resolve_as_of
from reportlib.data.dataset import Dataset
from reportlib.data.regions import region_ids, subset
from reportlib.errors import ReportlibError, ToolMissingError
from reportlib.paths import clean_stale_temps, temp_prefix
from reportlib.render.execute import execute
from reportlib.render.fonts import FontInfo, find_cjk_font
from reportlib.render.html import html_from_notebook
from reportlib.render.pdf import markdown_from_notebook, pdf_from_markdown
from reportlib.render.provenance import build_stamp, report_provenance, with_provenance
from reportlib.render.quarto import quarto_route
from reportlib.render.title import TitleInfo, title_info

__all__ = ["ROUTES", "RenderResult", "render_locality"]

ROUTES = ("auto", "builtin", "quarto")

_FILE_MODE = 0o644


@dataclass(frozen=True)
class RenderResult:
    """Where a render put its files, and which route made them."""

    locality: str
    html: Path
    pdf: Path
    notebook: Path
    route: str


def _temp_in(folder: Path, name: str) -> Path:
    folder.mkdir(parents=True, exist_ok=True)
    fd, tmp = tempfile.mkstemp(prefix=temp_prefix(name), suffix=".tmp", dir=folder)
    os.close(fd)
    os.chmod(tmp, _FILE_MODE)  # mkstemp makes 0600; reports are meant to be shared
    return Path(tmp)


def _choose_route(route: str) -> tuple[str, str | None]:
    if route not in ROUTES:
        raise ReportlibError(f"route must be one of {', '.join(ROUTES)}, not {route!r}")
    quarto = shutil.which("quarto")
    if route == "quarto" and quarto is None:
        raise ToolMissingError(
            "route 'quarto' needs the quarto executable on PATH; install it from "
            "https://quarto.org/docs/get-started/ (or conda-forge), or use route='builtin'"
        )
    if route == "auto":
        route = "quarto" if quarto else "builtin"
    return route, quarto


def render_locality(
    locality: str,
    data_dir: str | os.PathLike[str] | None = None,
    sources_dir: str | os.PathLike[str] | None = None,
    out_dir: str | os.PathLike[str] | None = None,
    build_dir: str | os.PathLike[str] | None = None,
    as_of: str | None = None,
    route: str = "auto",
    engine: str = "inprocess",
    notebook: str | os.PathLike[str] | None = None,
) -> RenderResult:
    """Render one locality's report (or ``"all"``: the overview) to HTML and PDF.

    Validates ``locality`` against the data before writing anything; a failing notebook
    cell raises :class:`NotebookCellError` and leaves the previous report untouched.
    """
    from reportlib.data import dataset as facts

    ds = facts.load(data_dir, sources_dir)
    nb_path = _notebook_for(ds, locality, notebook)
    route, quarto = _choose_route(route)
    day = resolve_as_of(ds, as_of, locality)
    title = title_info(ds, locality, day)
    font = find_cjk_font()

    work = paths.build_dir(build_dir) / locality
    target = paths.reports_dir(out_dir) / locality
    executed = work / f"{locality}.ipynb"
    for folder in (target, work, work / "figures"):
        clean_stale_temps(folder)
    params = _parameters(ds, locality, day)
    nb = execute(nb_path.resolve(), executed, params, engine=engine)
    stamp = build_stamp(ds, route)
    record = report_provenance(ds, locality, route, day, font)
    made = _Made(nb, executed, title, stamp, font, record)
    html_out, pdf_out = _write_outputs(made, target, locality, route, quarto)
    return RenderResult(locality, html_out, pdf_out, executed, route)


def _notebook_for(ds: Dataset, locality: str, notebook: str | os.PathLike[str] | None) -> Path:
    """The notebook that renders ``locality``; an unknown locality fails before any write."""
    if locality == OVERVIEW:
        nb_path = Path(notebook) if notebook else paths.notebooks_dir() / "overview_report.ipynb"
        if not nb_path.exists():
            raise ReportlibError(
                f"the overview notebook {nb_path} does not exist yet; render one locality "
                f"({', '.join(ds.locality_ids())}) instead"
            )
    elif locality in region_ids(ds):  # a province or city: the overview of what lies under it
        subset(ds, locality)  # no locality under it: an error before any write
        nb_path = Path(notebook) if notebook else paths.notebooks_dir() / "overview_report.ipynb"
    else:
        ds.locality(locality)  # UnknownLocalityError listing the known ids, before any write
        nb_path = Path(notebook) if notebook else paths.notebooks_dir() / "locality_report.ipynb"
    if not nb_path.exists():
        raise ReportlibError(f"notebook {nb_path} does not exist; pass an existing notebook")
    return nb_path


def _parameters(ds: Dataset, locality: str, day: str) -> dict[str, str]:
    """The notebook's parameters (papermill injects them)."""
    params = {"as_of": day, "data_dir": str(ds.data_dir), "sources_dir": str(ds.sources_dir)}
    if locality in region_ids(ds):  # the overview notebook's roll-up parameter
        params = {"scope": locality, **params}
    elif locality != OVERVIEW:  # the overview notebook has no locality parameter
        params = {"locality": locality, **params}
    return params


@dataclass(frozen=True)
class _Made:
    """What both routes make a report from: the executed notebook and what frames it."""

    nb: nbformat.NotebookNode
    executed: Path
    title: TitleInfo
    stamp: str
    font: FontInfo
    record: dict[str, Any]


def _write_outputs(
    made: _Made, target: Path, locality: str, route: str, quarto: str | None
) -> tuple[Path, Path]:
    """Write the HTML and PDF to temporary files, then move both into place."""
    html_tmp = _temp_in(target, f"{locality}.html")
    pdf_tmp = _temp_in(target, f"{locality}.pdf")
    try:
        if route == "quarto":
            assert quarto is not None
            quarto_route(
                made.executed, html_tmp, pdf_tmp, made.title, made.stamp, quarto, made.font
            )
            html_tmp.write_text(with_provenance(html_tmp.read_text("utf-8"), made.record), "utf-8")
        else:
            _builtin_route(made, html_tmp, pdf_tmp, locality)
        html_out, pdf_out = target / f"{locality}.html", target / f"{locality}.pdf"
        os.replace(html_tmp, html_out)
        os.replace(pdf_tmp, pdf_out)
    finally:
        html_tmp.unlink(missing_ok=True)
        pdf_tmp.unlink(missing_ok=True)
    return html_out, pdf_out


def _builtin_route(made: _Made, html_tmp: Path, pdf_tmp: Path, locality: str) -> None:
    """nbconvert for the HTML; Markdown → Pandoc → typst for the PDF, on a second thread."""
    from concurrent.futures import ThreadPoolExecutor

    work = made.executed.parent
    markdown = markdown_from_notebook(made.nb, work / "figures")
    paths.atomic_write(work / f"{locality}.md", markdown.encode("utf-8"))
    # pandoc is a subprocess and typst releases the GIL: the PDF is made on the second
    # core while the HTML's font is subset here (~0.5-1 s less per report).
    with ThreadPoolExecutor(max_workers=1) as pool:
        pdf = pool.submit(
            pdf_from_markdown, markdown, made.title, made.stamp, work, made.font, made.record
        )
        page = with_provenance(
            html_from_notebook(made.nb, made.title, made.stamp, made.font), made.record
        )
        html_tmp.write_text(page, encoding="utf-8")
        pdf_tmp.write_bytes(pdf.result())
