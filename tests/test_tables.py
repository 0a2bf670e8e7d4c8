"""data/tables.py: rows read as ``itertuples`` reads them, and the per-section lookups."""

from __future__ import annotations

import math
from types import SimpleNamespace

import pandas as pd
import pytest

from reportlib.data import tables
from reportlib.errors import UnknownLocalityError


def test_positions_of_and_records_read_rows_as_itertuples_does() -> None:
    frame = pd.DataFrame(
        {
            "id": ["a", "b", "c", "d"],
            "loc": pd.array(["x", None, "x", "y"], dtype="str"),
            "value": [1.5, 2.0, math.nan, 4.0],
            "flag": [True, False, True, False],
        }
    )
    at = tables.positions_of(frame, "loc", "x")
    assert at.tolist() == [0, 2]
    rows = tables.records(frame, at)
    assert [r["id"] for r in rows] == ["a", "c"]
    assert rows[0] == {"id": "a", "loc": "x", "value": 1.5, "flag": True}
    assert math.isnan(rows[1]["value"])
    assert type(rows[0]["flag"]) is bool and type(rows[0]["value"]) is float
    whole = [tuple(r.values()) for r in tables.records(frame)]
    assert whole[0] == next(frame.itertuples(index=False, name=None))
    # columns: only those asked for (and present), in that order
    assert tables.records(frame, [3], ["value", "id", "missing"]) == [{"value": 4.0, "id": "d"}]


def test_positions_of_a_column_with_pd_na() -> None:
    frame = pd.DataFrame({"loc": pd.array(["x", pd.NA, "x"], dtype="string")})
    assert tables.positions_of(frame, "loc", "x").tolist() == [0, 2]
    assert tables.positions_of(frame, "loc", "z").tolist() == []


def test_shared_lookups_hold_within_a_block_only() -> None:
    facts = pd.DataFrame({"locality_id": ["a", "b", "a"], "fact_id": ["f1", "f2", "f3"]})
    with tables.shared_lookups():
        assert tables.positions_of(facts, "locality_id", "a").tolist() == [0, 2]
        # inside a block a table is not expected to change: its rows are not looked up again
        facts.loc[1, "locality_id"] = "a"
        assert tables.positions_of(facts, "locality_id", "a").tolist() == [0, 2]
        with tables.shared_lookups():  # nested: still the outer block's lookups
            assert tables.positions_of(facts, "locality_id", "a").tolist() == [0, 2]
        # a new table object is looked up afresh
        doubled = pd.concat([facts, facts], ignore_index=True)
        assert tables.positions_of(doubled, "locality_id", "a").tolist() == [0, 1, 2, 3, 4, 5]
        by = tables.positions_by(doubled, "locality_id", ["a", "b"])
        assert by["b"].tolist() == []
    # after the block the table changed in place is read again
    assert tables.positions_of(facts, "locality_id", "a").tolist() == [0, 1, 2]
    # positions handed out may be shared: nobody may change them
    with pytest.raises(ValueError, match="read-only"):
        tables.positions_of(facts, "locality_id", "a")[0] = 9


def test_cells_not_given_read_as_empty() -> None:
    for value in (None, math.nan, pd.NA, "", "  ", [], ()):
        assert tables.blank(value)
        assert tables.text(value) == ""
        assert tables.as_list(value) == []
    assert not tables.blank(0)
    assert tables.text(3) == "3"
    assert tables.as_list("national; henan;") == ["national", "henan"]
    assert tables.as_list(["national", " "]) == ["national"]


def test_locality_rows_and_an_unknown_locality() -> None:
    ds = SimpleNamespace(
        localities=pd.DataFrame(
            {"locality_id": ["huli", "suixi"], "name_zh": ["湖里区", "濉溪县"]}
        ),
        facts=pd.DataFrame({"locality_id": ["suixi", "huli", "suixi"], "fact_id": ["a", "b", "c"]}),
    )
    assert tables.locality_ids(ds) == ["huli", "suixi"]
    assert tables.locality_row(ds, "suixi")["name_zh"] == "濉溪县"
    assert [f["fact_id"] for f in tables.fact_records(ds, "suixi")] == ["a", "c"]
    assert list(tables.locality_facts(ds, "huli")["fact_id"]) == ["b"]
    with pytest.raises(UnknownLocalityError, match="huli"):
        tables.locality_row(ds, "xiamen")
