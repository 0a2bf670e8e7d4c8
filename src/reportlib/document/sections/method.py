"""方法说明与局限: the sources, how coverage, implied totals, numbers and notes work."""

from __future__ import annotations

from datetime import date
from typing import Any

from reportlib.data import tables
from reportlib.data.dataset import Dataset
from reportlib.document.blocks import BlockList, Paragraph, strong
from reportlib.document.citations import source_label
from reportlib.document.sections.common import heading, locality_reply, sources_in_report
from reportlib.document.wording import say


@tables.shared_lookups()
def method(ds: Dataset, locality_id: str, as_of: date | str | None = None) -> BlockList:
    """方法说明与局限: what the sources are, how coverage and implied totals are computed."""
    loc = tables.locality_row(ds, locality_id)
    reply = locality_reply(ds, locality_id)
    labels = "、".join(
        source_label(ds, str(sid))
        for sid in sources_in_report(ds, locality_id)["source_id"]
        if reply is None or sid != reply["source_id"]
    )
    own = (
        say(
            "method/own_reply.txt",
            issuer=tables.text(reply["issuer"]),
            label=source_label(ds, str(reply["source_id"])),
        )
        if reply is not None
        else say("method/own_no_reply.txt", locality=tables.text(loc["name_zh"]))
    )
    return BlockList([heading("method"), *method_paragraphs(own, labels)])


def method_paragraphs(own: str, notices: str, example: str = "") -> list[Any]:
    """The method paragraphs: a bold lead-in and the wording of ``templates/text/method``."""
    paragraphs = [
        ("资料来源。", say("method/sources.txt", own=own, notices=notices)),
        ("对照方法。", say("method/coverage.txt")),
        ("推算总数。", say("method/implied.txt")),
        ("数字与日期。", say("method/numbers.txt")),
        ("注释。", say("method/notes.txt", example=example)),
    ]
    return [Paragraph([strong(head), text]) for head, text in paragraphs]
