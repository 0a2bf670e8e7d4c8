"""What the reports compute: coverage, implied denominators, consistency, targets, commitments.

Every function is a pure function of a ``Dataset`` and returns plain DataFrames or dicts; no
figure from a source lives here. One module per question (``coverage``, ``denominators``,
``normalise``, ``comparison``, ``targets``, ``commitments``, ``timeline``, ``headlines``,
``framework``, ``report_date``; ``overview`` across all localities); this package re-exports
their public functions, so ``from reportlib import analysis as an; an.coverage(ds, "huli")``
works.
Reading rows and cells is the data layer's (``data.tables``), how figures and dates read
in Chinese the document layer's (``document.display``).
"""

from reportlib.analysis.commitments import COMMITMENT_STATUSES, commitment_status, due_status
from reportlib.analysis.comparison import (
    COMPARABILITY,
    peer_candidates,
    peer_localities,
    peers_table,
    scope_class,
)
from reportlib.analysis.coverage import (
    EVIDENCE_LEVELS,
    ONE_OFF_BASES,
    ai_specific_indicators,
    coverage,
    coverage_counts,
    coverage_matrix,
    coverage_rows,
)
from reportlib.analysis.denominators import (
    DENOMINATORS,
    consistency_checks,
    denominator_estimates,
    implied_denominators,
    inconsistencies,
    known_denominators,
    printed_interval,
    whole_count,
)
from reportlib.analysis.framework import national_items, national_tasks_of
from reportlib.analysis.headlines import headline_figures
from reportlib.analysis.normalise import normalise
from reportlib.analysis.report_date import OVERVIEW, data_as_of, report_sources, resolve_as_of
from reportlib.analysis.targets import (
    applicable_targets,
    programme_facts,
    provincial_sources,
    target_progress,
)
from reportlib.analysis.timeline import timeline_events

__all__ = [
    "COMMITMENT_STATUSES",
    "COMPARABILITY",
    "DENOMINATORS",
    "EVIDENCE_LEVELS",
    "ONE_OFF_BASES",
    "OVERVIEW",
    "ai_specific_indicators",
    "applicable_targets",
    "commitment_status",
    "consistency_checks",
    "coverage",
    "coverage_counts",
    "coverage_matrix",
    "coverage_rows",
    "data_as_of",
    "denominator_estimates",
    "due_status",
    "headline_figures",
    "implied_denominators",
    "inconsistencies",
    "known_denominators",
    "national_items",
    "national_tasks_of",
    "normalise",
    "peer_candidates",
    "peer_localities",
    "peers_table",
    "printed_interval",
    "programme_facts",
    "provincial_sources",
    "report_sources",
    "resolve_as_of",
    "scope_class",
    "target_progress",
    "timeline_events",
    "whole_count",
]
