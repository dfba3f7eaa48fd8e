"""Entity-level NER scoring (nlp/evaluation.py): readers of GermEval 2014 and CoNLL files, IOB1, the
4-label and 12-label GermEval figures. Real gold files read in place; no model."""

from __future__ import annotations

from pathlib import Path

import pytest

from corpora.errors import RatsucheError
from nlp.evaluation import (NerDataError, Span, conll_scheme, germeval_4label, iob1_to_iob2, iter_conll,
                            iter_germeval, score_spans, spans_from_tags)

NER = Path(__file__).resolve().parents[2] / ".." / "shared" / "data" / "german_ner"


def test_germeval_reader_outer_and_inner_spans() -> None:
    sentences = list(iter_germeval(NER / "germeval2014" / "NER-de-dev.tsv"))
    assert len(sentences) == 2200
    sentence = sentences[214]  # "Das sagte telegate-Vorstandschef Andreas Albath der " Financial Times …"
    outer, inner = spans_from_tags(sentence.tags), spans_from_tags(sentence.inner)
    assert [(" ".join(sentence.words[s.start:s.end]), s.label) for s in outer] == [
        ("telegate-Vorstandschef", "ORGpart"), ("Andreas Albath", "PER"), ("Financial Times Deutschland", "ORG")]
    assert [(" ".join(sentence.words[s.start:s.end]), s.label) for s in inner] == [("Deutschland", "LOC")]
    assert germeval_4label(outer) == [Span(3, 5, "PER"), Span(7, 10, "ORG")]


def test_europarl_is_iob1_and_read_as_iob2() -> None:
    path = NER / "europarl" / "dev.tsv"
    assert conll_scheme(path) == "iob1"
    assert iob1_to_iob2(["I-PER", "I-PER", "B-PER", "O", "I-LOC"]) == ["B-PER", "I-PER", "B-PER", "O", "B-LOC"]
    sentences = list(iter_conll(path))
    assert len(sentences) == 354
    assert all(not t.startswith("I-") or i and s.tags[i - 1][2:] == t[2:]
               for s in sentences for i, t in enumerate(s.tags))


def test_exact_span_scores() -> None:
    gold = [[Span(0, 2, "PER"), Span(4, 5, "LOC")], [Span(1, 2, "ORG")]]
    predicted = [[Span(0, 2, "PER"), Span(4, 5, "ORG")], []]  # right span, wrong label: a miss and a false alarm
    scores = score_spans(gold, predicted, ("PER", "ORG", "LOC", "MISC")).as_dict()
    assert scores["micro"] == {"precision": 0.5, "recall": 0.3333, "f1": 0.4, "gold": 3, "predicted": 2, "correct": 1}
    assert scores["labels"]["MISC"]["gold"] == 0 and scores["labels"]["ORG"]["predicted"] == 1


def test_ill_formed_tags_are_data_errors(tmp_path: Path) -> None:
    bad = tmp_path / "bad.conll"
    bad.write_text("Köln X-LOC\n", encoding="utf-8")
    with pytest.raises(NerDataError) as caught:
        list(iter_conll(bad))
    assert isinstance(caught.value, RatsucheError) and caught.value.reason == "bad_ner_data"
