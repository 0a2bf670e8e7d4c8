"""``python -m reportlib`` forwards to the command line interface."""

from reportlib.cli import main

raise SystemExit(main())
