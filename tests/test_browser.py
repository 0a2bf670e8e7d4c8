"""The HTML report in a real browser (Chromium through Playwright), as a reader opens it.

On a locality report (huli) and the overview (all), at a phone's width (390 px) and a
desktop's (1280 px): the page never scrolls sideways; every note link lands on what it
cites (a note marker on its note, a note's source link on the quote in the appendix, which
names the cited locator); no chart text is drawn smaller than 9 CSS px. On a phone, the
widest tables (sanmenxia's) scroll inside their own block.

Each report is rendered once per session (``rendered_report``); each test opens it in a
fresh page. Without Chromium the tests skip, except in CI (``$CI`` set) where they fail.
"""

from __future__ import annotations

import pytest

REPORTS = ("huli", "all")
WIDTHS = (390, 1280)
MIN_TEXT_PX = 9.0

CASES = [pytest.param(r, w, id=f"{r}-{w}px") for r in REPORTS for w in WIDTHS]


@pytest.fixture
def open_report(browser, rendered_report):
    """``open_report(id, width)``: a page showing the rendered report, fonts loaded."""
    contexts = []

    def open_(report_id: str, width: int):
        context = browser.new_context(viewport={"width": width, "height": 800})
        contexts.append(context)
        page = context.new_page()
        page.goto(rendered_report(report_id).html.as_uri())
        page.evaluate("document.fonts.ready.then(() => true)")
        return page

    yield open_
    for context in contexts:
        context.close()


@pytest.mark.parametrize(("report_id", "width"), CASES)
def test_page_never_scrolls_sideways(open_report, report_id, width) -> None:
    page = open_report(report_id, width)
    scroll, inner = page.evaluate("[document.scrollingElement.scrollWidth, innerWidth]")
    assert scroll <= inner, f"{report_id} is {scroll} px wide in a {inner} px window"


def test_wide_tables_scroll_inside_their_block_on_a_phone(open_report) -> None:
    # sanmenxia has the widest tables (targets, timeline)
    page = open_report("sanmenxia", 390)
    found = page.evaluate(
        """() => ({page: document.scrollingElement.scrollWidth, inner: innerWidth,
          scrolling: [...document.querySelectorAll(".table-block")]
            .filter(b => b.scrollWidth > b.clientWidth + 1).length,
          charts: [...document.querySelectorAll("figure.chart svg")]
            .filter(s => s.getClientRects().length > 0)
            .map(s => s.getBoundingClientRect().right)})"""
    )
    assert found["page"] <= found["inner"], found
    assert found["scrolling"] > 0, "no table scrolls in its own block at 390 px"
    assert found["charts"] and max(found["charts"]) <= found["inner"], found


# Follows every link matching the selector as a reader would: scrolls it into view, checks
# nothing covers it, clicks it, and reports where the click landed: the element it points
# to, whether that is now the :target and in the viewport, its text, and the source label
# (〔…〕) printed last before it (the appendix groups quotes under their source).
_FOLLOW = """
selector => [...document.querySelectorAll(selector)].map(a => {
  a.scrollIntoView({block: "center"});
  const r = a.getClientRects()[0];  // a link wrapped over two lines: its first line
  const hit = !!r && a.contains(document.elementFromPoint(r.x + r.width / 2, r.y + r.height / 2));
  a.click();
  const target = document.getElementById(decodeURIComponent(a.hash.slice(1)));
  const out = {link: a.textContent.trim(), href: a.getAttribute("href"), hit, found: !!target};
  if (!target) return out;
  const box = target.getBoundingClientRect();
  const labels = [...document.querySelectorAll("strong")].filter(s =>
    /^〔.*〕$/.test(s.textContent.trim()) &&
    (s.compareDocumentPosition(target) & Node.DOCUMENT_POSITION_FOLLOWING));
  return {...out, isTarget: target.matches(":target"),
    inView: box.bottom > 0 && box.top < innerHeight, text: target.textContent,
    label: labels.length ? labels[labels.length - 1].textContent.trim() : "",
    cites: target.querySelectorAll("a.quote-link").length};
})
"""


def _follow(page, selector: str) -> list[dict]:
    followed = page.evaluate(_FOLLOW, selector)
    assert followed, f"the report has no {selector}"
    for link in followed:
        where = f"{link['link']!r} ({link['href']})"
        assert link["hit"], f"{where} is covered or has no size"
        assert link["found"], f"{where} points to a missing id"
        assert link["isTarget"] and link["inView"], f"{where} did not land on its target"
    return followed


@pytest.mark.parametrize(("report_id", "width"), CASES)
def test_every_note_marker_lands_on_its_note(open_report, report_id, width) -> None:
    _follow(open_report(report_id, width), "sup.fnref a[href^='#']")


@pytest.mark.parametrize(("report_id", "width"), CASES)
def test_every_source_link_lands_on_its_quote(open_report, report_id, width) -> None:
    for link in _follow(open_report(report_id, width), "a.quote-link[href^='#']"):
        cited = link["link"]  # 〔source〕locator, several locators joined by ；
        source, locators = cited[: cited.index("〕") + 1], cited[cited.index("〕") + 1 :]
        assert link["label"] == source, f"{cited!r} landed among {link['label']}'s quotes"
        for locator in locators.split("；"):
            assert locator in link["text"], f"{cited!r} landed on {link['text'][:60]!r}"


@pytest.mark.parametrize("report_id", ["huli", "all"])
def test_every_note_links_to_the_quotes_it_cites(open_report, report_id) -> None:
    notes = _follow(open_report(report_id, 1280), "sup.fnref a[href^='#']")
    bare = sorted({n["href"] for n in notes if not n["cites"]})
    assert not bare, f"{len(bare)} notes cite a source without a link to its quote: {bare}"


# Effective size of each visible chart label: its font size times the scale at which the
# SVG is drawn (user units to CSS px, rotation taken out).
_CHART_TEXT = """
() => [...document.querySelectorAll("figure.chart svg")]
  .filter(svg => svg.getClientRects().length > 0)
  .flatMap((svg, chart) => [...svg.querySelectorAll("text")]
    .filter(t => t.textContent.trim())
    .map(t => {
      const m = t.getScreenCTM();
      const scale = Math.sqrt(Math.abs(m.a * m.d - m.b * m.c));
      return {chart, text: t.textContent.trim(),
              px: parseFloat(getComputedStyle(t).fontSize) * scale,
              label: svg.getAttribute("aria-label") || ""};
    }))
"""


@pytest.mark.parametrize(("report_id", "width"), CASES)
def test_no_chart_text_under_9px(open_report, report_id, width) -> None:
    page = open_report(report_id, width)
    texts = page.evaluate(_CHART_TEXT)
    assert texts, "the report shows charts"
    small = [t for t in texts if t["px"] < MIN_TEXT_PX - 0.01]
    worst = {}
    for t in small:
        key = t["label"][:30]
        worst[key] = min(worst.get(key, 99.0), round(t["px"], 2))
    assert not small, f"{len(small)} of {len(texts)} chart labels under {MIN_TEXT_PX} px: {worst}"
