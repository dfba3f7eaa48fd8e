"""Autocomplete: prefix suggestions from title words and from person, party, place and Gremium names.

Built from the document table (so it follows ingestion) and searched by binary search over folded
keys ("bür", "bur" and "buer" all find "Bürgerhaus"); suggestions are ranked by how many documents
carry them.
"""

from __future__ import annotations

import bisect
import re
import unicodedata
from collections import Counter
from dataclasses import dataclass

from indexer.doctable import DocTable

KINDS = ("term", "person", "party", "place", "organization")
_WORD = re.compile(r"[A-Za-zÄÖÜäöüß][\wÄÖÜäöüß-]{3,}")


def fold(text: str) -> str:
    text = text.lower().replace("ß", "ss").replace("ae", "a").replace("oe", "o").replace("ue", "u")
    return "".join(c for c in unicodedata.normalize("NFKD", text) if not unicodedata.combining(c))


@dataclass(frozen=True)
class Suggestion:
    text: str
    kind: str
    count: int


class Suggester:
    def __init__(self, table: DocTable, titles: dict[int, str]) -> None:
        entries: list[tuple[str, str, str, int]] = []
        words: Counter[str] = Counter()
        for title in titles.values():
            words.update(set(_WORD.findall(title)))
        for word, n in words.items():
            if n >= 2 or len(titles) < 50:
                entries.append((fold(word), word, "term", n))
        for kind in ("person", "party", "place", "organization"):
            col = table.columns.get(kind)
            if col is None:
                continue
            counts = Counter(col.value.tolist())
            for i, value in enumerate(col.values):
                entries.append((fold(value), value, kind, counts.get(i, 0)))
                # also findable by a later word: "Reker" finds "Henriette Reker"
                for part in value.split()[1:]:
                    if len(part) >= 3:
                        entries.append((fold(part), value, kind, counts.get(i, 0)))
        entries.sort()
        self._keys = [e[0] for e in entries]
        self._entries = entries

    def suggest(self, prefix: str, limit: int = 10, kinds: tuple[str, ...] = KINDS) -> list[Suggestion]:
        key = fold(prefix.strip())
        if len(key) < 2:
            return []
        lo = bisect.bisect_left(self._keys, key)
        hi = bisect.bisect_left(self._keys, key + "\uffff")
        best: dict[tuple[str, str], Suggestion] = {}
        for _, text, kind, count in self._entries[lo:hi]:
            if kind in kinds and (text, kind) not in best:
                best[(text, kind)] = Suggestion(text, kind, count)
        return sorted(best.values(), key=lambda s: (-s.count, s.text))[:limit]
