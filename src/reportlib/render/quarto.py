"""The Quarto route: when a ``quarto`` executable is on PATH, Quarto renders the executed
notebook to self-contained HTML and to Typst/PDF; the HTML gets the built-in route's CJK font.
"""

from __future__ import annotations

import shutil
import subprocess
from pathlib import Path

import nbformat

from reportlib import paths
from reportlib.errors import RenderError
from reportlib.render.execute import report_cells
from reportlib.render.fonts import FontInfo
from reportlib.render.html import embed_cjk_font
from reportlib.render.title import TitleInfo

__all__ = ["quarto_route"]


def quarto_route(
    executed: Path,
    html_tmp: Path,
    pdf_tmp: Path,
    title: TitleInfo,
    stamp: str,
    quarto: str,
    font: FontInfo,
) -> None:
    """Render the executed notebook with Quarto to HTML and to Typst/PDF."""
    from reportlib.document.blocks import escape_markdown

    work = executed.parent
    # Quarto renders the notebook as it is: append the stamp as a last Markdown cell
    nb = report_cells(nbformat.read(str(executed), as_version=4))
    nb.cells.append(nbformat.v4.new_markdown_cell(escape_markdown(stamp), id="reportlib-stamp"))
    source = work / f"{executed.stem}.quarto.ipynb"
    paths.atomic_write(source, nbformat.writes(nb).encode("utf-8"))
    common = ["--no-execute", "-M", f"title:{title.title}", "-M", "number-sections:true"]
    common += ["-M", "toc:true", "-M", "lang:zh"]
    jobs = [
        (["--to", "html", "-M", "embed-resources:true"], f"{executed.stem}.quarto.html", html_tmp),
        (
            ["--to", "typst", "-M", f"mainfont:{font.family}"]
            + ["-M", f"font-paths:{font.path.parent}"],
            f"{executed.stem}.quarto.pdf",
            pdf_tmp,
        ),
    ]
    for extra, name, target in jobs:
        cmd = [quarto, "render", source.name, *extra, *common, "--output", name]
        proc = subprocess.run(cmd, cwd=work, capture_output=True, text=True)
        if proc.returncode != 0 or not (work / name).exists():
            raise RenderError(
                f"quarto failed ({' '.join(cmd)}), exit {proc.returncode}:\n{proc.stderr[-2000:]}"
            )
        shutil.copyfile(work / name, target)
    # Quarto's HTML relies on the reader's fonts: give it the CJK subset the built-in route
    # embeds, for the text and for the charts' SVG labels.
    html_tmp.write_text(embed_cjk_font(html_tmp.read_text(encoding="utf-8"), font), "utf-8")
