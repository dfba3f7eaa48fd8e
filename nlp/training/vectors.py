"""Static floret vectors trained on our raw text (see :mod:`nlp.training.rawtext`).

floret (https://github.com/explosion/floret) is fastText with a fixed hash table for words and
character n-grams: every word, also an unseen compound ("Feuerwehrgerätehaus"), gets a vector
from its n-grams, and the table's size is fixed (``bucket`` × ``dim`` floats), which keeps the
model small.
"""

from __future__ import annotations

import subprocess
import sys
from dataclasses import asdict, dataclass
from pathlib import Path


@dataclass(frozen=True)
class FloretSettings:
    """fastText/floret hyper-parameters (cbow: better for syntax-like features, fast)."""

    model: str = "cbow"
    dim: int = 100
    bucket: int = 50000
    minn: int = 4
    maxn: int = 5
    hash_count: int = 2
    epoch: int = 10
    min_count: int = 5
    ws: int = 5
    neg: int = 10
    lr: float = 0.05
    #: one thread: fastText is deterministic only single-threaded
    thread: int = 1


def train_floret(raw_text: Path, out_prefix: Path, settings: FloretSettings) -> Path:
    """Train floret on ``raw_text``; return the ``.floret`` table for ``spacy init vectors``."""
    import floret

    options = asdict(settings)
    model_kind = options.pop("model")
    hash_count = options.pop("hash_count")
    min_count = options.pop("min_count")
    model = floret.train_unsupervised(
        str(raw_text),
        model=model_kind,
        mode="floret",
        hashCount=hash_count,
        minCount=min_count,
        **options,
    )
    out_prefix.parent.mkdir(parents=True, exist_ok=True)
    model.save_floret_vectors(str(out_prefix.with_suffix(".floret")))
    return out_prefix.with_suffix(".floret")


def init_spacy_vectors(floret_table: Path, out_dir: Path) -> None:
    """``spacy init vectors de TABLE OUT --mode floret``: a blank German pipeline with them."""
    subprocess.run(
        [sys.executable, "-m", "spacy", "init", "vectors", "de", str(floret_table), str(out_dir), "--mode", "floret"],
        check=True,
    )
