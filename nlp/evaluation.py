"""Entity-level evaluation of German NER: gold-file readers, span scoring, and a model runner.

The metric is the CoNLL/GermEval one: an entity counts as found only when its start, end and
label all match a gold entity exactly; precision, recall and F1 are computed per label and
micro-averaged over all entities.

Formats read here:

* **GermEval 2014** TSV (``fmt="germeval"``): a ``#`` line naming the source, then one token per
  line ``idx<TAB>token<TAB>outer<TAB>inner`` in IOB2, a blank line between sentences. Labels
  PER/ORG/LOC/OTH plus ``*deriv`` (derived adjectives such as "deutschen") and ``*part``
  (words containing a name, such as "EU-weit"). Only the outer (top-level) spans are scored.
  Two figures are reported: the **4-label** figure of the product (``*deriv``/``*part`` mapped
  to O, OTH compared as MISC) and the **official 12-label** outer figure, where the model's four
  labels can only score the base labels and every ``*deriv``/``*part`` gold span is a miss.
* **CoNLL-style** column files (``fmt="conll"``): ``token ... tag`` per line (columns separated by
  a tab if the line has one, else by spaces; the token is the first column, the tag the last),
  a blank line between sentences. The tag scheme is IOB2 (LER, WikiANN) or IOB1 (EuroParl, where
  ``B-`` only marks an entity that directly follows another of the same type); it is detected
  from the file unless given.

The pure functions (:func:`iob1_to_iob2`, :func:`spans_from_tags`, :func:`score_spans` …) need
no model; :func:`evaluate_ner` runs a spaCy pipeline on the gold tokens.
"""

from __future__ import annotations

import re
import time
from collections import Counter
from collections.abc import Callable, Iterable, Iterator, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any, Literal

from corpora.errors import RatsucheError

Scheme = Literal["iob1", "iob2"]

#: the four labels of the product model
MODEL_LABELS: tuple[str, ...] = ("PER", "ORG", "LOC", "MISC")
#: the twelve outer labels of GermEval 2014
GERMEVAL_LABELS: tuple[str, ...] = tuple(
    f"{base}{suffix}" for base in ("PER", "ORG", "LOC", "OTH") for suffix in ("", "deriv", "part")
)


class NerDataError(RatsucheError):
    """A gold NER file cannot be read (missing, wrong format, ill-formed tag)."""

    reason = "bad_ner_data"


# ---------------------------------------------------------------------------------------------
# Data
# ---------------------------------------------------------------------------------------------


@dataclass(frozen=True)
class TaggedSentence:
    """One gold sentence: its tokens and one tag per token (``inner`` only for GermEval)."""

    words: tuple[str, ...]
    tags: tuple[str, ...]
    inner: tuple[str, ...] | None = None
    #: GermEval's ``#`` line (source URL and date), else None
    comment: str | None = None


@dataclass(frozen=True, order=True)
class Span:
    """An entity as token offsets ``[start, end)`` and a label."""

    start: int
    end: int
    label: str


@dataclass(frozen=True)
class Prf:
    """Counts and precision/recall/F1 of one label (or of all, micro-averaged)."""

    tp: int
    fp: int
    fn: int

    @property
    def precision(self) -> float:
        return self.tp / (self.tp + self.fp) if self.tp + self.fp else 0.0

    @property
    def recall(self) -> float:
        return self.tp / (self.tp + self.fn) if self.tp + self.fn else 0.0

    @property
    def f1(self) -> float:
        p, r = self.precision, self.recall
        return 2 * p * r / (p + r) if p + r else 0.0

    def as_dict(self) -> dict[str, float | int]:
        return {
            "precision": round(self.precision, 4),
            "recall": round(self.recall, 4),
            "f1": round(self.f1, 4),
            "gold": self.tp + self.fn,
            "predicted": self.tp + self.fp,
            "correct": self.tp,
        }


@dataclass(frozen=True)
class SpanScores:
    """Per-label and micro-averaged scores of a set of predictions against gold."""

    labels: dict[str, Prf]
    micro: Prf

    def as_dict(self) -> dict[str, Any]:
        return {
            "micro": self.micro.as_dict(),
            "labels": {label: prf.as_dict() for label, prf in sorted(self.labels.items())},
        }


# ---------------------------------------------------------------------------------------------
# Pure tag and span functions
# ---------------------------------------------------------------------------------------------


def _split_tag(tag: str) -> tuple[str, str]:
    """``"B-PER"`` → ``("B", "PER")``; ``"O"`` → ``("O", "")``."""
    if tag == "O":
        return "O", ""
    prefix, sep, label = tag.partition("-")
    if not sep or prefix not in ("B", "I") or not label:
        raise NerDataError(f"ill-formed tag {tag!r}", hint="tags are O, B-LABEL or I-LABEL")
    return prefix, label


def iob1_to_iob2(tags: Sequence[str]) -> list[str]:
    """Rewrite IOB1 tags (``I-`` opens an entity, ``B-`` only separates touching entities of
    one type) as IOB2 (every entity opens with ``B-``)."""
    out: list[str] = []
    prev_label = ""
    for tag in tags:
        prefix, label = _split_tag(tag)
        if prefix == "I" and label != prev_label:
            out.append(f"B-{label}")
        else:
            out.append(tag)
        prev_label = label
    return out


def spans_from_tags(tags: Sequence[str]) -> list[Span]:
    """Entity spans of a BIO tag sequence, read as conlleval does: an entity opens at ``B-X``
    and at an ``I-X`` that does not continue an entity of type X; it ends before ``O``,
    ``B-``, or a tag of another type. This reading is correct for IOB1 and IOB2 alike."""
    spans: list[Span] = []
    start = -1
    current = ""
    for i, tag in enumerate(tags):
        prefix, label = _split_tag(tag)
        continues = prefix == "I" and label == current
        if current and not continues:
            spans.append(Span(start, i, current))
            current = ""
        if prefix != "O" and not continues:
            start, current = i, label
    if current:
        spans.append(Span(start, len(tags), current))
    return spans


def detect_scheme(tag_sequences: Iterable[Sequence[str]]) -> Scheme:
    """``"iob1"`` when some entity opens with ``I-`` (after ``O``, at the sentence start, or
    after another type), else ``"iob2"``."""
    for tags in tag_sequences:
        prev_label = ""
        for tag in tags:
            prefix, label = _split_tag(tag)
            if prefix == "I" and label != prev_label:
                return "iob1"
            prev_label = label
    return "iob2"


def map_labels(spans: Iterable[Span], mapping: dict[str, str | None]) -> list[Span]:
    """Relabel spans by ``mapping`` (labels not in it are kept; a label mapped to None is
    dropped)."""
    out: list[Span] = []
    for span in spans:
        label = mapping.get(span.label, span.label)
        if label is not None:
            out.append(Span(span.start, span.end, label))
    return out


def germeval_4label(spans: Iterable[Span]) -> list[Span]:
    """GermEval gold spans in the product's labels: ``*deriv``/``*part`` dropped, OTH → MISC."""
    out: list[Span] = []
    for span in spans:
        if span.label.endswith(("deriv", "part")):
            continue
        out.append(Span(span.start, span.end, "MISC" if span.label == "OTH" else span.label))
    return out


def score_spans(
    gold: Sequence[Sequence[Span]],
    predicted: Sequence[Sequence[Span]],
    labels: Iterable[str] = (),
) -> SpanScores:
    """Exact-match scores, sentence by sentence; ``labels`` are reported even when absent."""
    if len(gold) != len(predicted):
        raise ValueError(f"{len(gold)} gold sentences but {len(predicted)} predicted")
    tp: Counter[str] = Counter()
    fp: Counter[str] = Counter()
    fn: Counter[str] = Counter()
    for gold_spans, pred_spans in zip(gold, predicted):
        gold_set, pred_set = set(gold_spans), set(pred_spans)
        for span in pred_set:
            (tp if span in gold_set else fp)[span.label] += 1
        for span in gold_set - pred_set:
            fn[span.label] += 1
    all_labels = set(labels) | set(tp) | set(fp) | set(fn)
    per_label = {label: Prf(tp[label], fp[label], fn[label]) for label in all_labels}
    micro = Prf(sum(tp.values()), sum(fp.values()), sum(fn.values()))
    return SpanScores(per_label, micro)


# ---------------------------------------------------------------------------------------------
# Readers
# ---------------------------------------------------------------------------------------------


def _open_lines(path: Path) -> Iterator[tuple[int, str]]:
    if not path.is_file():
        raise NerDataError(f"no such file: {path}", reason="not_found")
    with path.open(encoding="utf-8") as handle:
        for number, line in enumerate(handle, start=1):
            yield number, line.rstrip("\n").rstrip("\r")


def iter_germeval(path: str | Path) -> Iterator[TaggedSentence]:
    """Sentences of a GermEval 2014 TSV file (outer tags in ``tags``, inner in ``inner``)."""
    path = Path(path)
    words: list[str] = []
    outer: list[str] = []
    inner: list[str] = []
    comment: str | None = None
    for number, line in _open_lines(path):
        if line.startswith("#\t") or line == "#":
            comment = line[2:].strip() or None
            continue
        if not line.strip():
            if words:
                yield TaggedSentence(tuple(words), tuple(outer), tuple(inner), comment)
            words, outer, inner, comment = [], [], [], None
            continue
        parts = line.split("\t")
        if len(parts) < 4:
            raise NerDataError(f"{path}:{number}: expected idx, token, outer, inner: {line!r}")
        for tag in parts[2:4]:
            _split_tag(tag)
        words.append(parts[1])
        outer.append(parts[2])
        inner.append(parts[3])
    if words:
        yield TaggedSentence(tuple(words), tuple(outer), tuple(inner), comment)


def iter_conll(
    path: str | Path, *, scheme: Scheme | Literal["auto"] = "auto", token_prefix: str = ""
) -> Iterator[TaggedSentence]:
    """Sentences of a column file (token first, tag last), tags returned as IOB2.

    ``scheme="auto"`` reads the whole file once to detect IOB1; ``token_prefix`` is stripped
    from tokens that carry it (WikiANN writes ``de:token``).
    """
    path = Path(path)
    sentences = list(_iter_columns(path, token_prefix))
    if scheme == "auto":
        scheme = detect_scheme(s.tags for s in sentences)
    for sentence in sentences:
        if scheme == "iob1":
            yield TaggedSentence(sentence.words, tuple(iob1_to_iob2(sentence.tags)))
        else:
            yield sentence


def _iter_columns(path: Path, token_prefix: str) -> Iterator[TaggedSentence]:
    words: list[str] = []
    tags: list[str] = []
    for number, line in _open_lines(path):
        if not line.strip():
            if words:
                yield TaggedSentence(tuple(words), tuple(tags))
            words, tags = [], []
            continue
        parts = line.split("\t") if "\t" in line else line.split(" ")
        if len(parts) < 2:
            raise NerDataError(f"{path}:{number}: expected 'token ... tag': {line!r}")
        token, tag = parts[0], parts[-1]
        if token_prefix and token.startswith(token_prefix):
            token = token[len(token_prefix) :]
        _split_tag(tag)
        words.append(token)
        tags.append(tag)
    if words:
        yield TaggedSentence(tuple(words), tuple(tags))


def conll_scheme(path: str | Path) -> Scheme:
    """The tag scheme of a column file, as :func:`iter_conll` detects it."""
    return detect_scheme(s.tags for s in _iter_columns(Path(path), ""))


# ---------------------------------------------------------------------------------------------
# Running a model
# ---------------------------------------------------------------------------------------------

_NO_SPACE_BEFORE = re.compile(r"^[.,;:!?)\]}%“]+$")
_NO_SPACE_AFTER = re.compile(r"^[(\[{„]+$")


def gold_spaces(words: Sequence[str]) -> list[bool]:
    """Plausible ``spaces`` for gold tokens (none before closing punctuation or after an
    opening bracket), so that ``doc.text`` reads naturally; the model does not see them."""
    spaces = []
    for i, word in enumerate(words):
        if i + 1 == len(words):
            spaces.append(False)
        else:
            spaces.append(not (_NO_SPACE_BEFORE.match(words[i + 1]) or _NO_SPACE_AFTER.match(word)))
    return spaces


def _predict(nlp: Any, sentences: Sequence[TaggedSentence], batch_size: int) -> tuple[list[list[Span]], float]:
    """Run ``nlp`` on Docs built from the gold tokens; return the spans and the seconds."""
    from spacy.tokens import Doc

    docs = [Doc(nlp.vocab, words=list(s.words), spaces=gold_spaces(s.words)) for s in sentences]
    started = time.perf_counter()
    processed = list(nlp.pipe(docs, batch_size=batch_size))
    seconds = time.perf_counter() - started
    predicted = [[Span(e.start, e.end, e.label_) for e in doc.ents] for doc in processed]
    return predicted, seconds


def load_default_model() -> Any:
    """The packaged NER pipeline (see :func:`nlp.models.ner_model_path`), without the rules."""
    import spacy

    from nlp.pipeline import NlpModelError, default_model_path

    path = default_model_path()
    if path is None:
        raise NlpModelError("this installation has no packaged NER model",
                            hint="set 'ner_model' to a spaCy pipeline directory, "
                                 "or train one: python -m nlp.training all")
    return spacy.load(path)


def evaluate_ner(
    path: str | Path,
    fmt: Literal["germeval", "conll"],
    nlp: Any = None,
    limit: int | None = None,
    *,
    scheme: Scheme | Literal["auto"] = "auto",
    batch_size: int = 256,
) -> dict[str, Any]:
    """Run a spaCy pipeline (default: the packaged model) on a gold file and score it.

    Returns a JSON-ready dict: ``micro`` and per-label ``labels`` figures (precision, recall,
    F1, gold/predicted/correct counts), ``sentences``, ``words``, ``seconds`` and
    ``words_per_second`` (the pipeline alone, on pre-tokenised Docs). For GermEval the main
    figure is the 4-label one and ``official_12label`` holds the official outer figure.
    Model labels OTH are read as MISC.
    """
    if fmt == "germeval":
        sentences = list(iter_germeval(path))
        used_scheme: str = "iob2"
    elif fmt == "conll":
        sentences = list(iter_conll(path, scheme=scheme))
        used_scheme = conll_scheme(path) if scheme == "auto" else scheme
    else:
        raise NerDataError(f"unknown format {fmt!r}", hint="use 'germeval' or 'conll'")
    if limit is not None:
        sentences = sentences[:limit]
    if nlp is None:
        nlp = load_default_model()
    predicted, seconds = _predict(nlp, sentences, batch_size)
    predicted = [map_labels(spans, {"OTH": "MISC"}) for spans in predicted]
    gold = [spans_from_tags(s.tags) for s in sentences]
    words = sum(len(s.words) for s in sentences)
    result: dict[str, Any] = {
        "path": str(path),
        "format": fmt,
        "scheme": used_scheme,
        "sentences": len(sentences),
        "words": words,
        "seconds": round(seconds, 3),
        "words_per_second": round(words / seconds) if seconds > 0 else None,
    }
    if fmt == "germeval":
        result["label_mapping"] = "gold *deriv/*part -> O, OTH -> MISC (outer spans)"
        result.update(score_spans([germeval_4label(g) for g in gold], predicted, MODEL_LABELS).as_dict())
        as_oth = [map_labels(spans, {"MISC": "OTH"}) for spans in predicted]
        result["official_12label"] = score_spans(gold, as_oth, GERMEVAL_LABELS).as_dict()
    else:
        result.update(score_spans(gold, predicted).as_dict())
    return result


def evaluate_docs(
    sentences: Sequence[TaggedSentence],
    nlp: Any,
    gold_transform: Callable[[list[Span]], list[Span]] = lambda spans: spans,
) -> SpanScores:
    """Score ``nlp`` on already-read gold sentences (used for model selection in training)."""
    predicted, _ = _predict(nlp, sentences, 256)
    gold = [gold_transform(spans_from_tags(s.tags)) for s in sentences]
    return score_spans(gold, predicted, MODEL_LABELS)
