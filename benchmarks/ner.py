"""Throughput of the whole nlp pipeline (tokenizer, statistical NER, PARTY component, speakers, places,
person linking) on council text, with the packaged model and rules only.

    python -m benchmarks.ner [--documents 200] [--pages 200] [--repeat 3] [--name ner-throughput]

Two sets, both read in place from ../shared/data/council:

* ``documents``: the first N/2 documents with text of the Nordstemmen and of the Karlsruhe OParl dumps,
  read by the product's reader (:class:`corpora.oparl_dump.OParlDump`), analysed with the body's
  ``Directory`` as ingestion does;
* ``pages``: the 200 pages of ``python -m nlp.speaker_eval --throughput`` (100 Köln Wortprotokoll pages,
  100 Nordstemmen Niederschrift pages), for comparison with docs/nlp.md.

Words are whitespace-separated tokens of the page texts; each figure is the best of ``--repeat`` runs after
a warm-up. Run it with ``OMP_NUM_THREADS=1`` (ingestion runs one pipeline per worker).
"""

from __future__ import annotations

import argparse
from itertools import islice
from typing import Any, Iterator

from benchmarks.common import ROOT, write_result
from corpora.model import Document
from corpora.sources import Directory, Upsert

COUNCIL = (ROOT / ".." / "shared" / "data" / "council").resolve()


def oparl_documents(name: str, n: int) -> tuple[list[Document], Directory | None]:
    """The first ``n`` documents with text of an OParl dump, and its directory."""
    from corpora.oparl_dump import OParlDump

    directory: Directory | None = None

    def documents() -> Iterator[Document]:
        nonlocal directory
        for event in OParlDump(COUNCIL / name).iter_events({}):
            if isinstance(event, Directory):
                directory = event
            elif isinstance(event, Upsert):
                yield event.document

    return list(islice(documents(), n)), directory


def measure(pipeline: Any, sets: list[tuple[list[Document], Directory | None]], repeat: int) -> dict[str, Any]:
    import time

    words = sum(len(p.text.split()) for docs, _ in sets for d in docs for p in d.pages)
    pipeline.analyze(sets[0][0][:1], sets[0][1])
    best = float("inf")
    for _ in range(max(1, repeat)):
        start = time.perf_counter()
        for docs, directory in sets:
            pipeline.analyze(docs, directory)
        best = min(best, time.perf_counter() - start)
    return {"documents": sum(len(d) for d, _ in sets), "pages": sum(len(x.pages) for d, _ in sets for x in d),
            "words": words, "seconds": round(best, 3), "words_per_second": round(words / best)}


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--documents", type=int, default=200)
    ap.add_argument("--pages", type=int, default=200)
    ap.add_argument("--repeat", type=int, default=3)
    ap.add_argument("--name", default="ner-throughput")
    args = ap.parse_args()
    from nlp.pipeline import NlpPipeline, default_model_path
    from nlp.speaker_eval import throughput_documents

    half = args.documents // 2
    document_sets = [oparl_documents("nordstemmen", half), oparl_documents("karlsruhe", args.documents - half)]
    page_sets = [(throughput_documents(args.pages), None)]
    model = default_model_path()
    result: dict[str, Any] = {"model": str(model.relative_to(ROOT)) if model else None, "repeat": args.repeat}
    for label, path in (("rules_only", None), ("with_model", model)):
        pipeline = NlpPipeline(path)
        result[label] = {"documents": measure(pipeline, document_sets, args.repeat),
                         "pages": measure(pipeline, page_sets, args.repeat)}
        print(label, result[label])
    print(write_result(args.name, result))


if __name__ == "__main__":
    main()
