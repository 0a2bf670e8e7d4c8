"""The analyst's own cells in the house style: ``notebook.setup()`` in a report notebook.

After ``setup()`` a cell that shows

- a pandas ``DataFrame`` prints as a report table (:class:`reportlib.document.blocks.Table`: the
  house table style in the HTML, a Typst table in the PDF; a named index becomes a column;
  ``df.attrs["caption"]`` is its caption);
- a matplotlib figure (``plt.subplots()`` … left open at the end of the cell, or
  ``display(fig)``) prints as a vector chart (SVG, text in the report's CJK font, house
  colours and sizes, deterministic), captioned by ``fig.get_label()``, its suptitle or its
  first axes title; :func:`figure` gives one an explicit caption and alt text.

Markdown cells need nothing: they reach the HTML (nbconvert) and the PDF (Pandoc) as they
are. A cell tagged ``remove-cell`` (Jupyter Book's and Quarto's convention) is for the
analyst only: it runs, but neither it nor its output is printed in the report.

Outside IPython (plain Python) ``setup`` only applies the house style.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

import pandas as pd

from reportlib.document.blocks import Table
from reportlib.document.charts import style

if TYPE_CHECKING:
    import matplotlib.figure

__all__ = ["REMOVE_TAG", "figure", "setup", "table"]

#: Tag of notebook cells that stay out of the report.
REMOVE_TAG = "remove-cell"


def table(df: pd.DataFrame, caption: str | None = None) -> Table:
    """``df`` as a report table; a named or non-default index becomes the first column(s)."""
    frame = df
    if not isinstance(df.index, pd.RangeIndex) or any(n is not None for n in df.index.names):
        frame = df.reset_index()
    text = caption if caption is not None else str(df.attrs.get("caption", ""))
    return Table(frame, text)


def figure(fig: matplotlib.figure.Figure, caption: str, alt: str | None = None) -> style.Figure:
    """``fig`` as a report chart with ``caption`` (and ``alt``, default the caption)."""
    return style.figure_from_mpl(fig, caption, alt or caption)


def _figure_caption(fig: matplotlib.figure.Figure) -> str:
    label = str(fig.get_label() or "")
    if not label:
        label = fig.get_suptitle()
    if not label:
        label = next((ax.get_title() for ax in fig.get_axes() if ax.get_title()), "")
    return label or "图"


def _table_bundle(df: pd.DataFrame, include: Any = None, exclude: Any = None) -> Any:
    return table(df)._repr_mimebundle_()


def _figure_bundle(fig: matplotlib.figure.Figure, include: Any = None, exclude: Any = None) -> Any:
    return figure(fig, _figure_caption(fig))._repr_mimebundle_()


def setup(shell: Any = None) -> None:
    """Apply the house chart style; in IPython, show DataFrames and figures as the report does."""
    import matplotlib

    # the report's text width and a chart height, not matplotlib's 6.4 × 4.8 in
    matplotlib.rcParams.update({**style.house_rc(), "figure.figsize": (style.FULL_WIDTH_IN, 3.0)})
    if shell is None:
        from IPython import get_ipython

        shell = get_ipython()
    if shell is None:
        return
    from matplotlib.figure import Figure
    from matplotlib_inline.config import InlineBackend

    # No PNG (or other) rendering of figures next to ours: the inline backend registers its
    # formatters again when pyplot is first imported, from this (now empty) set.
    InlineBackend.instance(parent=shell).figure_formats = set()
    bundles = shell.display_formatter.mimebundle_formatter
    bundles.for_type(pd.DataFrame, _table_bundle)
    bundles.for_type(Figure, _figure_bundle)
