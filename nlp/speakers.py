"""Speakers: who speaks, proposes, asks or answers in minutes, and who is merely listed or mentioned.

Two kinds of minutes, written differently:

- A *Wortprotokoll* (verbatim protocol, Köln) marks each speech with a header at the start of a line:
  "Lino Hammer (Bündnis 90/Die Grünen):", "Oberbürgermeisterin Henriette Reker:"; heckling is an
  *interjection* in parentheses: "(Zuruf von Jörg Detjen [DIE LINKE])", "(Lino Hammer [Bündnis
  90/Die Grünen]: Dem Vertagungsantrag?)"; applause "(Beifall bei der AfD)" names no speaker.
- A *Niederschrift* or *Protokoll* (results minutes, Nordstemmen, Ahnsen, an ALLRIS "Auszug") reports
  in the third person: "Herr Münzberger (FDP) erläutert, …", "Der Vorsitzende, Herr Dräger, eröffnet
  die Sitzung", "Zur Rampe trägt Herr Röbbeln vor", and opens with an *attendance list* ("Es sind
  anwesend: Herr Kai Dräger, Vorsitzender / …", "Sascha Backhaus (SPD)") whose persons are not
  speakers but may tell their party.

A mention is a speaker when a speech verb from ``nlp/data/speech_verbs.tsv`` makes the named person the
subject of a main clause, or when a header or an interjection names them. Roles: ``speaker``,
``interjection`` and ``chair`` (the person leading the session: a title from ``nlp/data/titles.tsv``
such as Vorsitzende/r, or a chair act such as opening the session or giving the floor).

Everything here is regular expressions compiled once over a page's text; a spaCy ``Doc`` may be passed
instead of the text, and then a PER entity of the statistical model at the start of a sentence counts
as a name even without "Herr"/"Frau" ("Pierre Pohl eröffnet …").
"""

from __future__ import annotations

import functools
import re
from dataclasses import dataclass
from pathlib import Path
from typing import Any, Iterable, Sequence

from nlp.parties import RuleTableError, canonical_parties

DATA = Path(__file__).resolve().parent / "data"
SPEECH_VERBS = DATA / "speech_verbs.tsv"
TITLES = DATA / "titles.tsv"

# rules, by priority when two find the same name
HEADER, INTERJECTION, NARRATIVE, INVERTED, QUESTION = "header", "interjection", "narrative", "inverted", "question"
_PRIORITY = {HEADER: 0, INTERJECTION: 1, NARRATIVE: 2, INVERTED: 3, QUESTION: 4}

_LOWER = "a-zß-öø-ÿ\u0100-\u017f"  # Latin-1 lower case and Latin Extended-A (ý, ł, š, ğ …)
_UPPER = "A-ZÀ-ÖØ-Þ\u0100-\u017f"
_CAP = rf"(?:Mc|O['’])?[{_UPPER}][{_LOWER}'’]+(?:-[{_UPPER}][{_LOWER}'’]+)*"
_INITIAL = r"[A-ZÄÖÜ][a-z]?\."
_PART_START = (r"(?:von[ \t]+und[ \t]+zu|von[ \t]+der|von[ \t]+dem|van[ \t]+der|van[ \t]+den|de[ \t]+la|von|van|vom"
               r"|zu|zur|de|del|della|di|da|dos|du|ter|ten|le|la)")
_PART_MID = r"(?:von|van|vom|de|zu|van[ \t]+der|van[ \t]+den)"
_ACAD = (r"(?:(?:Prof|Dr|Dipl\.-Ing|Dipl\.-Kfm)\.(?:[ \t]*(?:rer\.[ \t]*nat|rer\.[ \t]*pol|med|phil|jur|h\.[ \t]*c"
         r"|-Ing)\.)?[ \t]*)+")
_ADDRESS = r"(?:Herr|Frau)"
_SUBORDINATE = re.compile(
    r",\s*(?:dass|daß|ob|weil|wenn|da|die|der|das|den|dem|welche[rsnm]?|wie|wo|wobei|worauf|womit|nachdem|sodass"
    r"|so\s+dass|um|damit|obwohl|obgleich|sofern|soweit|falls|bevor|bis|seit|während)\b")
_ABBREVIATIONS = frozenset(
    "Dr Prof Nr bzw ca vgl gem Abs Str St evtl ggf inkl z u d o i Hr Fr bzgl ff lt Tel Ziff Anl Drs DS S Art Pkt "
    "TOP Ah Bzgl Nds usw etc sog geb Dipl Ing jun sen Verf Az Bd Std Min Mio Mrd max min ehem Ges".split())
_CHAIR_ACT = re.compile(
    r"\b(?:eröffnet|schließt\s+(?:die|den)\s+(?:\w+\s+)?(?:Sitzung|Beratung|Aussprache|Tagesordnungspunkt)"
    r"|(?:übergibt|erteilt)\b[^.]*\bWort\b|unterbricht|Beschlussfähigkeit|ordnungsgemäße[n]?\s+Ladung"
    r"|Tagesordnung\b|bittet\s+um\s+(?:\w+\s+)?Abstimmung|lässt\b[^.]*\babstimmen|ruft\b[^.]*\bauf\b"
    r"|bittet\s+(?:Herrn|Frau)\b)")
_PARTICIPLES = re.compile(
    r"\b(?:vorgeschlagen|beantragt|angeregt|gefragt|nachgefragt|erklärt|mitgeteilt|vorgetragen|berichtet"
    r"|erläutert|angemerkt|hingewiesen|betont|vorgestellt|ausgeführt|dargestellt)\b")
_PRONOUN_SUBJECT = re.compile(r"\b(?:Herr|Frau|Er|Sie|er|sie|Dieser|Diese|dieser|diese|Man|man|Es|es|Wir|wir|Ich)\b")
_SKIP_ADVERB = (r"(?:(?:daraufhin|darauf|dazu|hierzu|hierauf|sodann|nochmals|ergänzend|abschließend|zunächst"
                r"|außerdem|noch|ebenfalls|kurz|weiter|weiterhin|auch|nun|anschließend)[ \t\n]+)?")
_BODY_SUBJECT = re.compile(
    r"\s*(?:Der|Die|Das)\s+(?:\S+\s+){0,2}?\S*(?:[Rr]at|[Aa]usschuss|[Ff]raktion|Verwaltung|[Gg]ruppe|Gremium"
    r"|[Kk]reistag|[Bb]eirat|[Vv]ertretung)\b")
_HEADING = re.compile(r"^\s*(?:Zu\s+(?:Punkt|TOP)|TOP|Tagesordnungspunkt|Punkt)\s*[ÖöNn]?\s*\d")
_NOT_NAMES = frozenset(
    "Kollege Kollegin Kollegen Damen Herren Anwesende Anwesenden Präsident Präsidentin Beifall Zuruf Zurufe "
    "Vorsitz Verwaltung Stadt Gemeinde Rat Fraktion Gruppe Partei Antrag Vorlage Sitzung Protokoll Niederschrift "
    "Bürger Bürgerin Bürgerinnen Einwohner Einwohnerin Vertreter Vertreterin Mitglied Mitglieder Sprecher "
    "Sprecherin Kreis Landkreis Vielen Dank Danke Liebe Lieber Sehr".split())


@dataclass(frozen=True)
class SpeakerMention:
    """A speaker found on one page: ``name`` is ``text[start:end]`` with single spaces, without form of
    address ("Herr"/"Frau") and academic titles; ``address`` keeps the form of address for linking."""

    name: str
    party: str | None
    role: str
    start: int
    end: int
    rule: str
    address: str | None = None


@dataclass(frozen=True)
class AttendanceEntry:
    """A person in an attendance list (Anwesenheitsliste): not a speaker, but a name and maybe a party."""

    name: str
    party: str | None
    start: int
    end: int
    address: str | None = None


@dataclass(frozen=True)
class SpeechVerb:
    verb: str
    needs: tuple[str, ...]
    kind: str


@dataclass(frozen=True)
class Title:
    title: str
    header_role: str
    chairs: bool


def _rows(path: Path, ncols: int) -> Iterable[tuple[int, list[str]]]:
    for lineno, line in enumerate(path.read_text(encoding="utf-8").splitlines(), 1):
        if not line.strip() or line.startswith("#"):
            continue
        cols = line.split("\t")
        if len(cols) < ncols or not all(c.strip() for c in cols[:ncols]):
            raise RuleTableError(f"{path.name}:{lineno}: expected {ncols} tab-separated columns, got {line!r}")
        yield lineno, cols


def load_speech_verbs(path: Path = SPEECH_VERBS) -> tuple[SpeechVerb, ...]:
    out = []
    for lineno, cols in _rows(path, 3):
        if cols[2] not in ("speaker", "chair"):
            raise RuleTableError(f"{path.name}:{lineno}: kind must be speaker or chair, got {cols[2]!r}")
        needs = () if cols[1] == "-" else tuple(w.strip() for w in cols[1].split("|") if w.strip())
        out.append(SpeechVerb(cols[0], needs, cols[2]))
    return tuple(out)


def load_titles(path: Path = TITLES) -> tuple[Title, ...]:
    out = []
    for lineno, cols in _rows(path, 3):
        if cols[1] not in ("chair", "speaker") or cols[2] not in ("yes", "no"):
            raise RuleTableError(f"{path.name}:{lineno}: expected title<TAB>chair|speaker<TAB>yes|no")
        out.append(Title(cols[0], cols[1], cols[2] == "yes"))
    return tuple(out)


def _name_rx(sep: str) -> str:
    """A person's name: optional academic titles, up to two given names or initials, a family name
    (with particles: "von Hardenberg", "Wichard Graf von Hardenberg")."""
    cap = rf"(?!(?:Herrn?|Frau)\b){_CAP}"
    return (rf"(?P<acad>{_ACAD})?(?P<name>{_PART_START}{sep}{cap}"
            rf"|(?:(?:{cap}|{_INITIAL}){sep}){{0,2}}(?:{_PART_MID}{sep})?{cap})")


class SpeakerRules:
    """The compiled rules (tables from ``nlp/data``); build once with :func:`speaker_rules`."""

    def __init__(self, verbs: Sequence[SpeechVerb], titles: Sequence[Title]) -> None:
        self.verbs = {v.verb: v for v in verbs}
        self.titles = {t.title: t for t in titles}
        titles_rx = "|".join(re.escape(t) for t in sorted(self.titles, key=len, reverse=True))
        verbs_rx = "|".join(re.escape(v) for v in sorted(self.verbs, key=len, reverse=True))
        self.title_words = frozenset(self.titles)
        line_name, ws_name = _name_rx(r"[ \t]+"), _name_rx(r"\s+")
        self.header = re.compile(
            rf"^[ \t]*(?:(?P<title>{titles_rx})[ \t]+)?{line_name}"
            rf"(?:[ \t]*[(\[](?P<paren>[^()\[\]]{{1,80}})[)\]])?[ \t]*:(?=\s|$)", re.M)
        self.interjection = re.compile(
            r"\(\s*(?:Zurufe?|Zwischenrufe?|Gegenrufe?)\s+(?:von|vom)\s+(?P<body>(?:[^():\[\]]|\[[^\]]*\]){1,300})")
        self.interjection_entry = re.compile(
            rf"^(?:(?P<addr>Herrn|Frau)\s+)?{ws_name}\s*(?:\[(?P<party>[^\]]{{1,80}})\])?\s*$")
        self.quoted_interjection = re.compile(
            rf"\(\s*(?:(?P<addr>Herrn?|Frau)\s+)?{ws_name}\s*\[(?P<party>[^\]]{{1,80}})\]\s*:")
        self.narrative = re.compile(
            rf"(?:^[ \t]*|(?<=[.!?;:])[ \t]+)"
            rf"(?:(?:(?:Der|Die)[ \t]+)?(?P<atitle>{titles_rx})[ \t]*,[ \t]*)?"
            rf"(?:(?P<addr>{_ADDRESS})[ \t]+)?(?:(?P<title>{titles_rx})[ \t]+)?{line_name}"
            rf"(?:[ \t]*\((?P<paren>[^()\n]{{1,60}})\))?", re.M)
        self.inverted = re.compile(
            rf"(?<![\w])(?P<verb>{verbs_rx})[ \t\n]+(?:sich[ \t\n]+)?{_SKIP_ADVERB}"
            rf"(?:(?P<addr>{_ADDRESS})[ \t]+)?(?:(?P<title>{titles_rx})[ \t]+)?{line_name}"
            rf"(?:[ \t]*\((?P<paren>[^()\n]{{1,60}})\))?")
        self.question = re.compile(
            rf"\b(?:Auf|Nach|auf|nach)[ \t]+(?:die[ \t]+|eine[ \t]+)?(?:Nach|An|Rück)?[Ff]rage[ \t]+"
            rf"(?:von|des|der)[ \t]+"
            rf"(?P<addr>Herrn|Frau)[ \t]+(?:(?P<title>{titles_rx})[ \t]+)?{line_name}")
        self.seitens = re.compile(
            rf"\bseitens[ \t]+(?:des[ \t]+|der[ \t]+)?(?P<addr>Herrn|Frau)[ \t]+"
            rf"(?:(?P<title>{titles_rx})[ \t]+)?{line_name}")
        self.attendance_start = re.compile(
            r"^[ \t]*(?:Es[ \t]+(?:sind|waren|ist|war)[ \t]+anwesend|Anwesend|Anwesenheiten?|Anwesenheitsliste|Vorsitz"
            r"|Teilnehmer(?:innen)?(?:[ \t]+der[ \t]+Verwaltung)?"
            r"|Von[ \t]+der[ \t]+Verwaltung(?:[ \t]+(?:waren|ist)[ \t]+anwesend)?"
            r"|Es[ \t]+fehl(?:t|en|te|ten)(?:[ \t]+entschuldigt)?|Entschuldigt(?:[ \t]+fehl\w*)?)[ \t]*:?[ \t]*$", re.M)
        self.attendance_end = re.compile(
            r"^[ \t]*(?:Tagesordnung|Sitzungsverlauf|Sitzungsbeginn|Beginn|Öffentliche[r]?[ \t]+(?:Teil|Sitzung)"
            r"|Zu[ \t]+Punkt|TOP\b|Eröffnung|Protokoll\b|Niederschrift\b)", re.M)
        self.attendance_person = re.compile(
            rf"(?P<addr>Herr|Frau|Her)[ \t]+(?:(?P<title>{titles_rx})[ \t]+)?{line_name}"
            rf"(?P<rest>[^\n]*?)(?=[ \t]+(?:Herr|Frau)[ \t]|[ \t]*$)", re.M)
        self.attendance_paren = re.compile(rf"^[ \t]*{line_name}[ \t]*\((?P<paren>[^()\n]{{1,60}})\)[ \t]*$", re.M)


@functools.lru_cache(maxsize=1)
def speaker_rules() -> SpeakerRules:
    return SpeakerRules(load_speech_verbs(), load_titles())


# --- helpers -------------------------------------------------------------------------------------

def _party_of(text: str | None) -> str | None:
    if not text:
        return None
    found = canonical_parties(re.sub(r"-\s*\n\s*", "", text))
    return found[0] if found else None


def _clean_name(rules: SpeakerRules, text: str, m: re.Match[str], offset: int = 0) -> tuple[str, int, int] | None:
    """The name group as (single-spaced name, start, end), or None when it is not a person's name."""
    start, end = m.start("name") + offset, m.end("name") + offset
    words = text[start:end].split()
    # a title captured as a given name: "Oberbürgermeisterin Henriette Reker" without the title group
    while words and words[0] in rules.title_words:
        start = text.index(words[1], start + len(words[0])) if len(words) > 1 else end
        words = words[1:]
    if not words or any(w in _NOT_NAMES or w in rules.title_words for w in words):
        return None
    name = " ".join(words)
    if canonical_parties(name):
        return None
    return name, start, end


def _sentence_end(text: str, pos: int, limit: int = 400) -> int:
    """End of the sentence that contains ``pos`` (a full stop that is not an abbreviation, or a blank line)."""
    stop = min(len(text), pos + limit)
    blank = text.find("\n\n", pos, stop)
    blank2 = text.find("\n \n", pos, stop)
    for b in (blank, blank2):
        if b != -1:
            stop = min(stop, b)
    for m in re.finditer(r"[.!?](?=\s|$)", text[pos:stop]):
        i = pos + m.start()
        word = re.search(r"(\w+)$", text[max(0, i - 20):i])
        if text[i] == "." and word and (word.group(1) in _ABBREVIATIONS or word.group(1).isdigit()
                                        or len(word.group(1)) == 1):
            continue
        return i
    return stop


def _sentence_start(text: str, pos: int, limit: int = 300) -> int:
    lo = max(0, pos - limit)
    best = lo
    for m in re.finditer(r"[.!?:](?=\s)|\n[ \t]*\n", text[lo:pos]):
        i = lo + m.start()
        if text[i] == ".":
            word = re.search(r"(\w+)$", text[max(0, i - 20):i])
            if word and (word.group(1) in _ABBREVIATIONS or len(word.group(1)) == 1):
                continue
        best = lo + m.end()
    return best


def _main_clause(text: str, start: int, end: int) -> str:
    clause = text[start:end]
    cut = _SUBORDINATE.search(clause)
    return clause[:cut.start()] if cut else clause


def _speech_verb(rules: SpeakerRules, clause: str) -> SpeechVerb | None:
    """The first speech verb of the table in a main clause whose needed particle follows it."""
    for m in re.finditer(r"[^\W\d_]+", clause):
        verb = rules.verbs.get(m.group(0))
        if verb is None:
            continue
        if not verb.needs:
            return verb
        rest = clause[m.end():]
        if any(re.search(rf"\b{re.escape(n)}\b", rest) for n in verb.needs):
            return verb
    return None


def _line_start_ok(text: str, pos: int) -> bool:
    """A name at the start of a line begins a sentence only after a full stop, a blank line, a short line
    (a heading) or the page start; otherwise the line merely wraps a running sentence."""
    line_start = text.rfind("\n", 0, pos) + 1
    if text[line_start:pos].strip():
        return True  # not at a line start: the regex already required [.!?;:] before
    before = text[:line_start].rstrip()
    if not before:
        return True
    if before[-1] in ".!?:;)\"“”»":
        return True
    if text[len(before):line_start].count("\n") >= 2:
        return True  # a blank line before
    prev_line = before[before.rfind("\n") + 1:]
    return len(prev_line.strip()) < 70 or bool(_HEADING.match(prev_line))


# --- the rules -----------------------------------------------------------------------------------

def _headers(rules: SpeakerRules, text: str) -> list[SpeakerMention]:
    out = []
    for m in rules.header.finditer(text):
        title, paren = m.group("title"), m.group("paren")
        party = _party_of(paren)
        if not title and not party:
            continue  # "Dritter Punkt:", "Neustadt-Süd (NSG):" are not speech headers
        cleaned = _clean_name(rules, text, m)
        if cleaned is None:
            continue
        name, start, end = cleaned
        role = rules.titles[title].header_role if title else "speaker"
        out.append(SpeakerMention(name, party, role, start, end, HEADER))
    return out


def _interjections(rules: SpeakerRules, text: str) -> list[SpeakerMention]:
    out = []
    for m in rules.interjection.finditer(text):
        body_start = m.start("body")
        body = m.group("body")
        pos = 0
        for sep in list(re.finditer(r"\s*(?:,|\bund\b|\bsowie\b)\s*", body)) + [None]:
            chunk_end = sep.start() if sep else len(body)
            chunk = body[pos:chunk_end]
            lead = len(chunk) - len(chunk.lstrip())
            e = rules.interjection_entry.match(chunk.strip())
            if e is not None:
                cleaned = _clean_name(rules, text, e, body_start + pos + lead)
                party = _party_of(e.group("party"))
                if cleaned and (party or e.group("addr") or len(cleaned[0].split()) >= 2):
                    name, start, end = cleaned
                    out.append(SpeakerMention(name, party, "interjection", start, end, INTERJECTION,
                                              _address(e.group("addr"))))
            if sep is None:
                break
            pos = sep.end()
    for m in rules.quoted_interjection.finditer(text):
        cleaned = _clean_name(rules, text, m)
        if cleaned:
            name, start, end = cleaned
            out.append(SpeakerMention(name, _party_of(m.group("party")), "interjection", start, end, INTERJECTION,
                                      _address(m.group("addr"))))
    return out


def _address(addr: str | None) -> str | None:
    if not addr:
        return None
    return "Herr" if addr.startswith("Her") else "Frau"


def _role(rules: SpeakerRules, title: str | None, clause: str, verb: SpeechVerb) -> str:
    if title and rules.titles[title].chairs:
        return "chair"
    if verb.kind == "chair" or _CHAIR_ACT.search(clause):
        return "chair"
    return "speaker"


def _narrative(rules: SpeakerRules, text: str, persons: Sequence[tuple[int, int]]) -> list[SpeakerMention]:
    out = []
    for m in rules.narrative.finditer(text):
        addr, title, atitle = m.group("addr"), m.group("title"), m.group("atitle")
        cleaned = _clean_name(rules, text, m)
        if cleaned is None:
            continue
        name, start, end = cleaned
        if not (addr or title or atitle or any(s <= start and end <= e for s, e in persons)):
            continue
        if not _line_start_ok(text, m.start()):
            continue
        after = m.end()
        tail_party = None
        tail = re.match(r"[ \t]*,[ \t]*(?P<tail>[A-ZÄÖÜ][^,\n]{0,59}?)[ \t]*,", text[after:after + 80])
        if tail:
            tail_party = _party_of(tail.group("tail"))
            after += tail.end()
        # German main clauses put the finite verb right after the subject: the next word is lower case
        # ("Herr Pohl erweitert …", "Frau Keidel als amtierende …"), never a noun ("Herr Risch Telefon:")
        if not re.match(r"[ \t]*,?[ \t]*\n?[ \t]*[a-zäöüß]", text[after:after + 40]):
            continue
        clause = _main_clause(text, after, _sentence_end(text, after))
        verb = _speech_verb(rules, clause)
        if verb is None:
            continue
        role = _role(rules, atitle or title, clause, verb)
        party = _party_of(m.group("paren")) or tail_party
        out.append(SpeakerMention(name, party, role, start, end, NARRATIVE, _address(addr)))
    return out


def _inverted(rules: SpeakerRules, text: str) -> list[SpeakerMention]:
    out = []
    for m in rules.inverted.finditer(text):
        addr, title = m.group("addr"), m.group("title")
        if not (addr or title):
            continue
        cleaned = _clean_name(rules, text, m)
        if cleaned is None:
            continue
        name, start, end = cleaned
        prefix = text[_sentence_start(text, m.start()):m.start()]
        if not prefix.strip() or _PRONOUN_SUBJECT.search(prefix) or prefix.rstrip().endswith((",", "und")):
            continue
        if any(w in rules.verbs or w in rules.title_words for w in re.findall(r"[^\W\d_]+", prefix)):
            continue  # the clause already has its verb: the name is an object ("… bittet Frau X …")
        if _BODY_SUBJECT.match(prefix):
            continue  # "Der Ortschaftsrat Wettersbach schlägt Frau X … vor": the body proposes her
        verb = rules.verbs[m.group("verb")]
        clause = _main_clause(text, m.end(), _sentence_end(text, m.end()))
        if verb.needs and not any(re.search(rf"\b{re.escape(n)}\b", text[m.start("verb"):m.end()] + clause)
                                  for n in verb.needs):
            continue
        role = _role(rules, title, m.group(0) + clause, verb)
        out.append(SpeakerMention(name, _party_of(m.group("paren")), role, start, end, INVERTED, _address(addr)))
    return out


def _questions(rules: SpeakerRules, text: str) -> list[SpeakerMention]:
    out = []
    for m in rules.question.finditer(text):
        cleaned = _clean_name(rules, text, m)
        if cleaned:
            name, start, end = cleaned
            out.append(SpeakerMention(name, None, "speaker", start, end, QUESTION, _address(m.group("addr"))))
    for m in rules.seitens.finditer(text):
        cleaned = _clean_name(rules, text, m)
        if cleaned and _PARTICIPLES.search(text[m.end():_sentence_end(text, m.end())]):
            name, start, end = cleaned
            out.append(SpeakerMention(name, None, "speaker", start, end, QUESTION, _address(m.group("addr"))))
    return out


def _text(doc_or_text: Any) -> str:
    return doc_or_text if isinstance(doc_or_text, str) else doc_or_text.text


def _text_and_persons(doc_or_text: Any) -> tuple[str, list[tuple[int, int]]]:
    if isinstance(doc_or_text, str):
        return doc_or_text, []
    return doc_or_text.text, [(e.start_char, e.end_char) for e in doc_or_text.ents if e.label_ == "PER"]


@dataclass(frozen=True)
class PageSpeakers:
    """The candidates of one page, before the document decides whether it is verbatim: ``marked`` are
    speech headers and interjections, ``reported`` third-person speech outside attendance lists."""

    marked: tuple[SpeakerMention, ...]
    reported: tuple[SpeakerMention, ...]

    @property
    def headers(self) -> int:
        return sum(1 for m in self.marked if m.rule == HEADER)

    def select(self, verbatim: bool) -> list[SpeakerMention]:
        return dedupe(self.marked + (() if verbatim else self.reported))


def speaker_candidates(doc_or_text: Any, *, persons: Sequence[tuple[int, int]] | None = None,
                       rules: SpeakerRules | None = None) -> PageSpeakers:
    """All candidates of a page. ``persons``: character spans of PER entities, when the caller has
    them already (reading ``Doc.ents`` walks every token)."""
    rules = rules or speaker_rules()
    text, doc_persons = _text_and_persons(doc_or_text) if persons is None else (_text(doc_or_text), persons)
    persons = doc_persons
    marked = _headers(rules, text) + _interjections(rules, text)
    reported = _narrative(rules, text, persons) + _inverted(rules, text) + _questions(rules, text)
    if reported:
        regions = attendance_regions(text, rules=rules)
        reported = [m for m in reported if not any(s <= m.start < e for s, e in regions)]
    return PageSpeakers(tuple(marked), tuple(reported))


def find_speakers(doc_or_text: Any, *, verbatim: bool | None = None,
                  rules: SpeakerRules | None = None) -> list[SpeakerMention]:
    """Speaker mentions on one page (a spaCy ``Doc`` or its text), in text order.

    ``verbatim``: True for a Wortprotokoll (only headers and interjections count: third-person
    sentences there are quotes inside speeches), False for results minutes (all rules), None to decide
    from the page (see :func:`looks_verbatim`)."""
    found = speaker_candidates(doc_or_text, rules=rules)
    if verbatim is None:
        verbatim = looks_verbatim(found.headers, len(found.reported))
    return found.select(verbatim)


def looks_verbatim(headers: int, narrative: int) -> bool:
    """A text reads as a verbatim protocol when speech headers are at least as frequent as reported speech
    and there are some (three suffice whatever else is found)."""
    return headers >= 3 or (headers >= 1 and headers >= narrative)


def dedupe(mentions: Iterable[SpeakerMention]) -> list[SpeakerMention]:
    """One mention per name position (the rule of highest priority wins), in text order."""
    best: dict[int, SpeakerMention] = {}
    for m in mentions:
        other = best.get(m.start)
        if other is None or _PRIORITY[m.rule] < _PRIORITY[other.rule]:
            best[m.start] = m
    return sorted(best.values(), key=lambda m: (m.start, m.end))


def attendance_regions(text: str, *, rules: SpeakerRules | None = None) -> list[tuple[int, int]]:
    """Character ranges of the attendance lists on a page: from a heading ("Es sind anwesend:",
    "Anwesenheiten", "Vorsitz:", "Teilnehmer der Verwaltung:", "Entschuldigt fehlten:" …) to the
    agenda or the first agenda item."""
    rules = rules or speaker_rules()
    regions: list[tuple[int, int]] = []
    pos = 0
    while True:
        start = rules.attendance_start.search(text, pos)
        if start is None:
            return regions
        end_m = rules.attendance_end.search(text, start.end())
        end = end_m.start() if end_m else min(len(text), start.end() + 4000)
        regions.append((start.start(), end))
        pos = max(end, start.end())


def find_attendance(text: str, *, rules: SpeakerRules | None = None) -> list[AttendanceEntry]:
    """Persons in the attendance lists of a page, with the party the list gives ("Herr Norman
    Pallentin, SPD-Ratsfraktion", "Sascha Backhaus (SPD)"); see :func:`attendance_regions`."""
    rules = rules or speaker_rules()
    out: list[AttendanceEntry] = []
    for region in attendance_regions(text, rules=rules):
        for m in rules.attendance_person.finditer(text, *region):
            cleaned = _clean_name(rules, text, m)
            if cleaned is None:
                continue
            rest = m.group("rest").strip()
            party = _party_of(rest) if rest.startswith((",", "(")) else None
            name, s, e = cleaned
            out.append(AttendanceEntry(name, party, s, e, _address(m.group("addr"))))
        for m in rules.attendance_paren.finditer(text, *region):
            cleaned = _clean_name(rules, text, m)
            if cleaned is None or len(cleaned[0].split()) < 2:
                continue
            name, s, e = cleaned
            out.append(AttendanceEntry(name, _party_of(m.group("paren")), s, e))
    out.sort(key=lambda a: a.start)
    return [a for i, a in enumerate(out) if i == 0 or a.start != out[i - 1].start]
