"""The report's sections: one function per section, ``Dataset`` + locality + options → blocks.

Every section starts with its own ``Heading`` (level 2, unnumbered: the templates number
them); every figure carries a note (:mod:`reportlib.document.citations`). All numbers shown
come from :mod:`reportlib.analysis`; nothing here knows a figure.

One module per section of the locality report (``summary``, ``policy``, ``scorecard``,
``key_figures``, ``targets``, ``timeline``, ``peers``, ``data_quality``, ``commitments``,
``method``, ``appendix``, ``annex``; ``report`` lists them in order), the overview's in
``overview``; ``common``, ``labels`` and ``figure_text`` hold what they share. Notebooks
call them from here: ``sections.summary(ds, locality, as_of)``.
"""

from __future__ import annotations

from reportlib.document.citations import cite, quote_anchor, source_label, source_reference
from reportlib.document.sections.annex import (
    annex,
    provenance,
    technical_annex,
    verification_counts,
)
from reportlib.document.sections.appendix import appendix
from reportlib.document.sections.commitments import commitments
from reportlib.document.sections.common import SECTION_TITLES, as_of_date, province_zh
from reportlib.document.sections.data_quality import data_quality
from reportlib.document.sections.figure_text import fact_display, fact_when, normalised_text
from reportlib.document.sections.key_figures import key_figures
from reportlib.document.sections.labels import (
    BASIS_ZH,
    DENOMINATOR_UNIT,
    DENOMINATOR_ZH,
    GENERAL_ZH,
    ITEM_KIND_ZH,
    KIND_ZH,
    LEVEL_ZH,
    LOCALITY_LEVEL_ZH,
    QUALIFIER_ZH,
    SCOPE_CLASS_ZH,
    STATUS_ZH,
)
from reportlib.document.sections.method import method
from reportlib.document.sections.overview import (
    overview_annex,
    overview_appendix,
    overview_commitments,
    overview_data_quality,
    overview_method,
    overview_peers,
    overview_scorecard,
    overview_summary,
)
from reportlib.document.sections.peers import MAX_PEER_PANELS, peers
from reportlib.document.sections.policy import policy
from reportlib.document.sections.report import LOCALITY_SECTIONS
from reportlib.document.sections.scorecard import scorecard
from reportlib.document.sections.summary import summary
from reportlib.document.sections.targets import targets
from reportlib.document.sections.timeline import timeline

__all__ = [
    "BASIS_ZH",
    "DENOMINATOR_UNIT",
    "DENOMINATOR_ZH",
    "GENERAL_ZH",
    "ITEM_KIND_ZH",
    "KIND_ZH",
    "LEVEL_ZH",
    "LOCALITY_LEVEL_ZH",
    "LOCALITY_SECTIONS",
    "MAX_PEER_PANELS",
    "QUALIFIER_ZH",
    "SCOPE_CLASS_ZH",
    "SECTION_TITLES",
    "STATUS_ZH",
    "annex",
    "appendix",
    "as_of_date",
    "cite",
    "commitments",
    "data_quality",
    "fact_display",
    "fact_when",
    "key_figures",
    "method",
    "normalised_text",
    "overview_annex",
    "overview_appendix",
    "overview_commitments",
    "overview_data_quality",
    "overview_method",
    "overview_peers",
    "overview_scorecard",
    "overview_summary",
    "peers",
    "policy",
    "provenance",
    "province_zh",
    "quote_anchor",
    "scorecard",
    "source_label",
    "source_reference",
    "summary",
    "targets",
    "technical_annex",
    "timeline",
    "verification_counts",
]
