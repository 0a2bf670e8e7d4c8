"""The report's wording as text templates an analyst can edit without Python.

Sentences live in ``src/reportlib/templates/text/`` as Jinja2 templates (``*.txt``): the
library computes the values and passes them in by name; the template says how they read.
``say("commitments/intro.txt", n=3, date="2025年8月31日")`` renders one.

- A template that names a value the library did not pass fails (``StrictUndefined``) with a
  :class:`WordingError` naming the template file and line, as does a syntax error.
- A changed template shows in the next render, also in a long-lived process (the preview):
  Jinja2 checks the file's modification time each time the template is asked for.
- Templates are plain text: the blocks that print them escape them for HTML and Typst, so
  no autoescaping here. Surrounding whitespace (the file's final newline) is stripped.
"""

from __future__ import annotations

import functools
import os
import traceback
from pathlib import Path
from typing import Any

from reportlib import paths
from reportlib.errors import WordingError

__all__ = ["TEXT_DIR_ENV", "WordingError", "say", "text_dir"]

#: Environment variable naming another folder of text templates (tests, a local variant).
TEXT_DIR_ENV = "REPORTLIB_TEXT_TEMPLATES"


def text_dir() -> Path:
    """The folder of text templates: ``$REPORTLIB_TEXT_TEMPLATES``, else the package's."""
    override = os.environ.get(TEXT_DIR_ENV)
    return Path(override).resolve() if override else paths.templates_dir() / "text"


@functools.cache
def _environment(folder: Path) -> Any:
    import jinja2

    return jinja2.Environment(
        loader=jinja2.FileSystemLoader(str(folder), encoding="utf-8"),
        undefined=jinja2.StrictUndefined,
        autoescape=False,
        auto_reload=True,  # an edited template is read again at its next use
        keep_trailing_newline=False,
        trim_blocks=True,
        lstrip_blocks=True,
    )


def _template_line(exc: BaseException, filename: str) -> int | None:
    """The line of ``filename`` in the traceback Jinja2 rewrote to point into the template."""
    line = None
    for frame in traceback.extract_tb(exc.__traceback__):
        if frame.filename == filename:
            line = frame.lineno
    return line


def say(name: str, /, **values: Any) -> str:
    """Render the text template ``name`` (a path inside :func:`text_dir`) with ``values``."""
    import jinja2

    folder = text_dir()
    path = folder / name
    try:
        template = _environment(folder).get_template(name)
    except jinja2.TemplateNotFound:
        raise WordingError(f"no text template {name!r} in {folder}", path) from None
    except jinja2.TemplateSyntaxError as exc:
        file = Path(exc.filename) if exc.filename else path
        raise WordingError(f"template syntax error: {exc.message}", file, exc.lineno) from None
    try:
        return template.render(**values).strip()
    except jinja2.UndefinedError as exc:
        known = ", ".join(sorted(values)) or "none"
        line = _template_line(exc, str(template.filename))
        raise WordingError(
            f"{exc.message}; the values this template is given are: {known}", path, line
        ) from None
