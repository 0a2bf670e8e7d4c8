"""Loading: typed tables, derived columns, errors, hash, and new localities without code."""

from __future__ import annotations

import csv
import shutil
from pathlib import Path

import pandas as pd
import pytest

from reportlib.data.dataset import Dataset, data_hash, load, validate
from reportlib.errors import (
    DataFileError,
    DataValidationError,
    ReportlibError,
    UnknownLocalityError,
)


@pytest.fixture
def minimal(minimal_data, minimal_sources) -> Dataset:
    return load(minimal_data, minimal_sources)


def test_load_types_columns(minimal):
    facts = minimal.facts
    assert facts["value"].dtype == float
    assert facts["value"].tolist() == [12, 40_000_000, 307, 96]
    assert minimal.framework["number"].tolist() == [1, 1]
    assert minimal.indicators["higher_is_better"].dtype == bool
    assert pd.isna(facts.loc[0, "share_of"])  # empty cell = missing, not ""
    assert facts.loc[3, "share_of"] == "demo-cio-schools"


def test_list_cells_become_tuples(minimal):
    assert minimal.localities.loc[0, "policy_scopes"] == ("national",)
    assert minimal.framework["maps_to"].tolist() == [(), ("demo-t1",)]


def test_derived_columns(minimal):
    facts = minimal.facts
    assert facts["line"].tolist() == [2, 3, 4, 5]
    assert facts["value_step"].tolist() == [1, 10_000, 1, 1]
    assert facts["value_marker"].tolist()[1] == "多"
    assert facts["quote_verified"].all()
    assert minimal.milestones["date_precision"].tolist() == ["month", "year"]
    assert minimal.commitments["quote_verified"].tolist() == [True]


def test_quote_verified_false_when_source_has_no_text(minimal_data, minimal_sources, edit_cell):
    edit_cell(minimal_data / "sources.csv", 1, "text_file", "")
    ds = load(minimal_data, minimal_sources)
    assert ds.facts["quote_verified"].tolist() == [False] * 4
    assert ds.framework["quote_verified"].tolist() == [True, True]


def test_locality_lookup(minimal):
    assert minimal.locality_ids() == ["demo-town"]
    assert minimal.locality("demo-town")["name_zh"] == "示范县"
    with pytest.raises(UnknownLocalityError, match="demo-town") as info:
        minimal.locality("atlantis")
    assert info.value.known == ["demo-town"]


def test_dataset_paths(minimal, minimal_data, minimal_sources):
    assert minimal.data_dir == minimal_data.resolve()
    assert minimal.sources_dir == minimal_sources.resolve()


def test_load_raises_listing_every_problem(minimal_data, minimal_sources, edit_cell):
    edit_cell(minimal_data / "facts.csv", 0, "kind", "done")
    edit_cell(minimal_data / "facts.csv", 1, "unit", "%")
    with pytest.raises(DataValidationError) as info:
        load(minimal_data, minimal_sources)
    assert len(info.value.problems) == 2
    message = str(info.value)
    assert "facts.csv:2 field 'kind'" in message
    assert "facts.csv:3 field 'value'" in message


def test_load_without_validation_accepts_bad_cells(minimal_data, minimal_sources, edit_cell):
    edit_cell(minimal_data / "facts.csv", 0, "kind", "done")
    ds = load(minimal_data, minimal_sources, validate=False)
    assert ds.facts.loc[0, "kind"] == "done"


def test_missing_file_raises_data_file_error(minimal_data, minimal_sources):
    (minimal_data / "facts.csv").unlink()
    with pytest.raises(DataFileError) as info:
        load(minimal_data, minimal_sources)
    assert "facts.csv" in str(info.value)
    assert str(minimal_data) in str(info.value)
    assert isinstance(info.value, ReportlibError)


def test_missing_data_folder_raises(tmp_path, minimal_sources):
    with pytest.raises(DataFileError, match="does not exist"):
        validate(tmp_path / "nowhere", minimal_sources)


def test_data_hash_follows_bytes(minimal_data, minimal_sources, edit_cell):
    before = load(minimal_data, minimal_sources).data_hash
    assert before == data_hash(minimal_data)
    assert len(before) == 64
    edit_cell(minimal_data / "measures.csv", 0, "locator", "一、基础建设 ")
    assert data_hash(minimal_data) != before


def _append_rows(path: Path, rows: list[dict[str, str]]) -> None:
    with path.open(encoding="utf-8", newline="") as handle:
        header = next(csv.reader(handle))
    with path.open("a", encoding="utf-8", newline="") as handle:
        writer = csv.DictWriter(handle, header, lineterminator="\n")
        writer.writerows(rows)


def test_a_new_locality_loads_without_code_change(real_data, tmp_path):
    data, sources = real_data
    copy = tmp_path / "data"
    shutil.copytree(data, copy)
    ds = load(copy, sources)
    # Reuse an existing reply's text: the new locality cites it as its own source.
    base = ds.sources[ds.sources["kind"] == "proposal_reply"].iloc[0]
    base_facts = ds.facts[ds.facts["source_id"] == base["source_id"]].head(3)
    _append_rows(
        copy / "localities.csv",
        [
            {
                "locality_id": "newtown",
                "name_zh": "新城县",
                "name_en": "Newtown County",
                "level": "county",
                "province": str(ds.localities.iloc[0]["province"]),
                "province_zh": str(ds.localities.iloc[0]["province_zh"]),
                # a parent must exist in regions.csv: here the province itself
                "parent": str(ds.localities.iloc[0]["province_zh"]),
                "policy_scopes": "national",
            }
        ],
    )
    _append_rows(
        copy / "sources.csv",
        [
            {
                "source_id": "newtown-2025-reply",
                "title": "新城县教育局答复",
                "issuer": "新城县教育局",
                "written_date": "2025-07",
                "kind": "proposal_reply",
                "scope": "newtown",
                "locality_id": "newtown",
                "text_file": str(base["text_file"]),
            }
        ],
    )
    new_facts = []
    for row in base_facts.itertuples():
        new_facts.append(
            {
                "fact_id": f"newtown-{row.fact_id}",
                "locality_id": "newtown",
                "indicator_id": row.indicator_id,
                "value": f"{row.value:g}" if row.value != int(row.value) else str(int(row.value)),
                "value_text": "" if pd.isna(row.value_text) else row.value_text,
                "qualifier": row.qualifier,
                "unit": row.unit,
                "basis": row.basis,
                "scope": row.scope,
                "kind": row.kind,
                "source_id": "newtown-2025-reply",
                "locator": row.locator,
                "quote": row.quote,
                "note": "" if pd.isna(row.note) else row.note,
            }
        )
    _append_rows(copy / "facts.csv", new_facts)
    assert validate(copy, sources) == []
    grown = load(copy, sources)
    assert "newtown" in grown.locality_ids()
    mine = grown.facts[grown.facts["locality_id"] == "newtown"]
    assert len(mine) == len(base_facts)
    assert mine["quote_verified"].all()
    assert grown.data_hash != ds.data_hash


def test_real_data_loads(real_data):
    data, sources = real_data
    ds = load(data, sources)
    assert ds.locality_ids()
    assert ds.facts["line"].iloc[0] == 2
    assert ds.facts["value_step"].notna().all()


def test_a_second_load_reuses_the_tables_until_a_file_changes(
    minimal_data, minimal_sources, edit_cell, monkeypatch
):
    from reportlib.data import schema

    first = load(minimal_data, minimal_sources)
    reads = []
    read_table = schema.read_table
    monkeypatch.setattr(schema, "read_table", lambda *a: reads.append(a[0]) or read_table(*a))
    second = load(minimal_data, minimal_sources)
    assert reads == [] and second.facts.equals(first.facts)
    # each caller has its own copy: an edit in one notebook is not seen by the next
    second.facts.loc[0, "value_text"] = "changed"
    assert load(minimal_data, minimal_sources).facts.loc[0, "value_text"] != "changed"
    # same size, same second: only the bytes differ, and the data is read again
    edit_cell(minimal_data / "localities.csv", 0, "name_en", "Demo Countx")
    assert load(minimal_data, minimal_sources).localities.loc[0, "name_en"] == "Demo Countx"
    assert "localities" in reads


def test_settled_files_are_trusted_by_their_stats_without_reading_them(
    minimal_data, minimal_sources, monkeypatch
):
    import reportlib.data.dataset as dataset

    monkeypatch.setattr(dataset, "_RACY_NS", 0)  # every file counts as settled
    first = load(minimal_data, minimal_sources)

    def no_reading(*args, **kwargs):
        raise AssertionError("an unchanged, settled data set was read again")

    with monkeypatch.context() as m:
        m.setattr(Path, "read_bytes", no_reading)
        m.setattr(Path, "read_text", no_reading)
        m.setattr(Path, "open", no_reading)
        again = load(minimal_data, minimal_sources)
    assert again.facts.equals(first.facts)
