"""Line breaking of Chinese chart labels at sensible points, never inside a word.

Chinese has no spaces: UAX #14 allows a break between any two ideographs, which splits
words ("人工|智能"). Break opportunities here are word boundaries from jieba (a dictionary
segmenter), with the rules of UAX #14 / GB/T 15834 on top: no line starts with closing
punctuation (，。、；：）》〕 …) and none ends with opening punctuation (（《〔 …); a
number keeps its unit or measure word (28号, 2027年); a title in 《》 stays whole when it
fits on a line. Widths come from a caller's measuring function, so the same code wraps for
the SVG charts (matplotlib's text metrics) and anything else.
"""

from __future__ import annotations

import functools
import json
import logging
import re
from collections.abc import Callable, Sequence
from pathlib import Path
from typing import Any

from reportlib import paths
from reportlib.data import cache

__all__ = ["segments", "wrap"]

_CLOSING = set("，。、；：？！）》」』〕】〉”’,.;:?!)]}%％·…—")
_OPENING = set("（《「『〔【〈“‘([{")
_NUMBER = re.compile(r"^[0-9０-９.,，\-–~～]+$")
#: Pieces that bind both neighbours: 2025-2027, 人工智能+教育.
_JOINERS = {"-", "–", "—", "~", "～", "+", "/", "·"}
#: Suffixes that jieba may leave on their own but that belong to the word before: 常态|化.
_SUFFIXES = set("化性率式型")
#: Single characters that read as one word with the number before them.
_UNITS = set("年月日号所个人名项次万亿元位批期届条家间门节课学%％")


@functools.cache
def _tokenizer() -> Any:  # jieba ships no types
    import jieba

    jieba.setLogLevel(logging.WARNING)  # it logs its dictionary loading at INFO
    tok = jieba.Tokenizer()
    tok.initialize()
    return tok


# Loading jieba's dictionary takes ~1 s (a 350,000-word dict), longer than drawing a
# report's charts; the few hundred labels a report has are segmented once and kept in the
# user's reportlib cache (reportlib.data.cache: never the project's build/, which a render with
# --build elsewhere must not touch), one file per jieba version, so a re-render never loads
# the dictionary.
_words_cache: dict[str, list[str]] | None = None


def _cache_path() -> Path | None:
    from importlib.metadata import version

    folder = cache.cache_dir()
    return None if folder is None else folder / f"linebreak-jieba-{version('jieba')}.json"


def _read_cache(path: Path | None) -> dict[str, list[str]]:
    if path is None:
        return {}
    try:
        data = json.loads(path.read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return {}
    return data if isinstance(data, dict) else {}


def _words(text: str) -> list[str]:
    """jieba's words of ``text`` (HMM on, for names it does not know), cached on disk."""
    global _words_cache
    path = _cache_path()
    if _words_cache is None:
        _words_cache = _read_cache(path)
    words = _words_cache.get(text)
    if isinstance(words, list) and "".join(words) == text:
        return words
    words = [w for w in _tokenizer().cut(text, HMM=True) if w]
    # merge with what other processes wrote meanwhile; the write is atomic (temp, rename)
    _words_cache = {**_read_cache(path), **_words_cache, text: words}
    if path is None:
        return words
    try:
        text_out = json.dumps(_words_cache, ensure_ascii=False, sort_keys=True)
        paths.atomic_write(path, text_out.encode("utf-8"))
    except OSError:
        pass  # a read-only build folder only costs the dictionary load next time
    return words


@functools.lru_cache(maxsize=2048)
def segments(text: str) -> tuple[str, ...]:
    """``text`` cut into the pieces a line may break between (joined they give ``text``)."""
    words = _words(text)
    pieces: list[str] = []
    glue_next = False  # the previous piece ended with opening punctuation
    for word in words:
        attach = (
            bool(pieces)
            and (
                glue_next
                or word[0] in _CLOSING
                or word[0] == "〔"  # a document number: 国发〔2017〕35号
                or word in _JOINERS
                or word.isspace()  # break after a space, never before
                or word in _SUFFIXES
                or (_NUMBER.match(pieces[-1][-1:] or "") is not None and word[0] in _UNITS)
                or (pieces[-1].endswith("第") and _NUMBER.match(word) is not None)
                or (
                    pieces[-1][-1:].isascii()
                    and pieces[-1][-1:].isalnum()
                    and word[:1].isascii()
                    and word[:1].isalnum()
                )
            )
        )
        if attach:
            pieces[-1] += word
        else:
            pieces.append(word)
        glue_next = word[-1] in _OPENING or word in _JOINERS
    return tuple(pieces)


def _groups(pieces: Sequence[str]) -> list[str]:
    """Pieces with every 《…》 title and （…） aside joined into one piece."""
    out: list[str] = []
    depth = 0
    for piece in pieces:
        if depth > 0:
            out[-1] += piece
        else:
            out.append(piece)
        depth += sum(piece.count(c) for c in "《（(") - sum(piece.count(c) for c in "》）)")
        depth = max(depth, 0)
    return out


def _greedy(pieces: Sequence[str], room: float, width: Callable[[str], float]) -> list[str]:
    lines: list[str] = []
    line = ""
    for piece in pieces:
        if line and width(line + piece) > room:
            lines.append(line)
            line = piece
        else:
            line += piece
    if line:
        lines.append(line)
    return [line.rstrip() for line in lines]


def _fill(pieces: Sequence[str], room: float, width: Callable[[str], float]) -> list[str]:
    """Greedy lines, then as even as the same number of lines allows (no short last line)."""
    lines = _greedy(pieces, room, width)
    if len(lines) < 2:
        return lines
    low, high = max(width(p) for p in pieces), room
    best = lines
    for _ in range(12):  # bisect the narrowest room that keeps the line count
        mid = (low + high) / 2
        trial = _greedy(pieces, mid, width)
        if len(trial) <= len(lines):
            best, high = trial, mid
        else:
            low = mid
    return best


def wrap(
    text: str,
    room: float,
    width: Callable[[str], float] | None = None,
    *,
    max_lines: int | None = None,
    split_words: bool = False,
) -> list[str]:
    """``text`` as lines no wider than ``room`` (by ``width``; default: 1 per full-width
    character, ½ per ASCII one), broken only between :func:`segments`.

    Lines come out as even as their number allows. A 《…》 title or （…） aside stays on
    one line when that costs no extra line (or none beyond ``max_lines``); a single word wider than
    ``room`` gets a line of its own and overflows rather than being cut, unless
    ``split_words`` (a last resort where overflowing would cover a neighbour) splits it
    between characters.
    """
    width = width or _em_width
    if not text or width(text) <= room:
        return [text] if text else []
    pieces: Sequence[str] = segments(text)
    if split_words:
        pieces = [p for piece in pieces for p in (piece if width(piece) > room else [piece])]
    plain = _fill(pieces, room, width)
    grouped_pieces = _groups(pieces)
    if len(grouped_pieces) != len(pieces):
        grouped = _fill(grouped_pieces, room, width)
        fits = all(width(line) <= room for line in grouped)
        limit = max(len(plain), max_lines or 0)
        if fits and len(grouped) <= limit:
            return grouped
    return plain


def _em_width(text: str) -> float:
    return sum(0.5 if ch.isascii() else 1.0 for ch in text)
