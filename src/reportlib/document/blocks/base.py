"""What a notebook cell displays: a :class:`Block`, or several as a :class:`BlockList`.

Anything that renders to HTML, Pandoc Markdown and Typst (:class:`Renderable`) can stand in a
BlockList: every block does, and so does a chart (:class:`~reportlib.document.charts.style.Figure`),
which is no Block because it also carries its SVG.
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from typing import Any, Protocol, runtime_checkable

from reportlib.document.blocks.escape import TYPST_MIME


@runtime_checkable
class Renderable(Protocol):
    """Renders to an HTML, a Pandoc Markdown and a Typst fragment, each escaped."""

    def to_html(self) -> str: ...

    def to_markdown(self) -> str: ...

    def to_typst(self) -> str: ...


class Block:
    """Base class: something a notebook cell can display, in HTML and in Pandoc Markdown."""

    def to_html(self) -> str:
        """HTML fragment (escaped)."""
        raise NotImplementedError

    def to_markdown(self) -> str:
        """Pandoc Markdown fragment (escaped), separated from neighbours by blank lines."""
        raise NotImplementedError

    def to_typst(self) -> str:
        """Typst markup fragment (escaped), separated from neighbours by blank lines."""
        raise NotImplementedError

    def _repr_mimebundle_(
        self, include: Any = None, exclude: Any = None
    ) -> dict[str, str]:  # IPython protocol
        return {
            "text/html": self.to_html(),
            "text/markdown": self.to_markdown(),
            TYPST_MIME: self.to_typst(),
        }

    def __add__(self, other: Renderable) -> BlockList:
        return concat(self, other)

    def __radd__(self, other: Any) -> BlockList:
        # lets sum(list_of_blocks, BlockList()) and sum(...) starting at 0 work
        if other == 0:
            return concat(self)
        return NotImplemented


@dataclass(frozen=True)
class BlockList(Block):
    """Several blocks displayed as one cell output (what a section function returns)."""

    blocks: tuple[Renderable, ...] = ()

    def __init__(self, blocks: Iterable[Renderable] = ()):
        flat: list[Renderable] = []
        for b in blocks:
            if isinstance(b, BlockList):
                flat.extend(b.blocks)
            elif isinstance(b, Renderable):
                flat.append(b)
            else:
                raise TypeError(f"BlockList items must be blocks, not {type(b).__name__}")
        object.__setattr__(self, "blocks", tuple(flat))

    def __iter__(self) -> Iterator[Renderable]:
        return iter(self.blocks)

    def __len__(self) -> int:
        return len(self.blocks)

    def to_html(self) -> str:
        """The blocks' HTML, one after the other."""
        return "\n".join(b.to_html() for b in self.blocks)

    def to_markdown(self) -> str:
        """The blocks' Markdown, separated by blank lines."""
        return "\n\n".join(b.to_markdown() for b in self.blocks)

    def to_typst(self) -> str:
        """The blocks' Typst, separated by blank lines."""
        return "\n\n".join(b.to_typst() for b in self.blocks)


def concat(*blocks: Renderable | Iterable[Renderable]) -> BlockList:
    """Join blocks (or lists of blocks) into one :class:`BlockList`."""
    flat: list[Renderable] = []
    for b in blocks:
        if isinstance(b, Renderable):
            flat.append(b)
        else:
            flat.extend(b)
    return BlockList(flat)
