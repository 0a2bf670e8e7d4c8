"""Font search: the packaged fonts by default; the env var or REPORTLIB_FONTS=system on request."""

from __future__ import annotations

from pathlib import Path

import pytest

from reportlib.errors import FontNotFoundError
from reportlib.render import fonts
from reportlib.render.fonts import FONT_ENV, FONTS_SETTING_ENV, find_cjk_font, font_covers


@pytest.fixture(autouse=True)
def fresh_cache():
    fonts.find_cjk_font.cache_clear()
    yield
    fonts.find_cjk_font.cache_clear()


def _mplfonts_dir() -> Path:
    path = fonts.packaged_font_path()
    assert path is not None, "mplfonts is a dependency"
    return path.parent


def test_env_var_wins(monkeypatch) -> None:
    serif = _mplfonts_dir() / "SourceHanSerifSC-Regular.otf"
    monkeypatch.setenv(FONT_ENV, str(serif))
    info = find_cjk_font()
    assert info.source == "env"
    assert info.path == serif.resolve()
    assert info.family == "Source Han Serif SC"


def test_env_var_pointing_nowhere_says_what_to_do(monkeypatch, tmp_path) -> None:
    monkeypatch.setenv(FONT_ENV, str(tmp_path / "missing.otf"))
    with pytest.raises(FontNotFoundError, match="REPORTLIB_CJK_FONT"):
        find_cjk_font()


def test_env_var_font_without_chinese_is_rejected(monkeypatch) -> None:
    import matplotlib

    dejavu = Path(matplotlib.get_data_path()) / "fonts" / "ttf" / "DejaVuSans.ttf"
    monkeypatch.setenv(FONT_ENV, str(dejavu))
    with pytest.raises(FontNotFoundError, match="no glyphs for Chinese"):
        find_cjk_font()


def _fake_system_font(tmp_path: Path) -> Path:
    """A "system" pan-CJK collection (DejaVu + Noto Sans CJK SC), as Debian's fonts-noto-cjk."""
    import matplotlib
    from fontTools.ttLib import TTCollection, TTFont

    dejavu = Path(matplotlib.get_data_path()) / "fonts" / "ttf" / "DejaVuSans.ttf"
    collection = TTCollection()
    collection.fonts = [
        TTFont(str(dejavu)),
        TTFont(str(_mplfonts_dir() / "NotoSansCJKsc-Regular.otf")),
    ]
    ttc = tmp_path / "NotoSansCJK-Regular.ttc"
    collection.save(str(ttc))
    return ttc


def test_packaged_fonts_win_over_system_fonts(monkeypatch, tmp_path) -> None:
    monkeypatch.delenv(FONT_ENV, raising=False)
    monkeypatch.delenv(FONTS_SETTING_ENV, raising=False)
    ttc = _fake_system_font(tmp_path)
    monkeypatch.setattr(fonts, "system_candidates", lambda: [ttc])
    info = find_cjk_font()
    assert info.source == "package"
    assert (info.family, info.path.name) == ("Noto Sans CJK SC", "NotoSansCJKsc-Regular.otf")
    # a real bold face, not a synthesized one
    assert info.bold_path is not None and info.bold_path.name == "NotoSansCJKjp-Bold.otf"
    assert info.bold_family == "Noto Sans CJK JP"
    assert font_covers(info.bold_path, "湖里区人工智能教育 4000多万元") == set()


def test_missing_packaged_fonts_raise_with_install_hint(monkeypatch) -> None:
    monkeypatch.delenv(FONT_ENV, raising=False)
    monkeypatch.delenv(FONTS_SETTING_ENV, raising=False)
    monkeypatch.setattr(fonts, "packaged_font_path", lambda: None)
    with pytest.raises(FontNotFoundError, match="make venv"):
        find_cjk_font()


def test_unknown_fonts_setting_is_rejected(monkeypatch) -> None:
    monkeypatch.delenv(FONT_ENV, raising=False)
    monkeypatch.setenv(FONTS_SETTING_ENV, "whatever")
    with pytest.raises(FontNotFoundError, match="REPORTLIB_FONTS='whatever'"):
        find_cjk_font()


def test_pdf_bytes_do_not_depend_on_system_fonts(monkeypatch, tmp_path) -> None:
    from reportlib import render

    monkeypatch.delenv(FONT_ENV, raising=False)
    monkeypatch.delenv(FONTS_SETTING_ENV, raising=False)
    title = render.TitleInfo("湖里区报告", "湖里区", "进展报告", "", "湖里区")
    markdown = "# 摘要\n\n**湖里区**共有 12 所人工智能试点校。\n"
    ttc = _fake_system_font(tmp_path)
    out = []
    for visible in ([ttc], []):
        monkeypatch.setattr(fonts, "system_candidates", lambda v=visible: v)
        fonts.find_cjk_font.cache_clear()
        font = find_cjk_font()
        work = tmp_path / f"w{len(visible)}"
        pdf = render.pdf_from_markdown(markdown, title, "stamp", work, font)
        out.append((pdf, render.font_face_css(font, "湖里区摘要")))
    assert out[0] == out[1]
    assert b"NotoSansCJKjp-Bold" in out[0][0]  # the heading and strong text use the bold face


def test_font_covers_reports_missing_characters(monkeypatch) -> None:
    monkeypatch.delenv(FONT_ENV, raising=False)
    info = find_cjk_font()
    assert font_covers(info.path, "湖里区 AI 教育") == set()
    assert font_covers(info.path, "湖𓀀") == {"𓀀"}


def test_system_collection_uses_the_face_with_chinese(monkeypatch, tmp_path) -> None:
    import matplotlib
    from fontTools.ttLib import TTCollection, TTFont

    dejavu = Path(matplotlib.get_data_path()) / "fonts" / "ttf" / "DejaVuSans.ttf"
    collection = TTCollection()
    collection.fonts = [
        TTFont(str(dejavu)),
        TTFont(str(_mplfonts_dir() / "NotoSansCJKsc-Regular.otf")),
    ]
    ttc = tmp_path / "pan-cjk.ttc"
    collection.save(str(ttc))
    monkeypatch.delenv(FONT_ENV, raising=False)
    monkeypatch.setenv(FONTS_SETTING_ENV, "system")
    monkeypatch.setattr(fonts, "system_candidates", lambda: [ttc])
    info = find_cjk_font()
    assert (info.source, info.font_number, info.family) == ("system", 1, "Noto Sans CJK SC")
    assert font_covers(info.path, "湖里区", info.font_number) == set()


def test_subset_font_keeps_exactly_the_characters_asked_for() -> None:
    import io

    from fontTools.ttLib import TTFont

    font = find_cjk_font()
    text = "湖里区人工智能教育 4000多万元 90%以上"
    chars = {ord(c) for c in text}
    woff = fonts.subset_font(font, chars)
    assert woff[:4] == b"wOFF"
    cmap = set(TTFont(io.BytesIO(woff)).getBestCmap())
    assert cmap == chars
    # same input, same bytes: reports embedding the subset stay byte-identical
    assert fonts.subset_font(font, sorted(chars, reverse=True)) == woff
    plain = fonts.subset_font(font, chars, flavor=None)
    assert plain[:4] == b"OTTO"  # the mplfonts Noto Sans CJK SC is CFF-flavoured
    assert len(plain) > len(woff)


def test_html_headings_get_the_real_bold_face_cut_to_their_characters() -> None:
    """Headings were regular in the HTML although the PDF had a real bold."""
    import base64
    import io
    import re

    from fontTools.ttLib import TTFont

    from reportlib import render
    from reportlib.render.fonts import find_cjk_font

    font = find_cjk_font()
    assert font.bold_path is not None  # the packaged default has one
    page = "<html><head></head><body><h2>要点</h2><p>正文<strong>问题</strong></p></body></html>"
    css = render.embed_cjk_font(page, font)
    faces = re.findall(r"font-weight: (\d+); src: url\(data:font/otf;base64,([^)]+)\)", css)
    assert [w for w, _ in faces] == ["400", "700"]
    bold = TTFont(io.BytesIO(base64.b64decode(faces[1][1])))
    cmap = bold.getBestCmap()
    # the packaged bold is pan-CJK: locl gives its Chinese forms under lang="zh-CN"
    features = {r.FeatureTag for r in bold["GSUB"].table.FeatureList.FeatureRecord}
    assert features == {"locl"}
    # the bold cut holds what is bold (and the section numbers' digits), not the body text
    assert all(ord(c) in cmap for c in "要点问题1")
    assert not any(ord(c) in cmap for c in "正文")
