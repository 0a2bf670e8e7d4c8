"""Command line: ``python -m reportlib list|validate|facts|render|preview|intake|accept|verify``.

A thin layer: every command forwards to a library function and turns ``ReportlibError``s
into a message on stderr and an exit status (1; 2 for an unknown locality). The parser is
:mod:`reportlib.cli.parser`'s, the sub-commands' handlers :mod:`reportlib.cli.commands`'.
"""

from __future__ import annotations

import sys
from collections.abc import Sequence

from reportlib.cli.commands import (
    EXIT_ERROR,
    EXIT_INTERRUPTED,
    EXIT_OK,
    EXIT_UNKNOWN,
    format_table,
)
from reportlib.cli.parser import build_parser
from reportlib.errors import (
    BatchInterrupted,
    ReportlibError,
    UnknownLocalityError,
    describe_os_error,
)

__all__ = [
    "EXIT_ERROR",
    "EXIT_INTERRUPTED",
    "EXIT_OK",
    "EXIT_UNKNOWN",
    "build_parser",
    "format_table",
    "main",
]


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
