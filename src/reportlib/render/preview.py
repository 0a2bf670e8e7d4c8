"""Live preview: serve one locality's HTML report on localhost and re-render it on every save.

``python -m reportlib preview huli`` (``make preview LOCALITY=huli``) renders the report's
HTML once, serves it at ``http://127.0.0.1:<port>/`` and watches the data folder (the
commentary included), the notebooks and the templates (HTML and text). After a save the
report is rendered again in this warm process, with the in-process notebook engine (no
imports, no kernel start: about half a second for a locality), and the page reloads itself.

A failed render shows its error at the top of the page over the last good report, which
stays; the next good render clears it. No PDF is made (``make report`` does that).

- watching: **watchfiles** (Rust ``notify``: inotify/FSEvents, no polling, debounced);
- reloading: the served page holds a few lines of script listening to Server-Sent Events on
  ``/events`` (the browser's ``EventSource``), served by the standard library's threaded
  HTTP server: no JavaScript bundle, no websocket library.
"""

from __future__ import annotations

import html
import os
import shutil
import sys
import tempfile
import threading
import time
import traceback
from collections.abc import Callable
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from typing import Any
from urllib.parse import parse_qs, urlparse

from reportlib import paths

__all__ = ["Preview", "serve"]

_RELOAD_SCRIPT = """<script>/* reportlib preview: reload when the report is rendered again */
(function () {
  var shown = "%s";
  var events = new EventSource("/events?v=" + shown);
  events.onmessage = function (e) { if (e.data !== shown) { location.reload(); } };
})();
</script>"""
_BANNER_STYLE = (
    "position:sticky;top:0;z-index:10;margin:0;padding:0.8em 1em;background:#fdecea;"
    "border-bottom:2px solid #b3261e;color:#5f1410;font:13px/1.5 monospace;white-space:pre-wrap"
)
#: How long an idle /events connection waits before a keep-alive comment (seconds).
_HEARTBEAT = 15.0


class Preview:
    """One locality's report, rendered in this process whenever asked; thread-safe reads."""

    def __init__(
        self,
        locality: str,
        data_dir: str | os.PathLike[str] | None = None,
        sources_dir: str | os.PathLike[str] | None = None,
        as_of: str | None = None,
        notebook: str | os.PathLike[str] | None = None,
    ) -> None:
        from reportlib.analysis.report_date import OVERVIEW

        self.locality = locality
        self.data_dir = paths.data_dir(data_dir)
        self.sources_dir = sources_dir
        self.as_of = as_of
        name = "overview_report.ipynb" if locality == OVERVIEW else "locality_report.ipynb"
        self.notebook = Path(notebook) if notebook else paths.notebooks_dir() / name
        # executed notebooks go to a folder of our own, never the project's build/
        self.work = Path(tempfile.mkdtemp(prefix="reportlib-preview-"))
        self.html: str | None = None
        self.error: str | None = None
        self.version = 0
        # tells a page served by an earlier preview process (whose versions it counted)
        # from one of ours: the browser reloads after the preview is restarted
        self.session = f"{os.getpid()}.{time.time_ns()}"
        self.seconds = 0.0
        self.changed = threading.Condition()

    def watched(self) -> list[Path]:
        """The folders whose changes re-render the report."""
        from reportlib.document.wording import text_dir

        found = [self.data_dir, self.notebook.parent, paths.templates_dir(), text_dir()]
        unique: list[Path] = []
        for p in found:
            if p.is_dir() and not any(p == u or p.is_relative_to(u) for u in unique):
                unique = [u for u in unique if not u.is_relative_to(p)] + [p]
        return unique

    def _render_html(self) -> str:
        from reportlib import render
        from reportlib.analysis.report_date import OVERVIEW, resolve_as_of
        from reportlib.data import dataset as facts
        from reportlib.render.fonts import find_cjk_font

        ds = facts.load(self.data_dir, self.sources_dir)
        if self.locality != OVERVIEW:
            ds.locality(self.locality)
        day = resolve_as_of(ds, self.as_of)
        params = {"as_of": day, "data_dir": str(ds.data_dir), "sources_dir": str(ds.sources_dir)}
        if self.locality != OVERVIEW:
            params = {"locality": self.locality, **params}
        executed = self.work / f"{self.locality}.ipynb"
        nb = render.execute(self.notebook.resolve(), executed, params, engine="inprocess")
        title = render.title_info(ds, self.locality, day)
        stamp = render.build_stamp(ds, "preview")
        return render.html_from_notebook(nb, title, stamp, find_cjk_font())

    def render(self) -> bool:
        """Render the report again; on failure keep the last good HTML and record the error."""
        from reportlib.render.html import forget_templates

        # a template may have changed: the exporter compiled the old one
        forget_templates()
        started = time.perf_counter()
        try:
            page, error = self._render_html(), None
        except Exception as exc:  # any failure is shown in the page, the server goes on
            page, error = None, _describe(exc)
        with self.changed:
            self.seconds = time.perf_counter() - started
            if page is not None:
                self.html = page
            self.error = error
            self.version += 1
            self.changed.notify_all()
        return error is None

    def page(self) -> tuple[str, int]:
        """The page to serve (last good report, error banner, reload script) and its version."""
        with self.changed:
            body, error, version = self.html, self.error, self.version
        if body is None:
            body = "<!DOCTYPE html><html><head><meta charset='utf-8'></head><body></body></html>"
        if error is not None:
            kept = "（下面是上一次成功渲染的报告）" if self.html is not None else ""
            banner = (
                f'<div id="reportlib-preview-error" style="{_BANNER_STYLE}">'
                f"渲染失败{kept}\n{html.escape(error)}</div>"
            )
            body = _after_body_tag(body, banner)
        script = _RELOAD_SCRIPT % self.stamp(version)
        if "</body>" in body:
            body = body.replace("</body>", script + "</body>", 1)
        else:
            body += script
        return body, version

    def stamp(self, version: int) -> str:
        """What the page and the event stream call a version: ``session-version``."""
        return f"{self.session}-{version}"

    def wait_for(self, seen: int, timeout: float) -> int:
        """Block until the version is newer than ``seen`` (or ``timeout``); the version."""
        with self.changed:
            self.changed.wait_for(lambda: self.version > seen, timeout=timeout)
            return self.version

    def watch(
        self,
        stop: threading.Event | None = None,
        debounce_ms: int = 50,
        quiet: bool = False,
        on_ready: Callable[[], None] | None = None,
    ) -> None:
        """Re-render after every batch of saves until ``stop`` is set (or Ctrl-C).

        ``on_ready`` runs once the watches are in place (the first render, say): a save made
        while it runs is caught, where a save made before the watcher existed was lost.
        """
        from watchfiles import DefaultFilter, watch

        ignore = (*DefaultFilter.ignore_dirs, ".ipynb_checkpoints")
        # yield_on_timeout: the first (empty) yield proves the watches exist
        for changes in watch(
            *self.watched(),
            watch_filter=DefaultFilter(ignore_dirs=ignore),
            debounce=debounce_ms,
            step=25,
            stop_event=stop,
            yield_on_timeout=True,
            rust_timeout=100,
        ):
            if on_ready is not None:
                ready, on_ready = on_ready, None
                ready()
            if changes:
                self.render()
                if not quiet:
                    self.report()

    def report(self) -> None:
        """One line on stderr: rendered in how long, or why not."""
        if self.error is None:
            print(f"rendered in {self.seconds:.2f} s", file=sys.stderr, flush=True)
        else:
            first = self.error.strip().splitlines()[0] if self.error.strip() else "error"
            print(f"render failed ({first}); serving the last good report", file=sys.stderr)

    def close(self) -> None:
        """Remove the preview's working folder."""
        shutil.rmtree(self.work, ignore_errors=True)


def _describe(exc: BaseException) -> str:
    from reportlib.errors import ReportlibError

    if isinstance(exc, ReportlibError):
        return f"{type(exc).__name__}: {exc}"
    return "".join(traceback.format_exception(type(exc), exc, exc.__traceback__)[-6:])


def _after_body_tag(page: str, fragment: str) -> str:
    start = page.find("<body")
    end = page.find(">", start) if start >= 0 else -1
    if end < 0:
        return fragment + page
    return page[: end + 1] + fragment + page[end + 1 :]


def _handler(preview: Preview) -> type[BaseHTTPRequestHandler]:
    class Handler(BaseHTTPRequestHandler):
        def log_message(self, format: str, *args: Any) -> None:  # noqa: A002
            return None  # one line per render is enough on the terminal

        def do_GET(self) -> None:  # noqa: N802 (http.server's naming)
            url = urlparse(self.path)
            if url.path in ("/", "/index.html", f"/{preview.locality}.html"):
                body, _ = preview.page()
                self._send(200, "text/html; charset=utf-8", body.encode("utf-8"))
            elif url.path == "/events":
                self._events(parse_qs(url.query).get("v", [""])[0])
            else:
                self._send(404, "text/plain; charset=utf-8", b"not found\n")

        def _send(self, status: int, kind: str, data: bytes) -> None:
            self.send_response(status)
            self.send_header("Content-Type", kind)
            self.send_header("Content-Length", str(len(data)))
            self.send_header("Cache-Control", "no-store")
            self.end_headers()
            self.wfile.write(data)

        def _events(self, shown: str) -> None:
            session, _, number = shown.rpartition("-")
            # a page of another preview process reloads at once (seen -1)
            seen = int(number) if session == preview.session and number.isdigit() else -1
            self.send_response(200)
            self.send_header("Content-Type", "text/event-stream")
            self.send_header("Cache-Control", "no-store")
            self.end_headers()
            try:
                while True:
                    version = preview.wait_for(seen, _HEARTBEAT)
                    if version > seen:
                        self.wfile.write(f"data: {preview.stamp(version)}\n\n".encode("ascii"))
                        seen = version
                    else:
                        self.wfile.write(b": keep-alive\n\n")
                    self.wfile.flush()
            except (BrokenPipeError, ConnectionResetError):
                return

    return Handler


def serve(
    preview: Preview,
    host: str = "127.0.0.1",
    port: int = 8765,
    stop: threading.Event | None = None,
) -> None:
    """Render, serve on ``host:port`` (0: any free port) and re-render on changes until stopped.

    Prints ``preview: http://host:port/`` on stdout once the server listens.
    """
    server = ThreadingHTTPServer((host, port), _handler(preview))
    server.daemon_threads = True
    thread = threading.Thread(target=server.serve_forever, name="preview-http", daemon=True)

    def first_render() -> None:
        preview.render()
        preview.report()
        thread.start()
        bound_host, bound_port = server.server_address[:2]
        if not isinstance(bound_host, str):  # typeshed allows bytes; an IPv4/6 server gives str
            bound_host = bytes(bound_host).decode("ascii")
        print(f"preview: http://{bound_host}:{bound_port}/", flush=True)

    try:
        preview.watch(stop, on_ready=first_render)
    except KeyboardInterrupt:
        pass
    finally:
        if thread.is_alive():
            server.shutdown()
        server.server_close()
        preview.close()
