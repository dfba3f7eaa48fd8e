"""Every file of the packaged NER model is package data in pyproject.toml, so a wheel ships it (spaCy
pipelines have files without an extension: ``tokenizer``, ``vocab/vectors``, ``ner/model`` …)."""

from __future__ import annotations

import tomllib
from pathlib import Path

REPO = Path(__file__).resolve().parents[2]
MODELS = REPO / "nlp" / "models"


def _package_data_files(package_dir: Path, package: str) -> set[Path]:
    """What setuptools takes: the globs for this package and for "*", relative to its directory."""
    config = tomllib.loads((REPO / "pyproject.toml").read_text(encoding="utf-8"))
    patterns = [*config["tool"]["setuptools"]["package-data"].get("*", []),
                *config["tool"]["setuptools"]["package-data"].get(package, [])]
    return {p for pattern in patterns for p in package_dir.glob(pattern) if p.is_file()}


def test_every_model_file_is_package_data() -> None:
    files = {p for p in (MODELS / "ner_de").rglob("*") if p.is_file() and "__pycache__" not in p.parts}
    assert {p.relative_to(MODELS).as_posix() for p in files} >= {
        "ner_de/config.cfg", "ner_de/meta.json", "ner_de/tokenizer", "ner_de/README.md", "ner_de/LICENSE-DATA.md",
        "ner_de/ner/cfg", "ner_de/ner/model", "ner_de/ner/moves", "ner_de/tok2vec/cfg", "ner_de/tok2vec/model",
        "ner_de/vocab/strings.json", "ner_de/vocab/vectors", "ner_de/vocab/vectors.cfg", "ner_de/vocab/key2row"}
    assert files - _package_data_files(MODELS, "nlp.models") == set()
