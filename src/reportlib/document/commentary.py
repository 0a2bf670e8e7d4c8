"""The analyst's commentary on one locality: ``data/commentary/<locality>.md``.

Markdown written by the analyst, printed as its own section (评估与建议) after the summary,
and in the overview under the locality's name. A figure in it is cited to a fact as
``[@fact-id]``: the report prints the fact's value as printed (qualifier and unit included,
``sections.fact_display``) with the fact's source note (``sections.cite``).

No untraceable figure reaches a report: :func:`check` (run by ``validate``, and by the
section before it prints anything) lists every citation that names no fact of that
locality and every bare number that is not a figure of that locality's facts (years, dates
and section numbers aside), with file and line.

The section's lead sentence comes from ``templates/text/commentary/`` (:mod:`.wording`).

Supported Markdown: paragraphs, headings (printed one level below the section's), bullet
and numbered lists, ``**strong**`` and ``*emphasis*``; other constructs print as text.
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING, Any, cast

from reportlib.data import tables
from reportlib.data.numbers import try_parse_number
from reportlib.document.blocks import Block, BlockList, Heading, Paragraph, Renderable, Span
from reportlib.document.wording import say
from reportlib.errors import DataValidationError, Problem

if TYPE_CHECKING:
    from reportlib.data.dataset import Dataset

__all__ = ["FOLDER", "TITLE", "check", "overview_section", "path_for", "section"]

#: Folder inside the data folder holding one ``<locality>.md`` per locality.
FOLDER = "commentary"
#: The section's heading.
TITLE = "评估与建议"

_CITATION = re.compile(r"\[@([^\]\s]*)\]")
# digits with decimals or thousands separators, an optional 多/余 and multipliers, or a %
_NUMBER = re.compile(r"\d+(?:[.,]\d+)*(?:[多余])?[十百千万亿]*(?:[多余])?%?")
_YEAR_AFTER = "年届级-–—~～至/"
_SECTION_AFTER = ("节", "章", "部分", "条", "款", "段")
_LIST_MARKER = re.compile(r"^\s*(?:#+\s*)?\d+(?:\.\d+)*[.、)）]?\s")
# private-use characters stand for citations while mistune parses the Markdown
_OPEN, _CLOSE = "\ue000", "\ue001"
_PLACEHOLDER = re.compile(f"{_OPEN}(\\d+){_CLOSE}")


@dataclass(frozen=True)
class _Citation:
    fact_id: str
    line: int


def folder(ds: Dataset) -> Path:
    """The commentary folder of the Dataset's data folder."""
    return Path(ds.data_dir) / FOLDER


def path_for(ds: Dataset, locality_id: str) -> Path:
    """Where the commentary on ``locality_id`` is (it may not exist)."""
    return folder(ds) / f"{locality_id}.md"


def _display(ds: Dataset, path: Path) -> str:
    """The file as messages name it: relative to the data folder's parent when inside it."""
    try:
        return str(path.relative_to(Path(ds.data_dir).parent))
    except ValueError:
        return str(path)


def _figures(ds: Dataset, locality_id: str) -> tuple[dict[str, Any], set[str], list[float]]:
    """The locality's facts by id, their printed values, and their values."""
    rows = tables.records(ds.facts, tables.positions_of(ds.facts, "locality_id", locality_id))
    by_id = {str(f["fact_id"]): f for f in rows}
    printed = {_normal(tables.text(f["value_text"])) for f in rows if tables.text(f["value_text"])}
    values = [float(f["value"]) for f in rows if not tables.blank(f["value"])]
    return by_id, printed, values


def _normal(text: str) -> str:
    return unicodedata.normalize("NFKC", text).replace(",", "").strip()


def _is_figure(token: str, printed: set[str], values: list[float]) -> bool:
    plain = _normal(token).rstrip("%")
    if plain in printed:
        return True
    parsed = try_parse_number(plain)
    if parsed is None:
        return False
    return any(abs(parsed.value - v) <= 1e-9 * max(1.0, abs(v)) for v in values)


def _set_aside(line: str, match: re.Match[str]) -> bool:
    """Years, dates and section numbers are not figures."""
    token, start, end = match.group(), match.start(), match.end()
    before, after = line[max(0, start - 1) : start], line[end : end + 1]
    year = token.isdigit() and len(token) == 4 and 1900 <= int(token) <= 2100
    if year and (not after or after in _YEAR_AFTER or (before != "" and before in _YEAR_AFTER)):
        return True
    if token.isdigit() and after != "" and after in "月日号" and 1 <= int(token) <= 31:
        return True
    numbered = token.replace(".", "").isdigit()
    if numbered and (line[end:].startswith(_SECTION_AFTER) or before == "第"):
        return True
    first = re.search(r"\d", line)
    return first is not None and first.start() == start and bool(_LIST_MARKER.match(line))


def check(ds: Dataset, locality_id: str | None = None) -> list[Problem]:
    """Every problem in the commentary files (of ``locality_id``, or all of them)."""
    where = folder(ds)
    if locality_id is not None:
        files = [path_for(ds, locality_id)]
    else:
        files = sorted(where.glob("*.md")) if where.is_dir() else []
    known = set(ds.locality_ids())
    problems: list[Problem] = []
    for path in files:
        if not path.is_file():
            continue
        shown = _display(ds, path)
        if path.stem not in known:
            problems.append(
                Problem(shown, None, "file name", path.stem, f"a locality id: {', '.join(known)}")
            )
            continue
        problems += _check_text(ds, path.stem, path.read_text(encoding="utf-8"), shown)
    return problems


def _check_text(ds: Dataset, locality_id: str, text: str, shown: str) -> list[Problem]:
    by_id, printed, values = _figures(ds, locality_id)
    problems = []
    for number, line in enumerate(text.splitlines(), 1):
        for m in _CITATION.finditer(line):
            if m.group(1) not in by_id:
                problems.append(
                    Problem(
                        shown,
                        number,
                        "citation",
                        m.group(),
                        f"[@fact-id] naming a fact of {locality_id} in facts.csv "
                        "(`python -m reportlib facts " + locality_id + "` lists them)",
                    )
                )
        bare = _CITATION.sub(lambda m: " " * len(m.group()), line)
        for m in _NUMBER.finditer(bare):
            if _set_aside(bare, m) or _is_figure(m.group(), printed, values):
                continue
            problems.append(
                Problem(
                    shown,
                    number,
                    "number",
                    m.group(),
                    f"a figure of {locality_id}'s facts, cited as [@fact-id]; a number "
                    "that is no fact of this locality cannot be traced to a source",
                )
            )
    return problems


# --------------------------------------------------------------------------- blocks


def section(ds: Dataset, locality_id: str, *, heading: bool = True) -> BlockList:
    """评估与建议 for one locality; empty when it has no commentary.

    Raises ``DataValidationError`` listing every problem when the commentary has any.
    """
    path = path_for(ds, locality_id)
    if not path.is_file():
        return BlockList()
    problems = check(ds, locality_id)
    if problems:
        raise DataValidationError(problems)
    # in the overview the locality's name is the subsection: the analyst's headings go below
    depth = 3 if heading else 4
    body = list(_blocks(ds, locality_id, path.read_text(encoding="utf-8"), depth))
    if not body:
        return BlockList()
    if not heading:
        return BlockList(body)
    name = tables.text(tables.locality_row(ds, locality_id)["name_zh"])
    lead = Paragraph(say("commentary/lead.txt", locality=name))
    return BlockList([Heading(TITLE, level=2, id="sec-commentary"), lead, *body])


def overview_section(ds: Dataset) -> BlockList:
    """评估与建议 of the overview: each commented locality under its name; empty if none."""
    blocks: list[Renderable] = []
    names: list[str] = []
    for lid in ds.locality_ids():
        body = section(ds, lid, heading=False)
        if len(body):
            names.append(tables.text(tables.locality_row(ds, lid)["name_zh"]))
            blocks += [Heading(names[-1], level=3, id=f"sec-commentary-{lid}"), *body]
    if not blocks:
        return BlockList()
    lead = say("commentary/overview_lead.txt", count=len(names), localities="、".join(names))
    return BlockList([Heading(TITLE, level=2, id="sec-commentary"), Paragraph(lead), *blocks])


def _blocks(ds: Dataset, locality_id: str, text: str, depth: int) -> Iterator[Block]:
    import mistune

    from reportlib.document.sections import cite, fact_display

    by_id, _, _ = _figures(ds, locality_id)
    cited: list[Span] = []

    def hold(m: re.Match[str]) -> str:
        fact = by_id[m.group(1)]
        cited.append(Span(fact_display(fact), "plain", cite(ds, fact)))
        return f"{_OPEN}{len(cited) - 1}{_CLOSE}"

    # with no renderer, mistune returns its token list (its stub also allows a str)
    tokens = cast(
        list[dict[str, Any]], mistune.create_markdown(renderer=None)(_CITATION.sub(hold, text))
    )
    for token in tokens:
        yield from _block(token, cited, depth)


def _block(token: dict[str, Any], cited: list[Span], depth: int) -> Iterator[Block]:
    kind = token["type"]
    if kind == "heading":
        # under the section's own heading: # and ## become ``depth``, deeper ones one below
        level = depth if int(token["attrs"]["level"]) <= 2 else depth + 1
        yield Heading(_plain(token.get("children", [])), level=level)
    elif kind in ("paragraph", "block_text"):
        spans = _spans(token.get("children", []), "plain", cited)
        if spans:
            yield Paragraph(spans)
    elif kind == "list":
        ordered = token["attrs"].get("ordered", False)
        for n, item in enumerate(token.get("children", []), 1):
            marker = f"{n}. " if ordered else "• "
            for i, child in enumerate(item.get("children", [])):
                for block in _block(child, cited, depth):
                    if i == 0 and isinstance(block, Paragraph):
                        block = Paragraph([Span(marker), *block.spans])
                    yield block
    elif kind in ("block_code", "block_quote", "block_html"):
        raw = token.get("raw") or _plain(token.get("children", []))
        if raw.strip():
            yield Paragraph(_spans([{"type": "text", "raw": raw}], "plain", cited))


def _plain(children: list[dict[str, Any]]) -> str:
    out = []
    for child in children:
        out.append(child.get("raw", "") or _plain(child.get("children", [])))
    return "".join(out)


def _spans(children: list[dict[str, Any]], style: str, cited: list[Span]) -> list[Span]:
    spans: list[Span] = []
    for child in children:
        kind = child["type"]
        if kind in ("strong", "emphasis"):
            inner = "strong" if kind == "strong" else "emph"
            spans += _spans(child.get("children", []), inner, cited)
        elif kind in ("softbreak", "linebreak"):
            continue  # Chinese text: a line break inside a paragraph is no space
        elif "children" in child and "raw" not in child:
            spans += _spans(child["children"], style, cited)
        else:
            spans += _split(child.get("raw", ""), style, cited)
    return spans


def _split(raw: str, style: str, cited: list[Span]) -> list[Span]:
    """Text with citation placeholders → spans (a citation keeps the surrounding style)."""
    spans, pos = [], 0
    for m in _PLACEHOLDER.finditer(raw):
        if m.start() > pos:
            spans.append(Span(raw[pos : m.start()], style))  # type: ignore[arg-type]
        c = cited[int(m.group(1))]
        spans.append(Span(c.text, style, c.note))  # type: ignore[arg-type]
        pos = m.end()
    if pos < len(raw):
        spans.append(Span(raw[pos:], style))  # type: ignore[arg-type]
    return spans
