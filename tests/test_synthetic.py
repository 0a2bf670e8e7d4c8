"""Synthetic data directories: deterministic, consistent, and as valid as the real data."""

from __future__ import annotations

import csv
from pathlib import Path

import pytest

from reportlib import paths
from reportlib.data.synthetic import make_synthetic, synthetic_id, synthetic_name
from reportlib.errors import DataFileError


def _rows(folder: Path, name: str) -> list[dict[str, str]]:
    with (folder / name).open(encoding="utf-8", newline="") as fh:
        return list(csv.DictReader(fh))


@pytest.fixture(scope="module")
def six_localities(tmp_path_factory: pytest.TempPathFactory) -> Path:
    return make_synthetic(tmp_path_factory.mktemp("syn") / "data", 6, seed=3)


def test_same_arguments_give_byte_identical_files(six_localities: Path, tmp_path: Path) -> None:
    again = make_synthetic(tmp_path / "again", 6, seed=3)
    for path in sorted(six_localities.glob("*.csv")):
        assert (again / path.name).read_bytes() == path.read_bytes(), path.name


def test_localities_are_added_with_new_slugs_and_real_division_names(six_localities: Path) -> None:
    real = _rows(paths.data_dir(), "localities.csv")
    rows = _rows(six_localities, "localities.csv")
    assert rows[: len(real)] == real
    added = rows[len(real) :]
    assert [r["locality_id"] for r in added] == [synthetic_id(i) for i in range(1, 7)]
    assert len({r["name_zh"] for r in added}) == 6
    # Drawn one province after another: six localities lie in six provinces.
    assert len({r["province_zh"] for r in added}) == 6
    regions = {r["region_id"]: r for r in _rows(six_localities, "regions.csv")}
    for row in added:
        assert regions[row["province"]]["name_zh"] == row["province_zh"]
        assert row["policy_scopes"] in ("national", "national;henan")


@pytest.mark.usefixtures("real_data")
def test_country_has_31_provinces_with_real_names_and_codes(tmp_path: Path) -> None:
    from reportlib.data import regions
    from reportlib.data.dataset import load

    out = make_synthetic(tmp_path / "country", 400, seed=1)
    ds = load(out)  # validates: every province and parent exists
    assert ds.localities["province"].nunique() == 31
    provinces = ds.regions[ds.regions["level"] == "province"]
    assert {"北京市", "河南省", "新疆维吾尔自治区", "西藏自治区"} <= set(provinces["name_zh"])
    assert provinces.loc[provinces["name_zh"] == "河南省", "region_id"].item() == "henan"
    assert set(ds.regions["code"].str.len()) == {6}
    assert regions.division_warnings(ds.localities) == []  # real names under real parents
    # Henan's localities follow the Henan notice; Guangdong's do not.
    henan = ds.localities[ds.localities["province"] == "henan"]
    assert len(henan) > 1 and all("henan" in p for p in henan["policy_scopes"])
    guangdong = ds.localities[ds.localities["province_zh"] == "广东省"]
    assert all(p == ("national",) for p in guangdong["policy_scopes"])


def test_facts_keep_quotes_and_value_text_together(six_localities: Path) -> None:
    facts = _rows(six_localities, "facts.csv")
    ids = [f["fact_id"] for f in facts]
    assert len(ids) == len(set(ids))
    real = {
        (f["value"], f["value_text"], f["quote"], f["source_id"])
        for f in _rows(paths.data_dir(), "facts.csv")
    }
    by_id = {f["fact_id"]: f for f in facts}
    synthetic = [f for f in facts if f["locality_id"].startswith("syn-")]
    assert synthetic
    for fact in synthetic:
        assert (fact["value"], fact["value_text"], fact["quote"], fact["source_id"]) in real
        assert fact["fact_id"].startswith(fact["locality_id"] + "-")
        if fact["share_of"]:
            assert by_id[fact["share_of"]]["locality_id"] == fact["locality_id"]


def test_facts_per_locality_repeats_facts_under_unique_ids(tmp_path: Path) -> None:
    out = make_synthetic(tmp_path / "big", 4, facts_per_locality=50)
    facts = _rows(out, "facts.csv")
    per = {}
    for f in facts:
        per[f["locality_id"]] = per.get(f["locality_id"], 0) + 1
    assert all(per[synthetic_id(i)] == 50 for i in range(1, 5))
    assert len({f["fact_id"] for f in facts}) == len(facts)
    ids = {f["fact_id"] for f in facts}
    assert all(f["share_of"] in ids for f in facts if f["share_of"])


def test_synthetic_data_validates_like_the_real_data(six_localities: Path) -> None:
    from reportlib.data.dataset import validate

    real = validate(paths.data_dir())
    assert len(validate(six_localities)) == len(real)


def test_names_are_unique_for_thousands_of_localities() -> None:
    names = {synthetic_name(i) for i in range(1, 2801)}
    assert len(names) == 2800


def test_columns_added_to_a_table_are_copied(tmp_path: Path) -> None:
    import shutil

    data = tmp_path / "data"
    shutil.copytree(paths.data_dir(), data)
    text = (data / "localities.csv").read_text(encoding="utf-8").splitlines()
    text = [text[0] + ",extra"] + [line + ",x" for line in text[1:]]
    (data / "localities.csv").write_text("\n".join(text) + "\n", encoding="utf-8")
    rows = _rows(make_synthetic(tmp_path / "out", 3, data_dir=data), "localities.csv")
    assert [r["extra"] for r in rows] == ["x"] * 6


def test_missing_data_folder_is_a_data_file_error(tmp_path: Path) -> None:
    with pytest.raises(DataFileError, match="no CSV files"):
        make_synthetic(tmp_path / "out", 2, data_dir=tmp_path / "empty")
