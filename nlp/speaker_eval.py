"""Evaluating speaker detection against the hand-checked gold set ``tests/fixtures/speakers_gold.jsonl``.

Each gold line names one whole page of real minutes in ``../shared/data/council`` and lists every
speaker mention on it (name and party as the document gives them, role), e.g.::

    {"source": "koeln/pdf/<file>.pdf", "page": 12, "speakers": [{"name": "Lino Hammer", "party": "GRÜNE",
     "role": "speaker"}, ...]}
    {"source": "nordstemmen/files.jsonl.gz", "file_id": "<OParl File id>", "page": 2, "speakers": [...]}

The texts are not in the repository: :func:`load_pages` reads them in place (pdfminer page text for
PDFs, OParl ``File.text`` split at form feeds for dumps); it is the one function to swap when the
product's own extraction should be measured instead. Precision, recall and F1 count (name, party)
pairs per page as multisets, names compared without Herr/Frau/Dr. and case-folded; role agreement is
reported on the matched pairs.

Run: ``python -m nlp.speaker_eval [--gold PATH] [--model PATH] [--data-root PATH] [--errors]``, or
``python -m nlp.speaker_eval --throughput 200 [--model PATH]`` for words/s on real council pages.
"""

from __future__ import annotations

import argparse
import gzip
import json
import sys
from collections import Counter, defaultdict
from pathlib import Path
from typing import Any, Iterable, Mapping, Sequence

from corpora.model import Document, File, Page
from nlp.linking import normalise_name

REPO = Path(__file__).resolve().parents[1]
GOLD = REPO / "tests" / "fixtures" / "speakers_gold.jsonl"
DATA_ROOT = REPO / ".." / "shared" / "data" / "council"
#: PDFs up to this many pages are read whole (their attendance lists tell parties); longer ones (Köln)
#: only on the gold pages
WHOLE_PDF_PAGES = 30


def load_gold(path: Path = GOLD) -> list[dict[str, Any]]:
    return [json.loads(line) for line in path.read_text(encoding="utf-8").splitlines() if line.strip()]


def _pdf_page_count(path: Path) -> int:
    from pdfminer.pdfpage import PDFPage

    with path.open("rb") as fh:
        return sum(1 for _ in PDFPage.get_pages(fh))


def load_pages(source: str, *, file_id: str | None = None, pages: Sequence[int] = (),
               data_root: Path = DATA_ROOT) -> list[Page]:
    """The page texts of one gold source as the product would see them (numbering from 1; pages not
    read are empty). Swap this function to measure another text extraction."""
    path = data_root / source
    if source.endswith(".pdf"):
        from pdfminer.high_level import extract_text

        count = _pdf_page_count(path)
        wanted = set(range(1, count + 1)) if count <= WHOLE_PDF_PAGES else set(pages)
        return [Page(n, extract_text(str(path), page_numbers=[n - 1]) if n in wanted else "")
                for n in range(1, count + 1)]
    if source.endswith(".jsonl.gz"):
        with gzip.open(path, "rt", encoding="utf-8") as fh:
            for line in fh:
                if file_id and file_id in line:
                    obj = json.loads(line)
                    if obj.get("id") == file_id:
                        return [Page(i, t) for i, t in enumerate((obj.get("text") or "").split("\f"), 1)]
        raise KeyError(f"{source}: no File {file_id}")
    raise ValueError(f"unsupported gold source {source}")


def _document_type(source: str) -> str:
    return "Wortprotokoll" if source.startswith("koeln/") else "Niederschrift"


def load_documents(gold: Iterable[Mapping[str, Any]], data_root: Path = DATA_ROOT) -> dict[tuple[str, str], Document]:
    """One Document per gold source (file), with the pages the gold set needs."""
    wanted: dict[tuple[str, str], set[int]] = defaultdict(set)
    for rec in gold:
        wanted[(rec["source"], rec.get("file_id") or "")].add(rec["page"])
    docs = {}
    for (source, file_id), pages in sorted(wanted.items()):
        texts = load_pages(source, file_id=file_id or None, pages=sorted(pages), data_root=data_root)
        docs[(source, file_id)] = Document(id=file_id or source, file=File(id=file_id or source),
                                           document_type=_document_type(source), source_key=source,
                                           pages=tuple(texts))
    return docs


def _pairs(speakers: Iterable[Mapping[str, Any]]) -> Counter[tuple[str, str | None]]:
    return Counter((normalise_name(s["name"]), s.get("party")) for s in speakers)


def _prf(tp: int, n_pred: int, n_gold: int) -> dict[str, float | int]:
    p = tp / n_pred if n_pred else 1.0
    r = tp / n_gold if n_gold else 1.0
    f = 2 * p * r / (p + r) if p + r else 0.0
    return {"precision": round(p, 4), "recall": round(r, 4), "f1": round(f, 4), "tp": tp, "predicted": n_pred,
            "gold": n_gold}


def evaluate_speakers(gold_path: Path | str = GOLD, pipeline: Any = None, *, data_root: Path | str = DATA_ROOT,
                      errors: bool = False,
                      documents: Mapping[tuple[str, str], Document] | None = None) -> dict[str, Any]:
    """P/R/F1 of (name, party) pairs per page: overall ("all"), per source (koeln, nordstemmen, ahnsen),
    per split ("dev": pages looked at while the rules were written; "heldout": annotated afterwards)
    and per split and source. ``documents``: the gold documents when already loaded
    (:func:`load_documents`)."""
    if pipeline is None:
        from nlp.pipeline import load_pipeline

        pipeline = load_pipeline()
    gold = load_gold(Path(gold_path))
    docs = dict(documents) if documents is not None else load_documents(gold, Path(data_root))
    keys = list(docs)
    analyses = dict(zip(keys, pipeline.analyze([docs[k] for k in keys])))
    totals: dict[str, list[int]] = defaultdict(lambda: [0, 0, 0, 0, 0])  # tp, pred, gold, role_ok, pages
    mistakes = []
    for rec in gold:
        analysis = analyses[(rec["source"], rec.get("file_id") or "")]
        predicted = [{"name": s.name, "party": s.party, "role": s.role}
                     for s in analysis.speakers if s.page == rec["page"]]
        g, p = _pairs(rec["speakers"]), _pairs(predicted)
        tp = sum((g & p).values())
        gold_roles = Counter((normalise_name(s["name"]), s.get("party"), s["role"]) for s in rec["speakers"])
        pred_roles = Counter((normalise_name(s["name"]), s["party"], s["role"]) for s in predicted)
        role_ok = sum((gold_roles & pred_roles).values())
        source, split = rec["source"].split("/")[0], rec.get("split", "dev")
        for group in ("all", source, split, f"{split}/{source}"):
            t = totals[group]
            t[0] += tp
            t[1] += sum(p.values())
            t[2] += sum(g.values())
            t[3] += role_ok
            t[4] += 1
        if errors and g != p:
            mistakes.append({"source": rec["source"], "file_id": rec.get("file_id"), "page": rec["page"],
                             "missed": sorted((g - p).elements(), key=str),
                             "spurious": sorted((p - g).elements(), key=str)})
    report: dict[str, Any] = {}
    for group, (tp, n_pred, n_gold, role_ok, n_pages) in sorted(totals.items()):
        report[group] = {**_prf(tp, n_pred, n_gold), "role_accuracy": round(role_ok / tp, 4) if tp else 0.0,
                         "pages": n_pages}
    report["model"] = str(getattr(pipeline, "model_path", None))
    if errors:
        report["errors"] = mistakes
    return report


# --- throughput ------------------------------------------------------------------------------------

KOELN_BENCH_PDF = "koeln/pdf/10_Sitzung_des_Rates_20210916_Wortprotokoll_der_10_Sitzung_des_Rates.pdf"


def throughput_documents(pages: int = 200, *, koeln_share: float = 0.5,
                         data_root: Path = DATA_ROOT) -> list[Document]:
    """Real council pages for speed measurements: Köln Wortprotokoll pages (pdfminer text, the first
    ``pages * koeln_share`` of one session) and Nordstemmen Niederschriften (whole files in file order
    until the rest is reached)."""
    docs: list[Document] = []
    n_koeln = int(pages * koeln_share)
    if n_koeln:
        from pdfminer.high_level import extract_text

        path = data_root / KOELN_BENCH_PDF
        texts = [extract_text(str(path), page_numbers=[i]) for i in range(n_koeln)]
        docs.append(Document(id=KOELN_BENCH_PDF, file=File(id=KOELN_BENCH_PDF), document_type="Wortprotokoll",
                             source_key=KOELN_BENCH_PDF, pages=tuple(Page(i, t) for i, t in enumerate(texts, 1))))
    left = pages - n_koeln
    with gzip.open(data_root / "nordstemmen" / "files.jsonl.gz", "rt", encoding="utf-8") as fh:
        for line in fh:
            if left <= 0:
                break
            obj = json.loads(line)
            if "iederschrift" not in (obj.get("name") or ""):
                continue
            texts = (obj.get("text") or "").split("\f")[:left]
            docs.append(Document(id=obj["id"], file=File(id=obj["id"]), document_type="Niederschrift",
                                 source_key=obj["id"], pages=tuple(Page(i, t) for i, t in enumerate(texts, 1))))
            left -= len(texts)
    return docs


def measure_throughput(pipeline: Any, documents: Sequence[Document], *, repeat: int = 3) -> dict[str, Any]:
    """Words per second of ``pipeline.analyze`` (best of ``repeat`` runs after one warm-up run);
    words are whitespace-separated tokens of the page texts."""
    import time

    words = sum(len(p.text.split()) for d in documents for p in d.pages)
    pipeline.analyze(documents[:1])
    best = float("inf")
    for _ in range(max(1, repeat)):
        start = time.perf_counter()
        pipeline.analyze(documents)
        best = min(best, time.perf_counter() - start)
    return {"pages": sum(len(d.pages) for d in documents), "words": words, "seconds": round(best, 3),
            "words_per_second": round(words / best)}


def main(argv: Sequence[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m nlp.speaker_eval", description=__doc__.split("\n\n")[0])
    parser.add_argument("--gold", type=Path, default=GOLD)
    parser.add_argument("--model", type=Path, default=None, help="spaCy NER model directory (default: rules only)")
    parser.add_argument("--data-root", type=Path, default=DATA_ROOT)
    parser.add_argument("--errors", action="store_true", help="list missed and spurious pairs per page")
    parser.add_argument("--throughput", type=int, metavar="PAGES", default=0,
                        help="measure words/s on this many real council pages instead (half Köln, half Nordstemmen)")
    args = parser.parse_args(argv)
    from nlp.pipeline import NlpPipeline

    pipeline = NlpPipeline(args.model)
    if args.throughput:
        report = measure_throughput(pipeline, throughput_documents(args.throughput, data_root=args.data_root))
        report["model"] = str(args.model)
    else:
        report = evaluate_speakers(args.gold, pipeline, data_root=args.data_root, errors=args.errors)
    json.dump(report, sys.stdout, ensure_ascii=False, indent=2)
    sys.stdout.write("\n")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
