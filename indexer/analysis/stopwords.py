"""The German stop list (package data ``data/stopwords.txt``), folded."""

from __future__ import annotations

from functools import lru_cache
from importlib import resources

from indexer.analysis.folding import fold


@lru_cache(maxsize=1)
def stopwords() -> frozenset[str]:
    """The folded stop words (see the comments in ``data/stopwords.txt`` for what is left out)."""
    text = resources.files("indexer.analysis").joinpath("data/stopwords.txt").read_text("utf-8")
    return frozenset(fold(w) for line in text.splitlines() if (w := line.split("#", 1)[0].strip()))
