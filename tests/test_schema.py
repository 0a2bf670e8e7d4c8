"""Table schemas and cross-table checks: each kind of bad input is reported precisely."""

from __future__ import annotations

from pathlib import Path

import pytest

from reportlib.data import personal
from reportlib.data.dataset import validate
from reportlib.data.schema import read_table, strip_whitespace
from reportlib.errors import Problem


def only(problems: list[Problem]) -> Problem:
    assert len(problems) == 1, "\n".join(map(str, problems))
    return problems[0]


def test_minimal_data_set_is_valid(minimal_data, minimal_sources):
    assert validate(minimal_data, minimal_sources) == []


# (table, record index, column, new value, line, expected text in the message)
ONE_DEFECT = {
    "wrong type": ("facts", 0, "value", "twelve", 2, "a number"),
    "bad enum": ("facts", 1, "kind", "done", 3, "one of achievement, plan, target"),
    "bad date": ("commitments", 0, "made_on", "2025-02-30", 2, "real partial date"),
    "bad month": ("milestones", 0, "date", "2024-13", 2, "real partial date"),
    "reversed period": ("facts", 1, "as_of", "2025/2022", 3, "START <= END"),
    "percent over 100": ("targets", 0, "unit", "%", 2, "between 0 and 100 when unit is '%'"),
    "negative count": ("targets", 0, "value", "-2000", 2, "a number >= 0"),
    "bad id": ("facts", 0, "fact_id", "Demo_Labs", 2, "lower-case slug"),
    "bad boolean": ("indicators", 2, "higher_is_better", "yes", 4, "one of true, false"),
    "bad number": ("framework", 1, "number", "1.5", 3, "a whole number"),
    "duplicate id": ("facts", 1, "fact_id", "demo-ai-labs", 3, "already used on line 2"),
    "dangling indicator": ("facts", 0, "indicator_id", "no-such", 2, "indicators.csv"),
    "dangling source": ("measures", 0, "source_id", "no-such", 2, "a source_id from sources.csv"),
    "dangling task": ("indicators", 0, "task_id", "moe-t9", 2, "a task_id from framework.csv"),
    "dangling maps_to": ("framework", 1, "maps_to", "demo-t1;demo-t7", 3, "framework.csv"),
    "unknown scope": ("localities", 0, "policy_scopes", "national;mars", 2, "a scope"),
    "unknown target scope": ("targets", 0, "scope", "mars", 2, "a scope"),
    "quote not in source": ("measures", 0, "quote", "全县建成人工智能实验室 13 个", 2, "verbatim"),
    "value_text not in quote": ("facts", 0, "value_text", "12.0", 2, "occurs in"),
    "value differs from value_text": ("facts", 0, "value", "13", 2, "base units: 12"),
    "unreadable value_text": ("facts", 0, "value_text", "十二", 2, "the number as printed"),
    "empty required cell": ("measures", 0, "description_zh", "", 2, "may not be empty"),
    "phone number": ("commitments", 0, "description_zh", "联系电话：0561-1234567", 2, "personal"),
    "mobile number": ("measures", 0, "description_zh", "联系人手机13912345678", 2, "personal"),
    "contact name (#12)": (
        "measures",
        0,
        "description_zh",
        "承办单位联系人：程君",
        2,
        "contact's name",
    ),
    "signer in a locator": ("facts", 0, "locator", "签发人：王某", 2, "personal"),
    "contact after a space": ("sources", 1, "note", "联系人 程君", 3, "personal"),
    "name after 电话": ("localities", 0, "name_en", "电话：李老师", 2, "personal"),
    "fax number": ("commitments", 0, "description_zh", "传真：0592-1234567", 2, "personal"),
    "head of office": ("measures", 0, "description_zh", "负责人：张三", 2, "personal"),
    "member addressed": (
        "commitments",
        0,
        "description_zh",
        "李四委员：感谢您的建议",
        2,
        "personal",
    ),
    "pupil named": ("measures", 0, "description_zh", "学生赵六获得全国一等奖", 2, "personal"),
    "text_file outside the sources": (
        "sources",
        1,
        "text_file",
        "../../../etc/passwd",
        3,
        "inside the sources folder",
    ),
    "absolute text_file": ("sources", 1, "text_file", "/etc/passwd", 3, "inside the sources"),
    "character no font has": (
        "measures",
        0,
        "description_zh",
        "建成实验室\U0001f916",
        2,
        "U+1F916",
    ),
    "missing text file": ("sources", 1, "text_file", "gone.txt", 3, "sources folder"),
    "多 but exact": ("facts", 1, "qualifier", "exact", 3, "more_than, since value_text"),
    "share_of on a count": ("facts", 0, "share_of", "demo-cio-schools", 2, "percentage fact"),
    "uncounted empty value_text": ("facts", 0, "value_text", "", 2, "how it was counted"),
    "bad headline flag": ("facts", 0, "headline", "yes", 2, "true, false or empty"),
}


@pytest.mark.parametrize("defect", ONE_DEFECT.values(), ids=ONE_DEFECT.keys())
def test_each_defect_is_reported_with_file_line_field_and_expectation(
    defect, minimal_data, minimal_sources, edit_cell
):
    table, row, column, value, line, expected = defect
    edit_cell(minimal_data / f"{table}.csv", row, column, value)
    field = "value" if "between 0 and 100" in expected else column
    problem = only(validate(minimal_data, minimal_sources))
    assert (problem.file, problem.line, problem.field) == (f"{table}.csv", line, field)
    assert expected in problem.expected
    text = str(problem)
    assert text.startswith(f"{table}.csv:{line} field '{field}'")
    assert "expected" in text


def test_share_of_must_point_at_a_fact_of_the_same_locality(
    minimal_data, minimal_sources, edit_cell
):
    with (minimal_data / "localities.csv").open("a", encoding="utf-8") as handle:
        handle.write("other-town,别县,Other County,county,demo,示范省,示范市,national\n")
    edit_cell(minimal_data / "facts.csv", 2, "locality_id", "other-town")
    problem = only(validate(minimal_data, minimal_sources))
    assert (problem.file, problem.line, problem.field) == ("facts.csv", 5, "share_of")
    assert "same locality" in problem.expected


def test_missing_column_names_file_and_column(minimal_data, minimal_sources):
    path = minimal_data / "measures.csv"
    lines = path.read_text(encoding="utf-8").splitlines()
    # drop the last column (ai_specific) everywhere
    path.write_text("\n".join(x.rsplit(",", 1)[0] for x in lines) + "\n", encoding="utf-8")
    problem = only(validate(minimal_data, minimal_sources))
    assert (problem.file, problem.line, problem.field) == ("measures.csv", 1, "ai_specific")
    assert "column 'ai_specific'" in problem.expected


def test_extra_column_is_reported(minimal_data, minimal_sources):
    path = minimal_data / "localities.csv"
    lines = path.read_text(encoding="utf-8").splitlines()
    path.write_text("\n".join(x + ",x" for x in lines) + "\n", encoding="utf-8")
    lines = path.read_text(encoding="utf-8").splitlines()
    path.write_text(lines[0].replace(",x", ",colour") + "\n" + lines[1] + "\n", "utf-8")
    problem = only(validate(minimal_data, minimal_sources))
    assert (problem.file, problem.field) == ("localities.csv", "colour")
    assert "documented columns" in problem.expected


def test_missing_file_is_a_problem_naming_it(minimal_data, minimal_sources):
    (minimal_data / "milestones.csv").unlink()
    problem = only(validate(minimal_data, minimal_sources))
    assert problem.file == "milestones.csv"
    assert str(minimal_data) in problem.expected


def test_row_with_wrong_number_of_fields_names_its_line(minimal_data, minimal_sources):
    path = minimal_data / "measures.csv"
    path.write_text(path.read_text(encoding="utf-8") + "demo-extra,demo-town,too,few\n", "utf-8")
    problem = only(validate(minimal_data, minimal_sources))
    assert (problem.file, problem.line) == ("measures.csv", 3)
    assert problem.value == "4 fields"
    assert "8 comma-separated fields" in problem.expected


def test_line_numbers_count_quoted_line_breaks_and_blank_lines(tmp_path):
    path = tmp_path / "measures.csv"
    path.write_text(
        "measure_id,locality_id,task_id,description_zh,source_id,locator,quote\n"
        'a,x,t,"two\nlines",s,l,q\n'
        "\n"
        "b,x,t,d,s,l,q\n",
        encoding="utf-8",
    )
    table, problems = read_table("measures", path)
    assert problems == []
    assert table is not None
    assert list(table.lines) == [2, 5]
    assert table.frame["description_zh"].tolist() == ["two\nlines", "d"]


def test_empty_cells_are_missing_not_coerced(minimal_data):
    table, _ = read_table("facts", minimal_data / "facts.csv")
    assert table is not None
    assert table.frame["share_of"].isna().sum() == 3
    assert table.frame["value"].tolist() == ["12", "40000000", "307", "96"]


def test_several_defects_are_all_reported_at_once(minimal_data, minimal_sources, edit_cell):
    edit_cell(minimal_data / "facts.csv", 0, "value", "twelve")
    edit_cell(minimal_data / "facts.csv", 1, "kind", "done")
    edit_cell(minimal_data / "facts.csv", 2, "as_of", "2025-13")
    edit_cell(minimal_data / "facts.csv", 3, "locality_id", "nowhere")
    edit_cell(minimal_data / "commitments.csv", 0, "quote", "不在原文中的句子")
    edit_cell(minimal_data / "targets.csv", 0, "value", "-1")
    (minimal_data / "sources.csv").write_text(
        (minimal_data / "sources.csv").read_text("utf-8").replace("demo-reply.txt", ""), "utf-8"
    )
    problems = validate(minimal_data, minimal_sources)
    where = {(p.file, p.line, p.field) for p in problems}
    assert where >= {
        ("facts.csv", 2, "value"),
        ("facts.csv", 3, "kind"),
        ("facts.csv", 4, "as_of"),
        ("facts.csv", 5, "locality_id"),
        ("targets.csv", 2, "value"),
    }
    # demo-reply has no text now: its quotes are unverified, not wrong
    assert ("commitments.csv", 2, "quote") not in where


def test_empty_text_file_is_not_an_error(minimal_data, minimal_sources, edit_cell):
    edit_cell(minimal_data / "sources.csv", 1, "text_file", "")
    edit_cell(minimal_data / "measures.csv", 0, "quote", "原文里没有这句话")
    assert validate(minimal_data, minimal_sources) == []


@pytest.mark.parametrize(
    ("text", "flagged"),
    [
        ("联系人：王某，电话：0561-1234567", True),
        ("联系电话 3012345", True),
        ("Tel: 0592-5702123", True),
        ("手机13912345678", True),
        ("请拨打13912345678。", True),
        ("平台已汇聚优质资源1621477件", False),
        ("注册人数13.24万", False),
        ("学生终端37849台", False),
        ("2025年6月4日", False),
        ("编号20253015号提案", False),
    ],
)
def test_phone_numbers_are_flagged_but_not_counts(text, flagged):
    assert any(kind == "telephone" for _, _, kind in personal.find(text)) is flagged


@pytest.mark.parametrize(
    ("text", "found"),
    [
        (
            "联系人：周某 电话：13800001111",
            [("周某", "contact name"), ("13800001111", "telephone")],
        ),
        ("联系人 程君", [("程君", "contact name")]),
        ("电话：李老师", [("李老师", "contact name")]),
        ("传真：(0592)5702123", [("(0592)5702123", "telephone")]),
        ("关于提案的答复\n李某某委员：", [("李某某", "member name")]),
        ("学生赵小明、钱小红，2名同学获得全国一等奖", [("赵小明、钱小红", "student name")]),
        ("联系人制度和电话会议", []),
    ],
)
def test_one_detector_finds_every_kind_of_personal_data(text, found):
    """Validation and intake share it: what either used to flag, both flag now."""
    spans = personal.find(text)
    assert len(spans) == len(found)
    for piece, kind in found:
        start = text.index(piece)
        assert personal.overlaps(spans, start, start + len(piece)) == kind
        assert any(a <= start and start + len(piece) <= b for a, b, _ in spans)


def test_whitespace_removal_covers_ideographic_space():
    assert strip_whitespace("2022 至\u30002024\n年\u00a0底") == "2022至2024年底"


def test_real_data_validates_cleanly(real_data):
    data, sources = real_data
    problems = validate(data, sources)
    assert problems == [], "\n".join(map(str, problems))


def test_fixture_sources_are_hand_made():
    # The fixtures must not depend on the shared source texts.
    texts = sorted(p.name for p in (Path(__file__).parent / "fixtures/minimal/sources").iterdir())
    assert texts == ["demo-notice.txt", "demo-reply.txt"]


def test_non_utf8_file_is_reported_with_its_line(minimal_data, minimal_sources):
    path = minimal_data / "measures.csv"
    path.write_bytes(path.read_text("utf-8").encode("gbk"))
    problem = only(validate(minimal_data, minimal_sources))
    assert (problem.file, problem.line) == ("measures.csv", 2)
    assert "UTF-8" in problem.expected


def test_empty_file_asks_for_the_header(minimal_data, minimal_sources):
    (minimal_data / "commitments.csv").write_text("", "utf-8")
    problem = only(validate(minimal_data, minimal_sources))
    assert problem.file == "commitments.csv"
    assert "commitment_id" in problem.expected


def test_header_only_table_is_valid(minimal_data, minimal_sources):
    path = minimal_data / "commitments.csv"
    path.write_text(path.read_text("utf-8").splitlines()[0] + "\n", "utf-8")
    assert validate(minimal_data, minimal_sources) == []


def test_byte_order_mark_and_crlf_are_accepted(minimal_data, minimal_sources):
    path = minimal_data / "measures.csv"
    text = path.read_text("utf-8").replace("\n", "\r\n")
    path.write_bytes(b"\xef\xbb\xbf" + text.encode("utf-8"))
    assert validate(minimal_data, minimal_sources) == []


def test_unclosed_double_quote_is_pointed_out(minimal_data, minimal_sources):
    path = minimal_data / "facts.csv"
    lines = path.read_text("utf-8").splitlines()
    lines[2] = lines[2].replace("demo-investment,", 'demo-investment,"', 1)
    path.write_text("\n".join(lines) + "\n", "utf-8")
    problem = only(validate(minimal_data, minimal_sources))
    assert (problem.file, problem.line) == ("facts.csv", 3)
    assert "double quote left open" in problem.expected


@pytest.mark.parametrize(
    ("as_of", "ok"),
    [
        ("2025", True),
        ("2025-06", True),
        ("2024-02-29", True),
        ("2022/2024", True),
        ("2024-06/2024", True),
        ("2024-12/2025-01", True),
        ("2023-02-29", False),
        ("2025-00", False),
        ("25-06", False),
        ("2025/2024", False),
        ("2025-6", False),
        ("2025/", False),
    ],
)
def test_as_of_accepts_partial_dates_and_periods(
    as_of, ok, minimal_data, minimal_sources, edit_cell
):
    edit_cell(minimal_data / "facts.csv", 0, "as_of", as_of)
    problems = validate(minimal_data, minimal_sources)
    assert (problems == []) is ok, problems


def test_duplicate_bad_ids_report_pattern_and_duplicate(minimal_data, minimal_sources, edit_cell):
    edit_cell(minimal_data / "measures.csv", 0, "measure_id", "Bad_Id")
    path = minimal_data / "measures.csv"
    path.write_text(
        path.read_text("utf-8") + path.read_text("utf-8").splitlines()[1] + "\n", "utf-8"
    )
    problems = validate(minimal_data, minimal_sources)
    got = sorted((p.line, p.expected.split(" (")[0]) for p in problems)
    assert got == [(2, "a lower-case slug like 'huli-2025-reply'"), (3, "a unique measure_id")]


def test_stray_quote_inside_an_unquoted_cell_is_not_an_error(tmp_path):
    path = tmp_path / "measures.csv"
    path.write_text(
        "measure_id,locality_id,task_id,description_zh,source_id,locator,quote\n"
        'a,x,t,the "smart" class,s,l,q\n'
        "b,x,t,d,s,l,q\n",
        encoding="utf-8",
    )
    table, problems = read_table("measures", path)
    assert problems == []
    assert table is not None
    assert list(table.lines) == [2, 3]
    assert table.frame["description_zh"].tolist() == ['the "smart" class', "d"]


@pytest.mark.parametrize("text", ["建立联系人制度", "召开电话会议", "签发人民政府文件"])
def test_contact_words_without_a_name_are_not_personal_data(
    text, minimal_data, minimal_sources, edit_cell
):
    edit_cell(minimal_data / "measures.csv", 0, "description_zh", text)
    assert validate(minimal_data, minimal_sources) == []


@pytest.mark.parametrize("table", ["facts", "sources", "localities", "framework", "indicators"])
def test_a_required_table_cut_to_its_header_is_refused(table, minimal_data, minimal_sources):
    path = minimal_data / f"{table}.csv"
    path.write_text(path.read_text(encoding="utf-8").splitlines()[0] + "\n", encoding="utf-8")
    problems = [p for p in validate(minimal_data, minimal_sources) if p.file == f"{table}.csv"]
    assert any(p.line == 2 and "at least one record" in p.expected for p in problems), problems


def test_a_locality_with_no_records_is_refused(minimal_data, minimal_sources):
    with (minimal_data / "localities.csv").open("a", encoding="utf-8") as handle:
        handle.write("empty-town,空县,Empty County,county,demo,示范省,示范市,national\n")
    problem = only(validate(minimal_data, minimal_sources))
    assert (problem.file, problem.line, problem.field) == ("localities.csv", 3, "locality_id")
    assert problem.value == "empty-town"
    assert "facts.csv, measures.csv or commitments.csv" in problem.expected


def test_a_text_file_link_out_of_the_sources_folder_is_refused(tmp_path, minimal_data, edit_cell):
    import shutil

    sources = tmp_path / "sources"
    shutil.copytree(Path(__file__).parent / "fixtures" / "minimal" / "sources", sources)
    (tmp_path / "secret.txt").write_text("示范县教育局关于第1号提案的答复", encoding="utf-8")
    (sources / "link.txt").symlink_to(tmp_path / "secret.txt")
    edit_cell(minimal_data / "sources.csv", 1, "text_file", "link.txt")
    problems = validate(minimal_data, sources)
    assert any(p.field == "text_file" and "inside the sources" in p.expected for p in problems)
