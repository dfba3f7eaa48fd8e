"""The curated synonym table (package data ``data/synonyms.tsv``): groups of equivalent expressions."""

from __future__ import annotations

from functools import lru_cache
from importlib import resources

from indexer.analysis.errors import AnalysisError


def parse_synonyms(text: str) -> tuple[tuple[str, ...], ...]:
    """Groups of expressions from the TSV ``text``: one group per line, entries TAB-separated."""
    groups: list[tuple[str, ...]] = []
    for lineno, line in enumerate(text.splitlines(), 1):
        if not line.strip() or line.lstrip().startswith("#"):
            continue
        entries = tuple(e.strip() for e in line.split("\t") if e.strip())
        if len(entries) < 2:
            raise AnalysisError(f"synonyms.tsv line {lineno}: a group needs two TAB-separated entries: {line!r}")
        groups.append(entries)
    return tuple(groups)


@lru_cache(maxsize=1)
def synonym_groups() -> tuple[tuple[str, ...], ...]:
    """The packaged synonym groups, as written."""
    return parse_synonyms(resources.files("indexer.analysis").joinpath("data/synonyms.tsv").read_text("utf-8"))
