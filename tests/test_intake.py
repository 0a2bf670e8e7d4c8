"""Intake: drafts from the seed replies against the curated facts, formats, accept."""

from __future__ import annotations

import csv
import html
import re
import shutil
from collections import Counter
from pathlib import Path

import pandas as pd
import pytest

from reportlib.cli import main
from reportlib.data.dataset import load, validate
from reportlib.errors import DataValidationError
from reportlib.intake import evaluate, run
from reportlib.intake.accept import accept

REPLIES = {
    "sanmenxia": "sanmenxia-2025-reply",
    "suixi": "suixi-2025-reply",
    "huli": "huli-2025-reply",
}


def _drafts(out: Path) -> pd.DataFrame:
    return pd.read_csv(out / "facts.csv", dtype=str, keep_default_na=False)


@pytest.fixture(scope="module")
def seed_drafts(real_data, tmp_path_factory) -> dict[str, Path]:
    data, sources = real_data
    table = pd.read_csv(data / "sources.csv", dtype=str, keep_default_na=False)
    out = {}
    for locality, sid in REPLIES.items():
        text = sources / table.set_index("source_id").at[sid, "text_file"]
        folder = tmp_path_factory.mktemp(locality)
        run([text], locality, sid, folder, data)
        out[locality] = folder
    return out


def test_drafts_recall_and_precision_against_curated_facts(real_data, seed_drafts):
    curated = pd.read_csv(real_data[0] / "facts.csv", dtype=str, keep_default_na=False)
    scores = [
        evaluate.compare(_drafts(folder), curated[curated.source_id == REPLIES[locality]])
        for locality, folder in seed_drafts.items()
    ]
    score = evaluate.total(scores)
    print(f"recall {score.found}/{score.curated}, precision {score.matching}/{score.drafted}")
    assert score.recall >= 0.95, score.missed
    assert score.precision >= 0.80, score.extra


def test_drafted_quotes_are_verbatim_and_value_text_in_quote(seed_drafts):
    for folder in seed_drafts.values():
        text = re.sub(r"\s", "", next(folder.glob("*_*.txt")).read_text(encoding="utf-8"))
        for name in ("facts", "milestones", "commitments", "measures"):
            if not (folder / f"{name}.csv").is_file():
                continue
            for row in csv.DictReader((folder / f"{name}.csv").open(encoding="utf-8")):
                assert re.sub(r"\s", "", row["quote"]) in text, row
                if name == "facts":
                    assert row["value_text"].replace(" ", "") in row["quote"].replace(" ", "")


def test_no_personal_data_in_any_draft(seed_drafts):
    names = [
        "贾辉",
        "张全兴",
        "杨芮霖",
        "王博",
        "王伟",
        "13939860998",
        "孙文略",
        "林秋达",
        "王达",
        "贾新辉",
        "程君",
        "5590692",
    ]  # test data: the seed texts' contacts
    for folder in seed_drafts.values():
        for path in folder.glob("*.csv"):
            content = path.read_text(encoding="utf-8")
            assert not [n for n in names if n in content], path
        log = (folder / "intake.log").read_text(encoding="utf-8")
        assert "personal data found" in log


def test_qualifiers_units_plans_and_shares(seed_drafts):
    huli = _drafts(seed_drafts["huli"]).set_index("value_text")
    assert huli.at["4000多万", "value"] == "40000000" and huli.at["4000多万", "unit"] == "元"
    assert huli.at["4000多万", "qualifier"] == "more_than"
    plan = huli[(huli.unit == "项") & (huli.qualifier == "at_least")]
    assert list(plan.kind) == ["plan"] and plan.iloc[0].as_of == "2025-06/2028-06"
    suixi = _drafts(seed_drafts["suixi"])
    share = suixi[(suixi.unit == "%") & (suixi.value == "96")].iloc[0]
    assert suixi.set_index("fact_id").at[share.share_of, "value"] == "307"
    sources = pd.read_csv(seed_drafts["suixi"] / "sources.csv", dtype=str, keep_default_na=False)
    assert sources.iloc[0].written_date == "2025-07-02"
    assert sources.iloc[0].published_date == "2025-08-13"


def _same(folder: Path) -> tuple[Counter, dict]:
    drafts = _drafts(folder)
    keys = ("value", "unit", "qualifier", "value_text", "kind", "locator", "as_of", "scope")
    source = pd.read_csv(folder / "sources.csv", dtype=str, keep_default_na=False).iloc[0]
    return Counter(zip(*[drafts[k] for k in keys], strict=True)), source.drop("text_file").to_dict()


def _documents(text: str, folder: Path) -> list[Path]:
    """The text as a DOCX (python-docx), a web page with navigation, and a PDF (Typst)."""
    import docx
    import typst

    from reportlib.render.fonts import find_cjk_font

    paragraphs = [p.strip() for p in text.splitlines() if p.strip()]
    document = docx.Document()
    for p in paragraphs:
        document.add_paragraph(p)
    document.save(folder / "reply.docx")
    body = "".join(f"<p>{html.escape(p)}</p>" for p in paragraphs)
    nav = "<nav><ul><li><a href='/'>首页</a></li><li><a href='/x'>政务公开</a></li></ul></nav>"
    (folder / "reply.html").write_text(
        f"<html><head><title>答复</title></head><body>{nav}<article>{body}</article>"
        "<footer>版权所有 网站地图</footer></body></html>",
        encoding="utf-8",
    )
    font = find_cjk_font()
    escaped = ["".join("\\" + c if c in "\\#*_$@<`[]=-+/~" else c for c in p) for p in paragraphs]
    typ = folder / "reply.typ"
    typ.write_text(f'#set text(font: "{font.family}")\n' + "\n\n".join(escaped), encoding="utf-8")
    typst.compile(str(typ), output=str(folder / "reply.pdf"), font_paths=[str(font.path.parent)])
    return [folder / "reply.docx", folder / "reply.html", folder / "reply.pdf"]


@pytest.mark.parametrize("locality", sorted(REPLIES))
def test_pdf_html_docx_give_the_same_drafts_as_the_text(real_data, seed_drafts, tmp_path, locality):
    text = next(seed_drafts[locality].glob("*_*.txt")).read_text(encoding="utf-8")
    expected = _same(seed_drafts[locality])
    for document in _documents(text, tmp_path):
        out = tmp_path / document.suffix[1:]
        run([document], locality, REPLIES[locality], out, real_data[0])
        assert _same(out) == expected, document.name


def test_traditional_characters_are_converted(real_data, seed_drafts, tmp_path):
    import opencc

    text = next(seed_drafts["suixi"].glob("*_*.txt")).read_text(encoding="utf-8")
    page = tmp_path / "reply.txt"
    page.write_text(opencc.OpenCC("s2t").convert(text), encoding="utf-8")
    run([page], "suixi", REPLIES["suixi"], tmp_path / "out", real_data[0])
    assert _same(tmp_path / "out")[0] == _same(seed_drafts["suixi"])[0]
    assert "traditional" in (tmp_path / "out" / "sources.csv").read_text(encoding="utf-8")


def test_unknown_format_is_refused_with_the_file_named(tmp_path, capsys):
    bad = tmp_path / "reply.xlsx"
    bad.write_bytes(b"x")
    assert main(["intake", str(bad), "--locality", "x", "--out", str(tmp_path / "o")]) == 1
    assert "reply.xlsx: unknown format '.xlsx'" in capsys.readouterr().err


def test_personal_data_is_counted_never_drafted(real_data, tmp_path):
    letter = (
        "关于某提案的答复\n\n李某某委员：\n\n一、工作成效\n\n"
        "全区建成12间人工智能教室。学生赵小明、钱小红，2名同学获得全国一等奖。\n\n"
        "联系人：周某 电话：13800001111\n\n某区教育局\n\n2025年6月1日\n"
    )
    (tmp_path / "letter.txt").write_text(letter, encoding="utf-8")
    out = tmp_path / "out"
    run([tmp_path / "letter.txt"], "x", "x-2025-reply", out, real_data[0])
    drafts = "".join(p.read_text(encoding="utf-8") for p in out.glob("*.csv"))
    for personal in ("李某某", "赵小明", "钱小红", "周某", "13800001111"):
        assert personal not in drafts
    log = (out / "intake.log").read_text(encoding="utf-8")
    assert "telephone 1" in log and "contact name 1" in log and "member name 1" in log
    assert "12" in _drafts(out).value.tolist()


def _mark(path: Path, decide) -> None:
    with path.open(encoding="utf-8", newline="") as handle:
        rows = list(csv.DictReader(handle))
    for row in rows:
        decide(row)
    with path.open("w", encoding="utf-8", newline="") as handle:
        writer = csv.DictWriter(handle, fieldnames=list(rows[0]), lineterminator="\n")
        writer.writeheader()
        writer.writerows(rows)


def _new_locality(real_data, tmp_path) -> tuple[Path, Path, Path]:
    """A copy of data/ and sources without Suixi, and Suixi's reply drafted as a new place."""
    data, sources = real_data
    work, texts = tmp_path / "data", tmp_path / "sources"
    shutil.copytree(data, work)
    shutil.copytree(sources, texts)
    reply = texts / "003_aabb598f2981fb4e.txt"
    drafts = tmp_path / "drafts"
    assert (
        main(
            [
                "intake",
                str(reply),
                "--locality",
                "newcounty",
                "--out",
                str(drafts),
                "--data",
                str(work),
            ]
        )
        == 0
    )
    return work, texts, drafts


def _accept_all(row: dict) -> None:
    """What an analyst does: accept, and fill what the intake cannot know."""
    row["review"] = "accept"
    if "province" in row:
        row.update(name_en="New County", province="anhui", province_zh="安徽省", parent="淮北市")
    if "normalise" in row:
        row.update(name_en="Proposed indicator")


def test_accept_merges_a_new_locality_that_then_renders(real_data, tmp_path):
    from pypdf import PdfReader

    from reportlib.render import render_locality

    work, texts, drafts = _new_locality(real_data, tmp_path)
    for path in drafts.glob("*.csv"):
        _mark(path, _accept_all)
    assert main(["accept", str(drafts), "--data", str(work), "--sources", str(texts)]) == 0
    assert validate(work, texts) == []
    ds = load(work, texts)
    mine = ds.facts[ds.facts.locality_id == "newcounty"]
    assert len(mine) >= 30 and bool(mine.quote_verified.all())
    result = render_locality("newcounty", work, texts, tmp_path / "out", tmp_path / "build")
    pdf = "".join(page.extract_text() for page in PdfReader(result.pdf).pages)
    assert "濉溪县" in pdf and "计算机机房" in pdf


def test_accept_refuses_invalid_rows_and_writes_nothing(real_data, tmp_path):
    work, texts, drafts = _new_locality(real_data, tmp_path)
    for name in ("sources", "localities", "facts"):
        _mark(drafts / f"{name}.csv", _accept_all)
    _mark(drafts / "facts.csv", lambda r: r.update(qualifier="bogus"))
    before = {p.name: p.read_bytes() for p in work.glob("*.csv")}
    with pytest.raises(DataValidationError) as err:
        accept(drafts, work, texts)
    message = str(err.value)
    assert f"{drafts / 'facts.csv'}:2 field 'qualifier'" in message
    assert {p.name: p.read_bytes() for p in work.glob("*.csv")} == before


def test_drafts_follow_the_data_files_headers(real_data, tmp_path):
    """A column added to data/ later is carried into the drafts (and so into accept)."""
    data = tmp_path / "data"
    shutil.copytree(real_data[0], data)
    facts_csv = pd.read_csv(data / "facts.csv", dtype=str, keep_default_na=False)
    facts_csv.assign(analyst_flag="").to_csv(data / "facts.csv", index=False, lineterminator="\n")
    out = tmp_path / "out"
    text = real_data[1] / "004_a2c9b50ba5c2f0ab.txt"  # test data: the Huli reply
    run([text], "huli", "huli-2025-reply", out, data)
    header = next(csv.reader((out / "facts.csv").open(encoding="utf-8")))
    assert header == [*facts_csv.columns, "analyst_flag", "review", "reason"]


UNSEEN = """某市教育局关于市政协五届二次会议第105号提案的答复

某教〔2024〕12号

王某某委员：

您提出的关于发展人工智能教育的提案收悉，现答复如下：

一、主要工作

（一）课程建设

截至2024年9月，全市共有约120所学校开设人工智能课程，占全市中小学的35.5%。一是编写校本教材二十三册；\
二是建成人工智能实验室近40间，投入资金1.2亿元。

（二）师资培训

2021至2023年，累计培训教师3200余人，开展培训不低于120学时。

二、下一步工作

我们将继续加大投入，到2026年建成50个人工智能教育基地，确保每所学校每学期不少于10课时。

某市教育局
2024年10月8日
"""


def test_a_reply_it_has_never_seen(real_data, tmp_path):
    """Made-up reply: Chinese numerals, 约/近/余/不低于, 亿元, periods, 一是, plans, due dates."""
    (tmp_path / "reply.txt").write_text(UNSEEN, encoding="utf-8")
    run([tmp_path / "reply.txt"], "unseen", None, tmp_path / "out", real_data[0])
    facts_ = _drafts(tmp_path / "out")
    facts_ = facts_.set_index(facts_.value_text + " " + facts_.unit)
    rows = {
        "120 所": ("120", "所", "about", "2024-09", "achievement", "一、主要工作（一）"),
        "35.5 %": ("35.5", "%", "exact", "2024-09", "achievement", "一、主要工作（一）"),
        "二十三 册": ("23", "册", "exact", "2024-09", "achievement", "一、主要工作（一）一是"),
        "40 间": ("40", "间", "about", "2024-09", "achievement", "一、主要工作（一）二是"),
        "1.2亿 元": (
            "120000000",
            "元",
            "exact",
            "2024-09",
            "achievement",
            "一、主要工作（一）二是",
        ),
        "3200余 人次": (
            "3200",
            "人次",
            "more_than",
            "2021/2023",
            "achievement",
            "一、主要工作（二）",
        ),
        "50 个": ("50", "个", "exact", "2026", "plan", "二、下一步工作"),
        "10 课时": ("10", "课时", "at_least", "2026", "plan", "二、下一步工作"),
    }
    columns = ["value", "unit", "qualifier", "as_of", "kind", "locator"]
    for text, expected in rows.items():
        assert tuple(facts_.loc[text, columns]) == expected, text
    share = facts_.loc["35.5 %"]
    assert facts_.set_index("fact_id").at[share.share_of, "value"] == "120"
    source = pd.read_csv(tmp_path / "out" / "sources.csv", dtype=str, keep_default_na=False)
    assert source.iloc[0][["doc_number", "written_date", "kind", "source_id"]].tolist() == [
        "某教〔2024〕12号",
        "2024-10-08",
        "proposal_reply",
        "unseen-2024-reply",
    ]
    assert "提案第105号" in source.iloc[0].note and "市政协五届二次会议" in source.iloc[0].note
    commitments = pd.read_csv(tmp_path / "out" / "commitments.csv", dtype=str)
    assert commitments.due.tolist() == ["2026"]
