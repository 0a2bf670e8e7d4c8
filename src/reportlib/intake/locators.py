"""A document's heading hierarchy (一、 （一） 1. 一是) and its sentences with locators.

Every sentence records where it is in the text (character offsets, for the review page)
and the locator a person would write: the top heading as printed followed by the markers
of the headings below it (``二、措施与成效（一）1.``), or a lower heading in full when it
has no parent (``(一)基础设施建设``). Lines of the letterhead and the sign-off block
(contact, copy-to, printing lines) are set apart so nothing is drafted from them.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

CN_DIGITS = "一二三四五六七八九十"
_HEADINGS = (
    (1, re.compile(rf"^([{CN_DIGITS}]{{1,3}})、")),
    (2, re.compile(rf"^[（(]([{CN_DIGITS}]{{1,3}})[)）]")),
    (3, re.compile(r"^(\d{1,2})[.．、](?!\d)")),
)
#: A heading's title is at most this long; a longer line with a marker is a paragraph.
_MAX_TITLE = 70
_TITLE_END = re.compile(r"[。：:]")
_SENTENCE_END = "。！？!?"
#: A line ending in one of these ends its paragraph; otherwise the next line continues it
#: (page and line breaks in PDFs and in copied web text cut sentences in two).
_PARAGRAPH_END = tuple("。！？!?；;：:")
_ENUMERATION = re.compile(rf"^[{CN_DIGITS}]是")
#: Lines of the sign-off and distribution block: nothing is drafted from them.
FOOTER = re.compile(
    r"^(抄送|联系人|联系电话|电话|签发人|承办单位|[\u4e00-\u9fff]{0,6}领导[：:]|扫一扫|"
    r"（此件|\(此件|此件|附件[：:]|[\u4e00-\u9fff]{0,20}\d{4}\s*年.{0,12}印发$)"
)
#: A signing-date line on its own (``2025年6月17日``; ``202572`` where 年/日 were lost).
DATE_LINE = re.compile(
    r"^(\d{4}\s*年\s*\d{1,2}\s*月\s*\d{1,2}\s*日|20\d{3,6}|\d{4}[-./]\d{1,2}[-./]\d{1,2})$"
)


@dataclass(frozen=True)
class Heading:
    """A heading line: level (1 一、, 2 （一）, 3 1.), its marker and title as printed."""

    level: int
    marker: str
    title: str
    start: int
    end: int

    @property
    def printed(self) -> str:
        return self.marker + self.title


@dataclass(frozen=True)
class Sentence:
    """One sentence of body text: offsets in the text, text without line breaks, locator."""

    start: int
    end: int
    text: str
    locator: str
    headings: tuple[str, ...]
    index: int  # order in the document
    paragraph: int = 0  # order of its paragraph


@dataclass(frozen=True)
class Document:
    """The text split into headings, sentences, and front and footer lines."""

    text: str
    headings: list[Heading]
    sentences: list[Sentence]
    footer: list[tuple[int, int]]  # spans of sign-off lines

    def heading_titles(self) -> list[str]:
        return [h.printed for h in self.headings]


def _heading(line: str, start: int) -> tuple[Heading | None, int]:
    """The heading a line opens with, and the offset where body text after it starts."""
    stripped = line.lstrip()
    lead = len(line) - len(stripped)
    for level, pattern in _HEADINGS:
        match = pattern.match(stripped)
        if not match:
            continue
        rest = stripped[match.end() :]
        end_match = _TITLE_END.search(rest)
        title = rest[: end_match.end()] if end_match else rest
        if len(title.strip()) == 0 or len(title) > _MAX_TITLE:
            return None, start
        title_text = title.rstrip("。：: ").strip()
        body_from = start + lead + match.end() + len(title)
        marker = match.group(0)
        h = Heading(level, marker, title_text, start + lead, body_from)
        return h, body_from
    return None, start


def _unclosed(title: str) -> bool:
    """Whether a heading's quotes or brackets are still open at the end of its line."""
    return title.count("“") > title.count("”") or title.count("（") > title.count("）")


def _locator(path: list[Heading]) -> str:
    if not path:
        return "正文"
    top, *rest = path
    return top.printed + "".join(h.marker.rstrip("、") for h in rest)


def _split_sentences(text: str, spans: list[tuple[int, int]]) -> list[tuple[int, int]]:
    """Sentence spans inside a paragraph made of ``spans`` (line pieces) of ``text``."""
    out: list[tuple[int, int]] = []
    start = spans[0][0]
    for a, b in spans:
        for i in range(a, b):
            if text[i] in _SENTENCE_END:
                j = i + 1
                while j < b and text[j] in "”’」）)":
                    j += 1
                out.append((start, j))
                start = j
    end = spans[-1][1]
    if text[start:end].strip():
        out.append((start, end))
    return [(a, b) for a, b in out if text[a:b].strip()]


def parse(text: str) -> Document:
    """Headings, sentences with locators, and footer lines of ``text``."""
    headings: list[Heading] = []
    footer: list[tuple[int, int]] = []
    paragraphs: list[tuple[list[tuple[int, int]], list[Heading]]] = []
    path: list[Heading] = []
    current: list[tuple[int, int]] = []
    offset, wrapped = 0, ""  # "open": a heading's quote is open; "line": it may wrap
    for raw in text.splitlines(keepends=True):
        line = raw.rstrip("\r\n")
        start, offset = offset, offset + len(raw)
        stripped = line.strip()
        if not stripped:
            continue
        if FOOTER.match(stripped) or DATE_LINE.match(stripped):
            footer.append((start, start + len(line)))
            current = []
            continue
        tail = len(stripped) <= 3 and not stripped.endswith(_PARAGRAPH_END)
        if wrapped and (len(stripped) <= _MAX_TITLE // 2 if wrapped == "open" else tail):
            # a long heading wrapped onto this line (PDF layout): its title goes on
            last = headings[-1]
            title = (last.title + stripped).rstrip("。：: ")
            headings[-1] = Heading(last.level, last.marker, title, last.start, start + len(line))
            path = path[:-1] + [headings[-1]]
            wrapped = "open" if _unclosed(title) else ""
            continue
        heading, body_from = _heading(line, start)
        wrapped = ""
        if heading is not None and body_from >= start + len(line):
            wrapped = "open" if _unclosed(heading.title) else "line"
        if heading is not None:
            headings.append(heading)
            path = [h for h in path if h.level < heading.level] + [heading]
            current = []
        piece = (body_from, start + len(line))
        if heading is not None and not text[piece[0] : piece[1]].strip():
            continue
        if current and not text[current[-1][0] : current[-1][1]].rstrip().endswith(_PARAGRAPH_END):
            current.append(piece)
        else:
            current = [piece]
            paragraphs.append((current, list(path)))
    sentences: list[Sentence] = []
    for number, (spans, heading_path) in enumerate(paragraphs):
        locator = _locator(heading_path)
        titles = tuple(h.printed for h in heading_path)
        enum = ""
        for a, b in _split_sentences(text, spans):
            body = re.sub(r"\s*\n\s*", "", text[a:b]).strip()
            match = _ENUMERATION.match(body)
            if match:
                enum = match.group(0)
            loc = locator + enum
            sentences.append(Sentence(a, b, body, loc, titles, len(sentences), number))
    return Document(text, headings, sentences, footer)
