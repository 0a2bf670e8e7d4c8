"""An in-process papermill engine: runs a notebook's code cells in this Python process.

Starting a Jupyter kernel and importing pandas/matplotlib in it costs more than the report
itself; this engine executes the cells in one IPython ``InteractiveShell`` per process and
gives every notebook a fresh namespace. Papermill stays the executor of record: it injects
the parameters, and the engine calls its ``NotebookExecutionManager`` hooks so the executed
notebook carries the same execution metadata as with papermill's own (kernel) engine.

Registered with papermill as ``"reportlib"`` at import and through the ``papermill.engine``
entry point, so ``papermill.execute_notebook(..., engine_name="reportlib")`` works anywhere.

Isolation between notebooks: the user namespace is reset, matplotlib figures are closed,
rcParams, how objects are displayed (formatters, inline figure formats), warning filters,
the working directory, ``sys.argv`` and ``sys.path`` are restored. Modules a notebook
imports stay imported (that is the point); module-level state they mutate is not rolled
back. As in a kernel, the process's matplotlib backend becomes the inline one (pyplot
figures left open at the end of a cell are displayed, then closed). The engine cannot run
inside IPython/Jupyter itself (use papermill's kernel engine there).
"""

from __future__ import annotations

import base64
import contextlib
import functools
import io
import os
import sys
import warnings
from collections.abc import Iterator
from typing import TYPE_CHECKING, Any

import nbformat

if TYPE_CHECKING:  # IPython is imported when the first shell is made
    from IPython.core.displayhook import DisplayHook
    from IPython.core.displaypub import DisplayPublisher
    from IPython.core.interactiveshell import InteractiveShell

# papermill is imported lazily (and registered with at the end of this module): importing
# papermill loads the ``papermill.engine`` entry points, i.e. this module, so this module
# must not need papermill before ``InProcessEngine`` exists.

ENGINE_NAME = "reportlib"

#: Tag that lets a cell fail without stopping the notebook (same convention as nbclient).
ALLOW_ERROR_TAG = "raises-exception"


class _Outputs:
    """Collects one cell's outputs as nbformat output nodes, the way nbclient builds them."""

    def __init__(self, stdout_file: Any = None, stderr_file: Any = None) -> None:
        self.outputs: list[nbformat.NotebookNode] = []
        self.clear_pending = False
        self.display_ids: dict[str, list[int]] = {}
        self.files = {"stdout": stdout_file, "stderr": stderr_file}
        self.error: nbformat.NotebookNode | None = None

    def _append(self, out: nbformat.NotebookNode, display_id: str | None = None) -> None:
        if self.clear_pending:
            self.outputs.clear()
            self.display_ids.clear()
            self.clear_pending = False
        if display_id:
            self.display_ids.setdefault(display_id, []).append(len(self.outputs))
        self.outputs.append(out)

    def stream(self, name: str, text: str) -> None:
        if not text:
            return
        target = self.files.get(name)
        if target is not None:
            target.write(text)
            target.flush()
        last = self.outputs[-1] if self.outputs and not self.clear_pending else None
        # The kernel buffers writes and flushes them together; merging consecutive writes to
        # the same stream gives the same outputs.
        if last is not None and last.output_type == "stream" and last.name == name:
            last.text += text
        else:
            self._append(nbformat.v4.new_output("stream", name=name, text=text))

    def display(
        self,
        data: dict[str, Any],
        metadata: dict[str, Any] | None,
        transient: dict[str, Any] | None,
        update: bool,
    ) -> None:
        data, metadata = _json_bundle(data), _json_clean(metadata or {})
        display_id = (transient or {}).get("display_id")
        if display_id and display_id in self.display_ids:
            for idx in self.display_ids[display_id]:
                self.outputs[idx].data = data
                self.outputs[idx].metadata = metadata
            if update:
                return
        elif update:
            return
        self._append(_output("display_data", data=data, metadata=metadata), display_id)

    def result(self, count: int, data: dict[str, Any], metadata: dict[str, Any] | None) -> None:
        out = _output(
            "execute_result",
            data=_json_bundle(data),
            metadata=_json_clean(metadata or {}),
            execution_count=count,
        )
        self._append(out)

    def fail(self, ename: str, evalue: str, traceback: list[str]) -> None:
        out = nbformat.v4.new_output("error", ename=ename, evalue=evalue, traceback=traceback)
        self.error = out
        self._append(out)

    def clear(self, wait: bool) -> None:
        if wait:
            self.clear_pending = True
        else:
            self.outputs.clear()
            self.display_ids.clear()


def _output(output_type: str, **fields: Any) -> nbformat.NotebookNode:
    """A display or result output, as ``nbformat.v4.new_output`` builds it but not validated.

    Validating each output against the notebook schema cost ~30 ms a report (dozens of large
    outputs); papermill validates the whole notebook when it writes it.
    """
    return nbformat.from_dict({"output_type": output_type, **fields})


def _json_clean(obj: Any) -> Any:
    """Make display data JSON-safe like ipykernel's ``json_clean`` (bytes become base64)."""
    if isinstance(obj, dict):
        return {str(k): _json_clean(v) for k, v in obj.items()}
    if isinstance(obj, (list, tuple)):
        return [_json_clean(v) for v in obj]
    if isinstance(obj, (bytes, bytearray)):
        return base64.b64encode(obj).decode("ascii")
    return obj


def _json_bundle(data: dict[str, Any]) -> dict[str, Any]:
    return {str(k): _json_clean(v) for k, v in data.items()}


class _StreamWriter(io.TextIOBase):
    """A text stream that turns writes into the current cell's stream outputs."""

    def __init__(self, shell: Any, name: str) -> None:
        self._shell = shell
        self.name = name

    @property
    def encoding(self) -> str:  # type: ignore[override]
        return "utf-8"

    def writable(self) -> bool:
        return True

    def isatty(self) -> bool:
        return False

    def write(self, text: str) -> int:
        sink = self._shell.sink
        if sink is not None:
            sink.stream(self.name, str(text))
        return len(text)


_SHELL: Any = None
_INLINE_BACKEND = "module://matplotlib_inline.backend_inline"


def _publisher_class() -> type[DisplayPublisher]:
    """IPython's DisplayPublisher sending ``display()`` calls to the shell's sink."""
    from IPython.core.displaypub import DisplayPublisher

    class _Publisher(DisplayPublisher):
        def publish(
            self,
            data: dict[str, Any],
            metadata: dict[str, Any] | None = None,
            source: Any = None,
            *,
            transient: dict[str, Any] | None = None,
            update: bool = False,
            **kwargs: Any,
        ) -> None:
            sink = self.shell.sink if self.shell is not None else None
            if sink is not None:
                sink.display(data, metadata, transient, update)

        def clear_output(self, wait: bool = False) -> None:
            sink = self.shell.sink if self.shell is not None else None
            if sink is not None:
                sink.clear(wait)

    return _Publisher


def _hook_class() -> type[DisplayHook]:
    """IPython's DisplayHook sending a cell's result to the shell's sink."""
    from IPython.core.displayhook import DisplayHook

    class _Hook(DisplayHook):
        def start_displayhook(self) -> None:
            self._pending: dict[str, Any] = {}

        def write_output_prompt(self) -> None:
            self._pending["count"] = self.prompt_count

        def write_format_data(self, format_dict: dict, md_dict: dict | None = None) -> None:
            self._pending["data"] = format_dict
            self._pending["metadata"] = md_dict

        def flush(self) -> None:
            # IPython's flush ends with gc.collect(), ~0.1 s per reset with pandas and
            # matplotlib loaded; the collector runs on its own schedule anyway.
            shell = self.shell
            if shell is not None:
                for n in range(1, self.prompt_count + 1):
                    shell.user_ns_hidden.pop(f"_{n}", None)
                    shell.user_ns.pop(f"_{n}", None)
                out_history = shell.user_ns.get("_oh")
                if out_history is not None:
                    out_history.clear()
            self._, self.__, self.___ = "", "", ""

        def finish_displayhook(self) -> None:
            pending, self._pending = getattr(self, "_pending", {}), {}
            sink = self.shell.sink if self.shell is not None else None
            if sink is not None and pending.get("data"):
                sink.result(pending["count"], pending["data"], pending.get("metadata"))

    return _Hook


@functools.cache
def _shell_class() -> type[InteractiveShell]:
    """The InteractiveShell whose displays, results and errors go to its ``sink``.

    Built on first use (IPython is imported lazily), once: the shell is a singleton of it.
    """
    from IPython.core.interactiveshell import InteractiveShell
    from traitlets import Type

    class _Shell(InteractiveShell):
        display_pub_class = Type(_publisher_class())
        displayhook_class = Type(_hook_class())
        sink: _Outputs | None = None

        def _showtraceback(self, etype: type, evalue: BaseException, stb: list[str]) -> None:
            if self.sink is not None:
                self.sink.fail(str(etype.__name__), str(evalue), list(stb))

        def enable_gui(self, gui: str | None = None) -> None:
            # No event loop to integrate with: figures are shown by the inline backend.
            return None

    return _Shell


def _make_shell() -> Any:
    """Create the process's InteractiveShell with output capture (IPython imported lazily)."""
    from IPython.core.interactiveshell import InteractiveShell
    from traitlets.config import Config

    shell_class = _shell_class()
    config = Config()
    config.HistoryManager.enabled = False
    # Plain tracebacks keep the error outputs readable in the HTML and PDF.
    config.InteractiveShell.colors = "nocolor"
    config.InteractiveShell.xmode = "Context"
    if InteractiveShell.initialized() and not isinstance(InteractiveShell.instance(), shell_class):
        from reportlib.errors import ReportlibError

        # get_ipython() would return that shell, so display() would bypass our capture.
        raise ReportlibError(
            "the in-process notebook engine cannot run inside IPython or Jupyter (a shell "
            "already exists in this process); render with engine='kernel' there, or run "
            "`python -m reportlib render` in a terminal"
        )
    main_module = sys.modules.get("__main__")
    shell = shell_class.instance(config=config)
    # InteractiveShell installs its namespace as ``__main__``; keep the real one, so that
    # multiprocessing and ``python -m`` keep working in this process.
    if main_module is not None:
        sys.modules["__main__"] = main_module
    # Same as a Jupyter kernel: figures left open at the end of a cell are shown inline.
    import matplotlib

    if "matplotlib.pyplot" in sys.modules:
        with contextlib.redirect_stdout(io.StringIO()):
            shell.enable_matplotlib("inline")
    else:
        # What ipykernel does with MPLBACKEND: if a notebook imports pyplot, it starts with
        # the inline backend, which hooks itself into this shell. Reports that never import
        # pyplot (charts.py does not) skip its import (~0.25 s).
        matplotlib.use(_INLINE_BACKEND)
    return shell


def get_shell() -> Any:
    """The process's shared InteractiveShell (created on first use)."""
    global _SHELL
    if _SHELL is None:
        _SHELL = _make_shell()
    return _SHELL


def warm_up() -> None:
    """Create the shell and import what reports need, so the first report is not slower."""
    get_shell()
    import pandas  # noqa: F401


def _language_info() -> dict[str, Any]:
    """The ``language_info`` an IPython kernel reports, so exporters treat both alike."""
    return {
        "name": "python",
        "version": sys.version.split()[0],
        "mimetype": "text/x-python",
        "codemirror_mode": {"name": "ipython", "version": sys.version_info[0]},
        "pygments_lexer": "ipython3",
        "nbconvert_exporter": "python",
        "file_extension": ".py",
    }


@contextlib.contextmanager
def _isolated(shell: Any) -> Iterator[None]:
    """Run one notebook with a fresh namespace; undo its process-wide side effects after."""
    cwd = os.getcwd()
    argv, path = list(sys.argv), list(sys.path)
    stdout, stderr = sys.stdout, sys.stderr
    rc = _rc_snapshot()
    display = _display_snapshot(shell)
    shell.reset(new_session=False, aggressive=False)
    shell.execution_count = 1
    try:
        with warnings.catch_warnings():
            sys.stdout = _StreamWriter(shell, "stdout")
            sys.stderr = _StreamWriter(shell, "stderr")
            yield
    finally:
        sys.stdout, sys.stderr = stdout, stderr
        shell.sink = None
        _close_figures()
        _rc_restore(rc)
        _display_restore(shell, display)
        sys.argv[:] = argv
        sys.path[:] = path
        with contextlib.suppress(OSError):
            os.chdir(cwd)
        # Drop the notebook's objects now rather than at the next notebook.
        shell.reset(new_session=False, aggressive=False)


def _formatters(shell: Any) -> list[Any]:
    fmt = shell.display_formatter
    return [fmt.mimebundle_formatter, *fmt.formatters.values()]


def _display_snapshot(shell: Any) -> tuple[Any, list[tuple[dict, dict]]]:
    """How objects display (``notebook.setup`` changes it): figure formats, type printers."""
    formats = None
    inline = sys.modules.get("matplotlib_inline.config")
    if inline is not None and inline.InlineBackend.initialized():
        formats = set(inline.InlineBackend.instance().figure_formats)
    printers = [(dict(f.type_printers), dict(f.deferred_printers)) for f in _formatters(shell)]
    return formats, printers


def _display_restore(shell: Any, snap: tuple[Any, list[tuple[dict, dict]]]) -> None:
    formats, printers = snap
    for formatter, (types, deferred) in zip(_formatters(shell), printers, strict=True):
        formatter.type_printers = types
        formatter.deferred_printers = deferred
    inline = sys.modules.get("matplotlib_inline.config")
    if inline is None or not inline.InlineBackend.initialized():
        return
    backend = inline.InlineBackend.instance()
    if formats is None:  # the backend appeared during this notebook: back to its defaults
        formats = set(inline.InlineBackend.class_traits()["figure_formats"].default())
    backend.figure_formats = formats
    if "matplotlib.pyplot" in sys.modules:
        # what the inline integration registers for figures, as before the notebook (or as
        # pyplot's import would have in a fresh process)
        from IPython.core.pylabtools import select_figure_formats

        select_figure_formats(shell, backend.figure_formats, **backend.print_figure_kwargs)


def _rc_snapshot() -> dict[str, Any] | None:
    mpl = sys.modules.get("matplotlib")
    if mpl is None:
        return None
    snap = dict(mpl.rcParams.copy())
    _drop_integration_keys(snap)
    return snap


def _drop_integration_keys(snap: dict[str, Any]) -> None:
    # The backend and interactive mode belong to the shell's inline integration (set when
    # pyplot is first imported), not to a notebook: restoring them would turn it off.
    snap.pop("backend", None)
    snap.pop("interactive", None)


def _rc_restore(snap: dict[str, Any] | None) -> None:
    mpl = sys.modules.get("matplotlib")
    if mpl is None:
        return
    if snap is None:
        snap = dict(mpl.rcParamsDefault.copy())
        _drop_integration_keys(snap)
    # dict.update bypasses validation and deprecation warnings, like matplotlib.rc_context.
    dict.update(mpl.rcParams, snap)


def _close_figures() -> None:
    plt = sys.modules.get("matplotlib.pyplot")
    if plt is not None:
        plt.close("all")


def _manager_class(save_every_cell: bool) -> type:
    """Papermill's execution manager, or one that writes the notebook only at the end."""
    from papermill.engines import NotebookExecutionManager

    if save_every_cell:
        return NotebookExecutionManager

    class DeferredSaveManager(NotebookExecutionManager):
        """Writes the output notebook once at the end, not at every cell start and end.

        A report with large SVG outputs would otherwise be re-serialised twice per cell;
        papermill writes the final notebook (and the failed one) itself after the engine.
        """

        _deferred = True

        def save(self, **kwargs: Any) -> None:
            if self._deferred:
                self.last_save_time = self.now()
                return
            super().save(**kwargs)

        def autosave_cell(self) -> None:
            return None

        def notebook_complete(self, **kwargs: Any) -> None:
            self._deferred = False
            super().notebook_complete(**kwargs)

    return DeferredSaveManager


class InProcessEngine:
    """Papermill engine executing code cells in this process (see the module docstring).

    It has the interface of ``papermill.engines.Engine`` without inheriting from it, so
    that defining it does not import papermill (see the note at the imports).
    """

    @classmethod
    def execute_notebook(
        cls,
        nb: nbformat.NotebookNode,
        kernel_name: str | None,
        output_path: str | None = None,
        progress_bar: bool = False,
        log_output: bool = False,
        autosave_cell_every: int = 30,
        save_every_cell: bool = False,
        **kwargs: Any,
    ) -> nbformat.NotebookNode:
        """Execute ``nb`` through papermill's execution manager; return the executed notebook.

        ``save_every_cell`` restores papermill's behaviour of rewriting the output notebook at
        every cell start and end (useful to watch a long run; slow for big outputs).
        """
        nb_man = _manager_class(save_every_cell)(
            nb,
            output_path=output_path,
            progress_bar=progress_bar,
            log_output=log_output,
            autosave_cell_every=autosave_cell_every,
        )
        nb_man.notebook_start()
        try:
            cls.execute_managed_notebook(nb_man, kernel_name, log_output=log_output, **kwargs)
        finally:
            nb_man.cleanup_pbar()
            nb_man.notebook_complete()
        return nb_man.nb

    @classmethod
    def nb_kernel_name(cls, nb: nbformat.NotebookNode, name: str | None = None) -> str:
        """The notebook's kernel name; ``python3`` when it names none (no kernel is started)."""
        from papermill.utils import nb_kernel_name

        try:
            return nb_kernel_name(nb, name)
        except ValueError:
            return "python3"

    @classmethod
    def nb_language(cls, nb: nbformat.NotebookNode, language: str | None = None) -> str:
        """The notebook's language; ``python`` when it names none."""
        from papermill.utils import nb_language

        try:
            return nb_language(nb, language)
        except ValueError:
            return "python"

    @classmethod
    def execute_managed_notebook(
        cls,
        nb_man: Any,
        kernel_name: str | None,
        log_output: bool = False,
        stdout_file: Any = None,
        stderr_file: Any = None,
        **kwargs: Any,
    ) -> nbformat.NotebookNode:
        """Run every code cell in order; stop at the first failing cell (papermill's rule)."""
        shell = get_shell()
        nb = nb_man.nb
        with _isolated(shell):
            for index, cell in enumerate(nb.cells):
                nb_man.cell_start(cell, index)
                try:
                    failed = cell.cell_type == "code" and not _run_cell(
                        shell, cell, stdout_file, stderr_file
                    )
                    if failed:
                        nb_man.cell_exception(cell, cell_index=index)
                        break
                finally:
                    nb_man.cell_complete(cell, cell_index=index)
        nb.metadata["language_info"] = _language_info()
        return nb


def _run_cell(shell: Any, cell: nbformat.NotebookNode, stdout_file: Any, stderr_file: Any) -> bool:
    """Execute one code cell into ``cell.outputs``; False when it failed and must stop the run."""
    cell.outputs = []
    if not cell.source.strip():
        # nbclient does not send empty cells to the kernel either.
        cell.execution_count = None
        return True
    sink = _Outputs(stdout_file, stderr_file)
    shell.sink = sink
    cell.execution_count = shell.execution_count
    try:
        result = shell.run_cell(cell.source, store_history=True)
    finally:
        shell.sink = None
        cell.outputs = sink.outputs
    if result.success and sink.error is None:
        return True
    if sink.error is None:
        # An error IPython did not show (should not happen): still record an error output.
        exc = result.error_in_exec or result.error_before_exec
        ename = type(exc).__name__ if exc is not None else "CellExecutionError"
        sink.fail(ename, str(exc) if exc is not None else "", [])
        cell.outputs = sink.outputs
    tags = cell.get("metadata", {}).get("tags", [])
    return ALLOW_ERROR_TAG in tags


from papermill.engines import papermill_engines  # noqa: E402  (see the note at the imports)

papermill_engines.register(ENGINE_NAME, InProcessEngine)
