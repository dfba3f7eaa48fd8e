"""Queries of concurrent requests share forward passes, each gets its own vector, errors reach everyone."""

import threading
import time

import numpy as np
import pytest

from indexer.embedding import QueryBatcher


def fake_model(calls: list[list[str]], delay: float = 0.02, fail_on: str | None = None):
    def encode_many(texts):
        calls.append(list(texts))
        time.sleep(delay)  # the model is busy: other queries queue up meanwhile
        if fail_on in texts:
            raise RuntimeError("model failed")
        return np.array([[len(t), ord(t[0])] for t in texts], dtype=np.float32)
    return encode_many


def run_threads(batcher: QueryBatcher, texts: list[str]) -> dict[str, object]:
    out: dict[str, object] = {}
    start = threading.Barrier(len(texts))

    def worker(text: str) -> None:
        start.wait()
        try:
            out[text] = batcher.encode(text)
        except RuntimeError as exc:
            out[text] = exc

    threads = [threading.Thread(target=worker, args=(t,)) for t in texts]
    for t in threads:
        t.start()
    for t in threads:
        t.join(10)
    assert not any(t.is_alive() for t in threads), "a request hung"
    return out


def test_a_lone_query_is_embedded_at_once():
    calls: list[list[str]] = []
    batcher = QueryBatcher(fake_model(calls, delay=0))
    assert batcher.encode("Kita").tolist() == [4.0, ord("K")]
    assert calls == [["Kita"]]


def test_concurrent_queries_share_passes_and_get_their_own_vectors():
    calls: list[list[str]] = []
    batcher = QueryBatcher(fake_model(calls), max_batch=4)
    texts = [f"{chr(65 + i)}query{'x' * i}" for i in range(12)]
    out = run_threads(batcher, texts)
    for t in texts:
        assert out[t].tolist() == [len(t), ord(t[0])]
    assert sorted(x for batch in calls for x in batch) == sorted(texts)  # each embedded once
    assert len(calls) < len(texts) and max(len(b) for b in calls) <= 4


def test_an_error_reaches_every_query_of_its_pass_and_the_batcher_recovers():
    calls: list[list[str]] = []
    batcher = QueryBatcher(fake_model(calls, fail_on="boom"), max_batch=16)
    out = run_threads(batcher, ["boom", "a", "b", "c"])
    failed = {t for t, v in out.items() if isinstance(v, RuntimeError)}
    assert "boom" in failed
    for batch in calls:  # whoever shared the failing pass failed with it, the others got vectors
        assert ("boom" in batch) == bool(set(batch) & failed)
    with pytest.raises(RuntimeError):
        batcher.encode("boom")
    assert batcher.encode("ok").tolist() == [2.0, ord("o")]
