"""Pooling and judging aid for the council retrieval dev set (``benchmarks/devsets/council/``).

The dev set's queries (``queries.jsonl``) carry, besides the BEIR fields ``_id`` and ``text``, the
formulations used to pool candidates:

- ``pool_queries``: reformulations sent to Ratsuche's keyword search (synonyms, compound parts,
  singular/plural, the main noun alone); the query text itself is always pooled too;
- ``pool_regex``: Python regular expressions (case-insensitive) for a plain scan over the texts and
  titles of the corpus, independent of any analyzer;
- ``pool_require``: regular expressions that a document must all match before its ``pool_regex``
  matches count (e.g. a place name for a question about that place);
- ``pool_docs``: document ids added by hand.

``pool`` merges the keyword runs and the regex hits into ``pool.tsv`` (query id, document id, how it
was found). ``add-runs`` appends to ``pool.tsv`` the unjudged documents in the top k of other runs
(Ratsuche's ``search --json`` output, e.g. semantic or hybrid mode), found-by ``<mode>:<rank>``.
``show`` prints, for one query, each pooled candidate's title, paper/meeting context and the
passages that match the query's patterns, for reading and grading. Texts are read in place from the
OParl dumps in ``../shared/data/council/{karlsruhe,nordstemmen}``; nothing is copied into the repository.

Run from the repository root (see ``council/README.md`` for the exact commands)::

    python benchmarks/devsets/pool.py pool --index /work/notes/devset-index \
        --ratsuche /work/main/.venv/bin/ratsuche
    python benchmarks/devsets/pool.py add-runs /work/notes/run-semantic.jsonl \
        /work/notes/run-hybrid.jsonl --depth 10
    python benchmarks/devsets/pool.py show c01
    python benchmarks/devsets/pool.py check
"""

from __future__ import annotations

import argparse
import csv
import gzip
import json
import re
import subprocess
import sys
import tempfile
from collections import Counter, defaultdict
from dataclasses import dataclass
from pathlib import Path
from typing import Iterable, Iterator, Mapping, Sequence

HERE = Path(__file__).resolve().parent
DEVSET = HERE / "council"
DATA = HERE.parents[1] / ".." / "shared" / "data" / "council"
BODIES = ("karlsruhe", "nordstemmen")

#: candidates taken from each keyword formulation's ranking
KEYWORD_DEPTH = 20
#: candidates taken from the regex scan (ranked by number of matches)
REGEX_DEPTH = 30
#: most candidates kept per query
POOL_CAP = 60


@dataclass(frozen=True)
class CorpusDoc:
    """One File with text, as Ratsuche indexes it (its id is the OParl File id)."""

    id: str
    body: str
    title: str
    context: str
    text: str


@dataclass(frozen=True)
class DevQuery:
    id: str
    text: str
    kind: str
    body: str
    pool_queries: tuple[str, ...]
    pool_regex: tuple[str, ...]
    pool_require: tuple[str, ...]
    pool_docs: tuple[str, ...]


@dataclass(frozen=True)
class PoolEntry:
    query_id: str
    doc_id: str
    found_by: str  # e.g. "kw0:3;kw2:1;re5:12;semantic:4" (see ``merge_pool`` and ``add_runs``)


#: a found-by part written by ``add_runs``: ``<mode>:<rank>``, or ``twin:<query id>`` for a document
#: copied from a twin query (keyword runs are ``kw<i>:<rank>``, regex hits ``re<rank>:<matches>``, so
#: neither matches)
RUN_SOURCE = re.compile(r"^([a-z]+:\d+|twin:[\w-]+)$")


def _iter_jsonl_gz(path: Path) -> Iterator[dict]:
    with gzip.open(path, "rt", encoding="utf-8") as fh:
        for line in fh:
            if line.strip():
                yield json.loads(line)


def _paper_context(paper: Mapping) -> str:
    return " | ".join(str(x) for x in (
        paper.get("reference"), paper.get("paperType"), paper.get("date"),
        " ".join(str(paper.get("name", "")).split())) if x)


def _meeting_context(meeting: Mapping) -> str:
    return " | ".join(str(x) for x in ("Sitzung", str(meeting.get("start", ""))[:10], meeting.get("name")) if x)


def iter_corpus(root: Path = DATA) -> Iterator[CorpusDoc]:
    """Every File with text of the Karlsruhe and Nordstemmen dumps, with its paper/meeting context."""
    for body in BODIES:
        folder = root / body
        papers = {p["id"]: p for p in _iter_jsonl_gz(folder / "papers.jsonl.gz")}
        meetings = {m["id"]: m for m in _iter_jsonl_gz(folder / "meetings.jsonl.gz")}
        for f in _iter_jsonl_gz(folder / "files.jsonl.gz"):
            ctx = [_paper_context(papers[p]) for p in f.get("paper", ()) if p in papers]
            ctx += [_meeting_context(meetings[m]) for m in f.get("meeting", ()) if m in meetings]
            yield CorpusDoc(id=f["id"], body=body, title=" ".join(str(f.get("name", "")).split()),
                            context=" || ".join(ctx), text=f.get("text", ""))


def read_devset_queries(path: Path = DEVSET / "queries.jsonl") -> list[DevQuery]:
    out = []
    with open(path, encoding="utf-8") as fh:
        for line in fh:
            if line.strip():
                q = json.loads(line)
                out.append(DevQuery(id=q["_id"], text=q["text"], kind=q["kind"], body=q["body"],
                                    pool_queries=tuple(q.get("pool_queries", ())),
                                    pool_regex=tuple(q.get("pool_regex", ())),
                                    pool_require=tuple(q.get("pool_require", ())),
                                    pool_docs=tuple(q.get("pool_docs", ()))))
    return out


def formulations(q: DevQuery) -> list[str]:
    """The query text first, then its distinct reformulations."""
    seen: list[str] = []
    for t in (q.text, *q.pool_queries):
        if t not in seen:
            seen.append(t)
    return seen


def keyword_runs(queries: Sequence[DevQuery], ratsuche: str, index: Path, depth: int) -> dict[str, list[str]]:
    """``"<qid>#<i>"`` -> ranked ids from ``ratsuche search --queries`` (keyword mode)."""
    with tempfile.NamedTemporaryFile("w", suffix=".jsonl", encoding="utf-8", delete=False) as fh:
        for q in queries:
            for i, text in enumerate(formulations(q)):
                fh.write(json.dumps({"id": f"{q.id}#{i}", "text": text}, ensure_ascii=False) + "\n")
        qfile = fh.name
    cmd = [ratsuche, "-q", "--data-dir", str(index), "search", "--mode", "keyword", "--limit", str(depth),
           "--json", "--queries", qfile]
    out = subprocess.run(cmd, check=True, capture_output=True, text=True).stdout
    runs: dict[str, list[str]] = {}
    for line in out.splitlines():
        if line.strip():
            item = json.loads(line)
            runs[str(item["id"])] = [_hit_id(h) for h in _hits(item)]
    Path(qfile).unlink()
    return runs


def _hits(item: Mapping) -> list:
    for key in ("results", "ids", "hits", "ranking"):
        if key in item:
            return list(item[key])
    raise KeyError(f"no ranked ids in {sorted(item)}")


def _hit_id(hit: object) -> str:
    return str(hit["id"]) if isinstance(hit, Mapping) else str(hit)


def compile_patterns(patterns: Iterable[str]) -> list[re.Pattern[str]]:
    return [re.compile(p, re.IGNORECASE) for p in patterns]


def count_matches(doc: CorpusDoc, patterns: Sequence[re.Pattern[str]]) -> int:
    """Matches in the text plus, weighted 5, matches in the title and paper/meeting context."""
    head = f"{doc.title} {doc.context}"
    return sum(len(p.findall(doc.text)) + 5 * len(p.findall(head)) for p in patterns)


def matches_all(doc: CorpusDoc, required: Sequence[re.Pattern[str]]) -> bool:
    whole = f"{doc.title} {doc.context} {doc.text}"
    return all(p.search(whole) for p in required)


def regex_ranking(docs: Sequence[CorpusDoc], patterns: Sequence[re.Pattern[str]],
                  required: Sequence[re.Pattern[str]] = ()) -> list[tuple[str, int]]:
    """(document id, number of matches) of the documents matching all ``required``.

    Most matches first within each body, and the bodies interleaved (Karlsruhe's first, Nordstemmen's
    first, Karlsruhe's second, ...), so that the long Nordstemmen minutes do not crowd out Karlsruhe's
    documents or the other way round.
    """
    per_body: dict[str, list[tuple[str, int]]] = defaultdict(list)
    for d in docs:
        if matches_all(d, required):
            n = count_matches(d, patterns)
            if n > 0:
                per_body[d.body].append((d.id, n))
    lists = [sorted(per_body[b], key=lambda s: (-s[1], s[0])) for b in BODIES]
    out: list[tuple[str, int]] = []
    for i in range(max((len(x) for x in lists), default=0)):
        out += [x[i] for x in lists if i < len(x)]
    return out


def merge_pool(qid: str, runs: Sequence[Sequence[str]], regex: Sequence[tuple[str, int]],
               manual: Sequence[str], *, keyword_depth: int = KEYWORD_DEPTH, regex_depth: int = REGEX_DEPTH,
               cap: int = POOL_CAP) -> list[PoolEntry]:
    """Union of the top ``keyword_depth`` of each run and the top ``regex_depth`` regex hits.

    Candidates are ordered by their best rank over all lists (ties: found by more lists first) and cut
    at ``cap``; hand-added documents are always kept.
    """
    best: dict[str, int] = {}
    how: dict[str, list[str]] = defaultdict(list)
    for i, run in enumerate(runs):
        for rank, did in enumerate(run[:keyword_depth], 1):
            best[did] = min(best.get(did, rank), rank)
            how[did].append(f"kw{i}:{rank}")
    for rank, (did, n) in enumerate(regex[:regex_depth], 1):
        best[did] = min(best.get(did, rank), rank)
        how[did].append(f"re{rank}:{n}")
    order = sorted(best, key=lambda d: (best[d], -len(how[d]), d))[:cap]
    for did in manual:
        if did not in order:
            order.append(did)
        how[did].append("manual")
    return [PoolEntry(qid, d, ";".join(how[d])) for d in order]


def _run_sources(entries: Iterable[PoolEntry]) -> dict[tuple[str, str], list[str]]:
    """(query id, doc id) -> the ``add_runs`` parts of its found-by (e.g. ``["semantic:3", "hybrid:7"]``)."""
    out: dict[tuple[str, str], list[str]] = {}
    for e in entries:
        parts = [x for x in e.found_by.split(";") if RUN_SOURCE.match(x)]
        if parts:
            out[(e.query_id, e.doc_id)] = parts
    return out


def build_pool(queries: Sequence[DevQuery], ratsuche: str, index: Path,
               judged: Mapping[str, Mapping[str, int]] | None = None,
               earlier: Sequence[PoolEntry] = ()) -> list[PoolEntry]:
    """The pool of each query; documents already in ``judged`` (qrels) but not pooled now are kept,
    marked ``judged-earlier`` (the pool only grows while formulations and patterns are refined).

    Rows of ``earlier`` (the current pool.tsv) that ``add_runs`` pooled keep their ``<mode>:<rank>``
    parts: appended to the new found-by, or in place of ``judged-earlier``.
    """
    runs_of = _run_sources(earlier)
    docs = list(iter_corpus())
    runs = keyword_runs(queries, ratsuche, index, KEYWORD_DEPTH)
    entries: list[PoolEntry] = []
    for q in queries:
        qruns = [runs.get(f"{q.id}#{i}", []) for i in range(len(formulations(q)))]
        regex = regex_ranking(docs, compile_patterns(q.pool_regex), compile_patterns(q.pool_require)) \
            if q.pool_regex else []
        merged = merge_pool(q.id, qruns, regex, q.pool_docs)
        pooled = {e.doc_id for e in merged}
        merged += [PoolEntry(q.id, d, "judged-earlier") for d in (judged or {}).get(q.id, {}) if d not in pooled]
        for e in merged:
            extra = runs_of.get((e.query_id, e.doc_id))
            if extra:
                kept = [] if e.found_by == "judged-earlier" else [e.found_by]
                e = PoolEntry(e.query_id, e.doc_id, ";".join(kept + extra))
            entries.append(e)
        # documents that add_runs pooled but that are neither pooled now nor judged yet
        entries += [PoolEntry(qid, d, ";".join(parts)) for (qid, d), parts in runs_of.items()
                    if qid == q.id and d not in pooled and d not in (judged or {}).get(q.id, {})]
    return entries


def read_run(path: Path) -> tuple[str, dict[str, list[str]]]:
    """A ``ratsuche search --json --queries`` output: (mode, query id -> ranked doc ids).

    The mode is the lines' ``mode_used`` (all lines must agree)."""
    modes: set[str] = set()
    ranked: dict[str, list[str]] = {}
    with open(path, encoding="utf-8") as fh:
        for line in fh:
            if line.strip():
                item = json.loads(line)
                modes.add(str(item.get("mode_used", "")))
                ranked[str(item["id"])] = [_hit_id(h) for h in _hits(item)]
    if len(modes) != 1 or not re.fullmatch(r"[a-z]+", next(iter(modes))):
        raise ValueError(f"{path}: need one mode_used (lowercase letters), got {sorted(modes)}")
    return next(iter(modes)), ranked


def add_runs(pool: Sequence[PoolEntry], runs: Sequence[tuple[str, Mapping[str, Sequence[str]]]],
             judged: Mapping[str, Mapping[str, int]], depth: int,
             query_order: Sequence[str] = (), twins: Sequence[tuple[str, str]] = ()) -> list[PoolEntry]:
    """``pool`` plus the documents in the top ``depth`` of each run that have no judgment yet.

    A new (query, document) pair gets found-by ``<mode>:<rank>`` for every run that has it in its top
    ``depth`` (``semantic:3;hybrid:7``); an unjudged pair already pooled gets these parts appended.
    ``twins`` are pairs of queries that share their judgments (c01 and c30): a document one of them
    gets is also pooled for the other, found-by ``twin:<query id>``, unless it is pooled or judged there.
    Judged pairs are left as they are, so running it again after judging adds nothing. New rows go
    after their query's existing rows (queries in ``query_order``, unknown ones last).
    """
    how: dict[tuple[str, str], list[str]] = defaultdict(list)
    for mode, ranked in runs:
        for qid, ids in ranked.items():
            for rank, did in enumerate(ids[:depth], 1):
                if did not in judged.get(qid, {}):
                    how[(qid, did)].append(f"{mode}:{rank}")
    pooled = {(e.query_id, e.doc_id) for e in pool}
    for a, b in twins:
        for src, dst in ((a, b), (b, a)):
            for qid, did in [k for k in how if k[0] == src]:
                if (dst, did) not in how and (dst, did) not in pooled and did not in judged.get(dst, {}):
                    how[(dst, did)].append(f"twin:{src}")
    out: list[PoolEntry] = []
    for e in pool:
        parts = how.pop((e.query_id, e.doc_id), [])
        new = [x for x in parts if x not in e.found_by.split(";")]
        out.append(PoolEntry(e.query_id, e.doc_id, ";".join([e.found_by, *new])) if new else e)
    out += [PoolEntry(qid, did, ";".join(parts)) for (qid, did), parts in how.items()]
    order = {q: i for i, q in enumerate(query_order)}
    return sorted(out, key=lambda e: order.get(e.query_id, len(order)))  # stable: keeps row order per query


def write_pool(entries: Sequence[PoolEntry], path: Path = DEVSET / "pool.tsv") -> None:
    with open(path, "w", encoding="utf-8", newline="") as fh:
        w = csv.writer(fh, delimiter="\t", lineterminator="\n")
        w.writerow(["query-id", "corpus-id", "found-by"])
        for e in entries:
            w.writerow([e.query_id, e.doc_id, e.found_by])


def read_pool(path: Path = DEVSET / "pool.tsv") -> list[PoolEntry]:
    with open(path, encoding="utf-8", newline="") as fh:
        rows = list(csv.reader(fh, delimiter="\t"))
    return [PoolEntry(*r) for r in rows[1:] if r]


def read_qrels(path: Path = DEVSET / "qrels.tsv") -> dict[str, dict[str, int]]:
    out: dict[str, dict[str, int]] = defaultdict(dict)
    if not path.exists():
        return out
    with open(path, encoding="utf-8", newline="") as fh:
        rows = list(csv.reader(fh, delimiter="\t"))
    for r in rows[1:]:
        if r:
            out[r[0]][r[1]] = int(r[2])
    return out


def snippets(text: str, patterns: Sequence[re.Pattern[str]], width: int, most: int) -> list[str]:
    """Up to ``most`` non-overlapping windows of ``width`` characters around pattern matches."""
    flat = " ".join(text.split())
    spans = sorted({m.start() for p in patterns for m in p.finditer(flat)})
    out: list[str] = []
    last_end = -1
    for s in spans:
        if s < last_end:
            continue
        a, b = max(0, s - width // 2), min(len(flat), s + width // 2)
        out.append(flat[a:b])
        last_end = b
        if len(out) >= most:
            break
    return out


def show(qid: str, *, width: int = 260, most: int = 3, only_unjudged: bool = False, docs_filter: Sequence[str] = (),
         grep: Sequence[str] = (), text_chars: int = 0) -> None:
    """Print each pooled candidate of ``qid`` for reading (stdout only).

    ``grep``: extra patterns for the passages (besides the query's ``pool_regex``); ``text_chars``: also
    print the first that many characters of the text (whitespace collapsed)."""
    query = {q.id: q for q in read_devset_queries()}[qid]
    pool = [e for e in read_pool() if e.query_id == qid]
    if docs_filter:
        pool = [e for e in pool if e.doc_id in docs_filter or e.doc_id.rsplit("/", 1)[-1] in docs_filter]
    judged = read_qrels().get(qid, {})
    wanted = {e.doc_id for e in pool}
    docs = {d.id: d for d in iter_corpus() if d.id in wanted}
    patterns = compile_patterns(query.pool_regex)
    shown = patterns + compile_patterns(grep)
    print(f"== {qid} [{query.kind}/{query.body}] {query.text!r}  ({len(pool)} candidates)")
    for n, e in enumerate(pool, 1):
        if only_unjudged and e.doc_id in judged:
            continue
        d = docs[e.doc_id]
        grade = judged.get(e.doc_id, "-")
        total = count_matches(d, patterns) if patterns else 0
        print(f"\n[{n}] {e.doc_id.rsplit('/', 1)[-1]} {d.body[:2]} grade={grade} hits={total} len={len(d.text)} via {e.found_by}")
        print(f"  T: {d.title[:200]}")
        print(f"  C: {d.context[:300]}")
        for s in snippets(d.text, shown, width, most):
            print(f"  > {s}")
        if text_chars:
            print(f"  TEXT: {' '.join(d.text.split())[:text_chars]}")


def check(path_q: Path = DEVSET / "queries.jsonl") -> int:
    """Every pooled candidate judged, every judgment pooled, grades in 0..3; prints statistics."""
    queries = read_devset_queries(path_q)
    pool = read_pool()
    qrels = read_qrels()
    ids = {d.id for d in iter_corpus()}
    problems = 0
    pooled = defaultdict(set)
    for e in pool:
        pooled[e.query_id].add(e.doc_id)
    for q in queries:
        judged = qrels.get(q.id, {})
        missing = pooled[q.id] - set(judged)
        extra = set(judged) - pooled[q.id]
        unknown = set(judged) - ids
        bad = {d: g for d, g in judged.items() if g not in (0, 1, 2, 3)}
        for label, items in (("unjudged", missing), ("not pooled", extra), ("unknown id", unknown), ("bad grade", bad)):
            if items:
                problems += 1
                print(f"{q.id}: {len(items)} {label}: {sorted(items)[:5]}")
        grades = Counter(judged.values())
        print(f"{q.id} {q.kind:10} {q.body:11} judged={len(judged):3} g3={grades[3]:2} g2={grades[2]:2} "
              f"g1={grades[1]:2} g0={grades[0]:2}  {q.text}")
    return 1 if problems else 0


def main(argv: Sequence[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    sub = ap.add_subparsers(dest="cmd", required=True)
    p = sub.add_parser("pool", help="build pool.tsv from keyword runs and the regex scan")
    p.add_argument("--index", type=Path, required=True, help="Ratsuche data dir with a keyword index of the corpus")
    p.add_argument("--ratsuche", default="ratsuche", help="the ratsuche executable")
    p.add_argument("--only", nargs="*", default=(), help="pool only these query ids (others kept from pool.tsv)")
    p.add_argument("--fresh", action="store_true", help="ignore qrels.tsv (do not keep earlier judged documents)")
    s = sub.add_parser("show", help="print a query's candidates with title, context and matching passages")
    s.add_argument("qid")
    s.add_argument("--width", type=int, default=260)
    s.add_argument("--most", type=int, default=3)
    s.add_argument("--unjudged", action="store_true")
    s.add_argument("--docs", nargs="*", default=())
    s.add_argument("--grep", nargs="*", default=(), help="extra regular expressions for the passages")
    s.add_argument("--text", type=int, default=0, metavar="N", help="also print the first N characters of the text")
    a = sub.add_parser("add-runs", help="append the unjudged top-k of search runs (JSON lines) to pool.tsv")
    a.add_argument("runs", nargs="+", type=Path, help="ratsuche search --json --queries outputs (one mode each)")
    a.add_argument("--depth", type=int, default=10, help="top k of each run to pool")
    a.add_argument("--twin", nargs=2, action="append", default=[], metavar=("QID", "QID"),
                   help="two queries that share their judgments (pool each one's new documents for both)")
    sub.add_parser("check", help="validate qrels.tsv against pool.tsv and print statistics")
    args = ap.parse_args(argv)
    if args.cmd == "pool":
        queries = read_devset_queries()
        judged = {} if args.fresh else read_qrels()
        if args.only:
            keep = [e for e in read_pool() if e.query_id not in args.only] if (DEVSET / "pool.tsv").exists() else []
            new = build_pool([q for q in queries if q.id in args.only], args.ratsuche, args.index, judged,
                             read_pool() if (DEVSET / "pool.tsv").exists() else [])
            order = {q.id: i for i, q in enumerate(queries)}
            entries = sorted(keep + new, key=lambda e: order.get(e.query_id, 10**6))
        else:
            entries = build_pool(queries, args.ratsuche, args.index, judged,
                                 read_pool() if (DEVSET / "pool.tsv").exists() else [])
        write_pool(entries)
        print(f"{len(entries)} pooled candidates for {len({e.query_id for e in entries})} queries", file=sys.stderr)
        return 0
    if args.cmd == "add-runs":
        before = read_pool()
        runs = [read_run(p) for p in args.runs]
        entries = add_runs(before, runs, read_qrels(), args.depth, [q.id for q in read_devset_queries()],
                           [tuple(t) for t in args.twin])
        write_pool(entries)
        old = {(e.query_id, e.doc_id) for e in before}
        new = [e for e in entries if (e.query_id, e.doc_id) not in old]
        added = Counter(m for e in new for m in {x.split(":")[0] for x in e.found_by.split(";")})
        print(f"{len(new)} new pool rows (by mode: {dict(sorted(added.items()))}); "
              f"{len(entries)} in all", file=sys.stderr)
        return 0
    if args.cmd == "show":
        show(args.qid, width=args.width, most=args.most, only_unjudged=args.unjudged, docs_filter=args.docs,
             grep=args.grep, text_chars=args.text)
        return 0
    return check()


if __name__ == "__main__":
    sys.exit(main())
