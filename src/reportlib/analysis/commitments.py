"""What a locality has promised to do, and whether it is open, due or overdue on a date."""

from __future__ import annotations

from datetime import date
from typing import TYPE_CHECKING, Any

import pandas as pd

from reportlib.data import dates
from reportlib.data.tables import blank, locality_position, positions_of, text

if TYPE_CHECKING:
    from reportlib.data.dataset import Dataset


COMMITMENT_STATUSES = ("open", "due", "overdue")


def due_status(due: Any, as_of: date) -> str:
    """A commitment's status on ``as_of``: ``open`` (no due date, or its period not begun),
    ``due`` (``as_of`` within the due period) or ``overdue``."""
    if blank(due):
        return "open"
    start, end = dates.period_bounds(text(due))
    return "overdue" if as_of > end else "due" if as_of >= start else "open"


def commitment_status(ds: Dataset, locality_id: str, as_of: date) -> pd.DataFrame:
    """The locality's commitments plus ``status``: open, due (period contains as_of), overdue."""
    locality_position(ds, locality_id)
    mine = ds.commitments.take(positions_of(ds.commitments, "locality_id", locality_id))
    mine["status"] = [due_status(due, as_of) for due in mine["due"].tolist()]
    return mine.reset_index(drop=True)
