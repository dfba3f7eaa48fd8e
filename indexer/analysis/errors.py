"""Errors of the analysis package."""

from __future__ import annotations

from corpora.errors import RatsucheError


class AnalysisError(RatsucheError):
    """The analysis cannot be set up: a broken data table, an unknown option, a missing stemmer."""

    reason = "analysis"
