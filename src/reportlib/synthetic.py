"""Synthetic data directories for benchmarks: many localities cloned from the real ones.

Each synthetic locality (``syn-0001``, ``syn-0002``, …) copies one real locality (in turn)
with a generated Chinese name, and duplicates that locality's facts, measures, milestones
and commitments under new ids. Facts stay verifiable: a fact keeps its ``quote`` and
``source_id`` together with the ``value``/``value_text``/``qualifier`` the quote supports, so
"perturbing" a value means drawing another real row's (value, quote) pair of the same
indicator and unit from the template locality, deterministically from ``seed``. Every
synthetic data directory therefore validates exactly as the real one does.
"""

from __future__ import annotations

import csv
import os
import random
import shutil
from collections import defaultdict
from pathlib import Path

from reportlib import paths
from reportlib.errors import DataFileError

SYNTHETIC_PREFIX = "syn-"

# Characters common in Chinese county names; three of them plus a suffix make a name.
_NAME_CHARS = "安宁和平永丰兴华新昌东西南北中山河川江湖清源泰康长乐福顺德阳林泉城石云海庆"
_SUFFIX = {"county": "县", "district": "区", "city": "市"}
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


def synthetic_name(index: int, level: str, seed: int = 0) -> str:
    """A deterministic, unique (for index < 46,656) Chinese place name for a synthetic locality."""
    n = len(_NAME_CHARS)
    # Scramble the index so neighbours do not share their first characters.
    k = (index * 7919 + seed * 104729) % (n**3)
    chars = _NAME_CHARS[k // (n * n)] + _NAME_CHARS[(k // n) % n] + _NAME_CHARS[k % n]
    return chars + _SUFFIX.get(level, "县")


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
    tmp = path.with_name(path.name + ".tmp")
    with tmp.open("w", encoding="utf-8", newline="") as fh:
        writer = csv.DictWriter(fh, fieldnames=header, lineterminator="\n")
        writer.writeheader()
        writer.writerows(rows)
    os.replace(tmp, path)


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
    rng = random.Random(seed)

    csv_files = sorted(src.glob("*.csv"))
    if not csv_files:
        raise DataFileError(f"{src}: no CSV files; point data_dir at a data folder")
    tables = {p.name: _read(p) for p in csv_files}
    if "localities.csv" not in tables:
        raise DataFileError(f"{src / 'localities.csv'}: missing; it lists the localities")

    loc_header, real_locs = tables["localities.csv"]
    templates = [row for row in real_locs if not row["locality_id"].startswith(SYNTHETIC_PREFIX)]
    if not templates and n_localities:
        raise DataFileError(f"{src / 'localities.csv'}: no locality to copy")
    by_locality: dict[str, dict[str, list[dict[str, str]]]] = defaultdict(lambda: defaultdict(list))
    for name in _CHILD_TABLES:
        if name in tables:
            for row in tables[name][1]:
                by_locality[row.get("locality_id", "")][name].append(row)

    new_locs = list(real_locs)
    new_rows: dict[str, list[dict[str, str]]] = {
        name: list(tables[name][1]) for name in _CHILD_TABLES if name in tables
    }
    for i in range(1, n_localities + 1):
        tpl = templates[(i - 1) % len(templates)]
        sid = synthetic_id(i)
        loc = dict(tpl)
        loc["locality_id"] = sid
        level = tpl.get("level", "county")
        if "name_zh" in loc:
            loc["name_zh"] = synthetic_name(i, level, seed)
        if "name_en" in loc:
            loc["name_en"] = f"Synthetic {_LEVEL_EN.get(level, 'County')} {i:04d}"
        new_locs.append(loc)
        children = by_locality[tpl["locality_id"]]
        for name, id_col in _CHILD_TABLES.items():
            if name not in new_rows:
                continue
            rows = children[name]
            if name == "facts.csv":
                rows = _facts_for(rows, facts_per_locality, rng)
            new_rows[name].extend(_clone(rows, id_col, tpl["locality_id"], sid))

    for name, (header, rows) in tables.items():
        if name == "localities.csv":
            rows = new_locs
        elif name in new_rows:
            rows = new_rows[name]
        _write(out / name, header, rows)
    # Anything else in the data folder (a README, say) comes along unchanged.
    for extra in sorted(src.iterdir()):
        if extra.is_file() and extra.suffix != ".csv":
            shutil.copyfile(extra, out / extra.name)
    return out


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
