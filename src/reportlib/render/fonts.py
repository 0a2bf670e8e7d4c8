"""Finding the fonts that show Chinese text, for charts, the HTML report and the PDF.

By default the fonts come from packages the project's environment installs, whatever the
machine has, so that the same commit, data and lock give the same bytes everywhere: the
regular face is Noto Sans CJK SC Regular from the ``mplfonts`` wheel, the bold face is Noto
Sans CJK JP Bold from the ``noto-cjk-sans-jp-bold`` wheel (a full pan-CJK font: with the text's
language set to Chinese its ``locl`` feature gives the simplified-Chinese glyph forms). Both
are under the SIL Open Font License; their Latin letters and digits are the Latin/number face.

Only when asked does a font from elsewhere win: ``$REPORTLIB_CJK_FONT`` (a font file), or
``$REPORTLIB_FONTS=system`` (an installed system font from :data:`SYSTEM_FAMILIES`). The
result's ``source`` says which, and the report's provenance records it. Cached per setting.
"""

from __future__ import annotations

import dataclasses
import functools
import io
import os
from collections.abc import Iterable
from dataclasses import dataclass
from pathlib import Path

from fontTools.ttLib import TTCollection, TTFont

from reportlib.errors import FontNotFoundError

__all__ = [
    "FONT_ENV",
    "FONTS_SETTING_ENV",
    "SYSTEM_FAMILIES",
    "FontInfo",
    "find_cjk_font",
    "font_covers",
    "packaged_font_path",
    "subset_font",
    "system_candidates",
]

#: Environment variable naming a font file to use instead of the packaged fonts.
FONT_ENV = "REPORTLIB_CJK_FONT"

#: Environment variable: ``system`` uses an installed system font instead of the packaged ones.
FONTS_SETTING_ENV = "REPORTLIB_FONTS"

#: System font families tried in this order (simplified Chinese first).
SYSTEM_FAMILIES = (
    "Noto Sans CJK SC",
    "Source Han Sans SC",
    "WenQuanYi Zen Hei",
    "WenQuanYi Micro Hei",
    "PingFang SC",
    "Microsoft YaHei",
)

# File-name stems of those families, for fonts matplotlib lists under another family name
# (a .ttc collection is listed by its first face, e.g. "Noto Sans CJK JP").
_SYSTEM_STEMS = (
    ("notosanscjksc-regular", "notosanscjk-regular", "notosanscjk"),
    ("sourcehansanssc-regular", "sourcehanssanssc", "sourcehansans"),
    ("wqy-zenhei",),
    ("wqy-microhei",),
    ("pingfang",),
    ("msyh",),
)

_PROBE = "中文湖里区"
_INSTALL_HINT = (
    "the packaged fonts come with the project's environment: run `make venv` (or "
    "`pip install mplfonts noto-cjk-sans-jp-bold`); or set REPORTLIB_CJK_FONT to a "
    ".otf/.ttf/.ttc file that has Chinese glyphs, or REPORTLIB_FONTS=system"
)


@dataclass(frozen=True)
class FontInfo:
    """A usable CJK font: file, family name (as Typst and CSS see it) and where it came from.

    ``source`` is ``"package"`` (the default), ``"env"`` or ``"system"``; ``bold_path`` is a
    real bold face (``bold_family`` names it when its family differs), or None.
    """

    path: Path
    family: str
    source: str
    bold_path: Path | None = None
    font_number: int = 0
    bold_family: str | None = None

    def files(self) -> list[Path]:
        """The font files used: regular first, then bold."""
        return [self.path] + ([self.bold_path] if self.bold_path else [])


def _open(path: Path, font_number: int = 0) -> TTFont:
    return TTFont(str(path), fontNumber=font_number, lazy=True, recalcTimestamp=False)


def _family(font: TTFont) -> str:
    name = font["name"]
    for name_id in (16, 1):  # typographic family first: "Noto Sans CJK SC", not "… Regular"
        for rec in name.names:
            if rec.nameID == name_id and rec.platformID == 3 and rec.langID == 0x409:
                return rec.toUnicode()
    fam = name.getDebugName(16) or name.getDebugName(1)
    if not fam:
        raise FontNotFoundError(f"font has no family name in its 'name' table; {_INSTALL_HINT}")
    return fam


def font_covers(path: Path, text: str, font_number: int = 0) -> set[str]:
    """The characters of ``text`` the font file has no glyph for (empty set = all covered)."""
    cmap = _codepoints(Path(path), font_number, _mtime(path))
    return {c for c in set(text) if not c.isspace() and ord(c) not in cmap}


def _mtime(path: Path) -> int:
    try:
        return Path(path).stat().st_mtime_ns
    except OSError:
        return 0


@functools.lru_cache(maxsize=8)
def _codepoints(path: Path, font_number: int, mtime: int) -> frozenset[int]:
    # A CJK cmap has ~45,000 entries; parsing it for every report cost ~0.1 s. ``mtime`` is in
    # the key so that a font replaced on disk is read again.
    return frozenset((_open(path, font_number).getBestCmap() or {}).keys())


def _describe(path: Path, source: str) -> FontInfo | None:
    """FontInfo for the first face of ``path`` that covers the probe text, else None."""
    try:
        if path.suffix.lower() in (".ttc", ".otc"):
            faces = TTCollection(str(path), lazy=True).fonts
            # prefer the simplified-Chinese face of a pan-CJK collection
            order = sorted(range(len(faces)), key=lambda i: " SC" not in _family(faces[i]))
        else:
            order = [0]
        for i in order:
            font = _open(path, i)
            cmap = font.getBestCmap() or {}
            if all(ord(c) in cmap for c in _PROBE):
                return FontInfo(path, _family(font), source, _bold_sibling(path), i)
    except FontNotFoundError:
        raise
    except Exception:  # an unreadable font file is skipped, like fontconfig does
        return None
    return None


def _bold_sibling(path: Path) -> Path | None:
    name = path.name
    for regular in ("Regular", "regular"):
        if regular in name:
            cand = path.with_name(name.replace(regular, "Bold"))
            if cand.exists():
                return cand
    return None


def packaged_font_path() -> Path | None:
    """The packaged regular CJK font (mplfonts' Noto Sans CJK SC), or None if not installed."""
    try:
        import mplfonts
    except ImportError:
        return None
    cand = Path(mplfonts.__file__).resolve().parent / "fonts" / "NotoSansCJKsc-Regular.otf"
    return cand if cand.exists() else None


def _bold_package_path() -> Path | None:
    try:
        import noto_cjk_sans_jp_bold
    except ImportError:
        return None
    cand = Path(noto_cjk_sans_jp_bold.__file__).resolve().parent / "NotoSansCJKjp-Bold.otf"
    return cand if cand.exists() else None


def _packaged() -> FontInfo:
    regular, bold = packaged_font_path(), _bold_package_path()
    info = _describe(regular, "package") if regular else None
    if info is None or bold is None:
        raise FontNotFoundError(
            f"the packaged fonts are missing (mplfonts: {regular}, noto-cjk-sans-jp-bold: "
            f"{bold}); {_INSTALL_HINT}"
        )
    bold_family = _family(_open(bold))
    return dataclasses.replace(info, bold_path=bold, bold_family=bold_family)


def system_candidates() -> list[Path]:
    """Installed CJK fonts ``REPORTLIB_FONTS=system`` would try, best first."""
    from matplotlib import font_manager

    by_family: dict[str, list[Path]] = {}
    for entry in font_manager.fontManager.ttflist:
        if entry.weight in (400, "normal", "regular", "book") and entry.style == "normal":
            by_family.setdefault(entry.name, []).append(Path(entry.fname))
    # "ttf" lists .ttf, .ttc and .otf files alike (matplotlib's extension synonyms)
    files = [Path(p) for p in font_manager.findSystemFonts(fontext="ttf")]
    mpl = packaged_font_path()
    out: list[Path] = []
    for family, stems in zip(SYSTEM_FAMILIES, _SYSTEM_STEMS, strict=True):
        out.extend(sorted(by_family.get(family, [])))
        for stem in stems:
            out.extend(sorted(f for f in files if f.name.lower().startswith(stem)))
    seen: set[Path] = set()
    unique = []
    for p in out:
        if p not in seen and p != mpl and p.exists():
            seen.add(p)
            unique.append(p)
    return unique


@functools.lru_cache(maxsize=8)
def _find(env_value: str | None, setting: str | None = None) -> FontInfo:
    if env_value:
        path = Path(env_value).expanduser()
        if not path.is_file():
            raise FontNotFoundError(
                f"{FONT_ENV}={env_value!r} is not a font file; point it at an existing "
                f".otf/.ttf/.ttc file with Chinese glyphs, or unset it to search system fonts"
            )
        info = _describe(path.resolve(), "env")
        if info is None:
            raise FontNotFoundError(
                f"{FONT_ENV}={env_value!r} has no glyphs for Chinese text ({_PROBE}); "
                f"choose a CJK font file, or unset it; {_INSTALL_HINT}"
            )
        return info
    if setting not in (None, "", "package", "system"):
        raise FontNotFoundError(
            f"{FONTS_SETTING_ENV}={setting!r} is not a setting; use 'package' (the default) "
            f"or 'system'"
        )
    if setting != "system":
        return _packaged()
    for path in system_candidates():
        info = _describe(path, "system")
        if info is not None:
            return info
    raise FontNotFoundError(
        f"{FONTS_SETTING_ENV}=system but no system font for Chinese text was found (tried "
        f"{', '.join(SYSTEM_FAMILIES)}); unset it to use the packaged fonts"
    )


def find_cjk_font() -> FontInfo:
    """The CJK fonts to use: the packaged ones unless REPORTLIB_CJK_FONT/REPORTLIB_FONTS ask."""
    return _find(os.environ.get(FONT_ENV) or None, os.environ.get(FONTS_SETTING_ENV) or None)


find_cjk_font.cache_clear = _find.cache_clear  # type: ignore[attr-defined]


@functools.lru_cache(maxsize=4)
def _hb_face(path: Path, font_number: int, mtime: int) -> object:
    import uharfbuzz as hb

    return hb.Face(hb.Blob.from_file_path(str(path)), font_number)


def subset_font(
    font: FontInfo,
    chars: Iterable[int],
    flavor: str | None = "woff",
    features: Iterable[str] = (),
) -> bytes:
    """The font cut down to ``chars`` (plus .notdef), as WOFF (or plain OpenType: ``None``).

    HarfBuzz's subsetter (uharfbuzz) does this in milliseconds where fontTools' pure-Python
    subsetter took ~0.15-0.5 s per report on a CJK font. No OpenType layout features are
    kept: Chinese body text in a browser needs none (no ligatures, no kerning), and the
    closure over a CJK font's GSUB doubles the size. The same font and characters always
    give the same bytes (no timestamps are touched).
    """
    import uharfbuzz as hb

    face = _hb_face(font.path, font.font_number, _mtime(font.path))
    spec = hb.SubsetInput()
    for code in sorted(set(chars)):
        spec.unicode_set.add(code)
    kept = spec.sets(hb.SubsetInputSets.LAYOUT_FEATURE_TAG)
    kept.clear()
    for tag in features:  # e.g. locl: a pan-CJK face shows Chinese forms under lang="zh"
        kept.add(int.from_bytes(tag.encode("ascii"), "big"))
    spec.sets(hb.SubsetInputSets.NAME_ID).invert()  # keep every name record (licence text)
    cut = hb.subset(face, spec)
    if cut is None:
        raise FontNotFoundError(f"HarfBuzz could not subset {font.path}; is it a valid font?")
    data = cut.blob.data
    if flavor is None:
        return data
    # WOFF is zlib per table: the raw tables are copied, not decompiled, so this is quick
    tt = TTFont(io.BytesIO(data), lazy=True, recalcTimestamp=False, recalcBBoxes=False)
    tt.flavor = flavor
    out = io.BytesIO()
    tt.save(out, reorderTables=True)
    return out.getvalue()
