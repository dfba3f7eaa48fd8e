"""PARTY: German parties and council groups, every spelling normalised to one canonical name.

A *Fraktion* is the group of a party's members in a council ("SPD-Fraktion", "Fraktion Bündnis 90/Die
Grünen"); a *Gruppe* joins several parties or Fraktionen ("Gruppe CDU/FDP"); a *Wählergemeinschaft* is a
local list that is not a party (UWG, "Freie für Hürtgenwald"). All of them are PARTY entities here,
with ``canonical`` set to the party's one name from ``nlp/data/parties.tsv`` ("GRÜNE" for "Bündnis
90/Die Grünen", "B'90/Grüne", "Grüne-Fraktion" …).

The table is compiled once into one regular expression; ambiguous spellings ("Grünen", "Linke", "Volt",
"FW") only count in party context (see the header of the table). :func:`find_parties` works on plain
text, :func:`canonical_party` names the party of an organisation name (OParl Fraktion, Membership
``onBehalfOf``, a paper's originator), and :func:`register_components` adds the spaCy component
``ratsuche_parties`` that turns the matches into PARTY entities, taking precedence over the
statistical model's ORG/MISC for the same words.
"""

from __future__ import annotations

import functools
import re
from dataclasses import dataclass
from pathlib import Path
from typing import Any, Iterable

from corpora.errors import RatsucheError

PARTY_TABLE = Path(__file__).resolve().parent / "data" / "parties.tsv"
RULES = ("ci", "cs", "ctx", "paren")
COMPONENT = "ratsuche_parties"

_APOSTROPHES = "'`´‘’\""
# "Fraktion der SPD", "Ratsfraktion Die Unabhängigen", "Gruppe CDU/FDP", "Ratsgruppe GUT"
_PREFIX = (r"(?:(?:Rats|Stadtrats|Gemeinderats|Kreistags|Ortsrats|Ortschaftsrats|Bezirks|Regions)?[Ff]raktion"
           r"|(?:Rats)?[Gg]ruppe)(?:[ \t]+(?:der|des|von|vom))?[ \t]+")
# "SPD-Fraktion", "Grünen-OR-Fraktion", "SPD-Ortsratsmitglieder", "CDU-Antrag"
_SUFFIX = r"-(?:[A-ZÄÖÜa-zäöüß][\w]*)(?:-[\w]+)*"
_FRAKTION_WORD = re.compile(r"(?i)fraktion|gruppe")
_PARTY_COMPOUND = re.compile(
    r"(?i)fraktion|gruppe|antr|anfrage|mitglied|politik|vorsitz|sprech|ratsherr|ratsfrau|stadtr|liste|kandidat"
    r"|vertret|abgeordnet|partei|chef|spitze|basis|wähler|kollege|kollegin")
_ANTRAG_BEFORE = re.compile(
    r"(?:[Aa]ntrag|[Aa]ntrags|Anträge|[Aa]nfrage|[Aa]nfragen)[ \t]+(?:(?:der|des|von)[ \t]+)?$")
# words after which a capitalised ambiguous name is a party: "die Grünen", "bei Volt", "mit der Linken"
_DETERMINERS = frozenset(
    "der die den des dem Der Die Den Des bei beim von vom mit für gegen durch an zur zum".split())
_LIST_SEPARATOR = re.compile(r"^\s*(?:,|/|&|\+|-|–|und|sowie|oder|bzw\.?)\s*(?:(?:der|die|den|des)\s+)?$")
_NEXT_WORD = re.compile(r"^[ \t]+([A-ZÄÖÜ][a-zäöüß]+)")
_NEXT_ALLOWED = frozenset(("Fraktion", "Ratsfraktion", "Gruppe", "Ratsgruppe", "Gemeinderatsfraktion"))
_NAME_BEFORE_PAREN = re.compile(
    r"(?:[A-ZÄÖÜ][\w.'’-]*|von|van|de|zu)[ \t]+[A-ZÄÖÜ][\w'’-]*[a-zäöüß][ \t]*[(\[]$")


class RuleTableError(RatsucheError):
    """A rule table in ``nlp/data`` is malformed (a packaging defect, not a user error)."""

    reason = "bad_rule_table"


@dataclass(frozen=True)
class PartyVariant:
    canonical: str
    variant: str
    rule: str


@dataclass(frozen=True)
class PartyMatch:
    """A party mention in a text: ``text[start:end]`` with its canonical name."""

    start: int
    end: int
    text: str
    canonical: str


def _key(text: str) -> str:
    """Normal form of a spelling for the lookup: one space, no spaces at "/" or digits, no apostrophes."""
    key = re.sub(r"\s+", " ", text.strip())
    key = re.sub(r" ?/ ?", "/", key)
    key = re.sub(r"(?<=\d) | (?=\d)", "", key)
    return key.translate({ord(c): None for c in _APOSTROPHES})


def _variant_regex(variant: str) -> str:
    out = []
    for i, ch in enumerate(variant):
        if ch.isspace():
            near_digit = (i > 0 and variant[i - 1].isdigit()) or (i + 1 < len(variant) and variant[i + 1].isdigit())
            out.append(r"\s*" if near_digit else r"\s+")
        elif ch == "/":
            out.append(r"\s*/\s*")
        elif ch in _APOSTROPHES:
            out.append(f"[{re.escape(_APOSTROPHES)}]?")
        elif ch.isdigit() and i > 0 and variant[i - 1].isalpha():
            out.append(r"\s*" + re.escape(ch))  # "Bündnis90", "B 90"
        else:
            out.append(re.escape(ch))
    return "".join(out)


def load_party_table(path: Path = PARTY_TABLE) -> tuple[PartyVariant, ...]:
    """The rows of the party table (comments and blank lines skipped)."""
    rows = []
    for lineno, line in enumerate(path.read_text(encoding="utf-8").splitlines(), 1):
        if not line.strip() or line.startswith("#"):
            continue
        cols = line.split("\t")
        if len(cols) < 3 or cols[2] not in RULES or not cols[0] or not cols[1]:
            raise RuleTableError(f"{path.name}:{lineno}: expected canonical<TAB>variant<TAB>rule, got {line!r}")
        rows.append(PartyVariant(cols[0], cols[1], cols[2]))
    return tuple(rows)


class PartyTable:
    """The compiled table: one regular expression and the lookups from spelling to canonical name."""

    def __init__(self, rows: Iterable[PartyVariant]) -> None:
        self.rows = tuple(rows)
        self.cs: dict[str, PartyVariant] = {}
        self.ci: dict[str, PartyVariant] = {}
        for row in self.rows:
            key = _key(row.variant)
            if row.rule == "ci":
                self.ci[key.casefold()] = row
            else:
                self.cs[key] = row
        alternatives = []
        for row in sorted(self.rows, key=lambda r: (-len(r.variant), r.variant)):
            rx = _variant_regex(row.variant)
            alternatives.append(f"(?i:{rx})" if row.rule == "ci" else rx)
        first = {r.variant[0] for r in self.rows} | {r.variant[0].swapcase() for r in self.rows if r.rule == "ci"}
        first |= set("FfGgR")  # the prefixes
        lookahead = "[" + "".join(sorted(re.escape(c) for c in first)) + "]"
        self.pattern = re.compile(
            rf"(?<![\w])(?={lookahead})(?P<pre>{_PREFIX})?(?P<v>{'|'.join(alternatives)})(?P<suf>{_SUFFIX})?(?![\w])")

    def lookup(self, spelling: str) -> PartyVariant | None:
        key = _key(spelling)
        return self.cs.get(key) or self.ci.get(key.casefold())


@functools.lru_cache(maxsize=4)
def party_table(path: Path = PARTY_TABLE) -> PartyTable:
    return PartyTable(load_party_table(path))


def _in_context(text: str, m: re.Match[str], row: PartyVariant) -> bool:
    """Is an ambiguous spelling (rule ctx or paren) a party here? List context is checked later."""
    start, end = m.start("v"), m.end("v")
    if m.group("pre"):
        return True
    suffix = m.group("suf")
    if suffix:
        return bool((_FRAKTION_WORD if row.rule == "paren" else _PARTY_COMPOUND).search(suffix))
    before = text[max(0, start - 60):start]
    after = text[end:end + 40]
    if _ANTRAG_BEFORE.search(before):
        return True
    stripped_before, stripped_after = before.rstrip(), after.lstrip()
    enclosed = stripped_before.endswith(("(", "[")) and stripped_after.startswith((")", "]", "):", "]:"))
    if row.rule == "paren":
        return enclosed and bool(_NAME_BEFORE_PAREN.search(stripped_before))
    if enclosed:
        return True
    words = stripped_before.split()
    if words and words[-1] in _DETERMINERS and stripped_before.endswith(words[-1]):
        nxt = _NEXT_WORD.match(after)
        return not nxt or nxt.group(1) in _NEXT_ALLOWED
    return False


def _capitalised_next(text: str, m: re.Match[str]) -> bool:
    """ "Die Grünen Damen", "Die Grüne Woche": a capitalised noun after it makes it an adjective."""
    if m.group("suf"):
        return False
    nxt = _NEXT_WORD.match(text[m.end("v"):m.end("v") + 40])
    return bool(nxt) and nxt.group(1) not in _NEXT_ALLOWED


def find_parties(text: str, table: PartyTable | None = None) -> list[PartyMatch]:
    """Every party mention in ``text``, in order, with its canonical name."""
    table = table or party_table()
    accepted: list[tuple[int, int, str]] = []
    pending: list[tuple[int, int, str]] = []
    for m in table.pattern.finditer(text):
        row = table.lookup(m.group("v"))
        if row is None:  # cannot happen with a consistent table; be safe
            continue
        span = (m.start(), m.end(), row.canonical)
        if row.rule in ("ci", "cs"):
            capitalised_after = row.variant.startswith("Die ") and _capitalised_next(text, m)
            if row.rule == "cs" and capitalised_after and not m.group("pre"):
                continue
            accepted.append(span)
        elif _in_context(text, m, row):
            accepted.append(span)
        elif not (row.rule == "ctx" and _capitalised_next(text, m)):
            pending.append(span)
    # list context: "SPD, Grüne und FDP", "CDU/FW", "GRÜNE, KAL" (repeat: lists of several ambiguous ones)
    changed = True
    while pending and changed:
        changed = False
        for span in list(pending):
            for other in accepted:
                gap = text[other[1]:span[0]] if other[1] <= span[0] else text[span[1]:other[0]]
                if len(gap) <= 12 and _LIST_SEPARATOR.match(gap):
                    accepted.append(span)
                    pending.remove(span)
                    changed = True
                    break
    return [PartyMatch(s, e, text[s:e], c) for s, e, c in sorted(accepted)]


_NAME_PREFIX = re.compile(r"^(?:(?:Rats|Stadtrats|Gemeinderats|Kreistags|Ortsrats)?[Ff]raktion|(?:Rats)?[Gg]ruppe)"
                          r"(?:\s+(?:der|des|von|vom))?\s+(?P<rest>.+)$")
_NAME_SUFFIX = re.compile(r"^(?P<rest>.+?)[ -](?:[\w-]*[Ff]raktion|Gruppe)$")


def canonical_parties(text: str | None) -> list[str]:
    """All parties named in an organisation name or label, in order of first mention, each once.

    The whole string is taken as a party name first ("Grüne", "FW", "Christlich Demokratische Union",
    "Fraktion DIE LINKE."), so short forms count here that need context in running text."""
    if not text or not text.strip():
        return []
    name = " ".join(text.split()).rstrip(".").strip()
    table = party_table()
    for candidate in (name, *(m.group("rest") for m in (_NAME_PREFIX.match(name), _NAME_SUFFIX.match(name)) if m)):
        row = table.lookup(candidate)
        if row is not None:
            return [row.canonical]
    found: list[str] = []
    for match in find_parties(name, table):
        if match.canonical not in found:
            found.append(match.canonical)
    return found


def canonical_party(text: str | None) -> str | None:
    """The one party an organisation name stands for ("SPD-Fraktion" → "SPD"), or None when it names
    no party or several ("Gruppe CDU/FDP")."""
    found = canonical_parties(text)
    return found[0] if len(found) == 1 else None


# --- the spaCy component ------------------------------------------------------------------------

class PartyComponent:
    """Adds PARTY entities (``kb_id_`` = canonical name) to ``doc.ents``.

    A PARTY replaces a model entity it overlaps, except that a PER or LOC that starts before it is cut
    back to the words before the party ("Lino Hammer (Bündnis" → "Lino Hammer")."""

    def __init__(self, table: PartyTable | None = None) -> None:
        self.table = table or party_table()

    def __call__(self, doc: Any) -> Any:
        matches = find_parties(doc.text, self.table)
        if not matches:
            return doc
        parties = []
        last_end = -1
        for m in matches:
            span = doc.char_span(m.start, m.end, label="PARTY", kb_id=m.canonical, alignment_mode="expand")
            if span is None or span.start < last_end:
                continue
            parties.append(span)
            last_end = span.end
        kept = []
        for ent in (doc.ents if doc.has_annotation("ENT_IOB") else ()):
            overlapping = [p for p in parties if p.start < ent.end and ent.start < p.end]
            if not overlapping:
                kept.append(ent)
                continue
            first = min(p.start for p in overlapping)
            if ent.label_ in ("PER", "LOC") and ent.start < first:
                cut = first
                while cut > ent.start and not doc[cut - 1].text.strip("([{-–,:;").strip():
                    cut -= 1
                if cut > ent.start:
                    kept.append(doc[ent.start:cut].__class__(doc, ent.start, cut, label=ent.label, kb_id=ent.kb_id))
        doc.ents = sorted(kept + parties, key=lambda s: s.start)
        return doc


def register_components() -> None:
    """Register the ``ratsuche_parties`` factory with spaCy (idempotent; imports spaCy)."""
    from spacy.language import Language

    if not Language.has_factory(COMPONENT):
        Language.factory(COMPONENT, func=lambda nlp, name: PartyComponent())
