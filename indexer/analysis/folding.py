"""Case and character folding of one word: the same at index and at query time.

German has three spellings for the same word wherever umlauts or ß occur: ``Straße`` / ``Strasse``,
``Bürgermeister`` / ``Buergermeister`` (the transcription of a keyboard without umlauts) and, typed
carelessly, ``Burgermeister``. All three fold to ``burgermeister``:

- lower-casing;
- ``ß`` → ``ss``;
- the digraphs ``ae``, ``oe``, ``ue`` → ``a``, ``o``, ``u``, with Snowball's guard: ``ue`` stays when
  its ``u`` follows a vowel (``Feuer``, ``Bauer``, ``neue``) or a ``q`` (``Quelle``);
- ``ä``, ``ö``, ``ü`` and other accented Latin letters → their base letter (``é`` → ``e``).

The price is a few collisions of unrelated words (``aktuell`` folds to ``aktull``, ``Soest`` to
``sost``); they are harmless because both sides of a search fold alike, and rare.
"""

from __future__ import annotations

import unicodedata
from functools import lru_cache

_VOWELS = frozenset("aeiouyäöü")
_SIMPLE = str.maketrans({"ä": "a", "ö": "o", "ü": "u", "ß": "ss", "ẞ": "ss"})


def _strip_accents(word: str) -> str:
    decomposed = unicodedata.normalize("NFKD", word)
    return "".join(ch for ch in decomposed if not unicodedata.combining(ch))


def _fold_digraphs(word: str) -> str:
    """``ae``/``oe``/``ue`` → ``a``/``o``/``u`` (see the module docstring for the guard)."""
    if "e" not in word:
        return word
    out: list[str] = []
    i = 0
    n = len(word)
    while i < n:
        ch = word[i]
        if i + 1 < n and word[i + 1] == "e" and ch in "aou":
            prev = word[i - 1] if i else ""
            if ch == "u" and (prev in _VOWELS or prev == "q"):
                out.append(ch)
                i += 1
                continue
            out.append(ch)
            i += 2
            continue
        out.append(ch)
        i += 1
    return "".join(out)


@lru_cache(maxsize=100_000)
def fold(word: str) -> str:
    """The folded form of ``word``: lower case, no umlauts, no ß, no accents, no ae/oe/ue digraphs.

    >>> fold("Straße"), fold("Buergermeister"), fold("Bürgermeister"), fold("Feuerwehr")
    ('strasse', 'burgermeister', 'burgermeister', 'feuerwehr')
    """
    w = word.lower()
    if w.isascii():
        return _fold_digraphs(w)
    w = w.translate(_SIMPLE)
    if not w.isascii():
        w = _strip_accents(w)
    return _fold_digraphs(w)
