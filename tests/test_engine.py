"""The in-process papermill engine: outputs, errors, isolation, equivalence with the kernel."""

from __future__ import annotations

import os
from pathlib import Path

import matplotlib
import nbformat
import papermill
import pytest
from papermill.exceptions import PapermillExecutionError

from reportlib.render import engine

KERNELSPEC = {"name": "python3", "display_name": "Python 3", "language": "python"}

BLOCK_CELL = """\
class Block:
    def _repr_mimebundle_(self, include=None, exclude=None):
        data = {"text/html": "<p>块</p>", "text/markdown": "块", "image/svg+xml": "<svg/>"}
        return data, {"reportlib": {"caption": "图 1", "alt": "说明"}}

from IPython.display import display
display(Block())
x * 2
"""


def _notebook(path: Path, *sources: str, parameters: str | None = "x = 1") -> Path:
    nb = nbformat.v4.new_notebook()
    nb.metadata.kernelspec = KERNELSPEC
    if parameters is not None:
        nb.cells.append(nbformat.v4.new_code_cell(parameters, metadata={"tags": ["parameters"]}))
    nb.cells.append(nbformat.v4.new_markdown_cell("# 标题"))
    nb.cells.extend(nbformat.v4.new_code_cell(src) for src in sources)
    nbformat.write(nb, path)
    return path


def _run(src: Path, out: Path, engine_name: str | None = engine.ENGINE_NAME, **params: object):
    return papermill.execute_notebook(
        str(src), str(out), parameters=params or None, engine_name=engine_name, progress_bar=False
    )


@pytest.fixture
def display_notebook(tmp_path: Path) -> Path:
    return _notebook(
        tmp_path / "display.ipynb",
        "import sys\nprint('一')\nprint('二')\nprint('warn', file=sys.stderr)",
        BLOCK_CELL,
        "",
    )


def test_engine_is_registered_by_name_and_entry_point() -> None:
    from importlib.metadata import entry_points

    assert papermill.engines.papermill_engines.get_engine("reportlib") is engine.InProcessEngine
    names = {ep.name for ep in entry_points(group="papermill.engine")}
    assert "reportlib" in names


def test_outputs_streams_display_and_result_are_captured(display_notebook: Path, tmp_path: Path):
    nb = _run(display_notebook, tmp_path / "out.ipynb", x=21)
    code = [c for c in nb.cells if c.cell_type == "code"]
    # papermill injects a parameters cell after the tagged one.
    assert "x = 21" in code[1].source
    assert nb.metadata.papermill["parameters"] == {"x": 21}
    stream = code[2].outputs
    assert [(o.name, o.text) for o in stream] == [("stdout", "一\n二\n"), ("stderr", "warn\n")]
    display, result = code[3].outputs
    assert display.output_type == "display_data"
    assert display.data["text/markdown"] == "块"
    assert display.data["image/svg+xml"] == "<svg/>"
    assert display.metadata == {"reportlib": {"caption": "图 1", "alt": "说明"}}
    assert result.output_type == "execute_result"
    assert result.data["text/plain"] == "42"
    assert result.execution_count == code[3].execution_count == 4
    assert code[4].outputs == [] and code[4].execution_count is None
    assert nb.metadata.language_info["name"] == "python"
    # The executed notebook on disk records execution metadata like papermill's own engine.
    saved = nbformat.read(tmp_path / "out.ipynb", as_version=4)
    assert saved.metadata.papermill["duration"] is not None
    assert all(c.metadata.papermill["status"] == "completed" for c in saved.cells)


def test_failing_cell_raises_papermill_error_naming_the_cell(tmp_path: Path) -> None:
    src = _notebook(tmp_path / "fail.ipynb", "y = 1", "raise ValueError('坏')", "print('never')")
    out = tmp_path / "fail-out.ipynb"
    with pytest.raises(PapermillExecutionError) as info:
        _run(src, out)
    err = info.value
    assert (err.ename, err.evalue) == ("ValueError", "坏")
    assert "raise ValueError" in err.source
    kept = nbformat.read(out, as_version=4)
    failed = [c for c in kept.cells if c.get("outputs") and c.outputs[0].output_type == "error"]
    assert len(failed) == 1 and failed[0].metadata.papermill["status"] == "failed"
    never = [c for c in kept.cells if c.source == "print('never')"][0]
    assert never.outputs == [] and never.metadata.papermill["status"] == "pending"


def test_no_state_leaks_between_notebooks(tmp_path: Path) -> None:
    cwd = os.getcwd()
    width = matplotlib.rcParams["lines.linewidth"]
    a = _notebook(
        tmp_path / "a.ipynb",
        "secret = 42\nimport os, matplotlib.pyplot as plt\n"
        "plt.rcParams['lines.linewidth'] = 9\nfig = plt.figure()\nos.chdir('/')",
    )
    b = _notebook(tmp_path / "b.ipynb", "import matplotlib.pyplot as plt\nlen(plt.get_fignums())")
    _run(a, tmp_path / "a-out.ipynb")
    assert os.getcwd() == cwd
    assert matplotlib.rcParams["lines.linewidth"] == width
    nb = _run(b, tmp_path / "b-out.ipynb")
    assert nb.cells[-1].outputs[0].data["text/plain"] == "0"
    c = _notebook(tmp_path / "c.ipynb", "secret")
    with pytest.raises(PapermillExecutionError) as info:
        _run(c, tmp_path / "c-out.ipynb")
    assert info.value.ename == "NameError"


def test_execution_counts_restart_for_each_notebook(display_notebook: Path, tmp_path: Path):
    first = _run(display_notebook, tmp_path / "1.ipynb")
    second = _run(display_notebook, tmp_path / "2.ipynb")
    counts = [c.execution_count for c in first.cells if c.cell_type == "code"]
    assert counts == [c.execution_count for c in second.cells if c.cell_type == "code"]
    assert counts[0] == 1


def _comparable(nb: nbformat.NotebookNode) -> list:
    return [(c.cell_type, c.source, c.get("execution_count"), c.get("outputs")) for c in nb.cells]


def test_same_outputs_as_the_kernel_engine(display_notebook: Path, tmp_path: Path) -> None:
    ours = _run(display_notebook, tmp_path / "ours.ipynb", x=3)
    kernel = _run(display_notebook, tmp_path / "kernel.ipynb", engine_name=None, x=3)

    def scrub(nb: nbformat.NotebookNode) -> list:
        # The block's default repr carries its memory address.
        for cell in nb.cells:
            for out in cell.get("outputs", []):
                if "data" in out and "at 0x" in out.data.get("text/plain", ""):
                    out.data["text/plain"] = "<Block>"
        return _comparable(nb)

    assert scrub(ours) == scrub(kernel)
    assert ours.metadata.language_info == kernel.metadata.language_info


def test_engine_imports_first_without_a_circular_import() -> None:
    # papermill loads its entry points (this module) while it is itself being imported.
    import subprocess
    import sys

    code = "import reportlib.render.engine, papermill; print(papermill.engines.papermill_engines"
    code += ".get_engine('reportlib').__name__)"
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert out.stdout.strip() == "InProcessEngine"


def test_pyplot_figures_left_open_are_shown_inline_like_in_a_kernel(tmp_path: Path) -> None:
    src = _notebook(tmp_path / "plt.ipynb", "import matplotlib.pyplot as plt\nplt.plot([1, 2]);")
    nb = _run(src, tmp_path / "plt-out.ipynb")
    outputs = nb.cells[-1].outputs
    assert [o.output_type for o in outputs] == ["display_data"]
    assert "image/png" in outputs[0].data
    import matplotlib.pyplot as plt

    assert plt.get_fignums() == []


def test_notebook_setup_lasts_one_notebook(tmp_path: Path) -> None:
    """notebook.setup() changes how DataFrames and figures display, for that notebook only."""
    frame = "import pandas as pd\npd.DataFrame({'a': [1]})"
    figure = "import matplotlib.pyplot as plt\nplt.plot([1, 2]);"
    setup = "from reportlib.document import notebook\nnotebook.setup()"
    with_setup = _run(
        _notebook(tmp_path / "a.ipynb", setup, frame, figure), tmp_path / "a-out.ipynb"
    )
    table, chart = with_setup.cells[-2].outputs[0].data, with_setup.cells[-1].outputs[0].data
    assert "text/x-typst" in table and '<div class="table-block">' in table["text/html"]
    assert "image/svg+xml" in chart and "image/png" not in chart
    plain = _run(_notebook(tmp_path / "b.ipynb", frame, figure), tmp_path / "b-out.ipynb")
    table, chart = plain.cells[-2].outputs[0].data, plain.cells[-1].outputs[0].data
    assert "text/x-typst" not in table and "dataframe" in table["text/html"]
    assert "image/png" in chart
