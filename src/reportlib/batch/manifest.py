"""A batch's manifest (``build/manifest.json``) and which reports the batch replaced."""

from __future__ import annotations

import datetime as dt
import json
from pathlib import Path
from typing import Any

from reportlib import paths

__all__ = ["MANIFEST_NAME", "replaced_reports", "write_manifest"]

MANIFEST_NAME = "manifest.json"


def write_manifest(manifest: dict[str, Any], build_dir: Path) -> Path:
    """Write ``manifest.json`` into ``build_dir`` atomically (temp file, then rename)."""
    build_dir.mkdir(parents=True, exist_ok=True)
    target = build_dir / MANIFEST_NAME
    paths.clean_stale_temps(build_dir)
    text = json.dumps(manifest, ensure_ascii=False, indent=2, sort_keys=False) + "\n"
    paths.atomic_write(target, text.encode("utf-8"))
    return target


def replaced_reports(out: Path, ids: list[str], since: dt.datetime) -> list[str]:
    """The localities whose HTML and PDF were both written by this batch."""
    start = since.timestamp() - 1  # file times are coarser than the clock on some disks
    done = []
    for loc in ids:
        try:
            times = [(out / loc / f"{loc}.{ext}").stat().st_mtime for ext in ("html", "pdf")]
        except OSError:
            continue
        if min(times) >= start:
            done.append(loc)
    return done
