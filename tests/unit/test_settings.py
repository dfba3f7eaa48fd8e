from pathlib import Path

import pytest

from corpora.errors import SettingsError
from corpora.settings import Settings, setting_help, setting_types

REPO = Path(__file__).resolve().parents[2]


def test_defaults_then_environment_then_overrides():
    s = Settings.load({})
    assert s.data_dir == Path("ratsuche-data") and s.default_mode == "hybrid" and s.port == 8000
    s = Settings.load({"RATSUCHE_DATA_DIR": "/tmp/a", "RATSUCHE_PORT": "9001", "RATSUCHE_EMBEDDINGS": "off",
                       "UNRELATED": "x"})
    assert (s.data_dir, s.port, s.embeddings) == (Path("/tmp/a"), 9001, False)
    s = Settings.load({"RATSUCHE_DATA_DIR": "/tmp/a", "RATSUCHE_PORT": "9001"}, data_dir="/tmp/b", port=None)
    assert (s.data_dir, s.port) == (Path("/tmp/b"), 9001)  # None overrides are ignored


@pytest.mark.parametrize("env, message", [
    ({"RATSUCHE_PORT": "eighty"}, "port: expected int"),
    ({"RATSUCHE_NER": "maybe"}, "ner: expected a boolean"),
    ({"RATSUCHE_DEFAULT_MODE": "fulltext"}, "default_mode: 'fulltext' is not one of"),
    ({"RATSUCHE_SEMANTIC_WEIGHT": "1.5"}, "semantic_weight: must lie between 0 and 1"),
])
def test_bad_values_are_clear_errors(env, message):
    with pytest.raises(SettingsError, match=message):
        Settings.load(env)


def test_unknown_override_is_refused():
    with pytest.raises(SettingsError, match="unknown setting 'colour'"):
        Settings.load({}, colour="red")


def test_data_dir_layout():
    s = Settings.load({}, data_dir="/srv/rs")
    assert s.store_path == Path("/srv/rs/store.sqlite")
    assert s.keyword_index_dir == Path("/srv/rs/keyword") and s.vector_index_dir == Path("/srv/rs/vectors")


def test_every_setting_is_documented():
    doc = (REPO / "docs" / "settings.md").read_text(encoding="utf-8")
    types = setting_types()
    assert set(types) == set(setting_help())
    for name in types:
        assert f"`{name}`" in doc and f"RATSUCHE_{name.upper()}" in doc, name
