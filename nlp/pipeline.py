"""The nlp API: documents in, :class:`~nlp.annotations.Analysis` out.

``NlpPipeline(model_path)`` loads this project's statistical German NER model (PER, ORG, LOC, MISC)
from ``model_path`` and adds the rules after it; with ``model_path=None`` it is a blank German
tokenizer plus the rules, which then find PARTY entities, speakers, gazetteer places and persons of the
body's directory (and no other PER/ORG/LOC/MISC).

Per page, in one ``nlp.pipe`` pass over all pages of all documents: the model's entities, the PARTY
component (:mod:`nlp.parties`, inside the spaCy pipeline, so it overrides the model's ORG for a party),
speaker candidates and attendance lists (:mod:`nlp.speakers`). Per document, afterwards: whether it is
a verbatim protocol (only speech headers and interjections count there), parties of speakers from the
document's attendance lists, places from the document's gazetteer (:mod:`nlp.places`) and persons
linked to the body's OParl Persons (:mod:`nlp.linking`). Offsets are into each page's text.
"""

from __future__ import annotations

import functools
from dataclasses import dataclass
from pathlib import Path
from typing import Any, Iterable, Sequence

from corpora.errors import RatsucheError
from corpora.model import Document, File, Page
from corpora.sources import Directory
from nlp.annotations import Analysis, Entity, Speaker
from nlp.linking import PersonIndex, address_before, normalise_name
from nlp.parties import COMPONENT, register_components
from nlp.places import Gazetteer, document_gazetteer
from nlp.speakers import (AttendanceEntry, PageSpeakers, SpeakerMention, find_attendance, looks_verbatim,
                          speaker_candidates, speaker_rules)

MODEL_LABELS = {"PER": "PER", "ORG": "ORG", "LOC": "LOC", "MISC": "MISC", "OTH": "MISC", "PARTY": "PARTY"}
#: pages per nlp.pipe batch (16, 32 and 64 measured alike on 2 cores, see docs/nlp.md)
BATCH_SIZE = 64
_VERBATIM_TYPES = frozenset({"Wortprotokoll"})


class NlpModelError(RatsucheError):
    """The NER model named by a path cannot be loaded."""

    reason = "ner_model_unavailable"


@dataclass
class _PageResult:
    number: int
    text: str
    entities: list[tuple[str, int, int, str | None]]  # (label, start, end, canonical)
    speakers: PageSpeakers
    attendance: list[AttendanceEntry]


def default_model_path() -> Path | None:
    """The packaged NER model (``nlp.models.ner_model_path()``) when this installation has one."""
    try:
        from nlp.models import ner_model_path  # type: ignore[import-not-found]
    except ImportError:
        return None
    path = Path(ner_model_path())
    return path if path.exists() else None


class NlpPipeline:
    def __init__(self, model_path: str | Path | None = None, *, batch_size: int = BATCH_SIZE) -> None:
        import spacy

        register_components()
        if model_path is None:
            nlp = spacy.blank("de")
        else:
            path = Path(model_path)
            if not path.exists():
                raise NlpModelError(f"no NER model at {path}", hint="train or install the model, or run without it")
            try:
                nlp = spacy.load(path, exclude=["parser", "tagger", "lemmatizer", "morphologizer",
                                                "attribute_ruler", "senter"])
            except (OSError, ValueError) as exc:
                raise NlpModelError(f"cannot load the NER model at {path}: {exc}") from exc
        if COMPONENT not in nlp.pipe_names:
            nlp.add_pipe(COMPONENT, last=True)
        self.nlp = nlp
        self.model_path = Path(model_path) if model_path is not None else None
        self.batch_size = batch_size
        self.rules = speaker_rules()
        self._indexes: dict[tuple[int, str | None], tuple[Directory, PersonIndex]] = {}

    @property
    def has_model(self) -> bool:
        return "ner" in self.nlp.pipe_names

    # --- public API ------------------------------------------------------------------------------

    def analyze(self, documents: Sequence[Document], directory: Directory | None = None) -> list[Analysis]:
        """One :class:`Analysis` per document, in order; deterministic for the same input."""
        documents = list(documents)
        jobs = [(i, page) for i, doc in enumerate(documents) for page in doc.pages]
        results: list[list[_PageResult]] = [[] for _ in documents]
        texts = (page.text for _, page in jobs)
        for (i, page), sdoc in zip(jobs, self.nlp.pipe(texts, batch_size=self.batch_size)):
            results[i].append(self._page(page, sdoc))
        return [self._document(doc, pages, directory) for doc, pages in zip(documents, results)]

    def analyze_text(self, text: str, directory: Directory | None = None) -> Analysis:
        """Analyse one text as page 1 of a document without context."""
        doc = Document(id="text", file=File(id="text"), document_type="Sonstiges", source_key="text",
                       pages=(Page(1, text),))
        return self.analyze([doc], directory)[0]

    # --- per page ----------------------------------------------------------------------------------

    def _page(self, page: Page, sdoc: Any) -> _PageResult:
        entities = []
        if sdoc.has_annotation("ENT_IOB"):
            for ent in sdoc.ents:
                label = MODEL_LABELS.get(ent.label_)
                if label is None or not any(ch.isalpha() for ch in ent.text):
                    continue
                canonical = ent.kb_id_ if label == "PARTY" and ent.kb_id_ else None
                # the model may take a line break at either end into a span: the offsets leave it out
                lead, trail = len(ent.text) - len(ent.text.lstrip()), len(ent.text) - len(ent.text.rstrip())
                entities.append((label, ent.start_char + lead, ent.end_char - trail, canonical))
        persons = [(s, e) for label, s, e, _ in entities if label == "PER"]
        return _PageResult(page.number, page.text, entities,
                           speaker_candidates(page.text, persons=persons, rules=self.rules),
                           find_attendance(page.text, rules=self.rules))

    # --- per document ------------------------------------------------------------------------------

    def _person_index(self, directory: Directory | None, body_id: str | None) -> PersonIndex | None:
        if directory is None or not directory.persons:
            return None
        key = (id(directory), body_id)
        cached = self._indexes.get(key)
        if cached is None or cached[0] is not directory:
            if len(self._indexes) > 16:
                self._indexes.clear()
            cached = (directory, PersonIndex.from_directory(directory, body_id))
            self._indexes[key] = cached
        return cached[1]

    def _document(self, document: Document, pages: list[_PageResult], directory: Directory | None) -> Analysis:
        if document.document_type in _VERBATIM_TYPES:
            verbatim = True
        else:
            verbatim = looks_verbatim(sum(p.speakers.headers for p in pages),
                                      sum(len(p.speakers.reported) for p in pages))
        attendance_party = _attendance_parties(a for p in pages for a in p.attendance)
        index = self._person_index(directory, document.body.id if document.body else None)
        gazetteer = document_gazetteer(document, directory)
        date = document.date
        speakers: list[Speaker] = []
        entities: list[Entity] = []
        for page in pages:
            mentions = page.speakers.select(verbatim)
            for m in mentions:
                speakers.append(_speaker(m, page.number, attendance_party, index, date))
            entities.extend(_entities(page, mentions, gazetteer, index, date))
        return Analysis(entities=tuple(entities), speakers=tuple(speakers))


def _attendance_parties(entries: Iterable[AttendanceEntry]) -> dict[str, str]:
    """Name → party from the document's attendance lists: full names, and family names whose persons
    all have the same party."""
    full: dict[str, set[str]] = {}
    family: dict[str, set[str]] = {}
    for a in entries:
        if not a.party:
            continue
        full.setdefault(normalise_name(a.name), set()).add(a.party)
        family.setdefault(normalise_name(a.name).split()[-1], set()).add(a.party)
    out = {k: next(iter(v)) for k, v in family.items() if len(v) == 1}
    out.update({k: next(iter(v)) for k, v in full.items() if len(v) == 1})
    return out


def _speaker(m: SpeakerMention, page: int, attendance_party: dict[str, str], index: PersonIndex | None,
             date: str | None) -> Speaker:
    name, party, person_id = m.name, m.party, None
    if party is None and attendance_party:
        key = normalise_name(name)
        party = attendance_party.get(key) or (attendance_party.get(key.split()[-1]) if key else None)
    if index is not None:
        link = index.link(m.name, m.address, date)
        if link is not None:
            name, person_id = link.name, link.person_id
            party = party or link.party
    return Speaker(name=name, party=party, role=m.role, page=page, start=m.start, end=m.end, person_id=person_id)


def _overlaps(a: tuple[int, int], b: tuple[int, int]) -> bool:
    return a[0] < b[1] and b[0] < a[1]


def _entities(page: _PageResult, mentions: Sequence[SpeakerMention], gazetteer: Gazetteer,
              index: PersonIndex | None, date: str | None) -> list[Entity]:
    text = page.text
    ents: list[list[Any]] = [[label, s, e, c] for label, s, e, c in page.entities]

    def add_person(start: int, end: int) -> None:
        """A PER from the rules (speakers, attendance lists, directory persons) is more precise than the
        model's entities: it replaces those it overlaps ("Oberbürgermeisterin Henriette Reker" →
        "Henriette Reker"), except a PARTY."""
        if any(ent[0] == "PARTY" and _overlaps((start, end), (ent[1], ent[2])) for ent in ents):
            return
        ents[:] = [ent for ent in ents if not _overlaps((start, end), (ent[1], ent[2]))]
        ents.append(["PER", start, end, None])

    for m in mentions:
        add_person(m.start, m.end)
    for a in page.attendance:
        add_person(a.start, a.end)
    if index is not None:
        for pm in index.find(text):
            add_person(pm.start, pm.end)
    for place in gazetteer.find(text):
        span = (place.start, place.end)
        same = [ent for ent in ents if (ent[1], ent[2]) == span]
        if same:
            if same[0][0] == "LOC":
                same[0][3] = place.canonical
            continue
        if any(_overlaps(span, (ent[1], ent[2])) and ent[0] in ("PER", "PARTY", "LOC") for ent in ents):
            continue
        ents.append(["LOC", place.start, place.end, place.canonical])
    out = []
    for label, start, end, canonical in sorted(ents, key=lambda e: (e[1], e[2], e[0])):
        surface = text[start:end]
        if label == "LOC" and canonical is None:
            canonical = gazetteer.canonical(surface)
        if label == "PER" and index is not None and canonical is None:
            link = index.link(surface, address_before(text, start), date)
            canonical = link.name if link else None
        out.append(Entity(label=label, text=surface, page=page.number, start=start, end=end, canonical=canonical))
    return out


@functools.lru_cache(maxsize=4)
def _cached_pipeline(key: str | None) -> NlpPipeline:
    return NlpPipeline(key)


def load_pipeline(model_path: str | Path | None = None) -> NlpPipeline:
    """A pipeline per model path, built once per process."""
    return _cached_pipeline(str(Path(model_path).resolve()) if model_path is not None else None)


def analysis_to_json(analysis: Analysis) -> dict[str, Any]:
    """The JSON shape of ``ratsuche ner``: entities with offsets and speakers with party and role."""
    return {
        "entities": [{"start": e.start, "end": e.end, "label": e.label, "text": e.text, "canonical": e.canonical}
                     for e in analysis.entities],
        "speakers": [{"name": s.name, "party": s.party, "role": s.role} for s in analysis.speakers],
    }
