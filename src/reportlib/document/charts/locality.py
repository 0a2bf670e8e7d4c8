"""A locality report's charts, in the house style of :mod:`reportlib.document.charts.style`.

Each function takes an analysis DataFrame and returns a :class:`~.style.Figure` (SVG +
caption + alt text) holding two drawings: one at print width, one for a phone. Each chart
is a module of its own (:mod:`.scorecard`, :mod:`.progress`, :mod:`.timeline`,
:mod:`.peers`); they measure their labels and fix their margins first (:mod:`.layout`), so
savefig draws once. Labels are Chinese; no figure from a source is written here.
"""

from __future__ import annotations

from reportlib.document.charts.peers import peers_bars
from reportlib.document.charts.progress import progress_bars
from reportlib.document.charts.scorecard import LEVEL_STYLE, scorecard_matrix, scorecard_strip
from reportlib.document.charts.timeline import timeline_chart

__all__ = [
    "LEVEL_STYLE",
    "peers_bars",
    "progress_bars",
    "scorecard_matrix",
    "scorecard_strip",
    "timeline_chart",
]
