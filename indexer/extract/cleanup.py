"""Character-level cleanup of extracted text: pure functions.

PDF text layers carry typesetting artefacts that hurt search: ligature glyphs ("ﬁ" for "fi"),
soft hyphens, private-use glyphs of symbol fonts, control characters, ``(cid:NN)`` placeholders
pdfminer writes for glyphs it cannot map, and runs of spaces from justified lines. The functions
here remove them; they never change letters otherwise (no NFKC: "²" and "½" stay as they are).
"""

from __future__ import annotations

import re
import unicodedata

SOFT_HYPHEN = "\u00ad"

_CID = re.compile(r"\(cid:\d+\)")
# The typographic ligatures of the Alphabetic Presentation Forms block (U+FB00–U+FB06).
_LIGATURES = {
    "\ufb00": "ff", "\ufb01": "fi", "\ufb02": "fl", "\ufb03": "ffi", "\ufb04": "ffl",
    "\ufb05": "st", "\ufb06": "st",
}
# Private-use code points that Word's Symbol/Wingdings fonts use for list bullets.
_PRIVATE_BULLETS = {"\uf0b7": "•", "\uf0a7": "•", "\uf06c": "•", "\uf0d8": "•", "\uf0fc": "•"}
_HYPHENS = {"\u2010": "-", "\u2011": "-"}
_SPACES = re.compile(r"[ \t\u00a0\u1680\u2000-\u200a\u202f\u205f\u3000]+")
_DROP_CATEGORIES = frozenset({"Cc", "Cf", "Co", "Cs", "Cn"})
_MAP = {**_LIGATURES, **_PRIVATE_BULLETS, **_HYPHENS}


def _clean_chars(text: str) -> str:
    out = []
    for ch in text:
        mapped = _MAP.get(ch)
        if mapped is not None:
            out.append(mapped)
        elif ch == SOFT_HYPHEN or ch == "\t":
            out.append(ch)
        elif ch == "\ufffd" or unicodedata.category(ch) in _DROP_CATEGORIES:
            continue
        else:
            out.append(ch)
    return "".join(out)


def clean_line(text: str) -> str:
    """One line of text, cleaned: ``(cid:NN)`` and control, format, private-use and unassigned
    characters dropped, ligatures expanded, NFC, every run of spaces (no-break and typographic
    spaces included) made one space, ends stripped.

    A soft hyphen at the end of the line is kept: it marks a word broken at the line end (see
    :func:`indexer.extract.hyphenation.join_hyphenated`); soft hyphens elsewhere are dropped.
    """
    if not text:
        return ""
    text = _CID.sub("", text.replace("\r", " ").replace("\n", " "))
    # cheap path: plain printable ASCII needs no per-character work
    if not text.isascii() or not text.isprintable():
        text = unicodedata.normalize("NFC", _clean_chars(text))
    text = _SPACES.sub(" ", text).strip()
    if SOFT_HYPHEN in text:
        ends_soft = text.endswith(SOFT_HYPHEN)
        text = text.replace(SOFT_HYPHEN, "").rstrip()
        if ends_soft and text:
            text += SOFT_HYPHEN
    return text


def clean_text(text: str) -> str:
    """A multi-line text (HTML, TXT, OCR) cleaned line by line with :func:`clean_line`; a line that
    ends in a soft hyphen is joined with the next (the hyphen dropped); line ends normalised to
    ``\\n``; more than one blank line made one. Form feeds are kept (they separate pages)."""
    text = text.replace("\r\n", "\n").replace("\r", "\n")
    pages = []
    for page in text.split("\f"):
        lines: list[str] = []
        for raw in page.split("\n"):
            line = clean_line(raw)
            if lines and lines[-1].endswith(SOFT_HYPHEN) and line:
                lines[-1] = lines[-1][:-1] + line
            else:
                lines.append(line)
        pages.append(_squeeze_blank_lines([line.replace(SOFT_HYPHEN, "") for line in lines]))
    return "\f".join(pages)


def _squeeze_blank_lines(lines: list[str]) -> str:
    out: list[str] = []
    for line in lines:
        if not line and (not out or not out[-1]):
            continue
        out.append(line)
    while out and not out[-1]:
        out.pop()
    return "\n".join(out)


def count_cid(text: str) -> int:
    """How many ``(cid:NN)`` placeholders (unmappable glyphs) a raw pdfminer text holds."""
    return len(_CID.findall(text))


def squeeze_spaces(text: str) -> str:
    """Runs of spaces inside lines made one; the lines themselves kept."""
    return "\n".join(_SPACES.sub(" ", line).strip() for line in text.split("\n"))
