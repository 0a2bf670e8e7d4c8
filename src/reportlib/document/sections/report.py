"""A locality report's sections, in order."""

from __future__ import annotations

from reportlib.document.sections.annex import annex
from reportlib.document.sections.appendix import appendix
from reportlib.document.sections.commitments import commitments
from reportlib.document.sections.data_quality import data_quality
from reportlib.document.sections.key_figures import key_figures
from reportlib.document.sections.method import method
from reportlib.document.sections.peers import peers
from reportlib.document.sections.policy import policy
from reportlib.document.sections.scorecard import scorecard
from reportlib.document.sections.summary import summary
from reportlib.document.sections.targets import targets
from reportlib.document.sections.timeline import timeline

#: The locality report's sections, in report order.
LOCALITY_SECTIONS = (
    summary,
    policy,
    scorecard,
    key_figures,
    targets,
    timeline,
    peers,
    data_quality,
    commitments,
    method,
    appendix,
    annex,
)
