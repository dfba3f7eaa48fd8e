"""BEIR retrieval collections (corpus.jsonl, queries.jsonl, qrels.tsv) as a source and as test sets.

A BEIR corpus becomes documents with one page each (title + text); queries and relevance judgments
are read for evaluation. Used by ``ratsuche eval retrieval --corpus`` (MLQA-de, XQuAD-de) and for
the council dev set, whose qrels name Ratsuche document ids.
"""

from __future__ import annotations

import csv
import hashlib
from pathlib import Path
from typing import Any, Iterator, Mapping

from corpora import json_input
from corpora.errors import SourceError
from corpora.model import Document, File, Page
from corpora.sources import Event, Failure, Finished, Upsert


def read_queries(path: Path) -> dict[str, str]:
    out: dict[str, str] = {}
    with open(path, encoding="utf-8") as fh:
        for lineno, line in enumerate(fh, 1):
            if not line.strip():
                continue
            try:
                item = json_input.loads(line)
                out[str(item["_id"] if "_id" in item else item["id"])] = str(item["text"])
            except (ValueError, KeyError) as exc:
                raise SourceError(f"{path}:{lineno}: not a BEIR query line ({exc})") from exc
    return out


def read_qrels(path: Path) -> dict[str, dict[str, int]]:
    """query id -> {document id: grade}; a header line is skipped."""
    qrels: dict[str, dict[str, int]] = {}
    with open(path, encoding="utf-8", newline="") as fh:
        for lineno, row in enumerate(csv.reader(fh, delimiter="\t"), 1):
            if not row or row[0].startswith("#"):
                continue
            if lineno == 1 and not row[-1].strip().lstrip("-").isdigit():
                continue
            if len(row) < 3:
                raise SourceError(f"{path}:{lineno}: expected query-id, corpus-id, score")
            qid, did, grade = row[0], row[1], row[-1]
            qrels.setdefault(qid, {})[did] = int(grade)
    return qrels


class BeirCorpus:
    """Reader over a BEIR corpus.jsonl: each line a document with one page."""

    kind = "beir"

    def __init__(self, path: str | Path) -> None:
        self.path = Path(path).resolve()
        if not self.path.is_file():
            raise SourceError(f"{path}: no such corpus file")
        self.key = f"beir:{self.path}"

    def iter_events(self, state: Mapping[str, Any]) -> Iterator[Event]:
        digest = hashlib.sha256(self.path.read_bytes()).hexdigest()
        if state.get("sha256") == digest:
            yield Finished(state=dict(state), complete=False)
            return
        with open(self.path, encoding="utf-8") as fh:
            for lineno, line in enumerate(fh, 1):
                if not line.strip():
                    continue
                try:
                    item = json_input.loads(line)
                    doc_id = str(item["_id"])
                except (ValueError, KeyError):
                    yield Failure(f"{self.path.name}:{lineno}", "invalid_json", "not a BEIR corpus line")
                    continue
                title = str(item.get("title") or "").strip()
                text = str(item.get("text") or "")
                yield Upsert(Document(
                    id=doc_id, file=File(id=doc_id, name=title or None, mime_type="text/plain"),
                    document_type="Sonstiges", source_key=doc_id,
                    pages=(Page(1, text),), text_source="txt"))
        yield Finished(state={"sha256": digest}, complete=True)
