"""Errors of the indexer layer."""

from __future__ import annotations

from corpora.errors import RatsucheError


class IndexerError(RatsucheError):
    reason = "indexer_error"


class StoreError(IndexerError):
    reason = "store_error"


class IndexMismatchError(IndexerError):
    """An index was built with another model (or another analysis) than the one asked for."""

    reason = "index_mismatch"


class MissingDependencyError(IndexerError):
    """An optional part (embeddings, NER) is asked for but its extra is not installed."""

    reason = "missing_dependency"
