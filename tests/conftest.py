"""Shared test fixtures. Real data is read in place from ../shared/data (CI has it at the same
relative path); nothing from it is copied into the repository."""

from __future__ import annotations

from pathlib import Path

import pytest

REPO = Path(__file__).resolve().parents[1]
DATA = (REPO / ".." / "shared" / "data").resolve()
COUNCIL = DATA / "council"
FIXTURES = REPO / "tests" / "fixtures"


def pytest_configure(config: pytest.Config) -> None:
    if not COUNCIL.is_dir():
        raise pytest.UsageError(f"the shared data is missing: expected it at {COUNCIL}")


@pytest.fixture(scope="session")
def council() -> Path:
    return COUNCIL


@pytest.fixture(scope="session")
def data_root() -> Path:
    return DATA
