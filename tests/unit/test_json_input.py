import pytest

from corpora.json_input import MAX_DEPTH, depth, loads


def test_plain_json_passes():
    assert loads('{"id": "x", "agendaItem": [{"id": "a", "auxiliaryFile": [{"id": "f"}]}]}')["id"] == "x"
    assert depth({"a": [{"b": [1]}]}) == 4


@pytest.mark.parametrize("text", [
    "[" * 100_000 + "]" * 100_000,            # RecursionError inside json
    "[" * (MAX_DEPTH + 1) + "]" * (MAX_DEPTH + 1),  # parses, but deeper than OParl ever is
    '{"a": ',                                 # truncated
    b"\xff\xfe\x00{",                         # not UTF-8
])
def test_hostile_json_is_a_value_error(text):
    with pytest.raises(ValueError):
        loads(text)
