"""The query language users type, parsed into a plain structure. Never raises.

- plain words: all of them preferred, any of them as a fallback (a long question still finds something)
- ``"Bebauungsplan Mühlbach"``: a phrase
- ``-Gewerbegebiet``, ``-"Sitzung vom"``: exclude
- ``Kita OR Kindergarten``: either
- ``Feuerwher~``: fuzzy (typos); words absent from the index are also matched fuzzily by themselves
- ``Radweg*``: prefix (at least 3 characters before the star)
- ``partei:SPD``, ``gremium:"Rat der Stadt Köln"``, ``jahr:2023``, ``typ:Antrag`` …: filters
- ``DS 26/2022``, ``2019/0294``: reference numbers, looked up first

Anything that does not parse (an unbalanced quote, a stray operator, an unknown field) degrades to
plain words.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field

#: filter names users may type, German and English, mapped to facet fields
FIELD_ALIASES = {
    "body": "body", "koerperschaft": "body", "körperschaft": "body", "kommune": "body", "stadt": "body",
    "organization": "organization", "gremium": "organization", "ausschuss": "organization",
    "paper_type": "paper_type", "art": "paper_type", "vorlagenart": "paper_type",
    "document_type": "document_type", "typ": "document_type", "dokumenttyp": "document_type",
    "year": "year", "jahr": "year",
    "party": "party", "partei": "party", "fraktion": "party",
    "person": "person", "redner": "person", "speaker": "person",
    "place": "place", "ort": "place",
    "result": "result", "ergebnis": "result",
}

_TOKEN = re.compile(
    r'(?P<neg>-)?(?:(?P<field>[A-Za-zÄÖÜäöüß_]+):(?:"(?P<fquoted>[^"]*)"|(?P<fvalue>\S+))'
    r'|"(?P<phrase>[^"]*)"|(?P<word>[^\s"]+))'
)
_REFERENCE = re.compile(
    r"(?:\b(?:DS|Drs\.?|Drucksache|Vorlage(?:\s+Nr\.?)?|BV|AN|AF|Nr\.?)\s*)?\b(\d{1,5}/\d{2,4}(?:-\d+)?)\b",
    re.IGNORECASE)
_EDGE_PUNCT = re.compile(r"^[^\w§/]+|[^\w/*~]+$")
MIN_PREFIX = 3


@dataclass(frozen=True)
class Clause:
    """One word or phrase of a query. ``alternatives`` holds words joined by OR with it."""

    text: str
    phrase: bool = False
    fuzzy: bool = False
    prefix: bool = False
    alternatives: tuple["Clause", ...] = ()


@dataclass(frozen=True)
class ParsedQuery:
    clauses: tuple[Clause, ...] = ()
    excluded: tuple[Clause, ...] = ()
    filters: dict[str, tuple[str, ...]] = field(default_factory=dict)
    references: tuple[str, ...] = ()
    text: str = ""

    @property
    def empty(self) -> bool:
        return not self.clauses and not self.references


def _clause(raw: str, *, phrase: bool = False) -> Clause | None:
    if phrase:
        words = raw.split()
        if not words:
            return None
        return Clause(" ".join(words), phrase=len(words) > 1)
    fuzzy = raw.endswith("~")
    prefix = raw.endswith("*") and not fuzzy
    core = _EDGE_PUNCT.sub("", raw.rstrip("~*"))
    if not core:
        return None
    if prefix and len(core) < MIN_PREFIX:
        prefix = False
    return Clause(core, fuzzy=fuzzy, prefix=prefix)


def parse_query(text: str) -> ParsedQuery:
    text = " ".join((text or "").split())
    references = tuple(dict.fromkeys(m.group(1) for m in _REFERENCE.finditer(text)))
    if text.count('"') % 2:
        text = text.replace('"', " ")
    clauses: list[Clause] = []
    excluded: list[Clause] = []
    filters: dict[str, list[str]] = {}
    join_next = False
    for m in _TOKEN.finditer(text):
        neg = bool(m.group("neg"))
        if m.group("field") is not None:
            name = FIELD_ALIASES.get(m.group("field").lower())
            value = (m.group("fquoted") if m.group("fquoted") is not None else m.group("fvalue") or "").strip()
            if name and value and not neg:
                filters.setdefault(name, []).append(value)
                continue
            # an unknown field: the words themselves
            raw = f"{m.group('field')} {value}"
            for word in raw.split():
                c = _clause(word)
                if c:
                    clauses.append(c)
            continue
        if m.group("phrase") is not None:
            c = _clause(m.group("phrase"), phrase=True)
        else:
            word = m.group("word")
            if word == "OR" and clauses and not neg:
                join_next = True
                continue
            if word in ("AND", "&&", "+"):
                continue
            if word == "NOT":
                continue
            c = _clause(word)
        if c is None:
            continue
        if neg:
            excluded.append(c)
        elif join_next and clauses:
            head = clauses.pop()
            clauses.append(Clause(head.text, head.phrase, head.fuzzy, head.prefix, head.alternatives + (c,)))
        else:
            clauses.append(c)
        join_next = False
    return ParsedQuery(tuple(clauses), tuple(excluded), {k: tuple(v) for k, v in filters.items()},
                       references, text)
