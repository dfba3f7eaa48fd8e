"""A frequency-based German compound splitter (after Koehn & Knight 2003).

German writes compounds as one word: *Feuerwehrgerätehaus* (fire brigade equipment house),
*Radwegeverbindung* (cycle path link), *Bebauungsplanverfahren* (procedure for a zoning plan). A
search for *Feuerwehr* must find them, so the index holds their parts as well.

How a folded word is split:

1. Every segmentation of the word into parts of at least ``min_part`` letters is considered, where
   each part is a word of the lexicon (corpus counts, :mod:`indexer.analysis.lexicon`). A part that
   is not the last may end in a linking morpheme (*Fugenelement*) that is not part of the word:
   ``-s-`` (Verwaltung\\ **s**\\ gebäude), ``-es-`` (Tag\\ **es**\\ ordnung), ``-n-``, ``-en-``,
   ``-e-`` (Radweg\\ **e**\\ verbindung), ``-ns-``, ``-ens-``; or it may have lost a final ``-e``
   (elision: Schul\\ weg from *Schule*), also after dropping a linking ``-s`` (Hilf\\ **s**\\ mittel from
   *Hilfe*).
2. Parts are never stop words or bare prefixes and suffixes (*unter*, *vor*, *an*; *ver*, *ent*;
   *ung*, *heit*, *schaft*): *Vorlage* is not *vor* + *Lage*, *Unternehmen* not *unter* + *nehmen*.
   Three-letter parts must be listed words (*Rat*, *Amt*, *Weg*, *Bad*: ``SHORT_PARTS``).
   A head (last part) must be a noun: written with a capital in at least half of its occurrences
   in the corpus (``noun_share``). This alone removes most false splits into line-break fragments
   (*entschei|dung*) and verb forms (*fest|gestellt*).
3. A segmentation scores the geometric mean of its parts' counts; the best one wins if it scores at
   least ``ratio`` times the count of the word itself (Koehn & Knight use ratio 1). A frequent word
   that is more common than its parts stays whole: *Karlsruhe* (22,947) is not *Karl* + *Ruhe*.

:meth:`Decompounder.split` returns the parts in their lexicon form (linking morphemes removed),
:meth:`Decompounder.subwords` adds the runs of adjacent parts that are words themselves
(*Feuerwehr* in *feuer|wehr|geräte|haus*), which is what the index holds.
"""

from __future__ import annotations

import math
from dataclasses import dataclass, field
from functools import lru_cache

from indexer.analysis.lexicon import Lexicon

#: linking morphemes, longest first. The plural-like -er- (Kind-er-garten) is left out: such a
#: modifier is a word of its own (*Kinder*), and stripping -er- makes *Gebäude-er-neuerungen*.
LINKERS: tuple[str, ...] = ("ens", "es", "ns", "en", "s", "n", "e")

#: inflection endings a compound head may carry beyond the forms the lexicon has seen
HEAD_ENDINGS: tuple[str, ...] = ("en", "n", "e", "s", "es", "er")

#: the three-letter words that may be compound parts (folded); the lexicon's other three-letter
#: "words" are abbreviations, names and noise (whs, abs, dez, mio, ute, sch …)
SHORT_PARTS: frozenset[str] = frozenset(
    """
    amt arm art bad bau bio bus eis erd fax gas geh hof hub kfz lkw lob mut nah neu not ohr ort ost pkw rad
    rat rot ruf see sud tag tal tat tau tee tod ton tor tur typ uhr weg zoo zug
    """.split()
)

#: parts that are affixes or particles, never words of a compound (folded forms)
NON_PARTS: frozenset[str] = frozenset(
    """
    ung ungen heit heiten keit keiten schaft schaften lich liche lichen licher isch ische ischen
    bar bare baren sam tum nis nisse ling linge chen lein ion ionen tion tionen ierung ierungen
    itat itaten ismus ist isten ant anten ent enten enz anz ur ver ent zer ers ern ges
    unter uber vor nach aus auf mit bei zum zur von vom hin her ein eine einer einem einen
    ab an um zu durch gegen ohne wider hinter neben zwischen ander andere anderen
    dar dass das des dem den der die ihr ihre sie sich nur auch nicht noch schon sehr
    los lose losen voll volle weise gar innen ing str mal
    """.split()
)


@dataclass(frozen=True)
class Decompounder:
    """Splits folded German words into the parts that a search should also find them by."""

    lexicon: Lexicon = field(repr=False, compare=False, hash=False)
    stopwords: frozenset[str] = field(default=frozenset(), repr=False)
    min_word: int = 6
    min_part: int = 3
    min_count: int = 3
    min_short_count: int = 50
    min_adjective_count: int = 200
    noun_share: float = 0.5
    ratio: float = 1.0
    max_parts: int = 4

    def __post_init__(self) -> None:
        # per-instance tables and caches (the dataclass is frozen; they are implementation details)
        heads: dict[str, int] = {}
        modifiers: dict[str, int] = {}
        for form in self.lexicon.counts:
            c = self._count(form, head=False)
            if c:
                modifiers[form] = c
                if self._count(form, head=True):
                    heads[form] = c
        object.__setattr__(self, "_heads", heads)
        object.__setattr__(self, "_modifier_counts", modifiers)
        object.__setattr__(self, "_blocked", NON_PARTS | self.stopwords)
        object.__setattr__(self, "_split", lru_cache(maxsize=200_000)(self._split_uncached))

    # -- parts ---------------------------------------------------------------------------------

    def _count(self, form: str, head: bool) -> int:
        """The count of ``form`` as a part, or 0 where it cannot be one.

        A head must be a noun (capitalised in at least ``noun_share`` of its occurrences); a
        modifier may also be a frequent word of another class (*neu*bau, *gesamt*kosten).
        """
        if len(form) < self.min_part or form in NON_PARTS or form in self.stopwords or not form.isalpha():
            return 0
        lex = self.lexicon
        n = lex.counts.get(form, 0)
        if n < self.min_count or (len(form) == 3 and (form not in SHORT_PARTS or n < self.min_short_count)):
            return 0
        if lex.capitalised.get(form, 0) < self.noun_share * n:
            if head or n < self.min_adjective_count or len(form) == 3:
                return 0
        return n

    def _head(self, s: str) -> tuple[str, int]:
        """The last part: a noun as it stands (it carries the inflection), or an inflected form of
        one: ``erneuerungen`` counts as ``erneuerung`` when the plural itself is too rare."""
        heads: dict[str, int] = self._heads  # type: ignore[attr-defined]
        c = heads.get(s, 0)
        if c:
            return s, c
        for ending in HEAD_ENDINGS:
            if s.endswith(ending) and len(s) - len(ending) >= self.min_part:
                c = heads.get(s[: -len(ending)], 0)
                if c:
                    return s, c
        return s, 0

    def _modifier(self, s: str) -> tuple[str, int]:
        """A non-final part: the most frequent word that ``s`` may stand for: ``s`` itself; ``s``
        without a linking morpheme (``verwaltungs`` → ``verwaltung``); with an elided ``-e``
        restored (``schul`` → ``schule``, ``hilfs`` → ``hilfe``); a verb stem (``wohn`` → ``wohnen``)."""
        if s in self._blocked or (len(s) == 3 and s not in SHORT_PARTS):  # type: ignore[attr-defined]
            return s, 0  # "aus" is no Aue+s, "ver" no Verse, "geb" no geben
        counts: dict[str, int] = self._modifier_counts  # type: ignore[attr-defined]
        best_form, best = s, counts.get(s, 0)
        mp = self.min_part
        for linker in LINKERS:
            if s.endswith(linker) and len(s) - len(linker) >= mp:
                base = s[: -len(linker)]
                c = counts.get(base, 0)
                if c > best:
                    best_form, best = base, c
                if linker == "s":
                    c = counts.get(base + "e", 0)
                    if c > best:
                        best_form, best = base + "e", c
        c = counts.get(s + "e", 0)
        if c > best:
            best_form, best = s + "e", c
        c = counts.get(s + "en", 0)
        if c > best:
            best_form, best = s + "en", c
        return best_form, best

    # -- segmentation --------------------------------------------------------------------------

    def _split_uncached(self, word: str) -> tuple[tuple[str, ...], tuple[str, ...]]:
        """(lexicon forms, surface pieces) of the best segmentation, or ((), ()) to keep it whole."""
        n = len(word)
        if n < self.min_word or not word.isalpha():
            return (), ()
        mp = self.min_part
        modifier = self._modifier
        log = math.log
        # the modifiers that start at each position reachable from the word's start:
        # i -> [(j, form, log count)]; a segmentation can only use those positions
        starts: dict[int, list[tuple[int, str, float]]] = {}
        todo = [0]
        while todo:
            i = todo.pop()
            found: list[tuple[int, str, float]] = []
            for j in range(i + mp, n - mp + 1):
                form, c = modifier(word[i:j])
                if c:
                    found.append((j, form, log(c)))
                    if j not in starts and j not in todo:
                        todo.append(j)
            starts[i] = found
        # best[k][i]: (sum of log counts, forms, pieces) for word[i:] in exactly k parts
        layer: dict[int, tuple[float, tuple[str, ...], tuple[str, ...]]] = {}
        head = self._head
        for i in starts:
            if i:
                form, c = head(word[i:])
                if c:
                    layer[i] = (log(c), (form,), (form,))
        candidates: list[tuple[float, tuple[str, ...], tuple[str, ...]]] = []
        for k in range(2, self.max_parts + 1):
            if not layer:
                break
            nxt: dict[int, tuple[float, tuple[str, ...], tuple[str, ...]]] = {}
            for i, found in starts.items():
                top = None
                for j, form, lc in found:
                    rest = layer.get(j)
                    if rest is not None and (top is None or lc + rest[0] > top[0]):
                        top = (lc + rest[0], (form, *rest[1]), (word[i:j], *rest[2]))
                if top is not None:
                    nxt[i] = top
            layer = nxt
            if 0 in layer:
                total, forms, pieces = layer[0]
                candidates.append((total / k, forms, pieces))
        if not candidates:
            return (), ()
        score, forms, pieces = max(candidates, key=lambda c: c[0])
        whole = self.lexicon.counts.get(word, 0)
        if whole and self.ratio > 0 and score < math.log(whole * self.ratio):
            return (), ()
        return forms, pieces

    def split(self, word: str) -> tuple[str, ...]:
        """The parts of a folded word in their lexicon forms, or ``()`` if it stays whole.

        >>> Decompounder(load_lexicon()).split("verwaltungsgebaude")  # doctest: +SKIP
        ('verwaltung', 'gebaude')
        """
        return self._split(word)[0]  # type: ignore[attr-defined]

    def pieces(self, word: str) -> tuple[str, ...]:
        """The surface pieces of the split (linking morphemes included): ``verwaltungs|gebaude``."""
        return self._split(word)[1]  # type: ignore[attr-defined]

    def subwords(self, word: str) -> tuple[str, ...]:
        """The parts, and every run of adjacent parts that is itself a known word, in order.

        ``feuerwehrgeratehaus`` split as ``feuer|wehr|gerate|haus`` gives ``feuer, wehr, gerate,
        haus, feuerwehr, geratehaus``.
        """
        forms, pieces = self._split(word)  # type: ignore[attr-defined]
        if len(forms) <= 2:
            return forms
        out = list(forms)
        k = len(pieces)
        for length in range(2, k):
            for i in range(0, k - length + 1):
                surface = "".join(pieces[i : i + length])
                if i + length < k:
                    form, c = self._modifier(surface)
                else:
                    form, c = self._head(surface)
                if c and form not in out:
                    out.append(form)
        return tuple(out)
