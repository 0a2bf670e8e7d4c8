"""A report's date and the sources it rests on: the default date never depends on today.

``resolve_as_of(ds, as_of, locality)`` is the report date (``as_of`` when given, else the
newest date of the report's sources); ``data_as_of`` the title block's 数据截至;
``report_sources`` the sources a locality's (or a roll-up's, or the overview's) report rests
on. ``OVERVIEW`` (``"all"``) is the pseudo-locality of the overview of every locality.
"""

from __future__ import annotations

from typing import Any

from reportlib.data import dates
from reportlib.data.dataset import Dataset
from reportlib.data.regions import region_ids, subset
from reportlib.data.tables import text
from reportlib.errors import ReportlibError

__all__ = ["OVERVIEW", "data_as_of", "report_sources", "resolve_as_of"]

#: The pseudo-locality that renders the overview of all localities.
OVERVIEW = "all"


def _text(value: Any) -> str:
    return text(value).strip()


def _period_end(partial: str) -> str:
    return dates.period_bounds(partial)[1].isoformat()


def report_sources(ds: Dataset, locality: str | None = None) -> Any:
    """The sources a report rests on: the locality's own reply and the notices that apply.

    ``None`` or :data:`OVERVIEW`: every source; a region: those its roll-up keeps. A
    locality's report never depends on another locality's documents (adding a locality
    must not change its dates).
    """
    src = ds.sources
    if locality is None or locality == OVERVIEW:
        return src
    if locality in region_ids(ds):  # a roll-up: the documents of the localities under it
        return subset(ds, locality).sources
    rows = ds.localities[ds.localities["locality_id"] == locality]
    raw = rows["policy_scopes"].iloc[0] if len(rows) else ""
    # a loaded Dataset holds lists; a raw table the text "national;henan"
    items = raw if isinstance(raw, (list, tuple)) else _text(raw).split(";")
    scopes = {str(s).strip() for s in items if str(s).strip()}
    own = src["locality_id"] == locality
    notices = (src["kind"] != "proposal_reply") & src["scope"].isin(scopes)
    return src[own | notices]


def data_as_of(ds: Dataset, locality: str | None = None) -> str | None:
    """数据截至: the newest date a report's sources were written (``None`` if undated)."""
    written = [_text(v) for v in report_sources(ds, locality)["written_date"] if _text(v)]
    # the newest as the source gives it (a year stays a year), compared by its last day
    return max(written, key=_period_end) if written else None


def resolve_as_of(ds: Dataset, as_of: str | None = None, locality: str | None = None) -> str:
    """The report date as ``YYYY-MM-DD``: ``as_of`` when given, else the newest document date.

    "Newest document date" is the latest date on which one of the report's sources
    (:func:`report_sources`: the locality's reply and the notices that apply to it; every
    source for the overview) was written or published, end of the period for a partial
    date, so the default never depends on today or on other localities.
    """
    if as_of is not None and str(as_of).strip():
        raw = str(as_of).strip()
        try:
            return dates.day(raw).isoformat()
        except ValueError as exc:
            raise ReportlibError(
                f"as_of {raw!r} is not a date; give it as YYYY-MM-DD (e.g. 2025-08-31)"
            ) from exc
    ends = []
    sources = report_sources(ds, locality)
    for column in ("written_date", "published_date"):
        if column in sources:
            ends += [_period_end(_text(v)) for v in sources[column] if _text(v)]
    if not ends:
        raise ReportlibError("sources.csv has no dates; pass as_of=YYYY-MM-DD explicitly")
    return max(ends)
