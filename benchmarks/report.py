"""The benchmark table and plots, from the result files (no measuring here).

    python -m benchmarks.report [--results benchmarks/results] [--docs docs]

Writes the generated part of ``docs/benchmarks.md`` (between the two ``<!-- generated -->``
markers; the prose around it is kept) and the PNG plots ``docs/bench-scale-latency.png`` and
``docs/bench-scale-size.png`` (needs the ``bench`` extra: matplotlib). A result file that is
missing leaves its rows out and says so.
"""

from __future__ import annotations

import argparse
import json
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parents[1]
BEGIN, END = "<!-- generated: python -m benchmarks.report -->", "<!-- end generated -->"
MODES = ("keyword", "semantic", "hybrid")


def load(results: Path, name: str) -> dict[str, Any] | None:
    path = results / f"{name}.json"
    return json.loads(path.read_text(encoding="utf-8")) if path.is_file() else None


def _or_dash(value: Any) -> str:
    return "–" if value is None else f"{value:,}" if isinstance(value, (int, float)) else str(value)


def _ms(row: dict[str, Any] | None) -> str:
    return "–" if not row else f"{row['p50_ms']:.0f} / {row['p95_ms']:.0f} / {row['p99_ms']:.0f}"


def scale_rows(results: Path) -> list[dict[str, Any]]:
    rows = []
    for path in sorted(results.glob("scale-*x.json"), key=lambda p: int(p.stem.split("-")[1][:-1])):
        row = json.loads(path.read_text(encoding="utf-8"))
        latency = load(results, f"{path.stem}-latency")
        row["latency"] = latency["results"] if latency else {}
        row["max_rss_mb"] = latency.get("max_rss_mb") if latency else None
        rows.append(row)
    return rows


def _scale_note(row: dict[str, Any]) -> str:
    """The command that measured a scale row, then its hand-written note."""
    return "; ".join(([f"`{row['command']}`"] if row.get("command") else []) + ([row["note"]] if row.get("note") else []))


def tables(results: Path) -> str:
    out: list[str] = []
    stages = load(results, "stages")
    if stages:
        e, emb = stages.get("end_to_end", {}), stages.get("embedding", {})
        out += ["### Ingestion by stage (`python -m benchmarks.stages`)", "",
                f"Machine: {stages['machine']['cpus']} CPUs, commit {stages['machine']['commit']}.", "",
                "| stage | throughput |", "|---|---:|"]
        if "pdf_extraction" in stages:
            p = stages["pdf_extraction"]
            out.append(f"| PDF extraction ({p['files']} files, {p['pages']} pages, one worker) | {p['pages_per_s']} pages/s |")
        if "ner" in stages:
            n = stages["ner"]
            label = "model + rules" if n["model"] else "rules only"
            out.append(f"| NER ({label}, {n['documents']} documents) | {n['words_per_s']:,} words/s |")
        if "passages" in stages:
            out.append(f"| passage cutting | {stages['passages']['passages_per_s']:,} passages/s |")
        if emb:
            out.append(f"| embedding, raw `model.encode` ({emb['backend']}, {emb['device']}) | "
                       f"{emb['raw_encode_passages_per_s']} passages/s |")
            out.append(f"| embedding, pipeline stage | {emb['pipeline_stage_passages_per_s']} passages/s "
                       f"(overhead {100 * emb['stage_overhead']:.1f} %) |")
        for key, label in (("keyword_indexing", "Whoosh indexing"), ("vector_indexing", "vector indexing")):
            if key in stages:
                out.append(f"| {label} | {stages[key]['passages_per_s']:,} passages/s |")
        if e:
            out.append(f"| **end to end** ({e['documents']} documents, {e['pages']} pages) | "
                       f"{e['documents_per_s']} documents/s, {e['pages_per_s']} pages/s, {e['passages_per_s']} "
                       f"passages/s = **{100 * e['share_of_raw_embedding']:.0f} %** of raw embedding; "
                       f"peak memory {e['max_rss_mb']:.0f} MB |")
        out.append("")
    rows = scale_rows(results)
    if rows:
        out += ["### Growth with corpus size (`python -m benchmarks.scale`)", "",
                "Replicas copy every document of the public corpus (karlsruhe + nordstemmen) under a new id "
                "`<id>#r<n>`, with its passages, entities and embeddings; the indexes are then built from scratch.", "",
                "| replicas | documents | passages | store MB | keyword index MB | vector index MB | keyword build s "
                "| vector build s | build memory MB | serving memory MB |",
                "|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|"]
        for r in rows:
            out.append(f"| {r['replicas']}× | {r['documents']:,} | {r['passages']:,} | {r['store_mb']:,} | "
                       f"{r['keyword_index_mb']:,} | {r['vector_index_mb']:,} | {_or_dash(r['keyword_build_seconds'])} | "
                       f"{_or_dash(r['vector_build_seconds'])} ({'HNSW' if r['hnsw'] else 'exact'}) | "
                       f"{_or_dash(r.get('build_max_rss_mb'))} | {_or_dash(r['max_rss_mb'])} |")
        notes = [f"- {r['replicas']}×: {note}" for r in rows if (note := _scale_note(r))]
        if notes:
            out += ["", *notes]
        out += ["", "Query latency in ms, p50 / p95 / p99, in process, over the same query set "
                "(4 facets and highlights, or plain):", "",
                "| replicas | " + " | ".join(f"{m} facets+hl | {m} plain" for m in MODES) + " |",
                "|---:|" + "---:|" * (2 * len(MODES))]
        for r in rows:
            cells = [f"{_ms(r['latency'].get(f'{m}/facets+highlights'))} | {_ms(r['latency'].get(f'{m}/plain'))}"
                     for m in MODES]
            out.append(f"| {r['replicas']}× | " + " | ".join(cells) + " |")
        out.append("")
    loads = [(name, load(results, name)) for name in ("load-public", "load-public-think")]
    for name, data in loads:
        if not data:
            continue
        think = data.get("think_s", [0, 0])
        pacing = f"think time {think[0]}–{think[1]} s" if think and think[1] else "back to back"
        out += [f"### HTTP load, `/api/v1/search` mode {data['mode']} with 4 facets, {pacing} "
                f"(`python -m benchmarks.load`, {name}.json)", "",
                "| clients | requests | throughput req/s | p50 ms | p95 ms | p99 ms | errors | clients' medians ms |",
                "|---:|---:|---:|---:|---:|---:|---:|---:|"]
        for lv in data["levels"]:
            medians = [m for m in lv.get("client_p50_ms") or [] if m is not None]
            spread = f"{min(medians):.0f}–{max(medians):.0f}" if medians else "–"
            out.append(f"| {lv['clients']} | {lv['requests']} | {lv['throughput_rps']} | {lv['p50_ms']:.0f} | "
                       f"{lv['p95_ms']:.0f} | {lv['p99_ms']:.0f} | {sum(lv['errors'].values())} | {spread} |")
        out.append("")
    return "\n".join(out)


def _panel(ax: Any, docs_n: list[int], rows: list[dict[str, Any]], series: tuple[tuple[str, str], ...],
           unit: str, title: str) -> None:
    """One log-log panel: each series against the corpus size, leaving out missing figures."""
    for key, label in series:
        points = [(n, r[key]) for n, r in zip(docs_n, rows) if r.get(key) is not None]
        if points:
            ax.plot(*zip(*points), marker="o", label=label)
    ax.set_xscale("log")
    ax.set_yscale("log")
    ax.set_xlabel("documents")
    ax.set_ylabel(unit)
    ax.set_title(title)
    ax.legend()
    ax.grid(True, alpha=0.3)


def plots(results: Path, docs: Path) -> list[Path]:
    import matplotlib

    matplotlib.use("Agg")
    import matplotlib.pyplot as plt

    rows = scale_rows(results)
    if not rows:
        return []
    docs_n = [r["documents"] for r in rows]
    written = []
    fig, ax = plt.subplots(figsize=(6.4, 4))
    for mode in MODES:
        p95 = [r["latency"].get(f"{mode}/facets+highlights", {}).get("p95_ms") for r in rows]
        if any(v is not None for v in p95):
            ax.plot(docs_n, p95, marker="o", label=f"{mode} p95")
    ax.set_xscale("log")
    ax.set_xlabel("documents (public corpus and replicas)")
    ax.set_ylabel("ms (4 facets + highlights)")
    ax.set_title("Query latency p95 by corpus size, 2 CPUs")
    ax.grid(True, alpha=0.3)
    ax.legend()
    fig.tight_layout()
    written.append(docs / "bench-scale-latency.png")
    fig.savefig(written[-1], dpi=110)
    plt.close(fig)

    fig, (a1, a2) = plt.subplots(1, 2, figsize=(9.6, 4))
    _panel(a1, docs_n, rows, (("store_mb", "store"), ("keyword_index_mb", "keyword index"),
                              ("vector_index_mb", "vector index"), ("max_rss_mb", "serving memory")),
           "MB", "Size and memory")
    _panel(a2, docs_n, rows, (("keyword_build_seconds", "keyword index build"),
                              ("vector_build_seconds", "vector index build")), "seconds", "Index build time")
    fig.tight_layout()
    written.append(docs / "bench-scale-size.png")
    fig.savefig(written[-1], dpi=110)
    plt.close(fig)
    return written


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--results", default=str(ROOT / "benchmarks" / "results"))
    ap.add_argument("--docs", default=str(ROOT / "docs"))
    args = ap.parse_args()
    results, docs = Path(args.results), Path(args.docs)
    page = docs / "benchmarks.md"
    text = page.read_text(encoding="utf-8") if page.is_file() else f"# Benchmarks\n\n{BEGIN}\n{END}\n"
    if BEGIN not in text or END not in text:
        raise SystemExit(f"{page} lacks the markers {BEGIN} … {END}")
    head, rest = text.split(BEGIN, 1)
    _, tail = rest.split(END, 1)
    page.write_text(f"{head}{BEGIN}\n\n{tables(results)}\n{END}{tail}", encoding="utf-8")
    for path in plots(results, docs):
        print(f"wrote {path}")
    print(f"wrote {page}")


if __name__ == "__main__":
    main()
