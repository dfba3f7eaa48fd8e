"""De-hyphenation of words broken at a line end: pure functions.

German typesetting breaks long words with a hyphen at the line end ("Verwal-" / "tung"). Taking
the hyphen out is right for a word broken by the typesetter, wrong for a hyphen that belongs to
the text:

- "Um-" + "bau"            → "Umbau"            (lower-case continuation: a broken word)
- "CDU-" + "Fraktion"      → "CDU-Fraktion"     (capitalised continuation: a real compound,
  "Rhein-" + "Energie"     → "Rhein-Energie"     German nouns are capitalised after a hyphen)
- "Nord-" + "und Südstadt" → "Nord- und Südstadt" (Ergänzungsstrich: the hyphen stands for a
  word part that follows later, before "und", "oder", "bzw.", "sowie" …)
- "30-" + "jährige", "CDU-" + "nahe" → hyphen kept (a digit or an acronym before it)
- "PAR-" + "TEI" → "PARTEI" when the document spells "PARTEI" elsewhere (an all-caps word)
- "gibt. -" + "Danke"       → not a hyphen at all (a dash after a space)
- a soft hyphen (U+00AD) at the line end always marks a broken word: it is dropped.
"""

from __future__ import annotations

import re

from .cleanup import SOFT_HYPHEN

# Words after which a line-final hyphen is usually an Ergänzungsstrich ("Nord- und Südstadt"),
# unless the document itself spells the joined word ("Canna-" + "bis" → "Cannabis").
_CONJUNCTIONS = frozenset({
    "und", "oder", "bzw", "bzw.", "sowie", "bis", "u.", "o.", "resp.", "respektive",
    "beziehungsweise", "&", "und/oder", "oder/und",
})
_WORD = re.compile(r"[^\W\d_]+")
_TOKEN = re.compile(r"\S+")


def is_line_end_hyphen(line: str) -> bool:
    """Whether ``line`` ends in a hyphen that may break a word (not a dash after a space)."""
    if line.endswith(SOFT_HYPHEN):
        return True
    return len(line) >= 2 and line[-1] == "-" and line[-2].isalnum()


def join_hyphenated(left: str, right: str, vocabulary: frozenset[str] | set[str] = frozenset()) -> str | None:
    """``left`` and ``right`` (two consecutive lines of one paragraph) joined across the hyphen
    at the end of ``left``; ``None`` when ``left`` does not end in a word-breaking hyphen.

    ``vocabulary`` (lower-cased words of the document, see :func:`vocabulary_of`) decides the
    doubtful case of a conjunction after the hyphen: "Canna-" + "bis" is joined when the
    document spells "Cannabis" elsewhere; "Nord-" + "und" stays "Nord- und".

    >>> join_hyphenated("den Um-", "bau der Halle")
    'den Umbau der Halle'
    >>> join_hyphenated("die CDU-", "Fraktion")
    'die CDU-Fraktion'
    >>> join_hyphenated("Nord-", "und Südstadt")
    'Nord- und Südstadt'
    """
    if not is_line_end_hyphen(left):
        return None
    right = right.lstrip()
    if not right:
        return None
    if left.endswith(SOFT_HYPHEN):
        return left[:-1] + right
    stem = left[:-1]
    words = right.split(None, 2)
    next_word = words[0]
    last_word = stem.rsplit(None, 1)[-1]
    conjunction = next_word.lower() in _CONJUNCTIONS or (
        next_word == "als" and len(words) > 1 and words[1] == "auch")  # "sowohl Nord- als auch Süd…"
    if conjunction:
        joined = _WORD.findall(last_word + next_word)
        if not (joined and joined[-1].lower() in vocabulary):
            return left + " " + right
    if right[0].islower() and stem[-1].isalpha() and not _is_acronym(last_word):
        return stem + right
    if _is_acronym(last_word) and _is_acronym(next_word) and right[0].isupper():
        # an all-caps word broken by the typesetter ("Die PAR-" + "TEI"), when the document
        # spells it whole; "CDU-" + "SPD-Koalition" keeps its hyphen
        joined = _WORD.findall(last_word + next_word)
        if joined and joined[-1].lower() in vocabulary:
            return stem + right
    return left + right


def vocabulary_of(texts) -> frozenset[str]:
    """The lower-cased words (letters only) of some texts: what the document spells whole."""
    words: set[str] = set()
    for text in texts:
        words.update(w.lower() for w in _WORD.findall(text))
    return frozenset(words)


def _is_acronym(word: str) -> bool:
    letters = [c for c in word if c.isalpha()]
    return len(letters) >= 1 and all(c.isupper() for c in letters) and (len(letters) >= 2 or len(word) == 1)


def dehyphenate(text: str) -> str:
    """Plain text with every word broken at a line end joined again (see :func:`join_hyphenated`;
    the text itself is the vocabulary).

    The rest of the next line moves up with the word's second half, so the line break after it
    is kept: "Um-\\nbau der Halle\\nund" → "Umbau der Halle\\nund". Blank lines are never crossed.
    """
    lines = text.split("\n")
    vocabulary = vocabulary_of(lines)
    out: list[str] = []
    for line in lines:
        if out and out[-1] and line.strip():
            joined = join_hyphenated(out[-1], line, vocabulary)
            if joined is not None:
                out[-1] = joined
                continue
        out.append(line)
    return "\n".join(line.replace(SOFT_HYPHEN, "") for line in out)


def first_token(text: str) -> str:
    """The first whitespace-separated token of ``text`` ("" if none)."""
    match = _TOKEN.search(text)
    return match.group(0) if match else ""
