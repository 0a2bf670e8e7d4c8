"""Text templates (templates/text): values by name, file and line in every error."""

from __future__ import annotations

import shutil
import time

import pytest

from reportlib import paths
from reportlib.data import dataset as facts
from reportlib.document import sections, wording
from reportlib.document.wording import WordingError, say


@pytest.fixture
def text_copy(tmp_path, monkeypatch):
    """A writable copy of the package's text templates, used instead of them."""
    folder = tmp_path / "text"
    shutil.copytree(paths.templates_dir() / "text", folder)
    monkeypatch.setenv(wording.TEXT_DIR_ENV, str(folder))
    return folder


def test_commitments_intro_takes_its_values_by_name() -> None:
    text = say("commitments/intro.txt", count=3, as_of="2025年8月31日")
    assert text.startswith("答复中的承诺共3项，状态按2025年8月31日计算")


def test_unknown_value_names_template_file_and_line(text_copy) -> None:
    (text_copy / "commitments" / "intro.txt").write_text(
        "{# 注释 #}\n共{{ count }}项，\n截至{{ report_day }}。\n", encoding="utf-8"
    )
    with pytest.raises(WordingError) as caught:
        say("commitments/intro.txt", count=3, as_of="2025年8月31日")
    message = str(caught.value)
    assert f"{text_copy / 'commitments' / 'intro.txt'}:3" in message
    assert "report_day" in message and "as_of, count" in message
    assert caught.value.line == 3


def test_syntax_error_names_template_file_and_line(text_copy) -> None:
    (text_copy / "commitments" / "none.txt").write_text("一\n二{% if %}\n", encoding="utf-8")
    with pytest.raises(WordingError, match=r"none\.txt:2: template syntax error"):
        say("commitments/none.txt")


def test_missing_template_is_named(text_copy) -> None:
    with pytest.raises(WordingError, match=r"no text template 'commitments/absent\.txt'"):
        say("commitments/absent.txt")


def test_an_edited_template_shows_in_the_next_section_call(text_copy, real_data) -> None:
    ds = facts.load(*real_data)
    before = sections.commitments(ds, "huli").to_html()
    assert "答复中的承诺共" in before
    path = text_copy / "commitments" / "intro.txt"
    time.sleep(0.01)  # a new modification time: Jinja2 reloads an edited template
    path.write_text("本地区共作出{{ count }}项承诺（截至{{ as_of }}）。\n", encoding="utf-8")
    later = sections.commitments(ds, "huli").to_html()
    assert "本地区共作出" in later and "答复中的承诺共" not in later


def test_wording_error_is_in_the_one_error_hierarchy() -> None:
    from reportlib import errors

    assert WordingError is errors.WordingError
    assert issubclass(WordingError, errors.ReportlibError)
