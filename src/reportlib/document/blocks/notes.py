"""Footnotes collected while one block renders: stable ids, numbers or letters, the list."""

from __future__ import annotations

import hashlib

from reportlib.document.blocks.citations import note_html
from reportlib.document.blocks.escape import escape_markdown


def digest(*parts: str) -> str:
    """A short hash of ``parts`` that is the same on every run: the key of a block's note ids."""
    h = hashlib.sha256()
    for part in parts:
        h.update(part.encode("utf-8"))
        h.update(b"\0")
    return h.hexdigest()[:10]


class Footnotes:
    """Footnotes collected while one block renders.

    Markdown ids are ``fn-<hash>-<n>``: the hash covers the block's plain text and all its
    notes, so ids are the same on every run (no counters shared between notebooks) and two
    different blocks never share one. HTML numbers the notes 1, 2, … under the block; a
    table's notes (``lettered``) are a, b, … with one letter per distinct text, as in the PDF.
    """

    def __init__(self, key: str, lettered: bool = False):
        self.key = key
        self.lettered = lettered
        self.notes: list[str] = []
        self._linked: set[int] = set()

    def add(self, text: str) -> int:
        # one number (or letter) per distinct text: short notes (label + locator) repeat
        if text in self.notes:
            return self.notes.index(text) + 1
        self.notes.append(text)
        return len(self.notes)

    def ident(self, n: int) -> str:
        return f"fn-{self.key}-{n}"

    def mark(self, n: int) -> str:
        return letter(n - 1) if self.lettered else str(n)

    def html_ref(self, n: int) -> str:
        i = self.ident(n)
        # ids are unique: a note cited by several cells links back to its first citation
        anchor = "" if n in self._linked else f' id="ref-{i}"'
        self._linked.add(n)
        return f'<sup class="fnref"><a href="#{i}"{anchor}>{self.mark(n)}</a></sup>'

    def md_ref(self, n: int) -> str:
        return f"[^{self.ident(n)}]"

    def html_list(self) -> str:
        if not self.notes:
            return ""
        items = "".join(
            f'<li id="{self.ident(n)}">{note_html(t)} '
            f'<a class="fnback" href="#ref-{self.ident(n)}" aria-label="back">↩</a></li>'
            for n, t in enumerate(self.notes, 1)
        )
        kind = ' type="a"' if self.lettered else ""
        return f'<ol class="block-notes"{kind}>{items}</ol>'

    def md_list(self) -> str:
        return "\n".join(
            f"[^{self.ident(n)}]: {escape_markdown(t).strip()}" for n, t in enumerate(self.notes, 1)
        )


def letter(index: int) -> str:
    """0 → a, 25 → z, 26 → aa: spreadsheet-style letters for table notes."""
    out = ""
    index += 1
    while index:
        index, rest = divmod(index - 1, 26)
        out = chr(ord("a") + rest) + out
    return out
