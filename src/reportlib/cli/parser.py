"""The argument parser of ``python -m reportlib``: one small function per sub-command."""

from __future__ import annotations

import argparse
from collections.abc import Callable
from typing import TypeAlias

from reportlib.cli.commands import HANDLERS
from reportlib.data import dates

__all__ = ["build_parser"]

#: What ``add_subparsers`` returns (argparse names the class privately).
_Sub: TypeAlias = "argparse._SubParsersAction[argparse.ArgumentParser]"


def _iso_date(text: str) -> str:
    try:
        return dates.day(text).isoformat()
    except ValueError as exc:
        raise argparse.ArgumentTypeError(f"expected a date YYYY-MM-DD, got {text!r}") from exc


def _data_options(p: argparse.ArgumentParser) -> None:
    p.add_argument("--data", metavar="DIR", help="data folder (default: the project's data/)")
    p.add_argument("--sources", metavar="DIR", help="folder of the source texts")


def _list(sub: _Sub) -> None:
    p = sub.add_parser("list", help="localities and sources")
    _data_options(p)
    p.set_defaults(handler=HANDLERS["list"])


def _validate(sub: _Sub) -> None:
    p = sub.add_parser("validate", help="check every table; print every problem")
    _data_options(p)
    p.set_defaults(handler=HANDLERS["validate"])


def _facts(sub: _Sub) -> None:
    p = sub.add_parser("facts", help="one locality's facts as a table")
    p.add_argument("locality", metavar="LOCALITY")
    _data_options(p)
    p.set_defaults(handler=HANDLERS["facts"])


def _render(sub: _Sub) -> None:
    p = sub.add_parser("render", help="render one locality's report (or --all)")
    target = p.add_mutually_exclusive_group(required=True)
    target.add_argument("locality", metavar="LOCALITY", nargs="?")
    target.add_argument("--all", action="store_true", help="every locality, with a manifest")
    _data_options(p)
    p.add_argument("--out", metavar="DIR", help="reports folder (default: reports/)")
    p.add_argument("--build", metavar="DIR", help="build folder (default: build/)")
    p.add_argument("--as-of", type=_iso_date, metavar="YYYY-MM-DD", help="report date")
    p.add_argument("--route", choices=("auto", "builtin", "quarto"), default="auto")
    p.add_argument("--engine", choices=("inprocess", "kernel"), default="inprocess")
    p.add_argument("--workers", type=int, metavar="N", help="parallel workers for --all")
    p.add_argument(
        "--notebook", metavar="FILE", help="render an edited copy of the report notebook"
    )
    p.set_defaults(handler=HANDLERS["render"])


def _preview(sub: _Sub) -> None:
    p = sub.add_parser("preview", help="serve one report's HTML, re-rendered on every save")
    p.add_argument("locality", metavar="LOCALITY")
    _data_options(p)
    p.add_argument("--as-of", type=_iso_date, metavar="YYYY-MM-DD", help="report date")
    p.add_argument(
        "--host", default="127.0.0.1", help="address to listen on (default: %(default)s)"
    )
    p.add_argument("--port", type=int, default=8765, help="port; 0 picks a free one")
    p.set_defaults(handler=HANDLERS["preview"])


def _intake(sub: _Sub) -> None:
    p = sub.add_parser("intake", help="draft data records from a document (TXT, HTML, PDF, DOCX)")
    p.add_argument("files", metavar="FILE", nargs="+")
    p.add_argument("--locality", required=True, metavar="ID")
    p.add_argument("--source-id", metavar="ID", help="default: <locality>-<year>-reply")
    p.add_argument("--out", metavar="DIR", help="drafts folder (default: build/intake/<file>)")
    _data_options(p)
    p.set_defaults(handler=HANDLERS["intake"])


def _accept(sub: _Sub) -> None:
    p = sub.add_parser("accept", help="merge the rows marked accept in a drafts folder into data/")
    p.add_argument("dir", metavar="DIR")
    _data_options(p)
    p.set_defaults(handler=HANDLERS["accept"])


def _verify(sub: _Sub) -> None:
    p = sub.add_parser(
        "verify",
        help="rebuild a report from its recorded commit and data; compare the bytes",
        description="Exit 0: reproduced; 3 commit not found; 4 made from uncommitted changes; "
        "5 data or source texts changed; 6 lock changed; 7 fonts differ; 8 output differs; "
        "1 error.",
    )
    p.add_argument("report", metavar="REPORT", help="a report's .pdf or .html file")
    p.add_argument("--repo", metavar="DIR", help="git repository (default: this project)")
    _data_options(p)
    p.set_defaults(handler=HANDLERS["verify"])


#: The sub-commands in the order ``--help`` lists them.
_SUB_COMMANDS: tuple[Callable[[_Sub], None], ...] = (
    _list,
    _validate,
    _facts,
    _render,
    _preview,
    _intake,
    _accept,
    _verify,
)


def build_parser() -> argparse.ArgumentParser:
    """The argument parser of ``python -m reportlib``."""
    parser = argparse.ArgumentParser(
        prog="reportlib",
        description="Sourced progress reports on AI education in primary and secondary schools.",
    )
    sub = parser.add_subparsers(dest="command", required=True)
    for add in _SUB_COMMANDS:
        add(sub)
    return parser
