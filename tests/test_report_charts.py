"""report_charts.py: each chart is an SVG Figure with caption and alt text, deterministic."""

from __future__ import annotations

import math

import pandas as pd
import pytest

from reportlib import report_charts
from reportlib.charts import Figure

ITEMS = ["moe-t1", "moe-t2", "moe-s1"]
NAMES = {"moe-t1": "构建系统化课程体系", "moe-t2": "实施常态化教学与评价", "moe-s1": "加强组织领导"}


@pytest.fixture
def matrix() -> pd.DataFrame:
    return pd.DataFrame(
        [["quantified", "described", "none"], ["planned", "quantified", "quantified"]],
        index=["a", "b"],
        columns=ITEMS,
    )


def test_scorecard_matrix_is_deterministic_and_counts_levels_in_alt(matrix):
    kwargs = dict(locality_names={"a": "甲区", "b": "乙县"}, item_names=NAMES, caption="评分")
    first = report_charts.scorecard_matrix(matrix, **kwargs)
    again = report_charts.scorecard_matrix(matrix, **kwargs)
    assert isinstance(first, Figure)
    assert first.svg == again.svg
    assert "量化证据3格" in first.alt and "未涉及1格" in first.alt
    assert first.caption == "评分"


def test_scorecard_strip_names_each_item_level():
    cov = pd.DataFrame(
        {
            "task_id": ITEMS,
            "name_zh": [NAMES[i] for i in ITEMS],
            "level": ["none", "planned", "quantified"],
        }
    )
    fig = report_charts.scorecard_strip(cov, ["甲区"], caption="甲区对标评分")
    assert "构建系统化课程体系：未涉及" in fig.alt
    assert "加强组织领导：量化证据" in fig.alt


def test_progress_bars_mark_missing_data():
    progress = pd.DataFrame(
        {
            "description_zh": ["实验校", "每年培训"],
            "label": ["实验校", "培训教师"],
            "target": [500.0, 2000.0],
            "unit": ["所", "人"],
            "reported": [7.0, math.nan],
            "share": [7 / 500, math.nan],
        }
    )
    fig = report_charts.progress_bars(progress, caption="进展")
    assert "实验校：7/500所，1.4%" in fig.alt
    assert "每年培训：无数据" in fig.alt
    assert "<svg" in fig.svg


def test_timeline_chart_handles_one_event_and_many():
    one = pd.DataFrame(
        {
            "date": ["2019-12"],
            "start": [pd.Timestamp("2019-12-01")],
            "lane": ["local"],
            "kind": ["designation"],
            "description_zh": ["成为实验区"],
        }
    )
    assert "2019-12 成为实验区" in report_charts.timeline_chart(one, caption="时间线").alt
    many = pd.concat([one] * 12, ignore_index=True)
    assert report_charts.timeline_chart(many, caption="时间线").svg.count("<svg") == 1


def test_peers_bars_use_printed_values_for_raw_figures():
    table = pd.DataFrame(
        {
            "indicator_id": ["x", "x"],
            "locality_id": ["a", "b"],
            "value": [14000.0, 5096.0],
            "unit": ["人次", "人次"],
            "scope": ["全县", "全区"],
            "normalise": ["", ""],
            "normalised": [math.nan, math.nan],
            "display": ["14千余人次", "5096人次"],
        }
    )
    fig = report_charts.peers_bars(
        table,
        indicator_names={"x": "教师培训人次"},
        locality_names={"a": "甲县", "b": "乙区"},
        highlight="a",
        caption="比较",
    )
    assert "甲县（全县）14千余人次" in fig.alt
