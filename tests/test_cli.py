"""The command line, driven through ``main([...])``."""

from __future__ import annotations

import sys
import types
from pathlib import Path

import pytest

from reportlib.cli import format_table, main
from reportlib.document.text_width import display_width


@pytest.fixture
def data_args(minimal_data, minimal_sources) -> list[str]:
    return ["--data", str(minimal_data), "--sources", str(minimal_sources)]


def test_list_shows_localities_and_sources(data_args, capsys):
    assert main(["list", *data_args]) == 0
    out = capsys.readouterr().out
    assert "demo-town" in out and "示范县" in out and "county" in out
    assert "demo-reply" in out and "2025-06-04" in out


def test_validate_clean_prints_one_summary_line(data_args, capsys):
    assert main(["validate", *data_args]) == 0
    out = capsys.readouterr().out.strip().splitlines()
    assert len(out) == 1
    assert out[0].startswith("OK: 2 sources, 2 regions, 1 localities")
    assert "4 facts" in out[0]


def test_validate_warns_about_names_that_are_not_real_divisions(data_args, capsys):
    assert main(["validate", *data_args]) == 0  # a warning, not an error
    err = capsys.readouterr().err
    assert "warning: localities.csv:2 field 'name_zh': got '示范县'" in err


def test_validate_prints_every_problem_one_per_line(data_args, minimal_data, edit_cell, capsys):
    edit_cell(minimal_data / "facts.csv", 0, "kind", "done")
    edit_cell(minimal_data / "measures.csv", 0, "task_id", "no-such")
    assert main(["validate", *data_args]) == 1
    captured = capsys.readouterr()
    lines = captured.out.strip().splitlines()
    assert len(lines) == 2
    assert any(x.startswith("facts.csv:2 field 'kind': got 'done'; expected one of") for x in lines)
    assert any(x.startswith("measures.csv:2 field 'task_id': got 'no-such'") for x in lines)
    assert "2 problem(s)" in captured.err


def test_facts_shows_a_locality_table(data_args, capsys):
    assert main(["facts", "demo-town", *data_args]) == 0
    out = capsys.readouterr().out
    assert "demo-investment" in out
    assert "投入资金" in out  # indicator name, not id
    assert "4000多万" in out and "more_than" in out and "2022/2025" in out


def test_unknown_locality_exits_2_listing_known(data_args, capsys):
    assert main(["facts", "atlantis", *data_args]) == 2
    err = capsys.readouterr().err
    assert "atlantis" in err and "demo-town" in err


def test_reportlib_error_exits_1_with_message(tmp_path, capsys):
    assert main(["list", "--data", str(tmp_path / "nowhere")]) == 1
    assert "does not exist" in capsys.readouterr().err


def test_render_forwards_to_render_locality(monkeypatch, data_args, tmp_path, capsys):
    calls = {}

    def render_locality(locality, **kwargs):
        calls["args"] = (locality, kwargs)
        return types.SimpleNamespace(html=Path("x.html"), pdf=Path("x.pdf"), notebook=None)

    fake = types.ModuleType("reportlib.render")
    fake.render_locality = render_locality  # type: ignore[attr-defined]
    monkeypatch.setitem(sys.modules, "reportlib.render", fake)
    argv = ["render", "demo-town", *data_args, "--out", str(tmp_path), "--as-of", "2025-09-01"]
    assert main([*argv, "--route", "builtin", "--engine", "kernel"]) == 0
    locality, kwargs = calls["args"]
    assert locality == "demo-town"
    assert kwargs["as_of"] == "2025-09-01"
    assert (kwargs["route"], kwargs["engine"]) == ("builtin", "kernel")
    assert kwargs["out_dir"] == str(tmp_path)
    assert "html: x.html" in capsys.readouterr().out


def test_render_all_reports_failures(monkeypatch, capsys):
    def render_all(**kwargs):
        assert kwargs["workers"] == 3
        return {"failed": ["suixi"], "manifest": "build/manifest.json"}

    fake = types.ModuleType("reportlib.batch")
    fake.render_all = render_all  # type: ignore[attr-defined]
    monkeypatch.setitem(sys.modules, "reportlib.batch", fake)
    assert main(["render", "--all", "--workers", "3"]) == 1
    assert "failed: suixi (details in build/manifest.json)" in capsys.readouterr().err


def test_render_needs_a_locality_or_all():
    with pytest.raises(SystemExit) as info:
        main(["render"])
    assert info.value.code == 2


def test_bad_as_of_is_rejected_by_the_parser(capsys):
    with pytest.raises(SystemExit):
        main(["render", "huli", "--as-of", "2025-13-01"])
    assert "YYYY-MM-DD" in capsys.readouterr().err


def test_format_table_aligns_chinese_text():
    text = format_table([["示范县", "1"], ["ab", "22"]], ["name", "n"])
    lines = text.splitlines()
    # CJK characters take two terminal columns: the second column starts at the same place
    assert display_width(lines[2][: lines[2].index("1")]) == display_width(
        lines[3][: lines[3].index("22")]
    )
