"""From the sources to spaCy DocBin corpora: de-duplication, hold-out split, cleaning, mixing.

Split (fixed seed, so the corpora are reproducible):

* GermEval 2014 dev: a random 25 % (550 sentences) is held out as our development set; the
  rest is training data. GermEval 2014 **test** is read only to drop any training sentence that
  also occurs in it (one WikiANN sentence does).
* EuroParl train is training data; EuroParl dev is development data.
* LER dev without the sentences that also occur in LER test (court boilerplate), SmartData v1
  train, WikiANN-de train: training data only.
"""

from __future__ import annotations

import random
from collections import Counter
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, replace
from pathlib import Path

from nlp.evaluation import gold_spaces, iter_germeval, spans_from_tags
from nlp.training import labels, sources
from nlp.training.sources import TrainSentence

SEED = 20140901
HOLDOUT_FRACTION = 0.25


@dataclass(frozen=True)
class DataPaths:
    """Where the gold files lie under ../shared/data/german_ner."""

    root: Path

    @property
    def germeval_dev(self) -> Path:
        return self.root / "germeval2014" / "NER-de-dev.tsv"

    @property
    def germeval_test(self) -> Path:
        return self.root / "germeval2014" / "NER-de-test.tsv"

    @property
    def europarl_train(self) -> Path:
        return self.root / "europarl" / "train.tsv"

    @property
    def europarl_dev(self) -> Path:
        return self.root / "europarl" / "dev.tsv"

    @property
    def ler_dev(self) -> Path:
        return self.root / "ler" / "ler_dev.conll"

    @property
    def ler_test(self) -> Path:
        return self.root / "ler" / "ler_test.conll"

    @property
    def smartdata_train(self) -> Path:
        return self.root / "smartdata_v1" / "train.json.gz"

    @property
    def wikiann_train(self) -> Path:
        return self.root / "wikiann_de" / "train.tsv"

    @property
    def wikiann_dev(self) -> Path:
        return self.root / "wikiann_de" / "dev.tsv"


def unique(sentences: Iterable[TrainSentence], exclude: set[tuple[str, ...]]) -> list[TrainSentence]:
    """First occurrence of each token sequence, without those in ``exclude``."""
    seen = set(exclude)
    out = []
    for sentence in sentences:
        if sentence.words not in seen:
            seen.add(sentence.words)
            out.append(sentence)
    return out


def split_holdout(
    sentences: Sequence[TrainSentence], fraction: float, seed: int
) -> tuple[list[TrainSentence], list[TrainSentence]]:
    """(train, holdout): a seeded random ``fraction`` of the sentences is held out."""
    order = list(range(len(sentences)))
    random.Random(seed).shuffle(order)
    held = set(order[: round(len(sentences) * fraction)])
    train = [s for i, s in enumerate(sentences) if i not in held]
    holdout = [s for i, s in enumerate(sentences) if i in held]
    return train, holdout


def generic_words(reference: Iterable[TrainSentence], min_outside: int = 2) -> frozenset[str]:
    """Words that the hand-checked sources use only outside entities (at least
    ``min_outside`` times): "Gruppe", "Unternehmen", "Region"."""
    outside: Counter[str] = Counter()
    inside: Counter[str] = Counter()
    for sentence in reference:
        for word, tag in zip(sentence.words, sentence.tags):
            (outside if tag == "O" else inside)[word] += 1
    return frozenset(w for w, n in outside.items() if n >= min_outside and not inside[w])


def blank_generic_entities(sentence: TrainSentence, generic: frozenset[str]) -> TrainSentence:
    """Single-word entities of a noisy source that are generic nouns become missing."""
    tags = list(sentence.tags)
    plain = [t if t else "O" for t in tags]
    for span in spans_from_tags(plain):
        if span.end - span.start == 1 and sentence.words[span.start] in generic and tags[span.start]:
            labels.write_span(tags, span, labels.MISSING)
    return replace(sentence, tags=tuple(tags))


def wikiann_clean(sentence: TrainSentence, min_words: int = 6) -> bool:
    """WikiANN lines worth training on: real sentences, not list items or redirects."""
    words = sentence.words
    return (
        len(words) >= min_words
        and "''" not in words
        and "'" not in words[:1]
        and not any(w.upper() in ("WEITERLEITUNG", "REDIRECT") for w in words)
    )


def build_sources(paths: DataPaths) -> dict[str, list[TrainSentence]]:
    """Every corpus of the project, by name (``*_dev`` and ``germeval_holdout`` are for
    model selection, the rest for training)."""
    germeval_test = {s.words for s in iter_germeval(paths.germeval_test)}
    ler_test = {s.words for s in sources.ler(paths.ler_test)}
    germeval_all = unique(sources.germeval(paths.germeval_dev), germeval_test)
    germeval_train, germeval_holdout = split_holdout(germeval_all, HOLDOUT_FRACTION, SEED)
    europarl_train = unique(sources.europarl(paths.europarl_train), germeval_test)
    generic = generic_words([*germeval_train, *europarl_train])
    smartdata = [
        blank_generic_entities(s, generic)
        for s in unique(sources.smartdata(paths.smartdata_train), germeval_test | ler_test)
    ]
    wikiann = [
        blank_generic_entities(s, generic)
        for s in unique(sources.wikiann(paths.wikiann_train), germeval_test)
        if wikiann_clean(s)
    ]
    return {
        "germeval_train": germeval_train,
        "germeval_holdout": germeval_holdout,
        "europarl_train": europarl_train,
        "europarl_dev": unique(sources.europarl(paths.europarl_dev), germeval_test),
        "ler": unique(sources.ler(paths.ler_dev), germeval_test | ler_test),
        "smartdata": smartdata,
        "wikiann": wikiann,
        "wikiann_positive": [trust_positive_only(s) for s in wikiann],
    }


def write_docbin(sentences: Iterable[TrainSentence], path: Path) -> int:
    """Write sentences as a spaCy DocBin (missing tags stay missing); return the count."""
    import spacy
    from spacy.tokens import Doc, DocBin

    vocab = spacy.blank("de").vocab
    docbin = DocBin(attrs=["ORTH", "ENT_IOB", "ENT_TYPE"], store_user_data=False)
    count = 0
    for sentence in sentences:
        words = list(sentence.words)
        doc = Doc(vocab, words=words, spaces=gold_spaces(words), ents=list(sentence.tags))
        docbin.add(doc)
        count += 1
    path.parent.mkdir(parents=True, exist_ok=True)
    docbin.to_disk(path)
    return count


def read_docbin_sentences(path: Path) -> list[TrainSentence]:
    """The sentences of a DocBin written by :func:`write_docbin` (for mixing)."""
    import spacy
    from spacy.tokens import DocBin

    vocab = spacy.blank("de").vocab
    out = []
    for doc in DocBin().from_disk(path).get_docs(vocab):
        tags = tuple(
            "" if t.ent_iob_ == "" else ("O" if t.ent_iob_ == "O" else f"{t.ent_iob_}-{t.ent_type_}")
            for t in doc
        )
        out.append(TrainSentence(tuple(t.text for t in doc), tags, path.stem))
    return out


def mix(corpora: dict[str, list[TrainSentence]], weights: dict[str, float], seed: int = SEED) -> list[TrainSentence]:
    """A training mix: each corpus repeated ``int(weight)`` times plus a seeded random
    ``weight % 1`` share of it; corpora without a weight are left out."""
    rng = random.Random(seed)
    out: list[TrainSentence] = []
    for name, weight in weights.items():
        sentences = corpora[name]
        whole, part = int(weight), weight - int(weight)
        out.extend(sentences * whole)
        if part > 0:
            out.extend(rng.sample(sentences, round(len(sentences) * part)))
    rng.shuffle(out)
    return out


def trust_positive_only(sentence: TrainSentence) -> TrainSentence:
    """For a silver source whose O is unreliable (WikiANN tags only linked names, and no
    MISC): keep its entities and its lower-case and non-letter O tokens (those cannot be names
    in German), leave the capitalised O tokens missing."""
    tags = tuple("" if t == "O" and w[:1].isupper() else t for w, t in zip(sentence.words, sentence.tags))
    return replace(sentence, tags=tags)
