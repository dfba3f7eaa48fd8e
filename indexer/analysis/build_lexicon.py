"""Build the decompounding lexicon from raw German text in ``../shared/data``.

    python -m indexer.analysis.build_lexicon [--data-dir ../shared/data] [--min-count 3]

Sources (documents only; never the retrieval sets' queries):

- the ``text`` of every File in ``council/{karlsruhe,nordstemmen}/files.jsonl.gz`` (Nordstemmen
  files with the same ``x-sourceFileHash`` counted once), about 48 M characters;
- the ``name`` of every Paper and AgendaItem of Karlsruhe, Nordstemmen and Hürtgenwald (titles are
  dense in compounds: "Neubau Feuerwehrgerätehaus Rössing");
- ``retrieval/{mlqa_de,xquad_de}/beir/corpus.jsonl`` (title and text of the Wikipedia paragraphs).

Words are taken from the ``word`` tokens of :mod:`indexer.analysis.tokens`, split at hyphens, folded
(:func:`indexer.analysis.folding.fold`), letters only, at least 2 characters long; words counted at
least ``--min-count`` times are written, most frequent first, ties alphabetical, with how often
they were written with a capital (nouns are: the splitter wants nouns as compound heads).
"""

from __future__ import annotations

import argparse
import gzip
import json
from collections import Counter
from collections.abc import Iterator
from pathlib import Path

from indexer.analysis.folding import fold
from indexer.analysis.lexicon import LEXICON_RESOURCE, write_lexicon
from indexer.analysis.tokens import iter_token_tuples

DEFAULT_DATA_DIR = Path(__file__).resolve().parents[2] / ".." / "shared" / "data"
DEFAULT_OUT = Path(__file__).resolve().parent / LEXICON_RESOURCE


def _iter_jsonl_gz(path: Path) -> Iterator[dict]:
    with gzip.open(path, "rt", encoding="utf-8") as fh:
        for line in fh:
            if line.strip():
                yield json.loads(line)


def iter_source_texts(data_dir: Path) -> Iterator[tuple[str, str]]:
    """``(source name, text)`` for every text that goes into the lexicon."""
    council = data_dir / "council"
    for body in ("karlsruhe", "nordstemmen"):
        seen_hashes: set[str] = set()
        for file in _iter_jsonl_gz(council / body / "files.jsonl.gz"):
            digest = file.get("x-sourceFileHash")
            if digest:
                if digest in seen_hashes:
                    continue
                seen_hashes.add(digest)
            yield f"council/{body}/files", file.get("text") or ""
    for body in ("karlsruhe", "nordstemmen", "huertgenwald"):
        for paper in _iter_jsonl_gz(council / body / "papers.jsonl.gz"):
            yield f"council/{body}/papers", paper.get("name") or ""
        for meeting in _iter_jsonl_gz(council / body / "meetings.jsonl.gz"):
            for item in meeting.get("agendaItem") or ():
                if isinstance(item, dict):
                    yield f"council/{body}/agendaItems", item.get("name") or ""
    for corpus in ("mlqa_de", "xquad_de"):
        with open(data_dir / "retrieval" / corpus / "beir" / "corpus.jsonl", encoding="utf-8") as fh:
            for line in fh:
                doc = json.loads(line)
                yield f"retrieval/{corpus}/corpus", f"{doc.get('title') or ''}\n{doc.get('text') or ''}"


def count_words(texts: Iterator[tuple[str, str]]) -> tuple[Counter[str], Counter[str], Counter[str]]:
    """Folded word counts over ``texts``, their capitalised counts, and the words per source.

    A word is counted as capitalised when it starts with a capital and is not all capitals: German
    nouns are written so, and compound heads are nouns (:mod:`indexer.analysis.decompound`).
    """
    counts: Counter[str] = Counter()
    capitalised: Counter[str] = Counter()
    per_source: Counter[str] = Counter()
    for source, text in texts:
        n = 0
        for kind, word, _start, _end in iter_token_tuples(text):
            if kind != "word":
                continue
            for part in word.split("-"):
                if len(part) >= 2 and part.isalpha():
                    folded = fold(part)
                    counts[folded] += 1
                    if part[0].isupper() and not part[1].isupper():
                        capitalised[folded] += 1
                    n += 1
        per_source[source] += n
    return counts, capitalised, per_source


def build(data_dir: Path, out: Path, min_count: int) -> int:
    counts, capitalised, per_source = count_words(iter_source_texts(data_dir))
    kept = sorted(
        ((w, c, capitalised[w]) for w, c in counts.items() if c >= min_count), key=lambda wc: (-wc[1], wc[0])
    )
    header = [
        "Ratsuche decompounding lexicon: folded word<TAB>count<TAB>capitalised count.",
        "Built by python -m indexer.analysis.build_lexicon",
        f"min_count={min_count} words={len(kept)} of {len(counts)} types, {sum(counts.values())} tokens",
        *(f"source {name}: {n} words" for name, n in sorted(per_source.items())),
    ]
    out.parent.mkdir(parents=True, exist_ok=True)
    write_lexicon(out, kept, header)
    return len(kept)


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--data-dir", type=Path, default=DEFAULT_DATA_DIR, help="the shared data folder")
    parser.add_argument("--out", type=Path, default=DEFAULT_OUT, help="where to write the gzipped TSV")
    parser.add_argument("--min-count", type=int, default=3, help="drop words seen fewer times")
    args = parser.parse_args(argv)
    n = build(args.data_dir.resolve(), args.out, args.min_count)
    print(f"wrote {n} words to {args.out} ({args.out.stat().st_size} bytes)")


if __name__ == "__main__":
    main()
