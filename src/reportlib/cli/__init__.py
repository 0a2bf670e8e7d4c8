"""Command line: ``python -m reportlib list|validate|facts|render|preview|intake|accept|verify``.

A thin layer: every command forwards to a library function and turns ``ReportlibError``s
into a message on stderr and an exit status (1; 2 for an unknown locality).
"""

from __future__ import annotations

import argparse
import sys
from collections.abc import Sequence
from datetime import date

import pandas as pd

from reportlib.data import dataset as facts
from reportlib.document.text_width import display_width
from reportlib.errors import (
    BatchInterrupted,
    ReportlibError,
    UnknownLocalityError,
    describe_os_error,
)

EXIT_OK, EXIT_ERROR, EXIT_UNKNOWN = 0, 1, 2
#: As a shell reports a command stopped by Ctrl-C (128 + SIGINT).
EXIT_INTERRUPTED = 130


def _cell(value: object) -> str:
    if value is None or (not isinstance(value, str) and pd.isna(value)):
        return ""
    return str(value)


def format_table(rows: list[list[str]], header: list[str]) -> str:
    """Rows as aligned text columns (CJK-aware), with a header and a rule."""
    widths = [max(display_width(r[i]) for r in [header, *rows]) for i in range(len(header))]

    def line(cells: list[str]) -> str:
        padded = [c + " " * (w - display_width(c)) for c, w in zip(cells, widths, strict=True)]
        return "  ".join(padded).rstrip()

    rule = "  ".join("-" * w for w in widths)
    return "\n".join([line(header), rule, *(line(r) for r in rows)])


def _cmd_list(args: argparse.Namespace) -> int:
    ds = facts.load(args.data, args.sources, validate=False)
    localities = [
        [
            _cell(r.locality_id),
            _cell(r.name_zh),
            _cell(r.name_en),
            _cell(r.level),
            ";".join(r.policy_scopes),
        ]
        for r in ds.localities.itertuples()
    ]
    print(f"Localities ({len(localities)}):")
    print(format_table(localities, ["id", "name", "English", "level", "policies"]))
    sources = [
        [
            _cell(r.source_id),
            _cell(r.written_date),
            _cell(r.published_date),
            _cell(r.kind),
            _cell(r.title),
        ]
        for r in ds.sources.itertuples()
    ]
    regions = [
        [_cell(r.region_id), _cell(r.name_zh), _cell(r.level), _cell(r.province)]
        for r in ds.regions.itertuples()
    ]
    print(f"\nProvinces and cities ({len(regions)}; render one for a roll-up):")
    print(format_table(regions, ["id", "name", "level", "province"]))
    print(f"\nSources ({len(sources)}):")
    print(format_table(sources, ["id", "written", "published", "kind", "title"]))
    return EXIT_OK


def _cmd_validate(args: argparse.Namespace) -> int:
    report = facts.check(args.data, args.sources)
    if report.problems:
        for problem in report.problems:
            print(problem)
        print(f"{len(report.problems)} problem(s) found", file=sys.stderr)
        return EXIT_ERROR
    from reportlib.data.regions import division_warnings

    # Names checked against China's divisions are warnings: the package's data can lag.
    ds = facts.load(args.data, args.sources, validate=False)
    for warning in division_warnings(ds.localities):
        print(f"warning: {warning}", file=sys.stderr)
    counts = ", ".join(f"{n} {name}" for name, n in report.rows.items())
    unverified = report.unverified_quotes
    note = f"; {unverified} quote(s) unverified (no source text)" if unverified else ""
    print(f"OK: {counts} in {report.data_dir}{note}")
    return EXIT_OK


def _cmd_facts(args: argparse.Namespace) -> int:
    ds = facts.load(args.data, args.sources, validate=False)
    ds.locality(args.locality)  # raises UnknownLocalityError listing the known ids
    names = dict(zip(ds.indicators["indicator_id"], ds.indicators["name_zh"], strict=True))
    rows = [
        [
            _cell(r.fact_id),
            _cell(names.get(r.indicator_id, r.indicator_id)),
            _cell(r.value_text),
            _cell(r.unit),
            _cell(r.qualifier),
            _cell(r.kind),
            _cell(r.as_of),
        ]
        for r in ds.facts[ds.facts["locality_id"] == args.locality].itertuples()
    ]
    name = _cell(ds.locality(args.locality)["name_zh"])
    print(f"{args.locality} {name}: {len(rows)} fact(s)")
    if rows:
        header = ["id", "indicator", "value_text", "unit", "qualifier", "kind", "as_of"]
        print(format_table(rows, header))
    return EXIT_OK


def _cmd_render(args: argparse.Namespace) -> int:
    # Imported here: rendering pulls in papermill/nbconvert, which list/validate don't need.
    if args.all and args.notebook:
        raise ReportlibError("--notebook renders one report: give a LOCALITY, not --all")
    if args.all:
        from reportlib.batch import render_all

        manifest = render_all(
            data_dir=args.data,
            sources_dir=args.sources,
            out_dir=args.out,
            build_dir=args.build,
            as_of=args.as_of,
            workers=args.workers,
            quiet=False,
        )
        failed = list(manifest.get("failed", []))
        if failed:
            # each failure and its error were printed as it happened; name them once more
            # with where the failing cell and kept notebook are recorded
            print(
                f"failed: {', '.join(failed)} (details in {manifest['manifest']})",
                file=sys.stderr,
            )
        return EXIT_ERROR if failed else EXIT_OK
    from reportlib.render import render_locality

    result = render_locality(
        args.locality,
        data_dir=args.data,
        sources_dir=args.sources,
        out_dir=args.out,
        build_dir=args.build,
        as_of=args.as_of,
        route=args.route,
        engine=args.engine,
        notebook=args.notebook,
    )
    for label in ("html", "pdf", "notebook"):
        path = getattr(result, label, None)
        if path:
            print(f"{label}: {path}")
    return EXIT_OK


def _cmd_preview(args: argparse.Namespace) -> int:
    from reportlib.render.preview import Preview, serve

    preview = Preview(args.locality, data_dir=args.data, sources_dir=args.sources, as_of=args.as_of)
    serve(preview, host=args.host, port=args.port)
    return EXIT_OK


def _cmd_intake(args: argparse.Namespace) -> int:
    from reportlib.intake import run

    results = run(args.files, args.locality, args.source_id, args.out, args.data)
    for result in results:
        print((result.out_dir / "intake.log").read_text(encoding="utf-8"), end="")
        print(f"review: {result.out_dir / 'review.html'}")
    return EXIT_OK


def _cmd_accept(args: argparse.Namespace) -> int:
    from reportlib.intake.accept import accept

    result = accept(args.dir, args.data, args.sources)
    merged = (
        ", ".join(f"{t} {n}" for t, n in result.merged.items()) or "nothing (no row marked accept)"
    )
    print(f"merged: {merged}")
    if result.skipped_tables:
        print(f"not merged (no such table in the data folder): {', '.join(result.skipped_tables)}")
    return EXIT_OK


def _cmd_verify(args: argparse.Namespace) -> int:
    from reportlib.render.verify import verify

    verdict = verify(args.report, repo=args.repo, data_dir=args.data, sources_dir=args.sources)
    print(verdict.summary())
    return verdict.exit_code


def _iso_date(text: str) -> str:
    try:
        return date.fromisoformat(text).isoformat()
    except ValueError as exc:
        raise argparse.ArgumentTypeError(f"expected a date YYYY-MM-DD, got {text!r}") from exc


def build_parser() -> argparse.ArgumentParser:
    """The argument parser of ``python -m reportlib``."""
    parser = argparse.ArgumentParser(
        prog="reportlib",
        description="Sourced progress reports on AI education in primary and secondary schools.",
    )
    sub = parser.add_subparsers(dest="command", required=True)

    def data_options(p: argparse.ArgumentParser) -> None:
        p.add_argument("--data", metavar="DIR", help="data folder (default: the project's data/)")
        p.add_argument("--sources", metavar="DIR", help="folder of the source texts")

    p = sub.add_parser("list", help="localities and sources")
    data_options(p)
    p.set_defaults(handler=_cmd_list)

    p = sub.add_parser("validate", help="check every table; print every problem")
    data_options(p)
    p.set_defaults(handler=_cmd_validate)

    p = sub.add_parser("facts", help="one locality's facts as a table")
    p.add_argument("locality", metavar="LOCALITY")
    data_options(p)
    p.set_defaults(handler=_cmd_facts)

    p = sub.add_parser("render", help="render one locality's report (or --all)")
    target = p.add_mutually_exclusive_group(required=True)
    target.add_argument("locality", metavar="LOCALITY", nargs="?")
    target.add_argument("--all", action="store_true", help="every locality, with a manifest")
    data_options(p)
    p.add_argument("--out", metavar="DIR", help="reports folder (default: reports/)")
    p.add_argument("--build", metavar="DIR", help="build folder (default: build/)")
    p.add_argument("--as-of", type=_iso_date, metavar="YYYY-MM-DD", help="report date")
    p.add_argument("--route", choices=("auto", "builtin", "quarto"), default="auto")
    p.add_argument("--engine", choices=("inprocess", "kernel"), default="inprocess")
    p.add_argument("--workers", type=int, metavar="N", help="parallel workers for --all")
    p.add_argument(
        "--notebook", metavar="FILE", help="render an edited copy of the report notebook"
    )
    p.set_defaults(handler=_cmd_render)

    p = sub.add_parser("preview", help="serve one report's HTML, re-rendered on every save")
    p.add_argument("locality", metavar="LOCALITY")
    data_options(p)
    p.add_argument("--as-of", type=_iso_date, metavar="YYYY-MM-DD", help="report date")
    p.add_argument(
        "--host", default="127.0.0.1", help="address to listen on (default: %(default)s)"
    )
    p.add_argument("--port", type=int, default=8765, help="port; 0 picks a free one")
    p.set_defaults(handler=_cmd_preview)
    p = sub.add_parser("intake", help="draft data records from a document (TXT, HTML, PDF, DOCX)")
    p.add_argument("files", metavar="FILE", nargs="+")
    p.add_argument("--locality", required=True, metavar="ID")
    p.add_argument("--source-id", metavar="ID", help="default: <locality>-<year>-reply")
    p.add_argument("--out", metavar="DIR", help="drafts folder (default: build/intake/<file>)")
    data_options(p)
    p.set_defaults(handler=_cmd_intake)

    p = sub.add_parser("accept", help="merge the rows marked accept in a drafts folder into data/")
    p.add_argument("dir", metavar="DIR")
    data_options(p)
    p.set_defaults(handler=_cmd_accept)

    p = sub.add_parser(
        "verify",
        help="rebuild a report from its recorded commit and data; compare the bytes",
        description="Exit 0: reproduced; 3 commit not found; 4 made from uncommitted changes; "
        "5 data or source texts changed; 6 lock changed; 7 fonts differ; 8 output differs; "
        "1 error.",
    )
    p.add_argument("report", metavar="REPORT", help="a report's .pdf or .html file")
    p.add_argument("--repo", metavar="DIR", help="git repository (default: this project)")
    data_options(p)
    p.set_defaults(handler=_cmd_verify)
    return parser


def main(argv: Sequence[str] | None = None) -> int:
    """Run the command line; returns the exit status."""
    args = build_parser().parse_args(argv)
    try:
        return int(args.handler(args))
    except BrokenPipeError:  # output piped into `head`: not an error
        return EXIT_OK
    except KeyboardInterrupt:
        # Ctrl-C during a single render: the previous report is untouched (atomic replace)
        print(
            "interrupted: the report being rendered was not replaced; run the command again",
            file=sys.stderr,
        )
        return EXIT_INTERRUPTED
    except BatchInterrupted as exc:
        print(exc, file=sys.stderr)
        return EXIT_INTERRUPTED
    except OSError as exc:
        print(f"error: {describe_os_error(exc)}", file=sys.stderr)
        return EXIT_ERROR
    except UnknownLocalityError as exc:
        print(f"error: {exc}", file=sys.stderr)
        return EXIT_UNKNOWN
    except ReportlibError as exc:
        print(f"error: {exc}", file=sys.stderr)
        return EXIT_ERROR
