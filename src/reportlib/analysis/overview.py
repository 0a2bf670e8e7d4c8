"""What the overview computes: shares, distributions and counts across many localities.

The overview summarises rather than lists: at any size it gives how many localities have a
reply document and how recent, the share of localities at each evidence level for each item
of the national notice (by province and by level), distributions of like-for-like figures
(median and quartiles), and where the evidence is thin. Everything here is a DataFrame or a
dict of plain values; :mod:`reportlib.document.sections.overview` turns them into blocks.
Nothing here knows a figure from a source.
"""

from __future__ import annotations

import csv
import functools
from datetime import date
from importlib import resources
from typing import TYPE_CHECKING

import numpy as np
import pandas as pd

from reportlib import analysis as an
from reportlib.data import tables

if TYPE_CHECKING:
    from reportlib.data.dataset import Dataset

#: Up to this many localities the overview may show one row (or column) per locality.
SMALL = 20
#: Localities named at each end of a ranking in a large overview.
FEW = 3
#: Evidence levels that show AI education under way (not only a plan).
EVIDENCED = ("quantified", "described")
#: Source kinds that are policies, not a locality's own document.
POLICY_KINDS = ("national_notice", "provincial_notice")


def is_small(ds: Dataset) -> bool:
    """Whether the data set is small enough to list every locality (≤ ``SMALL``)."""
    return len(ds.localities) <= SMALL


@functools.cache
def province_tiles() -> pd.DataFrame:
    """The grid cartogram of China's provinces (``geo/province_tiles.csv``).

    Columns: code, name_zh, short_zh, row, col, in_scope (False for 港澳台, drawn for the
    map's completeness but outside the data's scope).
    """
    text = resources.files("reportlib").joinpath("geo/province_tiles.csv").read_text("utf-8")
    rows = list(csv.DictReader(text.splitlines()))
    frame = pd.DataFrame(rows)
    frame[["row", "col"]] = frame[["row", "col"]].astype(int)
    frame["in_scope"] = frame["in_scope"].eq("true")
    return frame


def tile_of(province_zh: str) -> str | None:
    """The tile (full name) for a province name as the data spells it, or None.

    Matches the full name (河南省) or the short one (河南, 广西) at the start of the name.
    """
    tiles = province_tiles()
    name = tables.text(province_zh)
    if name in set(tiles["name_zh"]):
        return name
    for full, short in zip(tiles["name_zh"], tiles["short_zh"], strict=True):
        if name.startswith(short):
            return str(full)
    return None


# ------------------------------------------------------------------------------ documents


def localities(ds: Dataset) -> pd.DataFrame:
    """One row per locality: ids, names, level, province, and its newest own document.

    ``document_date`` is the newest written date of the non-policy sources (replies) its
    records cite or that name it; empty when it has none (``has_document`` False).
    """
    locs = ds.localities
    cited = [
        getattr(ds, name)[["locality_id", "source_id"]]
        for name in ("facts", "measures", "commitments", "milestones")
        if "source_id" in getattr(ds, name)
    ]
    cited.append(ds.sources[["locality_id", "source_id"]])
    pairs = pd.concat(cited, ignore_index=True).dropna().drop_duplicates()
    own = ds.sources[~ds.sources["kind"].isin(POLICY_KINDS)][["source_id", "written_date"]]
    dated = pairs.merge(own, on="source_id", how="inner")
    dated["written_date"] = dated["written_date"].map(tables.text)
    newest = dated.groupby("locality_id")["written_date"].max()
    out = pd.DataFrame(
        {
            "locality_id": locs["locality_id"].astype(str).to_numpy(),
            "name_zh": locs["name_zh"].map(tables.text).to_numpy(),
            "level": locs["level"].map(tables.text).to_numpy(),
            "province": locs["province"].map(tables.text).to_numpy(),
            "province_zh": locs["province_zh"].map(tables.text).to_numpy(),
        }
    )
    out["document_date"] = out["locality_id"].map(newest).fillna("")
    out["has_document"] = out["document_date"].ne("") | out["locality_id"].isin(newest.index)
    return out


def document_years(locs: pd.DataFrame) -> pd.DataFrame:
    """Localities by the year of their newest document: year, n, share (newest first)."""
    with_doc = locs[locs["has_document"]]
    years = with_doc["document_date"].str[:4].replace("", "未注明")
    counts = years.value_counts().sort_index(ascending=False)
    return pd.DataFrame(
        {"year": counts.index, "n": counts.to_numpy(), "share": counts.to_numpy() / len(locs)}
    )


# ------------------------------------------------------------------------------- coverage


def coverage_long(ds: Dataset) -> pd.DataFrame:
    """Every locality × national item: ``level`` (AI-specific) and ``general_level``.

    The same levels as ``analysis.coverage_matrix`` (and its ``general=True``), from one
    pass over the records instead of two: at 2,800 localities a pass costs seconds.
    """
    ids = tables.locality_ids(ds)
    by_locality = an.coverage_rows(ds, ids)
    rows = [
        (lid, r["task_id"], r["level"], r["general_level"]) for lid in ids for r in by_locality[lid]
    ]
    return pd.DataFrame(rows, columns=["locality_id", "task_id", "level", "general_level"])


def item_shares(ds: Dataset, cov: pd.DataFrame) -> pd.DataFrame:
    """Per national item (printed order): localities at each level, and with general IT.

    Counts ``quantified``, ``described``, ``planned``, ``none`` (AI-specific evidence),
    ``general`` (general school-IT evidence, counted apart) and ``n`` localities.
    """
    items = an.national_items(ds)[["task_id", "kind", "number", "name_zh"]]
    counts = pd.crosstab(cov["task_id"], cov["level"])
    counts = counts.reindex(columns=list(an.EVIDENCE_LEVELS), fill_value=0)
    general = cov[cov["general_level"].isin(EVIDENCED)].groupby("task_id").size()
    out = items.merge(counts, left_on="task_id", right_index=True, how="left").fillna(0)
    out["general"] = out["task_id"].map(general).fillna(0).astype(int)
    out["n"] = cov["locality_id"].nunique()
    for level in an.EVIDENCE_LEVELS:
        out[level] = out[level].astype(int)
    return out.reset_index(drop=True)


def locality_scores(cov: pd.DataFrame) -> pd.DataFrame:
    """Per locality: share of national items with AI-specific evidence, and quantified ones."""
    flags = cov.assign(
        evidenced=cov["level"].isin(EVIDENCED), quantified=cov["level"].eq("quantified")
    )
    scores = flags.groupby("locality_id", sort=False)[["evidenced", "quantified"]].mean()
    return scores.rename(columns={"evidenced": "coverage", "quantified": "quantified_share"})


def group_coverage(locs: pd.DataFrame, scores: pd.DataFrame, by: str) -> pd.DataFrame:
    """Per province (``by="province_zh"``) or level: localities, documents, mean coverage.

    Columns: group, n, with_document, coverage (mean share of items with AI evidence),
    any_quantified (share of localities with quantified evidence on at least one item).
    """
    joined = locs.join(scores, on="locality_id")
    joined["any_quantified"] = joined["quantified_share"].fillna(0) > 0
    grouped = joined.groupby(by, sort=False)
    out = pd.DataFrame(
        {
            "n": grouped.size(),
            "with_document": grouped["has_document"].sum().astype(int),
            "coverage": grouped["coverage"].mean(),
            "any_quantified": grouped["any_quantified"].mean(),
        }
    )
    return out.reset_index(names="group").sort_values(
        ["coverage", "n"], ascending=[False, False], kind="stable"
    )


def group_items(locs: pd.DataFrame, cov: pd.DataFrame, by: str) -> pd.DataFrame:
    """Group (rows: ``by`` is province_zh or level) × national item (columns): the share
    of the group's localities with AI-specific evidence (quantified or described)."""
    groups = locs[["locality_id", by]].rename(columns={by: "group"})
    joined = cov.merge(groups, on="locality_id")
    joined["evidenced"] = joined["level"].isin(EVIDENCED)
    table = joined.pivot_table(
        index="group", columns="task_id", values="evidenced", aggfunc="mean", sort=False
    )
    table.index.name = by
    return table[list(dict.fromkeys(cov["task_id"]))]


# -------------------------------------------------------------------------- distributions

#: What makes figures like-for-like (``analysis.peers_table``): one distribution each.
DISTRIBUTION_KEY = ["indicator_id", "unit", "basis", "scope_class", "period"]


def comparison_keys(ds: Dataset) -> pd.DataFrame:
    """Achievement facts with what makes them like-for-like (as ``analysis.peers_table``).

    Columns: locality_id, value and ``DISTRIBUTION_KEY``: indicator, unit, basis, scope
    class (whole locality or part) and, for a total over a period, the period. Figures with
    the same key from different localities are comparable. File order.
    """
    facts = ds.facts
    done = facts[facts["kind"].map(tables.text).eq("achievement")]
    done = done[done["indicator_id"].isin(ds.indicators["indicator_id"])]
    basis = done["basis"].map(tables.text) if "basis" in done else pd.Series("", index=done.index)
    scopes = {s: an.scope_class(s) for s in done["scope"].map(tables.text).unique()}
    return pd.DataFrame(
        {
            "locality_id": done["locality_id"].map(tables.text),
            "value": done["value"].astype(float),
            "indicator_id": done["indicator_id"].map(tables.text),
            "unit": done["unit"].map(tables.text),
            "basis": basis,
            "scope_class": done["scope"].map(tables.text).map(scopes),
            "period": np.where(basis.eq("period"), done["as_of"].map(tables.text), ""),
        }
    ).reset_index(drop=True)


def distributions(ds: Dataset, minimum: int = 3) -> pd.DataFrame:
    """Comparable figures' spread per indicator, unit, basis, scope class (and period).

    One value per locality (its first figure in file order) in each group of at least
    ``minimum`` localities. Columns: the key, n, min, q1, median, q3, max, low and high
    (Tukey's whiskers: the farthest values within 1.5 interquartile ranges of the box),
    values (sorted). Groups reported by the most localities first.
    """
    columns = [*DISTRIBUTION_KEY, "n", "min", "q1", "median", "q3", "max", "low", "high", "values"]
    keys = comparison_keys(ds)
    firsts = keys[keys["locality_id"].ne("")].drop_duplicates([*DISTRIBUTION_KEY, "locality_id"])
    sizes = firsts.groupby(DISTRIBUTION_KEY, sort=False)["locality_id"].transform("size")
    rows = []
    for key, group in firsts[sizes >= minimum].groupby(DISTRIBUTION_KEY, sort=False):
        values = np.sort(group["value"].to_numpy(dtype=float))
        q1, median, q3 = np.quantile(values, [0.25, 0.5, 0.75])
        # Tukey's whiskers: the farthest values within 1.5 interquartile ranges of the box
        inside = values[(values >= q1 - 1.5 * (q3 - q1)) & (values <= q3 + 1.5 * (q3 - q1))]
        rows.append(
            dict(
                zip(DISTRIBUTION_KEY, key, strict=True),
                n=len(values),
                min=float(values[0]),
                q1=float(q1),
                median=float(median),
                q3=float(q3),
                max=float(values[-1]),
                low=float(inside[0]),
                high=float(inside[-1]),
                values=values.tolist(),
            )
        )
    out = pd.DataFrame(rows, columns=columns)
    return out.sort_values("n", ascending=False, kind="stable").reset_index(drop=True)


# ------------------------------------------------------------------ thin evidence, quality


def thin_evidence(locs: pd.DataFrame, shares: pd.DataFrame, scores: pd.DataFrame) -> dict:
    """Where the evidence is thin: weakest items, localities without evidence or documents.

    Returns ``items`` (shares sorted by the share with AI evidence, lowest first),
    ``no_evidence`` / ``no_quantified`` / ``no_document`` (locality ids, file order).
    """
    evidenced = (shares["quantified"] + shares["described"]) / shares["n"].clip(lower=1)
    items = shares.assign(evidenced=evidenced).sort_values("evidenced", kind="stable")
    joined = locs.join(scores, on="locality_id")
    return {
        "items": items.reset_index(drop=True),
        "no_evidence": joined.loc[joined["coverage"].fillna(0).eq(0), "locality_id"].tolist(),
        "no_quantified": joined.loc[
            joined["quantified_share"].fillna(0).eq(0), "locality_id"
        ].tolist(),
        "no_document": locs.loc[~locs["has_document"], "locality_id"].tolist(),
    }


def commitments(ds: Dataset, as_of: date) -> pd.DataFrame:
    """Every commitment with its ``status`` (open, due, overdue) on ``as_of``, file order."""
    frame = ds.commitments.copy()
    frame["status"] = [an.due_status(d, as_of) for d in frame["due"].tolist()]
    return frame.reset_index(drop=True)


def quality(ds: Dataset) -> tuple[dict[str, int], pd.DataFrame]:
    """Counts for the data-quality summary (whole data set), and the inconsistent pairs."""
    facts = ds.facts
    verified = 0
    total = 0
    for name in ("facts", "measures", "commitments", "milestones"):
        table = getattr(ds, name)
        total += len(table)
        if "quote_verified" in table.columns:
            verified += int(table["quote_verified"].fillna(False).astype(bool).sum())
    checks = an.consistency_checks(ds)
    bad = checks[~checks["consistent"]].reset_index(drop=True)
    counts = {
        "facts": len(facts),
        "qualified": int((facts["qualifier"].map(tables.text) != "exact").sum()),
        "implied": len(an.implied_denominators(ds)),
        "checks": len(checks),
        "inconsistent": len(bad),
        "inconsistent_localities": int(bad["locality_id"].nunique()) if len(bad) else 0,
        "records": total,
        "verified": verified,
    }
    return counts, bad
