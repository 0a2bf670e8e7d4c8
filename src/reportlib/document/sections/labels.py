"""The data's codes in the reader's words: coverage levels, bases, statuses, qualifiers."""

from __future__ import annotations

#: Coverage status of a national item, in words (AI-specific evidence).
LEVEL_ZH = {
    "quantified": "有量化证据",
    "described": "有文字描述",
    "planned": "仅有计划",
    "none": "未涉及",
}


#: General school-IT evidence on the same item (never counted as AI evidence).
GENERAL_ZH = {"quantified": "有量化数据", "described": "有文字描述", "planned": "—", "none": "—"}


#: How a figure counts (facts.csv ``basis``), for readers.
BASIS_ZH = {
    "stock": "时点数",
    "cumulative": "累计数",
    "per_year": "每年",
    "period": "期间合计",
    "event": "单次",
    "rate": "比率或平均数",
    "": "未说明",
}


#: A commitment's status on the report date (analysis.commitment_status).
STATUS_ZH = {"open": "未到期", "due": "期限内（本期到期）", "overdue": "已逾期"}


#: A figure's kind, shown after it when it is not an achievement.
KIND_ZH = {"achievement": "已完成", "plan": "计划", "target": "自定目标"}


#: A national item: a main task or a safeguard.
ITEM_KIND_ZH = {"task": "主要任务", "safeguard": "保障措施"}


#: A locality's administrative level.
LOCALITY_LEVEL_ZH = {"city": "地级市", "county": "县", "district": "市辖区"}


#: What a printed qualifier (多, 以上, 约 …) makes of a figure.
QUALIFIER_ZH = {
    "exact": "确数",
    "at_least": "下限（不少于/以上）",
    "more_than": "下限（多/余）",
    "about": "约数",
    "at_most": "上限（不超过）",
}


#: The wholes a figure is normalised by or a percentage implies.
DENOMINATOR_ZH = {
    "schools-total": "学校数",
    "public-schools-total": "公办学校数",
    "students-total": "学生数",
    "teachers-total": "教师数",
}


#: The unit each whole is counted in.
DENOMINATOR_UNIT = {
    "schools-total": "所",
    "public-schools-total": "所",
    "students-total": "人",
    "teachers-total": "人",
}


#: What a figure covers (analysis.peers_table ``scope_class``).
SCOPE_CLASS_ZH = {"whole": "全地区", "part": "部分学校或单项活动"}
