"""The locality charts: each an SVG Figure with caption and alt text, deterministic."""

from __future__ import annotations

import math

import pandas as pd
import pytest

from reportlib.document.charts import locality as report_charts
from reportlib.document.charts import style
from reportlib.document.charts.style import Figure

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


# --- layout: fixed margins computed from the labels, no layout engine ---------------------

LONG_NAME = "新疆维吾尔自治区伊犁哈萨克自治州伊宁县"


class _Drawn(list):
    """Print-width figures in order; ``narrow`` holds the phone-width drawings."""

    def __init__(self) -> None:
        super().__init__()
        self.narrow: list = []


@pytest.fixture
def drawn(monkeypatch) -> _Drawn:
    """The matplotlib figures the chart functions export (in order)."""
    figures = _Drawn()
    real = style.figure_from_mpl

    def capture(fig, caption, alt, variant=""):
        (figures.narrow if variant else figures).append(fig)
        return real(fig, caption, alt, variant=variant)

    monkeypatch.setattr(style, "figure_from_mpl", capture)
    return figures


def _text_boxes(fig) -> list:
    """Window extents of every piece of text the figure draws, after drawing it with Agg."""
    from matplotlib.backends.backend_agg import FigureCanvasAgg

    canvas = FigureCanvasAgg(fig)
    canvas.draw()
    renderer = canvas.get_renderer()
    texts = []
    for ax in fig.axes:
        texts += ax.get_xticklabels() + ax.get_yticklabels() + ax.texts
        texts += [ax.title, ax._left_title, ax.xaxis.label, ax.yaxis.label]
        if ax.get_legend() is not None:
            texts += ax.get_legend().get_texts()
    return [
        (t.get_text(), t.get_window_extent(renderer))
        for t in texts
        if t.get_visible() and t.get_text().strip()
    ]


def _assert_laid_out(fig) -> None:
    """No layout engine (one draw pass); every text inside the figure, none overlapping."""
    assert fig.get_layout_engine() is None
    boxes = _text_boxes(fig)
    assert boxes
    for text, box in boxes:
        assert box.x0 >= 0 and box.y0 >= 0, f"{text!r} clipped at the left/bottom: {box}"
        assert box.x1 <= fig.bbox.x1 and box.y1 <= fig.bbox.y1, f"{text!r} clipped: {box}"
    for i, (text, box) in enumerate(boxes):
        for other, other_box in boxes[i + 1 :]:
            shrunk = box.padded(-0.5)  # touching edges are fine
            assert not shrunk.overlaps(other_box), f"{text!r} overlaps {other!r}"
    for ax in fig.axes:
        for label in ax.get_yticklabels():
            if label.get_text():
                assert label.get_window_extent().x1 <= ax.bbox.x0  # beside the axes


def _progress(labels: list[str]) -> pd.DataFrame:
    n = len(labels)
    return pd.DataFrame(
        {
            "description_zh": labels,
            "label": labels,
            "target": [500.0] * n,
            "unit": ["所"] * n,
            "reported": [500.0] + [math.nan] * (n - 1),
            "share": [1.0] + [math.nan] * (n - 1),
        }
    )


def test_longer_labels_get_a_larger_left_margin(drawn):
    report_charts.progress_bars(_progress(["实验校", "培训"]), caption="短")
    report_charts.progress_bars(_progress(["国家级人工智能教育实验校", "培训"]), caption="长")
    short, long = (fig.subplotpars.left * fig.get_figwidth() for fig in drawn)
    # the long label wraps between words, "国家级人工智能" over "教育实验校": its longest line
    # is 4 more 8-pt characters than "实验校"
    assert long - short == pytest.approx(4 * 8 / 72, rel=0.15)
    for fig in drawn:
        _assert_laid_out(fig)


def test_progress_bars_keep_long_wrapped_labels_and_value_texts_inside(drawn):
    labels = ["国家级人工智能教育实验校建设数量（含中小学）", "培训教师AI literacy人次", "实验校"]
    progress = _progress(labels).assign(
        reported=[498.0, math.nan, 123456.0], share=[498 / 500, math.nan, 246.9]
    )
    report_charts.progress_bars(progress, caption="进展")
    _assert_laid_out(drawn[0])
    _assert_laid_out(drawn.narrow[0])


def test_scorecard_matrix_fits_long_names_and_many_columns(drawn):
    items = [f"t{i}" for i in range(13)]
    names = {i: "构建系统化课程体系" for i in items}
    levels = list(report_charts.LEVEL_STYLE)
    matrix = pd.DataFrame(
        [[levels[(r + c) % 4] for c in range(13)] for r in range(3)],
        index=["a", "b", "c"],
        columns=items,
    )
    report_charts.scorecard_matrix(
        matrix,
        locality_names={"a": LONG_NAME, "b": "Haidian District, Beijing", "c": "乙县"},
        item_names=names,
        caption="矩阵",
    )
    _assert_laid_out(drawn[0])


def test_timeline_texts_near_both_ends_stay_inside(drawn):
    dates = ["2017-07-01", "2024-11-01", "2025-01-01", "2030-12-31"]
    events = pd.DataFrame(
        {
            "date": [d[:7] for d in dates],
            "start": pd.to_datetime(dates),
            "lane": ["national", "national", "local", "national"],
            "kind": ["policy", "policy", "report", "deadline"],
            "description_zh": [
                "国务院印发《新一代人工智能发展规划》提出在中小学阶段设置课程",
                "教育部办公厅关于加强中小学人工智能教育的通知",
                "Report on AI education published in English",
                "到2030年前在中小学基本普及人工智能教育",
            ],
        }
    )
    report_charts.timeline_chart(events, caption="时间线")
    _assert_laid_out(drawn[0])
    _assert_laid_out(drawn.narrow[0])


def test_timeline_wraps_a_long_text_in_full_at_word_boundaries(drawn):
    # one year on the axis: an event just past mid-year writes its text to the left, where
    # the room is half the axes: the text wraps, whole, and no line ends inside a word
    dates = ["2024-07-03", "2024-01-01"]
    text = "三门峡市教育局答复市政协八届三次会议第28号提案全文，部署人工智能教育工作"
    events = pd.DataFrame(
        {
            "date": [d[:7] for d in dates],
            "start": pd.to_datetime(dates),
            "lane": ["local", "national"],
            "kind": ["report", "policy"],
            "description_zh": [text, "通知"],
        }
    )
    report_charts.timeline_chart(events, caption="时间线")
    fig = drawn[0]
    label = next(t for t, _ in _text_boxes(fig) if "三门峡市" in t)
    assert "\n" in label and "…" not in label
    assert label.replace("\n", "") == "2024.07 " + text
    for line in label.split("\n")[:-1]:
        assert not line.endswith(("三门", "教育", "市政", "第28", "人工")), line
    _assert_laid_out(fig)


def _legend_rows(fig) -> int:
    """How many rows of entries the figure's legend has, as drawn."""
    from matplotlib.backends.backend_agg import FigureCanvasAgg

    canvas = FigureCanvasAgg(fig)
    canvas.draw()
    texts = fig.axes[0].get_legend().get_texts()
    return len({round(t.get_window_extent(canvas.get_renderer()).y0) for t in texts})


def test_legend_takes_more_rows_when_narrow(drawn):
    # on a phone the task names beside the turned grid leave the legend little room
    items = [f"t{i}" for i in range(10)]
    levels = list(report_charts.LEVEL_STYLE)
    matrix = pd.DataFrame([[levels[c % 4] for c in range(10)]], index=["a"], columns=items)
    report_charts.scorecard_matrix(
        matrix,
        locality_names={"a": "甲区"},
        item_names={i: "构建系统化课程体系" for i in items},
        caption="矩阵",
    )
    assert _legend_rows(drawn[0]) == 1
    assert _legend_rows(drawn.narrow[0]) > 1
    _assert_laid_out(drawn.narrow[0])


def test_peers_panels_fit_long_names_and_wrap_long_titles(drawn):
    table = pd.DataFrame(
        {
            "indicator_id": ["x", "x", "x", "y"],
            "locality_id": ["a", "b", "c", "a"],
            "value": [14000.0, 5096.0, 12.5, 1234567.0],
            "unit": ["人次", "人次", "人次", "元"],
            "scope": ["全县", "全区", "仅试点校", "全县"],
            "normalise": [""] * 4,
            "normalised": [math.nan] * 4,
            "display": ["14千余人次", "5096人次", "12.5人次", "123.46万元"],
        }
    )
    report_charts.peers_bars(
        table,
        indicator_names={"x": "中小学教师人工智能教育专题培训人次（含线上线下）", "y": "投入"},
        locality_names={"a": LONG_NAME, "b": "乙区", "c": "Some English Name"},
        highlight="a",
        caption="比较",
    )
    fig = drawn[0]
    _assert_laid_out(fig)
    ax = fig.axes[0]
    titles = [t.get_text() for t in ax.texts if "培训" in t.get_text()]
    assert len(titles) == 1 and "\n" in titles[0]  # too long beside the long names: wrapped
    # one bar row per locality, all panels in one axes: 3 + 1 rows, top panel first
    assert [t.get_text() for t in ax.get_yticklabels()] == [
        LONG_NAME + "（全县）",
        "乙区（全区）",
        "Some English Name（仅试点校）",
        LONG_NAME + "（全县）",
    ]
    rows = list(ax.get_yticks())
    assert rows[0] > rows[1] > rows[2] > rows[3]


def test_axes_keep_their_share_however_long_the_value_labels(drawn):
    # a value text too long to fit still leaves the bars at least a third of the width
    table = pd.DataFrame(
        {
            "indicator_id": ["x"],
            "locality_id": ["a"],
            "value": [1.0],
            "unit": ["人次"],
            "scope": ["全县"],
            "normalise": [""],
            "normalised": [math.nan],
            "display": ["很长的数值说明" * 20],
        }
    )
    report_charts.peers_bars(
        table,
        indicator_names={"x": "培训"},
        locality_names={"a": "甲区"},
        highlight="a",
        caption="比较",
    )
    for fig in (drawn[0], drawn.narrow[0]):
        assert fig.axes[0].get_position().width >= 0.35 - 1e-6
