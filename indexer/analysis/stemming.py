"""Stemmers for folded German words: Snowball German (PyStemmer), Savoy's light stemmer, none.

All stemmers take a *folded* word (see :mod:`indexer.analysis.folding`) and return its stem. Before
stemming, feminine and gender-inclusive forms are reduced to the generic form, so that
``Bürgermeisterin``, ``Bürger*innen``, ``BürgerInnen`` and ``Bürgerinnen`` all meet ``Bürger``
(council texts use them constantly: ``Ortsbürgermeisterin`` 1,193 times, ``Einwohner*innen`` 408
times in the Karlsruhe and Nordstemmen texts).

Snowball German over-stems the agentive ``-er``: ``Bürger`` → ``burg`` (= *Burg*), ``Schüler`` →
``schul`` (= *Schule*), ``Mieter`` → ``miet`` (= *Miete*). The analysis therefore can keep the
unstemmed folded form next to the stem (see :class:`indexer.analysis.config.AnalysisConfig`), and a
small override table (``data/stem_overrides.tsv``) pins the stems of the worst collisions.
"""

from __future__ import annotations

import threading
from collections.abc import Mapping
from dataclasses import dataclass, field
from functools import lru_cache
from importlib import resources

from indexer.analysis.errors import AnalysisError

#: a singular ``-in`` is dropped after these endings only: Leiterin, Akteurin, Patientin,
#: Praktikantin, Juristin, Kollegin, Stadträtin, Ärztin (not Termin, Medizin, Benzin, Berlin)
_FEMININE_STEMS = ("er", "eur", "ent", "ant", "ist", "eg", "at", "zt")


def generic_form(word: str) -> str:
    """The generic (masculine) form of a feminine person noun; other words unchanged.

    Works on folded words: ``burgermeisterin`` → ``burgermeister``, ``burgerinnen`` → ``burger``,
    ``kolleginnen`` → ``kolleg``; ``beginnen``, ``gewinnen``, ``binnen``, ``hierin``, ``termin``
    are kept. A plural ``-innen`` goes after any consonant once four letters remain.
    """
    if word.endswith("innen"):
        base = word[:-5]
        if len(base) >= 4 and base[-1] not in "aeiouy":
            return base
    elif word.endswith("in") and len(word) >= 6:
        base = word[:-2]
        # not hierin, Platin: short words only after -zt (Ärztin)
        if base.endswith(_FEMININE_STEMS) and (len(word) >= 8 or (len(word) >= 7 and not base.endswith("at"))
                                               or base.endswith("zt")):
            return base
    return word


@lru_cache(maxsize=1)
def _stem_overrides() -> dict[str, str]:
    """The override table: folded word → stem, for words whose Snowball stem collides."""
    text = resources.files("indexer.analysis").joinpath("data/stem_overrides.tsv").read_text("utf-8")
    table: dict[str, str] = {}
    for lineno, line in enumerate(text.splitlines(), 1):
        line = line.split("#", 1)[0].strip()
        if not line:
            continue
        fields = line.split("\t")
        if len(fields) != 2:
            raise AnalysisError(f"stem_overrides.tsv line {lineno}: expected 'word<TAB>stem', got {line!r}")
        table[fields[0]] = fields[1]
    return table


def light_stem(word: str) -> str:
    """Savoy's light German stemmer (as in Lucene's ``GermanLightStemmer``), on a folded word.

    It removes plural and case endings (``-e``, ``-en``, ``-er``, ``-ern``, ``-es``, ``-s``) and a few
    adjective endings, nothing derivational: ``planungen`` → ``planung`` (Snowball: ``planung``),
    ``tagesordnung`` stays (Snowball: ``tagesordn``).
    """
    s = word
    n = len(s)
    # step 1
    if n > 5 and s.endswith("ern"):
        s = s[:-3]
    elif n > 4 and s[-2] == "e" and s[-1] in "mnrs":
        s = s[:-2]
    elif n > 3 and s[-1] == "e":
        s = s[:-1]
    elif n > 3 and s[-1] == "s" and s[-2] in "bdfghklmnt":
        s = s[:-1]
    # step 2
    n = len(s)
    if n > 5 and s.endswith("est"):
        s = s[:-3]
    elif n > 4 and s[-2] == "e" and s[-1] in "rn":
        s = s[:-2]
    elif n > 4 and s.endswith("st") and s[-3] in "bdfghklmnt":
        s = s[:-2]
    return s


@dataclass(frozen=True)
class WordStemmer:
    """Stems folded words with one algorithm: ``"snowball"``, ``"light"`` or ``"none"``.

    ``lexicon`` (folded word → corpus count), where given, lets a final ``-s`` after a vowel go
    when the rest is a known word: ``kitas`` → ``kita``, ``autos`` → ``auto`` (Snowball keeps them).
    """

    algorithm: str = "snowball"
    lexicon: Mapping[str, int] | None = field(default=None, compare=False, hash=False, repr=False)

    def __post_init__(self) -> None:
        if self.algorithm not in ("snowball", "light", "none"):
            raise AnalysisError(f"unknown stemmer {self.algorithm!r}", hint="snowball, light or none")

    def stem(self, word: str) -> str:
        word = generic_form(word)
        override = _stem_overrides().get(word)
        if override is not None:
            return override
        lex = self.lexicon
        if (
            lex is not None
            and len(word) > 4
            and word[-1] == "s"
            and word[-2] in "aoiy"
            and lex.get(word[:-1], 0) >= 5
        ):
            word = word[:-1]
        if self.algorithm == "snowball":
            return _snowball()(word)
        if self.algorithm == "light":
            return light_stem(word)
        return word


_local = threading.local()


def _snowball():
    """PyStemmer's Snowball German ``stemWord``, one stemmer per thread (they are not thread-safe)."""
    stem = getattr(_local, "stem", None)
    if stem is None:
        try:
            import Stemmer  # PyStemmer
        except ImportError as exc:  # pragma: no cover - PyStemmer is a core dependency
            raise AnalysisError(
                "PyStemmer is not installed", hint="pip install PyStemmer (a core dependency of ratsuche)"
            ) from exc
        stem = _local.stem = Stemmer.Stemmer("german").stemWord
    return stem
