"""Domain adaptation of the embedding model on the ingested corpus itself.

Pairs are mined from the store, no labels needed:
- a paper's title (what a citizen would type) ↔ passages of its documents;
- an agenda item ("Zu Punkt 5: Beschaffung eines Löschfahrzeugs") ↔ the minutes passage under it.

The model is trained with MultipleNegativesRankingLoss (in-batch negatives: each anchor must pick
its own positive among the batch's positives; Henderson et al. 2017), in a plain torch loop, and
written as a new sentence-transformers model directory. Whether it ships is decided by measurement
(docs/semantic.md): the index refuses to mix it with vectors of the default model.
"""

from __future__ import annotations

import random
import re
import time
from dataclasses import dataclass
from pathlib import Path
from typing import Callable, Sequence

from indexer.store import Store

_WRAPPED_TITLE = re.compile(r"^(?:Beschlussvorlage|Mitteilungsvorlage|Vorlage|Antrag|Anfrage|Infotext|"
                            r"Öffentliche Niederschrift|Bekanntmachung)\s*\((.*)\)\s*$", re.DOTALL)
_HEADING = re.compile(r"^(?:Zu\s+(?:Punkt|TOP)\s+\d+[a-z]?|TOP\s*[ÖN]?\s*\d+(?:\.\d+)*|Tagesordnungspunkt\s+\d+)"
                      r"\s*[:.]?\s*(.+)$", re.IGNORECASE)


@dataclass(frozen=True)
class Pair:
    anchor: str
    positive: str
    kind: str  # "title" or "agenda"


def clean_title(title: str) -> str:
    """"Beschlussvorlage (Anschaffung eines LF 10 …)" → "Anschaffung eines LF 10 …"."""
    m = _WRAPPED_TITLE.match(title.strip())
    text = m.group(1) if m else title
    return " ".join(text.split())


def _useful(text: str) -> bool:
    """A passage worth learning from: mostly words, not a form, a table or a signature block."""
    words = text.split()
    if len(words) < 25:
        return False
    alpha = sum(1 for w in words if sum(ch.isalpha() for ch in w) >= max(2, len(w) // 2))
    return alpha / len(words) >= 0.7


_FILE_LABEL = re.compile(r"\bTOP\s*\d|\bAnlage\s*\d|^(?:Protokoll|Stellungnahme|Anlage|Antrag|Anfrage)\b", re.IGNORECASE)


def _content_words(text: str) -> set[str]:
    return {w.lower()[:6] for w in re.findall(r"[A-Za-zÄÖÜäöüß]{5,}", text)}


def mine_pairs(store: Store, *, per_document: int = 2, seed: int = 13) -> list[Pair]:
    rng = random.Random(seed)
    pairs: list[Pair] = []
    seen_anchor_text: set[tuple[str, str]] = set()
    con = store.con
    rows = con.execute("SELECT d.num, d.title, json_extract(d.data, '$.paper.name') FROM documents d "
                       "ORDER BY d.num").fetchall()
    for num, title, paper_name in rows:
        passages = con.execute('SELECT heading, text FROM passages WHERE doc_num = ? ORDER BY ord', (num,)).fetchall()
        # the paper's name is what users type; a file's label ("Protokoll GR 5 TOP 3") is not
        anchor = clean_title(paper_name or title)
        if len(anchor.split()) >= 3 and not _FILE_LABEL.search(anchor):
            wanted = _content_words(anchor)
            head = " ".join(anchor.split()[:4]).lower()
            # passages that repeat the title verbatim (header blocks) would teach copying, not meaning
            scored = [(len(wanted & _content_words(p[1])), i, p[1]) for i, p in enumerate(passages)
                      if _useful(p[1]) and head not in " ".join(p[1].split()).lower()]
            scored = sorted((x for x in scored if x[0] > 0), key=lambda x: (-x[0], x[1]))
            for _, _, text in scored[:per_document]:
                key = (anchor, text[:80])
                if key not in seen_anchor_text:
                    seen_anchor_text.add(key)
                    pairs.append(Pair(anchor, text, "title"))
        taken: set[str] = set()
        for heading, text in passages:
            if not heading or heading in taken or not _useful(text):
                continue
            m = _HEADING.match(heading)
            if not m or len(m.group(1).split()) < 3:
                continue
            body = text[len(heading):].strip() if text.startswith(heading) else text
            if _useful(body):
                taken.add(heading)
                pairs.append(Pair(" ".join(m.group(1).split()), body, "agenda"))
    rng.shuffle(pairs)
    return pairs


def _batches(pairs: Sequence[Pair], size: int) -> list[list[Pair]]:
    """Batches without two pairs of the same anchor (they would be each other's false negatives)."""
    out: list[list[Pair]] = []
    current: list[Pair] = []
    anchors: set[str] = set()
    leftovers: list[Pair] = []
    for p in pairs:
        if p.anchor in anchors:
            leftovers.append(p)
            continue
        current.append(p)
        anchors.add(p.anchor)
        if len(current) == size:
            out.append(current)
            current, anchors = [], set()
    if len(current) == size:
        out.append(current)
    return out


def train(model_path: Path, pairs: Sequence[Pair], out_dir: Path, *, epochs: int = 1, batch_size: int = 32,
          lr: float = 2e-5, max_seq_length: int = 192, scale: float = 20.0, warmup: float = 0.1,
          max_steps: int | None = None, seed: int = 13,
          progress: Callable[[int, int, float], None] | None = None) -> dict:
    """Fine-tune with MultipleNegativesRankingLoss; returns figures of the run."""
    import torch
    from sentence_transformers import SentenceTransformer

    torch.manual_seed(seed)
    model = SentenceTransformer(str(model_path), device="cpu", local_files_only=True)
    model.max_seq_length = max_seq_length
    model.train()
    batches = _batches(list(pairs), batch_size) * epochs
    if max_steps is not None:
        batches = batches[:max_steps]
    steps = len(batches)
    optimizer = torch.optim.AdamW(model.parameters(), lr=lr, weight_decay=0.01)
    warm = max(1, int(steps * warmup))
    scheduler = torch.optim.lr_scheduler.LambdaLR(
        optimizer, lambda s: min((s + 1) / warm, max(0.0, (steps - s) / max(1, steps - warm))))
    loss_fn = torch.nn.CrossEntropyLoss()
    started = time.perf_counter()
    losses: list[float] = []
    for step, batch in enumerate(batches):
        a = model.tokenize([p.anchor for p in batch])
        b = model.tokenize([p.positive for p in batch])
        ea = model(a)["sentence_embedding"]
        eb = model(b)["sentence_embedding"]
        ea = torch.nn.functional.normalize(ea, dim=-1)
        eb = torch.nn.functional.normalize(eb, dim=-1)
        scores = ea @ eb.T * scale
        labels = torch.arange(len(batch))
        loss = (loss_fn(scores, labels) + loss_fn(scores.T, labels)) / 2
        loss.backward()
        torch.nn.utils.clip_grad_norm_(model.parameters(), 1.0)
        optimizer.step()
        scheduler.step()
        optimizer.zero_grad()
        losses.append(float(loss))
        if progress is not None:
            progress(step + 1, steps, float(loss))
    model.eval()
    model.max_seq_length = 256
    out_dir.mkdir(parents=True, exist_ok=True)
    model.save(str(out_dir))
    first = sum(losses[:20]) / max(1, len(losses[:20]))
    last = sum(losses[-20:]) / max(1, len(losses[-20:]))
    return {"pairs": len(pairs), "steps": steps, "batch_size": batch_size, "epochs": epochs,
            "seconds": round(time.perf_counter() - started, 1), "loss_first": round(first, 4),
            "loss_last": round(last, 4)}
