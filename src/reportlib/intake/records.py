"""Draft records from a parsed document: facts, milestones, commitments, measures, challenges.

Each draft has the columns of its ``data/`` table plus ``review`` (``draft``) and
``reason`` (why each guess was made), and the character span of its quote in the text
(for the review page). Keyword lists here are general Chinese administrative vocabulary,
not phrases of any particular document.
"""

from __future__ import annotations

import re
from collections import Counter
from dataclasses import dataclass, field

import pandas as pd

from reportlib.data import personal
from reportlib.intake import quantities
from reportlib.intake.locators import Document, Sentence

PLAN = re.compile(
    r"下一步|今后|(?<!行动)(?<!工作)(?<!发展)(?<!规划)计划(?!》)|未来[一二三四五两几\d]+年|拟|力争|争取|"
    r"将(?:继续|进一步|全面|加快|加大|每年|尽快|逐步|持续|着力|不断)"
)
#: A section of plans: 今后推进计划, 下一步工作打算 (not a heading that quotes the proposal).
PLAN_SECTION = re.compile(r"^(?!.*[“\"]).*(下一步|今后|计划|打算|工作思路|努力方向|展望)")
CHALLENGE = re.compile(
    r"不足|短板|困难|挑战|限制|瓶颈|薄弱|尚未|还没有|难以|差距|欠缺|紧张|不够|不高|面临"
)
NOT_CONTENT = re.compile(r"您|建议|提案|收悉|感谢|答复如下")
THANKS = re.compile(r"您|感谢|收悉|答复如下")
ACTION = re.compile(
    r"开展|组织|建立|成立|举办|开设|配备|建成|推进|出台|实施|组建|采购|遴选|聘请|完善|制定|"
    r"合作|引入|设立|打造|投入|推广|入选|培训"
)
#: National tasks (moe-t1…t6, safeguards moe-s1…s4) by the vocabulary that evidences them.
TASK_KEYWORDS = {
    "moe-t1": "课程|教材|课时|通识课|校本课程|课标|学段",
    "moe-t2": "教学|课堂|教研|评价|实验区|实验校|试点|教学模式",
    "moe-t3": "资源|平台|资源库|案例|工具集|模型库|教学指南",
    "moe-t4": "实验室|教室|机房|终端|设备|带宽|网络|智慧校园|智慧学校|基地|硬件|功能室|环境",
    "moe-t5": "教师|师资|培训|名师|工作室|研修|专家|师训",
    "moe-t6": "竞赛|大赛|比赛|活动|展示|夏令营|社团|科普|交流|论坛",
    "moe-s1": "领导小组|组织领导|顶层设计|统筹|规划|政策|机制",
    "moe-s2": "资金|经费|投入|预算|财政|招商",
    "moe-s3": "城乡|乡村|农村|均衡|片区|薄弱",
    "moe-s4": "评估|督导|考核|激励|调研|评价体系",
}
MILESTONE_KINDS = (
    ("policy", re.compile(r"印发|发布|下发|出台|颁布")),
    ("designation", re.compile(r"入选|成为|授予|评为|认定|申报|命名|荣获|实验区|示范区|试点区")),
    ("contest", re.compile(r"大赛|竞赛|比赛|挑战赛")),
    ("training", re.compile(r"培训")),
    ("launch", re.compile(r"成立|启动|建成|上线|开通|揭牌|举办")),
)
_DATE = re.compile(
    r"(\d{4})\s*年\s*(?:(\d{1,2})\s*月(?:\s*(\d{1,2})\s*日)?)?|(20\d{2})(\d{1,2})\s*月"
)
_AS_OF = re.compile(r"(?:截至|截止到?|至)\s*(\d{4})\s*年(?:\s*(\d{1,2})\s*月)?")
_PERIOD = re.compile(r"(\d{4})\s*年?\s*(?:至|到|-|—|–|~)\s*(\d{4})\s*年")
_RECENT = re.compile(r"近([一二三四五六七八九十两\d]+)年")
_FUTURE = re.compile(r"未来([一二三四五六七八九十两\d]+)年")
_DUE = re.compile(r"(?:到|至|在)\s*(\d{4})\s*年(底|末)?|(\d{4})\s*年\s*(底|前|内)")
_SCOPE = re.compile(
    r"全[区县市省镇]|[各全]?试点[校学][^，。]{0,0}|直属[^，。]{0,1}学校|城区学校|乡村学校|农村学校"
)
_SHARE = re.compile(r"占比|比例|率|占")
_LEVEL_SCOPE = {"county": "全县", "district": "全区", "city": "全市"}


@dataclass
class Drafts:
    """Every drafted record by table, and what was passed over."""

    tables: dict[str, list[dict[str, str]]] = field(default_factory=dict)
    spans: dict[str, list[tuple[int, int]]] = field(default_factory=dict)  # row id → quote span
    skipped: Counter[str] = field(default_factory=Counter)
    personal: Counter[str] = field(default_factory=Counter)
    dropped_personal: int = 0

    def add(self, table: str, row: dict[str, str], span: tuple[int, int]) -> None:
        self.tables.setdefault(table, []).append(row)
        self.spans[f"{table}:{next(iter(row.values()))}"] = [span]


@dataclass(frozen=True)
class Context:
    """What the drafting needs besides the text."""

    locality_id: str
    source_id: str
    written_date: str  # partial date of the document
    indicators: pd.DataFrame
    tasks: list[str]
    default_scope: str


def _cn_int(text: str) -> int:
    if text.isdigit():
        return int(text)
    import cn2an

    return int(cn2an.cn2an(text, "smart"))


def _iso(y: str, m: str | None = None, d: str | None = None) -> str:
    out = y
    if m:
        out += f"-{int(m):02d}"
        if d:
            out += f"-{int(d):02d}"
    return out


def clause(text: str, start: int, end: int, limit: int = 80) -> tuple[int, int]:
    """The clause around [start, end) of a sentence, extended left when very short."""
    stops = "，,；;。：:！？!?"
    a = start
    while a > 0 and text[a - 1] not in stops:
        a -= 1
    b = end
    while b < len(text) and text[b] not in stops:
        b += 1
    if b - a < 12 and a > 1:
        a -= 1
        while a > 0 and text[a - 1] not in stops:
            a -= 1
    if b - a > limit:
        a, b = max(a, start - limit // 2), min(b, end + limit // 2)
    return a, b


def task_for(text: str, tasks: list[str]) -> tuple[str, str]:
    """(task id, why) for the national task whose keywords ``text`` hits most."""
    best = ""
    hits: list[str] = []
    for task_id, words in TASK_KEYWORDS.items():
        if task_id not in tasks:
            continue
        found = re.findall(words, text)
        if sum(map(len, found)) > sum(map(len, hits)):
            best, hits = task_id, found
    return best, ("keywords " + "、".join(dict.fromkeys(hits))) if hits else "no keyword: choose"


def _as_of(
    sentence: str, before: str, ctx: Context, plan: bool, carried: str = ""
) -> tuple[str, str]:
    if not ctx.written_date[:4].isdigit():
        return "", "no date in the sentence and none for the document: fill as_of"
    year = int(ctx.written_date[:4])
    if plan and (m := _FUTURE.search(sentence)):
        n, month = _cn_int(m.group(1)), ctx.written_date[4:7]
        return f"{ctx.written_date[:7]}/{year + n}{month}", "未来N年 from the document's date"
    if m := _PERIOD.search(sentence):
        return f"{m.group(1)}/{m.group(2)}", "period printed in the sentence"
    if m := _RECENT.search(sentence):
        n = _cn_int(m.group(1))
        return f"{year - n}/{year - 1}", "近N年: the N years before the document's year"
    if m := _AS_OF.search(sentence):
        return _iso(m.group(1), m.group(2)), "截至 date in the sentence"
    dates = list(_DATE.finditer(before))
    if dates:
        g = dates[-1].groups()
        return (
            _iso(g[0], g[1], g[2]) if g[0] else _iso(g[3], g[4])
        ), "date earlier in the sentence"
    if "今年" in sentence:
        return str(year), "今年 = the document's year"
    if carried:
        return carried, "截至 date earlier in the paragraph"
    return ctx.written_date[:7], "the document's date (no date in the sentence)"


def _indicator(near: str, sentence: str, unit: str, indicators: pd.DataFrame) -> tuple[str, str]:
    """(indicator id, why): the indicator of a compatible unit whose name the words next to
    the figure share most (the rest of the sentence counts half as much)."""
    people = {"人", "人次"}
    best, score = "", 0.0
    for row in indicators.itertuples():
        if not (row.unit == unit or (unit in people and row.unit in people)):
            continue
        name = re.sub(r"[（）()]", "", str(row.name_zh))
        grams = {name[i : i + 2] for i in range(len(name) - 1)}
        hits = sum(2 * (g in near) + (g in sentence) for g in grams)
        hit = hits / (3 * max(len(grams), 1))
        if hit > score:
            best, score = row.indicator_id, hit
    if score >= 0.4:
        return best, f"indicator by name ({score:.0%} of its name's character pairs nearby)"
    return "", "no indicator fits: propose one or choose"


def _near(s: Sentence, q: quantities.Quantity) -> str:
    """The words that say what a figure counts: its clause or list item, or, when that is
    only the figure (占比28%), the words just before it."""
    stops = "，,；;。：:！？!?（）()、"
    lo = max([s.text.rfind(c, 0, q.start) for c in stops] + [-1]) + 1
    hi = min([i for i in (s.text.find(c, q.end) for c in stops) if i >= 0] + [len(s.text)])
    if len(s.text[lo:hi].replace(" ", "")) - len(q.value_text) < 4:
        lo = max(0, lo - 14)
    return s.text[lo:hi]


_RELATIVE = re.compile(r"(?:近|过去|未来)[一二两三四五六七八九十0-9]+年")
_YEARLY = re.compile(r"每年|年均")
_RATE = re.compile(r"每周|每学期|每学年|每月|平均每|每所|每校|每人")
_AI = re.compile(r"人工智能|AI|机器人|编程|智能体")


def _basis(quote: str, sentence: str, as_of: str, unit: str) -> tuple[str, str, str]:
    """(basis, period_text, reason) from the wording that fixes what a figure counts over."""
    relative = _RELATIVE.search(quote) or (_RELATIVE.search(sentence) if "/" in as_of else None)
    if "累计" in quote:
        return "cumulative", "", "basis cumulative: 累计"
    if relative and "/" in as_of:
        return "period", relative.group(0), f"basis period: {relative.group(0)} (approximate)"
    if _YEARLY.search(quote):
        return "per_year", "", "basis per_year: 每年/年均"
    if unit == "%" or _RATE.search(quote):
        return "rate", "", "basis rate: a share or a per-unit figure"
    if "/" in as_of:
        return "period", "", "basis period: a period printed in the sentence"
    return "stock", "", "basis stock (no 累计, period or rate word): check"


def _ai_specific(text: str) -> tuple[str, str]:
    """Whether a name or action is about AI education (else general school IT)."""
    found = _AI.search(text)
    if found:
        return "true", f"ai_specific: {found.group(0)}"
    return "false", "ai_specific false: no AI word (general school IT): check"


def _fact_row(
    ctx: Context, s: Sentence, q: quantities.Quantity, n: int, carried: str = ""
) -> dict[str, str]:
    a, b = clause(s.text, q.start, q.end)
    quote = s.text[a:b].strip()
    before = s.text[: q.start]
    plan = bool(PLAN.search(before)) or any(PLAN_SECTION.search(h) for h in s.headings)
    as_of, why_date = _as_of(s.text, before, ctx, plan, carried)
    scope = _SCOPE.search(quote) or _SCOPE.search(s.text)
    indicator, why_ind = _indicator(_near(s, q), s.text, q.unit, ctx.indicators)
    reasons = [why_ind, f"as_of: {why_date}"]
    if plan:
        reasons.append("kind plan: a plan word before the figure or a plan section")
    if q.reason:
        reasons.append(q.reason)
    basis, period_text, why_basis = _basis(quote, s.text, as_of, q.unit)
    reasons.append(why_basis)
    slug = indicator or f"figure-{n:03d}"
    return {
        "fact_id": f"{ctx.locality_id}-{slug}",
        "locality_id": ctx.locality_id,
        "indicator_id": indicator,
        "value": quantities.format_value(q.value),
        "value_text": q.value_text,
        "qualifier": q.qualifier,
        "unit": q.unit,
        "as_of": as_of,
        "scope": scope.group(0) if scope else ctx.default_scope,
        "kind": "plan" if plan else "achievement",
        "basis": basis,
        "period_text": period_text,
        "source_id": ctx.source_id,
        "locator": _enumerated(s, q.start),
        "quote": quote,
        "review": "draft",
        "reason": "; ".join(reasons),
    }


_VERBS = re.compile(
    r"拥有|达到|达|为|有|共|累计|建成|配备|提供|投入|开展|遴选|获得|设立|安排|汇聚|培训|参与|覆盖"
)


def _name(sentence: str, q: quantities.Quantity) -> str:
    """What a figure counts, from the words after its unit or, failing that, before it."""
    after = re.split(r"[，,；;。：:（）()、\s]", sentence[q.end :], maxsplit=1)[0]
    after = after.lstrip("的")[:12]
    if len(after) >= 2:
        return after
    before = re.split(r"[，,；;。：:（）()、]", sentence[: q.start])[-1]
    before = re.sub(rf"(均|已|的)?({_VERBS.pattern})+\s*$", "", before)
    return _VERBS.split(before)[-1].strip().lstrip("的在")[-12:] or before[-12:]


def _propose_indicators(
    rows: list[tuple[Sentence, quantities.Quantity, dict[str, str]]], ctx: Context, out: Drafts
) -> None:
    """A new indicator for each figure none fits (same name and unit share one)."""
    made: dict[tuple[str, str], str] = {}
    for s, q, row in rows:
        if row["indicator_id"]:
            continue
        name = _name(s.text, q)
        key = (name, q.unit)
        if key not in made:
            made[key] = f"{ctx.locality_id}-indicator-{len(made) + 1}"
            task, why = task_for(name + s.text, ctx.tasks)
            ai, why_ai = _ai_specific(name)
            out.tables.setdefault("indicators", []).append(
                {
                    "indicator_id": made[key],
                    "name_zh": name,
                    "name_en": "",
                    "unit": q.unit,
                    "task_id": task,
                    "higher_is_better": "true",
                    "normalise": "share" if q.unit == "%" else "none",
                    "ai_specific": ai,
                    "review": "draft",
                    "reason": f"proposed for {row['fact_id']}: no indicator fits; name from the "
                    f"words around the figure; task by {why}; {why_ai}; fill name_en",
                }
            )
        row["indicator_id"] = made[key]
        row["reason"] += f"; new indicator {made[key]} proposed"


_ENUM = re.compile(r"(?:^|[；;。，,])\s*([一二三四五六七八九十]是)")


def _enumerated(s: Sentence, at: int) -> str:
    """The sentence's locator with the 一是/二是 item that the position ``at`` is in."""
    items = list(_ENUM.finditer(s.text[:at]))
    if not items:
        return s.locator
    return re.sub(r"[一二三四五六七八九十]是$", "", s.locator) + items[-1].group(1)


def _unique(rows: list[dict[str, str]], key: str) -> None:
    seen: Counter[str] = Counter()
    for row in rows:
        seen[row[key]] += 1
        if seen[row[key]] > 1:
            row[key] = f"{row[key]}-{seen[row[key]]}"


def _link_shares(facts: list[tuple[Sentence, quantities.Quantity, dict[str, str]]]) -> None:
    """A percentage printed with 占比/率 is linked to the nearest count in its sentence."""
    for s, q, row in facts:
        if row["unit"] != "%" or not _SHARE.search(s.text[max(0, q.start - 8) : q.start]):
            continue
        counts = [
            (
                abs(q2.start - q.start)
                + 1000 * bool(re.search("[，,；;]", _between(s.text, q, q2))),
                r2,
            )
            for s2, q2, r2 in facts
            if s2 is s and r2["unit"] != "%"
        ]
        if counts:
            count = min(counts, key=lambda c: c[0])[1]
            row["share_of"] = count["fact_id"]
            row["reason"] += f"; share of {count['fact_id']} (nearest count in the sentence)"


def _between(text: str, q: quantities.Quantity, q2: quantities.Quantity) -> str:
    return text[min(q.end, q2.end) : max(q.start, q2.start)]


def _facts(doc: Document, ctx: Context, out: Drafts, pii: list[tuple[int, int, str]]) -> None:
    found: list[tuple[Sentence, quantities.Quantity, dict[str, str]]] = []
    carry: dict[int, str] = {}  # paragraph → its 截至 date, for the sentences after it
    for s in doc.sentences:
        for q in quantities.find(s.text, out.skipped):
            row = _fact_row(ctx, s, q, len(found) + 1, carry.get(s.paragraph, ""))
            span = _span(s, row["quote"])
            if personal.overlaps(pii, *span):
                out.dropped_personal += 1
                continue
            found.append((s, q, row))
        if (m := _AS_OF.search(s.text)) and m.group(0).startswith("截"):
            carry[s.paragraph] = _iso(m.group(1), m.group(2))
    _unique([r for _, _, r in found], "fact_id")
    _propose_indicators(found, ctx, out)
    _link_shares(found)
    for s, _, row in found:
        out.add("facts", row, _span(s, row["quote"]))


def _span(s: Sentence, quote: str) -> tuple[int, int]:
    """Offsets of ``quote`` in the document (approximate across line breaks)."""
    i = s.text.find(quote)
    return (s.start + max(i, 0), s.start + max(i, 0) + len(quote))


def _short(text: str, limit: int = 80) -> str:
    return text if len(text) <= limit else text[:limit]


def _in_title(text: str, at: int) -> bool:
    """Whether position ``at`` is inside a 《title》."""
    return text.rfind("《", 0, at) > text.rfind("》", 0, at)


def _event(s: Sentence, m: re.Match[str], ctx: Context) -> tuple[str, str, str] | None:
    """(date, kind, quote) of the event a date in a sentence marks, if it marks one."""
    g = m.groups()
    date = _iso(g[0], g[1], g[2]) if g[0] else _iso(g[3], g[4])
    before, after = s.text[: m.start()], s.text[m.end() :]
    if _in_title(s.text, m.start()) or date > ctx.written_date:
        return None
    if re.match(r"\s*(至|到|前|底|-|—)", after) or re.search(r"(至|到|-|—)\s*$", before):
        return None  # a period or a deadline, not an event
    a, b = clause(s.text, m.start(), m.end(), 60)
    text = s.text[a:b] + s.text[b : b + 40]
    hits = [(k, h) for k, p in MILESTONE_KINDS if (h := p.search(text))]
    if not hits:
        return None
    end = max(h.end() for _, h in hits)
    return date, hits[0][0], _short(s.text[a : a + max(end, b - a)].strip(), 60)


def _milestones(doc: Document, ctx: Context, out: Drafts, pii: list[tuple[int, int, str]]) -> None:
    for s in doc.sentences:
        for m in _DATE.finditer(s.text):
            event = _event(s, m, ctx)
            if event is None:
                continue
            date, kind, quote = event
            span = _span(s, quote)
            if personal.overlaps(pii, *span):
                out.dropped_personal += 1
                continue
            row = {
                "milestone_id": f"{ctx.locality_id}-{date}-{kind}",
                "locality_id": ctx.locality_id,
                "scope": ctx.locality_id,
                "date": date,
                "kind": kind,
                "description_zh": quote,
                "source_id": ctx.source_id,
                "locator": s.locator,
                "quote": quote,
                "review": "draft",
                "reason": f"a date with an event word ({kind})",
            }
            out.add("milestones", row, span)
    _unique(out.tables.get("milestones", []), "milestone_id")


def _due(text: str, written: str) -> str:
    """The end of the period a promise is due in: 到2027年 → 2027; 2030年前 → 2029; 今年 → now."""
    m = _DUE.search(text)
    if not m:
        return written[:4] if re.search(r"今年|年内|年底前|本年度", text) else ""
    if m.group(1):
        return m.group(1)
    return str(int(m.group(3)) - 1) if m.group(4) == "前" else m.group(3)


def _statements(doc: Document, ctx: Context, out: Drafts, pii: list[tuple[int, int, str]]) -> None:
    """Commitments, measures and challenges: one per sentence that fits, in that order."""
    for s in doc.sentences:
        if (s.locator == "正文" and NOT_CONTENT.search(s.text)) or THANKS.search(s.text):
            continue
        if len(s.text) < 8:
            continue
        span = (s.start, s.end)
        if personal.overlaps(pii, *span):
            out.dropped_personal += 1
            continue
        quote = _short(s.text.rstrip("。；;"))
        task, why = task_for(s.text, ctx.tasks)
        base = {"locality_id": ctx.locality_id, "task_id": task, "description_zh": quote}
        cite = {"source_id": ctx.source_id, "locator": s.locator, "quote": quote}
        in_plan = any(PLAN_SECTION.search(h) for h in s.headings)
        if CHALLENGE.search(s.text) and not NOT_CONTENT.search(s.text):
            row = {"challenge_id": f"{ctx.locality_id}-challenge-{s.index}", **base, **cite}
            out.add("challenges", row | {"review": "draft", "reason": "a shortcoming word"}, span)
        elif PLAN.search(s.text) or in_plan:
            due = _due(s.text, ctx.written_date)
            extra = {"made_on": ctx.written_date, "due": due}
            row = {
                "commitment_id": f"{ctx.locality_id}-commitment-{s.index}",
                **base,
                **extra,
                **cite,
            }
            why_plan = "plan section" if in_plan else "plan word"
            out.add(
                "commitments",
                row | {"review": "draft", "reason": f"{why_plan}; task by {why}"},
                span,
            )
        elif ACTION.search(s.text) and not NOT_CONTENT.search(s.text):
            ai, why_ai = _ai_specific(s.text)
            row = {
                "measure_id": f"{ctx.locality_id}-measure-{s.index}",
                **base,
                "ai_specific": ai,
                **cite,
            }
            out.add(
                "measures",
                row | {"review": "draft", "reason": f"an action verb; task by {why}; {why_ai}"},
                span,
            )


def draft(doc: Document, ctx: Context) -> Drafts:
    """Every draft record of ``doc``; personal data is never drafted, only counted."""
    out = Drafts()
    pii = personal.find(doc.text)
    out.personal = personal.counts(pii)
    _facts(doc, ctx, out, pii)
    _milestones(doc, ctx, out, pii)
    _statements(doc, ctx, out, pii)
    return out
