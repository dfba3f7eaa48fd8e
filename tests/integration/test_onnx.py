"""The optional ONNX int8 backend: exported from the packaged model, close to it, refused for mixing."""

from __future__ import annotations

import numpy as np
import pytest

from indexer.embedding import Embedder, export_onnx
from indexer.errors import IndexMismatchError

TEXTS = ["Der Gemeinderat beschließt den Bebauungsplan Nr. 45 als Satzung.",
         "Die Freiwillige Feuerwehr erhält ein neues Löschgruppenfahrzeug.",
         "Anfrage der Fraktion zur Verkehrsberuhigung in der Durlacher Altstadt, mit Bitte um schriftliche Antwort."]


@pytest.mark.slow
def test_export_and_encode(tmp_path):
    report = export_onnx("all-MiniLM-L6-v2", tmp_path / "model")
    assert report["min_cosine_to_fp32"] > 0.97
    torch_e, onnx_e = Embedder("all-MiniLM-L6-v2"), Embedder(str(tmp_path / "model"), backend="onnx")
    a, b = torch_e.encode(TEXTS), onnx_e.encode(TEXTS)
    assert b.shape == a.shape and np.allclose(np.linalg.norm(b, axis=1), 1, atol=1e-3)
    assert (a * b).sum(axis=1).min() > 0.97
    # ranking is preserved on an easy query
    q = onnx_e.encode_query("Feuerwehrfahrzeug")
    assert int(np.argmax(b @ q)) == 1
    # vectors of the two backends never mix in one index
    with pytest.raises(IndexMismatchError):
        torch_e.info.check_compatible(onnx_e.info)
