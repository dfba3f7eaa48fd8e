"""The ``ratsuche`` command: thin click wrappers around the library.

Settings: defaults < ``RATSUCHE_*`` environment variables < flags. User mistakes end in one line
with a hint (``click.ClickException``), never a traceback.
"""

from __future__ import annotations

import functools
import json
import os
import sys
from pathlib import Path
from typing import Any, Callable

import click

from corpora.errors import RatsucheError
from corpora.settings import Settings


def _fail(exc: RatsucheError) -> click.ClickException:
    message = str(exc)
    if getattr(exc, "hint", None):
        message += f"\nHint: {exc.hint}"
    return click.ClickException(message)


def handles_errors(fn: Callable[..., Any]) -> Callable[..., Any]:
    @functools.wraps(fn)
    def wrapper(*args: Any, **kwargs: Any) -> Any:
        try:
            return fn(*args, **kwargs)
        except RatsucheError as exc:
            raise _fail(exc) from None
    return wrapper


class Context:
    def __init__(self, data_dir: str | None, quiet: bool) -> None:
        self.overrides: dict[str, Any] = {"data_dir": data_dir}
        self.quiet = quiet

    def settings(self, **overrides: Any) -> Settings:
        try:
            settings = Settings.load(os.environ, **{**self.overrides, **overrides})
            # an absolute data dir: paths kept in the index (downloads) stay valid from any directory
            return settings.replace(data_dir=settings.data_dir.resolve())
        except RatsucheError as exc:
            raise _fail(exc) from None

    def say(self, message: str) -> None:
        if not self.quiet:
            click.echo(message, err=True)


pass_ctx = click.make_pass_decorator(Context)


@click.group(context_settings={"help_option_names": ["-h", "--help"]})
@click.option("--data-dir", type=click.Path(file_okay=False), default=None,
              help="Data directory (default: $RATSUCHE_DATA_DIR, else ./ratsuche-data).")
@click.option("--quiet", "-q", is_flag=True, help="No progress bars or messages on stderr.")
@click.version_option(package_name="ratsuche")
@click.pass_context
def main(ctx: click.Context, data_dir: str | None, quiet: bool) -> None:
    """Ratsuche: search German council documents (Ratsinformation)."""
    ctx.obj = Context(data_dir, quiet)


# --- ingest ------------------------------------------------------------------------------------

def make_reader(source: str, settings: Settings, *, body: str | None, force: bool):  # type: ignore[no-untyped-def]
    if source.startswith(("http://", "https://")):
        from corpora.oparl_client import OParlClient

        return OParlClient(source, settings)
    from corpora.folder import FolderReader
    from corpora.oparl_dump import OParlDump, is_oparl_dump

    path = Path(source)
    if is_oparl_dump(path):
        return OParlDump(path, force=force)
    return FolderReader(path, body=body, force=force)


@main.command()
@click.argument("sources", nargs=-1, required=True)
@click.option("--limit", type=click.IntRange(min=1), default=None, help="Ingest at most N new or changed documents.")
@click.option("--body", default=None, help="Body (Kommune) of folder documents that have no metadata.jsonl entry.")
@click.option("--force", is_flag=True, help="Scan sources even if nothing changed on disk since the last run.")
@click.option("--embeddings/--no-embeddings", default=None, help="Embed passages (default: setting 'embeddings').")
@click.option("--ner/--no-ner", default=None, help="Run NER (default: setting 'ner').")
@click.option("--json", "as_json", is_flag=True, help="Print the summary as JSON.")
@click.option("--executor", type=click.Choice(["local", "ray"]), default="local", show_default=True,
              help="local: into the data directory; ray: the stages on Ray, Parquet output to --out.")
@click.option("--ray-address", default=None, help="Address of a running Ray cluster (default: start a local one).")
@click.option("--ray-cpus", type=click.IntRange(min=1), default=None, help="CPUs of the local Ray instance.")
@click.option("--out", type=click.Path(file_okay=False), default=None,
              help="Output directory of the Ray executor (then: ratsuche index --from OUT).")
@pass_ctx
@handles_errors
def ingest(ctx: Context, sources: tuple[str, ...], limit: int | None, body: str | None, force: bool,
           embeddings: bool | None, ner: bool | None, as_json: bool, executor: str, ray_address: str | None,
           ray_cpus: int | None, out: str | None) -> None:
    """Ingest SOURCES: OParl URLs, OParl dump folders, folders or files of PDF/HTML/TXT."""
    from indexer.ingest import ingest as run_ingest

    settings = ctx.settings(embeddings=embeddings, ner=ner)
    readers = [make_reader(s, settings, body=body, force=force) for s in sources]
    if executor == "ray":
        if out is None:
            raise click.UsageError("--executor ray writes Parquet output: give --out DIR")
        if limit is not None:
            raise click.UsageError("--limit is for the local executor")
        from indexer.distributed import ingest_ray

        counts = ingest_ray(readers, settings, Path(out), address=ray_address, num_cpus=ray_cpus, quiet=ctx.quiet)
        click.echo(json.dumps(counts) if as_json else
                   f"wrote {counts.get('documents', 0)} documents, {counts.get('passages', 0)} passages, "
                   f"{counts.get('entities', 0)} entities, {counts.get('embeddings', 0)} embeddings to {out}; "
                   f"failed: {counts.get('failed', 0)}. Next: ratsuche index --from {out}")
        return
    summaries = run_ingest(readers, settings, limit=limit, quiet=ctx.quiet, warn=ctx.say)
    rows = [s.as_dict() for s in summaries]
    if as_json:
        click.echo(json.dumps(rows, ensure_ascii=False, indent=2))
        return
    for r in rows:
        failed = ", ".join(f"{k} {v}" for k, v in r["failed_by_reason"].items()) or "0"
        click.echo(f"{r['source']}: {r['added']} added, {r['updated']} updated, {r['unchanged']} unchanged, "
                   f"{r['deleted']} deleted, failed: {failed} ({r['pages']} pages, {r['passages']} passages, "
                   f"{r['seconds']} s){'' if r['complete'] else ' [incomplete run]'}")


# --- stats -------------------------------------------------------------------------------------

@main.command()
@click.option("--json", "as_json", is_flag=True, help="Print JSON.")
@pass_ctx
@handles_errors
def stats(ctx: Context, as_json: bool) -> None:
    """Counts per body, document type and year; ingestion errors."""
    from indexer.store import Store

    settings = ctx.settings()
    facts = Store.open(settings.store_path, readonly=True).stats()
    if as_json:
        click.echo(json.dumps(facts, ensure_ascii=False, indent=2))
        return
    click.echo(f"{facts['documents']} documents, {facts['pages']} pages, {facts['passages']} passages "
               f"({facts['embedded_passages']} embedded), {facts['characters']:,} characters, "
               f"{facts['entities']} entities, {facts['speakers']} speakers")
    for title, key in (("by body", "by_body"), ("by type", "by_type"), ("by year", "by_year"),
                       ("errors by reason", "errors")):
        if facts[key]:
            click.echo(f"{title}: " + ", ".join(f"{k} {v}" for k, v in facts[key].items()))
    for e in facts["error_items"][:20]:
        click.echo(f"  error {e['reason']}: {e['item']} ({e['detail'][:100]})")


@main.command("index")
@click.option("--from", "source", type=click.Path(exists=True, file_okay=False), required=True,
              help="An ingestion output directory (written by ingest --executor ray).")
@pass_ctx
@handles_errors
def index_cmd(ctx: Context, source: str) -> None:
    """Build or update the store and the indexes from an ingestion output (Parquet)."""
    from indexer.distributed import index_from

    click.echo(json.dumps(index_from(Path(source), ctx.settings(), quiet=ctx.quiet)))


@main.command("export")
@click.argument("source", required=False)
@click.option("--format", "fmt", default="opensearch", show_default=True,
              help="opensearch (2.x, knn_vector) or elasticsearch (8.x, dense_vector).")
@click.option("--out", type=click.Path(), required=True, help="A new (or empty) directory for the export.")
@click.option("--index-prefix", default="ratsuche", show_default=True,
              help="Index names: PREFIX-passages and PREFIX-documents.")
@click.option("--bulk-mb", type=click.IntRange(1, 100), default=10, show_default=True,
              help="Largest size of one bulk file in MiB.")
@click.option("--word-list", type=click.Choice(["auto", "inline", "file"]), default="auto", show_default=True,
              help="The decompounder's word list inline in the template, or as a file for each node's config "
                   "directory (auto: inline up to 256 KiB).")
@click.option("--json", "as_json", is_flag=True, help="Print the summary as JSON.")
@pass_ctx
@handles_errors
def export_cmd(ctx: Context, source: str | None, fmt: str, out: str, index_prefix: str, bulk_mb: int,
               word_list: str, as_json: bool) -> None:
    """Export for a search cluster: index templates and _bulk files (NDJSON).

    SOURCE is an ingestion output (ingest --executor ray --out DIR); without it, the data
    directory's index is exported."""
    from indexer.cluster_export import ExportOptions, export_output, export_store

    options = ExportOptions(format=fmt, prefix=index_prefix, bulk_bytes=bulk_mb * 1024 * 1024, word_list=word_list)
    if source is not None:
        summary = export_output(Path(source), Path(out), options)
    else:
        summary = export_store(ctx.settings().store_path, Path(out), options)
    if as_json:
        click.echo(json.dumps(summary, ensure_ascii=False, indent=2))
        return
    click.echo(f"exported {summary['documents']} documents, {summary['passages']} passages "
               f"({summary['vectors']} with vectors) to {len(summary['bulk'])} bulk file(s) in {out} "
               f"({summary['seconds']} s). Load: URL=http://HOST:9200 sh {Path(out) / 'load.sh'}")


@main.command()
@click.option("--ner-model", default=None, help="Path of a spaCy NER pipeline (default: setting 'ner_model', "
                                                 "else the packaged model).")
@pass_ctx
@handles_errors
def reanalyze(ctx: Context, ner_model: str | None) -> None:
    """Run NER and passage cutting again over the stored documents (after a new NER model), reusing
    the embeddings of unchanged passages; then bring the indexes in step."""
    from indexer.ingest import reanalyze as run_reanalyze

    counts = run_reanalyze(ctx.settings(ner_model=ner_model), quiet=ctx.quiet, warn=ctx.say)
    click.echo(json.dumps(counts))


@main.command()
@click.option("--model", "embedding_model", default=None,
              help="Embedding model (a name or a model directory); default: the embedding_model setting.")
@pass_ctx
@handles_errors
def reembed(ctx: Context, embedding_model: str | None) -> None:
    """Embed every stored passage again with another model (e.g. one from tune-embeddings) and
    rebuild the vector index; servers must then run with that model."""
    from indexer.ingest import reembed as run_reembed

    overrides = {"embedding_model": embedding_model} if embedding_model else {}
    click.echo(json.dumps(run_reembed(ctx.settings(**overrides), quiet=ctx.quiet)))


@main.command()
@pass_ctx
@handles_errors
def check(ctx: Context) -> None:
    """Check that the store and the keyword and vector indexes agree (exit 1 if not)."""
    from indexer.consistency import check as run_check
    from indexer.keyword import KeywordIndex
    from indexer.store import Store
    from indexer.vectors import VectorIndex

    settings = ctx.settings()
    report = run_check(Store.open(settings.store_path, readonly=True), KeywordIndex(settings.keyword_index_dir),
                       VectorIndex(settings.vector_index_dir))
    from dataclasses import asdict

    click.echo(json.dumps({**asdict(report), "ok": report.ok}, indent=2))
    if not report.ok:
        raise SystemExit(1)


# --- search ------------------------------------------------------------------------------------

def parse_filters(pairs: tuple[str, ...]):  # type: ignore[no-untyped-def]
    from indexer.hits import Filters
    from indexer.query import FIELD_ALIASES

    values: dict[str, list[str]] = {}
    date_from = date_to = None
    for pair in pairs:
        name, sep, value = pair.partition("=")
        name = name.strip().lower()
        if not sep or not value.strip():
            raise click.BadParameter(f"{pair!r}: expected FIELD=VALUE", param_hint="--filter")
        if name in ("date_from", "from"):
            date_from = value.strip()
        elif name in ("date_to", "to"):
            date_to = value.strip()
        elif name in FIELD_ALIASES:
            values.setdefault(FIELD_ALIASES[name], []).append(value.strip())
        else:
            raise click.BadParameter(f"unknown filter field {name!r}", param_hint="--filter")
    return Filters({k: tuple(v) for k, v in values.items()}, date_from, date_to)


def hit_json(hit) -> dict[str, Any]:  # type: ignore[no-untyped-def]
    from corpora.model import to_data

    return to_data(hit)


@main.command()
@click.argument("query", required=False)
@click.option("--mode", type=click.Choice(["keyword", "semantic", "hybrid"]), default=None,
              help="Search mode (default: setting 'default_mode').")
@click.option("--limit", type=click.IntRange(1, 1000), default=10, show_default=True)
@click.option("--offset", type=click.IntRange(min=0), default=0)
@click.option("--filter", "filters", multiple=True, metavar="FIELD=VALUE",
              help="Filter: body, organization, paper_type, document_type, year, party, person, place, result, "
                   "date_from, date_to. Repeatable.")
@click.option("--sort", type=click.Choice(["relevance", "date_desc", "date_asc"]), default="relevance")
@click.option("--queries", type=click.File("r", encoding="utf-8"), default=None,
              help="JSON lines {\"id\", \"text\"}: answer all, one JSON line per query.")
@click.option("--json", "as_json", is_flag=True, help="Print JSON.")
@pass_ctx
@handles_errors
def search(ctx: Context, query: str | None, mode: str | None, limit: int, offset: int, filters: tuple[str, ...],
           sort: str, queries: Any, as_json: bool) -> None:
    """Search the index for QUERY."""
    from search_api.search import SearchEngine, SearchRequest

    settings = ctx.settings()
    mode = mode or settings.default_mode
    flt = parse_filters(filters)
    if query is None and queries is None:
        raise click.UsageError("give a QUERY or --queries FILE")
    engine = SearchEngine(settings)
    if queries is not None:
        for lineno, line in enumerate(queries, 1):
            if not line.strip():
                continue
            try:
                item = json.loads(line)
                qid, text = item["id"], item["text"]
            except (ValueError, KeyError, TypeError):
                raise click.ClickException(f"--queries line {lineno}: expected {{\"id\", \"text\"}}") from None
            resp = engine.search(SearchRequest(q=str(text), mode=mode, filters=flt, limit=limit, offset=offset,
                                               sort=sort, facets=(), highlight=False))
            click.echo(json.dumps({"id": qid, "mode_used": resp.mode_used,
                                   "results": [{"id": h.id, "score": h.score, "rank": h.rank, "title": h.title}
                                               for h in resp.results]}, ensure_ascii=False))
        return
    resp = engine.search(SearchRequest(q=query or "", mode=mode, filters=flt, limit=limit, offset=offset, sort=sort))
    if as_json:
        from corpora.model import to_data

        click.echo(json.dumps(to_data(resp), ensure_ascii=False, indent=2))
        return
    for note in resp.notes:
        ctx.say(f"note: {note}")
    click.echo(f"{resp.total} documents ({resp.mode_used}, {resp.took_ms:.0f} ms)")
    import re

    for h in resp.results:
        context = " · ".join(x for x in (", ".join(h.organizations[:1]), h.date, h.reference, h.document_type) if x)
        click.echo(f"\n{h.rank}. {h.title}\n   {context}\n   {h.id}")
        for hl in h.highlights[:1]:
            text = re.sub(r"</?mark>", "**", hl.html)
            click.echo(f"   p. {hl.page}: {text[:300]}")


# --- serve -------------------------------------------------------------------------------------

@main.command()
@click.option("--host", default=None, help="Address to bind (default 127.0.0.1).")
@click.option("--port", type=int, default=None, help="Port (default 8000).")
@click.option("--threads", type=int, default=None, help="Threads per server process.")
@click.option("--workers", type=int, default=None, help="Server processes (default: one per CPU core).")
@pass_ctx
@handles_errors
def serve(ctx: Context, host: str | None, port: int | None, threads: int | None, workers: int | None) -> None:
    """Serve the search page and the JSON API (gunicorn processes, or waitress for one process)."""
    from search_api.app import serve as serve_app, server_processes

    settings = ctx.settings(host=host, port=port, threads=threads, workers=workers)
    ctx.say(f"Ratsuche on http://{settings.host}:{settings.port}/  (API: /api/v1, OpenAPI: /openapi.json; "
            f"{server_processes(settings)} process(es) × {settings.threads} threads)")
    serve_app(settings)


# --- eval --------------------------------------------------------------------------------------

@main.group(name="eval")
def eval_group() -> None:
    """Evaluate retrieval or NER."""


@eval_group.command("retrieval")
@click.option("--queries", type=click.Path(exists=True, dir_okay=False), required=True, help="BEIR queries.jsonl")
@click.option("--qrels", type=click.Path(exists=True, dir_okay=False), required=True, help="BEIR qrels .tsv")
@click.option("--corpus", type=click.Path(exists=True, dir_okay=False), default=None,
              help="BEIR corpus.jsonl: index it into a temporary data dir first.")
@click.option("--mode", "modes", multiple=True, type=click.Choice(["keyword", "semantic", "hybrid"]),
              help="Modes to evaluate (default: all available).")
@pass_ctx
@handles_errors
def eval_retrieval(ctx: Context, queries: str, qrels: str, corpus: str | None, modes: tuple[str, ...]) -> None:
    """nDCG@10, MRR@10, Recall@10/100 per mode, as JSON."""
    from search_api.evaluation import evaluate_retrieval

    result = evaluate_retrieval(ctx.settings(), Path(queries), Path(qrels), corpus=Path(corpus) if corpus else None,
                                modes=modes or None, quiet=ctx.quiet)
    click.echo(json.dumps(result, indent=2))


@eval_group.command("ner")
@click.option("--data", type=click.Path(exists=True, dir_okay=False), required=True)
@click.option("--format", "fmt", type=click.Choice(["germeval", "conll"]), required=True)
@click.option("--limit", type=int, default=None, help="Evaluate the first N sentences only.")
@pass_ctx
@handles_errors
def eval_ner(ctx: Context, data: str, fmt: str, limit: int | None) -> None:
    """Entity-level P/R/F1 per label and micro, and words/s, as JSON."""
    from nlp.evaluation import evaluate_ner

    settings = ctx.settings()
    nlp = None
    if settings.ner_model:
        import spacy

        nlp = spacy.load(settings.ner_model)
    click.echo(json.dumps(evaluate_ner(data, fmt, nlp=nlp, limit=limit), indent=2))


# --- tune-embeddings ---------------------------------------------------------------------------

@main.command("tune-embeddings")
@click.option("--out", type=click.Path(file_okay=False), required=True, help="Directory for the tuned model.")
@click.option("--epochs", type=click.IntRange(1, 10), default=1, show_default=True)
@click.option("--batch-size", type=click.IntRange(4, 256), default=32, show_default=True)
@click.option("--max-steps", type=click.IntRange(min=1), default=None, help="Stop after N steps.")
@click.option("--lr", type=float, default=2e-5, show_default=True)
@click.option("--eval-beir", "eval_beir", type=click.Path(exists=True, file_okay=False), multiple=True,
              help="A BEIR folder (corpus.jsonl, queries.jsonl, qrels.tsv) to compare before and after on.")
@pass_ctx
@handles_errors
def tune_embeddings(ctx: Context, out: str, epochs: int, batch_size: int, max_steps: int | None, lr: float,
                    eval_beir: tuple[str, ...]) -> None:
    """Fine-tune the embedding model on pairs mined from the ingested corpus (titles and agenda items
    with their passages), write it to --out, and compare before/after on --eval-beir sets."""
    from tqdm import tqdm

    from indexer.embedding import resolve_model_path
    from indexer.store import Store
    from indexer.tuning import mine_pairs, train
    from search_api.evaluation import evaluate_retrieval

    settings = ctx.settings()
    store = Store.open(settings.store_path, readonly=True)
    pairs = mine_pairs(store)
    if len(pairs) < batch_size:
        raise click.ClickException(f"only {len(pairs)} training pairs in this data directory; ingest a corpus first")
    ctx.say(f"{len(pairs)} pairs mined")
    bar = tqdm(desc="tune-embeddings", unit="step", disable=ctx.quiet)

    def progress(step: int, steps: int, loss: float) -> None:
        bar.total = steps
        bar.update(1)
        bar.set_postfix(loss=f"{loss:.3f}")

    report = {"training": train(resolve_model_path(settings.embedding_model), pairs, Path(out), epochs=epochs,
                                batch_size=batch_size, lr=lr, max_steps=max_steps, progress=progress)}
    bar.close()
    for folder in eval_beir:
        path = Path(folder)
        row = {}
        for label, model in (("before", settings.embedding_model), ("after", str(Path(out).resolve()))):
            result = evaluate_retrieval(settings.replace(embedding_model=model), path / "queries.jsonl",
                                        path / "qrels.tsv", corpus=path / "corpus.jsonl",
                                        modes=("semantic", "hybrid"), quiet=True)
            row[label] = {m: v["ndcg@10"] for m, v in result["modes"].items()}
        report[path.parent.name if path.name == "beir" else path.name] = row
    click.echo(json.dumps(report, indent=2))


@main.command("export-onnx")
@click.option("--out", type=click.Path(file_okay=False), required=True, help="New model directory.")
@pass_ctx
@handles_errors
def export_onnx_cmd(ctx: Context, out: str) -> None:
    """Export the embedding model with an int8-quantised ONNX graph (for embedding_backend=onnx)."""
    from indexer.embedding import export_onnx

    click.echo(json.dumps(export_onnx(ctx.settings().embedding_model, Path(out))))


# --- ner -----------------------------------------------------------------------------------------

@main.command()
@pass_ctx
@handles_errors
def ner(ctx: Context) -> None:
    """Read JSON lines {"id", "text"} on stdin; write entities and speakers, one JSON line each."""
    from nlp.pipeline import analysis_to_json, default_model_path, load_pipeline

    settings = ctx.settings()
    pipeline = load_pipeline(settings.ner_model or default_model_path())
    for lineno, line in enumerate(sys.stdin, 1):
        if not line.strip():
            continue
        try:
            item = json.loads(line)
            text = item["text"]
            if not isinstance(text, str):
                raise TypeError
        except (ValueError, KeyError, TypeError):
            raise click.ClickException(f"stdin line {lineno}: expected {{\"id\", \"text\"}}") from None
        out = {"id": item.get("id"), **analysis_to_json(pipeline.analyze_text(text))}
        click.echo(json.dumps(out, ensure_ascii=False))


if __name__ == "__main__":  # pragma: no cover
    main()
