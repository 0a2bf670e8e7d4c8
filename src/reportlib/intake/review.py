"""``review.html``: the source text with every draft highlighted in place, rows beside it."""

from __future__ import annotations

import html

from reportlib.intake.locators import Document
from reportlib.intake.records import Drafts

_COLOURS = {
    "facts": "#ffe08a",
    "milestones": "#b9e3ff",
    "commitments": "#c9f2c0",
    "measures": "#eadcff",
    "challenges": "#ffc9c9",
}
_STYLE = """
body{font-family:"ReportCJK","Noto Sans CJK SC",sans-serif;margin:0;display:flex}
#text{flex:3;padding:1em 2em;white-space:pre-wrap;line-height:1.8;border-right:1px solid #ccc}
#rows{flex:2;padding:1em;font-size:13px;max-height:100vh;overflow:auto;position:sticky;top:0}
mark{border-radius:3px;padding:0 1px} mark:target{outline:2px solid #c00}
table{border-collapse:collapse;margin-bottom:1em} td,th{border:1px solid #ddd;padding:2px 4px;
vertical-align:top} .legend span{padding:0 .5em;margin-right:.5em}
"""
_SHOWN = (
    "value_text",
    "unit",
    "qualifier",
    "as_of",
    "kind",
    "indicator_id",
    "task_id",
    "date",
    "due",
    "scope",
    "locator",
    "reason",
)


_OUTER = ("measures", "commitments", "challenges")  # whole sentences; figures nest inside


def _layer(spans: list[tuple[int, int, str, str]]) -> list[tuple[int, int, str, str]]:
    """Non-overlapping spans, earliest (then longest) first."""
    placed, last = [], -1
    for span in sorted(spans, key=lambda s: (s[0], -(s[1] - s[0]))):
        if span[0] >= last:
            placed.append(span)
            last = span[1]
    return placed


def _marks(doc: Document, drafts: Drafts) -> list[tuple[int, int, str, str]]:
    """(start, end, table, anchor) of every placeable draft: sentences, figures inside them."""
    spans = [
        (a, b, key.split(":", 1)[0], key)
        for key, places in drafts.spans.items()
        for a, b in places
        if 0 <= a < b <= len(doc.text)
    ]
    outer = _layer([s for s in spans if s[2] in _OUTER])
    inner = [s for s in spans if s[2] not in _OUTER]
    fits = [
        s
        for s in inner
        if all(s[1] <= o[0] or s[0] >= o[1] or o[0] <= s[0] and s[1] <= o[1] for o in outer)
    ]
    return outer + _layer(fits)


def _open(table: str, key: str) -> str:
    title = html.escape(key)
    colour = _COLOURS.get(table, "#eee")
    return f'<mark id="m-{title}" style="background:{colour}" title="{title}"><a href="#r-{title}">'


def _text(doc: Document, marks: list[tuple[int, int, str, str]]) -> str:
    """The text with marks; a figure's mark nests inside its sentence's."""
    events: list[tuple[int, int, str]] = []
    for a, b, table, key in marks:
        outer = table in _OUTER
        events.append((a, 1 if outer else 2, _open(table, key)))
        events.append((b, -1 if outer else -2, "</a></mark>"))
    events.sort(key=lambda e: (e[0], e[1]))
    out, pos = [], 0
    for at, _, tag in events:
        out.append(html.escape(doc.text[pos:at]))
        out.append(tag)
        pos = at
    out.append(html.escape(doc.text[pos:]))
    return "".join(out)


def _rows(drafts: Drafts, placed: set[str]) -> str:
    parts, unplaced = [], []
    for table, rows in drafts.tables.items():
        if table not in _COLOURS:
            continue
        parts.append(f"<h3>{table} ({len(rows)})</h3><table>")
        for row in rows:
            key = f"{table}:{next(iter(row.values()))}"
            cells = "; ".join(f"{c}={html.escape(row[c])}" for c in _SHOWN if row.get(c))
            anchor = html.escape(key)
            label = html.escape(next(iter(row.values())))
            link = f'<a href="#m-{anchor}">{label}</a>' if key in placed else label
            parts.append(
                f'<tr id="r-{anchor}"><td>{link}</td><td>{html.escape(row.get("value", ""))}'
                f"</td><td>{cells}</td></tr>"
            )
            if key not in placed:
                unplaced.append(label)
        parts.append("</table>")
    if unplaced:
        parts.append(
            f"<h3>Not placed in the text ({len(unplaced)})</h3><p>" + "、".join(unplaced) + "</p>"
        )
    return "".join(parts)


def page(doc: Document, drafts: Drafts, source_id: str, file_name: str) -> str:
    """The review page as HTML (self-contained, no network references)."""
    from reportlib.render.fonts import find_cjk_font
    from reportlib.render.html import font_face_css

    marks = _marks(doc, drafts)
    placed = {key for *_, key in marks}
    face = font_face_css(find_cjk_font(), doc.text + "".join(map(str, drafts.tables.values())))
    legend = "".join(f'<span style="background:{c}">{t}</span>' for t, c in _COLOURS.items())
    personal = ", ".join(f"{k} {v}" for k, v in sorted(drafts.personal.items())) or "none"
    return (
        '<!DOCTYPE html><html lang="zh-CN"><head><meta charset="utf-8">'
        f"<title>审阅 {html.escape(source_id)}</title><style>{face}{_STYLE}</style></head><body>"
        f'<div id="text"><h2>{html.escape(file_name)} → {html.escape(source_id)}</h2>'
        f'<p class="legend">{legend}</p>{_text(doc, marks)}</div>'
        f'<div id="rows"><p>Mark rows <b>accept</b> or <b>reject</b> in the review column of '
        f"the draft CSVs, then run <code>python -m reportlib accept DIR</code>. Personal data "
        f"found and never drafted: {html.escape(personal)}.</p>{_rows(drafts, placed)}</div>"
        "</body></html>\n"
    )
