"""Benchmark the intake: a folder of 100 replies (TXT, HTML, DOCX, PDF) drafted in one run.

Run ``make bench-intake`` (or ``.venv/bin/python benchmarks/intake_bench.py [--n 100]``).
The folder is made from the seed replies in the sources folder, cycling through the four
formats (HTML pages get site navigation around the text; PDFs are typeset with Typst), then
``python -m reportlib intake FOLDER/* --locality bench`` runs once in a subprocess and its
wall time is the result (target: 100 replies in under a minute on two cores). It also
drafts each seed reply and reports recall and precision against ``data/facts.csv``.
Prints a table and writes ``build/intake-bench.json``.
"""

from __future__ import annotations

import argparse
import html
import json
import os
import subprocess
import sys
import tempfile
import time
from pathlib import Path

import pandas as pd

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT / "src"))

from reportlib import paths  # noqa: E402
from reportlib.intake import evaluate, run  # noqa: E402

FORMATS = ("txt", "html", "docx", "pdf")


def _paragraphs(text: str) -> list[str]:
    return [line.strip() for line in text.splitlines() if line.strip()]


def _write(text: str, fmt: str, path: Path) -> None:
    paragraphs = _paragraphs(text)
    if fmt == "txt":
        path.write_text(text, encoding="utf-8")
    elif fmt == "html":
        nav = (
            "<nav><a href='/'>首页</a> <a href='/gk'>政务公开</a> <a href='/hd'>互动交流</a></nav>"
        )
        body = "".join(f"<p>{html.escape(p)}</p>" for p in paragraphs)
        page = f"<html><body>{nav}<article>{body}</article><footer>网站地图</footer></body></html>"
        path.write_text(page, encoding="utf-8")
    elif fmt == "docx":
        import docx

        document = docx.Document()
        for p in paragraphs:
            document.add_paragraph(p)
        document.save(path)
    else:
        import typst

        from reportlib.render.fonts import find_cjk_font

        font = find_cjk_font()
        escaped = [
            "".join("\\" + c if c in "\\#*_$@<`[]=-+/~" else c for c in p) for p in paragraphs
        ]
        typ = path.with_suffix(".typ")
        typ.write_text(
            f'#set text(font: "{font.family}", size: 10pt)\n' + "\n\n".join(escaped),
            encoding="utf-8",
        )
        typst.compile(str(typ), output=str(path), font_paths=[str(font.path.parent)])
        typ.unlink()


def make_folder(folder: Path, n: int) -> dict[str, int]:
    """n replies cycling over the seed replies and the four formats; files per format."""
    sources = pd.read_csv(paths.data_dir() / "sources.csv", dtype=str, keep_default_na=False)
    replies = sources[(sources.kind == "proposal_reply") & (sources.text_file != "")]
    texts = [(paths.sources_dir() / f).read_text(encoding="utf-8") for f in replies.text_file]
    counts = dict.fromkeys(FORMATS, 0)
    for i in range(n):
        fmt = FORMATS[i % len(FORMATS)]
        _write(texts[i % len(texts)], fmt, folder / f"reply-{i:03d}.{fmt}")
        counts[fmt] += 1
    return counts


def quality(tmp: Path) -> dict[str, object]:
    """Recall and precision of the drafts of each seed reply against the curated facts."""
    data = paths.data_dir()
    sources = pd.read_csv(data / "sources.csv", dtype=str, keep_default_na=False)
    curated = pd.read_csv(data / "facts.csv", dtype=str, keep_default_na=False)
    scores = []
    for row in sources[sources.kind == "proposal_reply"].itertuples():
        out = tmp / f"seed-{row.source_id}"
        run([paths.sources_dir() / row.text_file], row.locality_id, row.source_id, out, data)
        drafts = pd.read_csv(out / "facts.csv", dtype=str, keep_default_na=False)
        scores.append(evaluate.compare(drafts, curated[curated.source_id == row.source_id]))
    score = evaluate.total(scores)
    return {
        "recall": round(score.recall, 4),
        "found": score.found,
        "curated": score.curated,
        "precision": round(score.precision, 4),
        "matching": score.matching,
        "drafted": score.drafted,
        "missed": score.missed,
        "extra": score.extra,
    }


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--n", type=int, default=100, help="replies in the folder")
    args = parser.parse_args()
    with tempfile.TemporaryDirectory(prefix="intake-bench-") as tmp_name:
        tmp = Path(tmp_name)
        folder = tmp / "in"
        folder.mkdir()
        made = make_folder(folder, args.n)
        files = sorted(str(p) for p in folder.iterdir())
        command = [sys.executable, "-m", "reportlib", "intake", *files, "--locality", "bench"]
        start = time.perf_counter()
        subprocess.run([*command, "--out", str(tmp / "out")], check=True, stdout=subprocess.DEVNULL)
        seconds = time.perf_counter() - start
        scores = quality(tmp)
    result = {
        "replies": args.n,
        "formats": made,
        "seconds": round(seconds, 2),
        "per_minute": round(args.n / seconds * 60, 1),
        "target": "100 replies < 60 s",
        "pass": seconds * 100 / args.n < 60,
        "cores": os.cpu_count(),
        "seed_quality": scores,
    }
    print(
        f"intake of {args.n} replies ({made}): {seconds:.1f} s "
        f"({'pass' if result['pass'] else 'FAIL'}: target < 60 s per 100)"
    )
    print(
        f"seed replies: recall {scores['found']}/{scores['curated']} = {scores['recall']:.1%}, "
        f"precision {scores['matching']}/{scores['drafted']} = {scores['precision']:.1%}"
    )
    out = ROOT / "build" / "intake-bench.json"
    out.parent.mkdir(exist_ok=True)
    out.write_text(json.dumps(result, ensure_ascii=False, indent=2) + "\n", encoding="utf-8")
    print(f"written {out}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
