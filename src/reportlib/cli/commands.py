"""The handlers of ``python -m reportlib``'s sub-commands: each forwards to a library function.

A handler takes the parsed arguments and returns the exit status; ``HANDLERS`` maps each
sub-command to its handler (:mod:`reportlib.cli.parser` binds them). Heavy layers (render,
batch, intake) are imported inside the handler that needs them.
"""

from __future__ import annotations

import argparse
import sys
from collections.abc import Callable

import pandas as pd

from reportlib.data import dataset as facts
from reportlib.document.text_width import display_width
from reportlib.errors import ReportlibError

__all__ = ["EXIT_ERROR", "EXIT_INTERRUPTED", "EXIT_OK", "EXIT_UNKNOWN", "HANDLERS", "format_table"]

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


#: Sub-command → handler.
HANDLERS: dict[str, Callable[[argparse.Namespace], int]] = {
    "list": _cmd_list,
    "validate": _cmd_validate,
    "facts": _cmd_facts,
    "render": _cmd_render,
    "preview": _cmd_preview,
    "intake": _cmd_intake,
    "accept": _cmd_accept,
    "verify": _cmd_verify,
}
