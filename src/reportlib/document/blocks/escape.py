"""Escaping data text for HTML, Pandoc Markdown and Typst, so a source quote shows literally.

A quote such as ``<script>alert(1)</script> #panic("x") $x$ *a* @ref`` shows literally in the
HTML report (``html.escape``), in Markdown (a backslash before every ASCII punctuation
character, which Pandoc reads as that literal character) and in Typst (the same rule).
"""

from __future__ import annotations

import hashlib
import html
import re
import string

_MD_SPECIAL = re.compile("([" + re.escape(string.punctuation) + "])")
_WS = re.compile(r"\s*\n\s*")
#: An id usable as an HTML id and as a Typst label.
VALID_ID = re.compile(r"^[A-Za-z][A-Za-z0-9_:.-]*$")


def escape_html(text: str) -> str:
    """Escape text for HTML element content and attribute values."""
    return html.escape(text, quote=True)


def escape_markdown(text: str) -> str:
    """Escape text so Pandoc Markdown shows it literally.

    Every ASCII punctuation character gets a backslash (Pandoc's ``all_symbols_escapable``);
    line breaks become spaces because a break inside a table row or at the start of a line
    could change the structure (a list item, a heading, a new table row).
    """
    flat = _WS.sub(" ", text)
    return _MD_SPECIAL.sub(r"\\\1", flat)


#: Pandoc-style MIME type of the Typst rendering stored in notebook outputs.
TYPST_MIME = "text/x-typst"
_TYPST_SPECIAL = re.compile("([" + re.escape(string.punctuation) + "])")


def escape_typst(text: str) -> str:
    """Escape text so Typst markup shows it literally (inside ``[...]`` content too).

    Typst reads a backslash before any character as that character, so every ASCII
    punctuation character is escaped: markup (``*_`#$=@<>``), content brackets, comment
    starts (``//``) and list markers alike. Line breaks become spaces, as in Markdown.
    """
    return _TYPST_SPECIAL.sub(r"\\\1", _WS.sub(" ", text))


def typst_string(text: str) -> str:
    """A Typst string literal (double quotes) holding ``text``."""
    escaped = text.replace("\\", "\\\\").replace('"', '\\"')
    return '"' + escaped.replace("\n", "\\n").replace("\r", "\\r") + '"'


def typst_note(text: str) -> str:
    """A footnote in Typst, as a marker the PDF route numbers (render.number_typst_notes).

    The same note text always gives the same marker, so a note repeated anywhere in the
    report is printed once and referenced after. The text is escaped: the marker's content
    never holds an unescaped ``]``.
    """
    key = hashlib.sha256(text.encode("utf-8")).hexdigest()[:16]
    return f'#reportlib-note("{key}")[{escape_typst(text).strip()}]'
