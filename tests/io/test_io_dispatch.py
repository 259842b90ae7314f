"""One dispatch table for the readers: sniff (files), read_text (text) and read agree."""

import pytest

from interlayer import io
from interlayer.io import FORMATS, READERS, TEXT_SIGNATURES, read_text, sniff

FIRST_LINES = {
    "biologic-mpt": "EC-Lab ASCII FILE\nNb header lines : 3\n",
    "gamry-dta": "EXPLAIN\nTAG\tEISPOT\n",
    "zplot-z": "ZPLOT2 ASCII\n",
    "text": "time,voltage,current\n0,0.1,0.001\n",
}


def test_every_format_has_an_importable_reader():
    assert FORMATS == tuple(READERS)
    for fmt in FORMATS:
        assert callable(io._reader(fmt)), fmt


@pytest.mark.parametrize("fmt", sorted(FIRST_LINES))
def test_sniff_and_read_text_name_the_same_format(tmp_path, fmt):
    text = FIRST_LINES[fmt]
    path = tmp_path / "f.txt"
    path.write_bytes(b"\xef\xbb\xbf" + text.encode())  # with a BOM, as Windows tools write
    assert sniff(path) == fmt
    assert io._text_format(text.split("\n", 1)[0].strip()) == fmt


def test_signatures_match_by_prefix_or_whole_line():
    assert {fmt for _, fmt, _ in TEXT_SIGNATURES} == {"biologic-mpt", "gamry-dta", "zplot-z"}
    assert io._text_format("EXPLAIN more") == "text"  # Gamry: the whole first line
    assert io._text_format("ZPLOT2 ASCII v3") == "zplot-z"


def test_read_text_dispatches_to_the_signature_reader(monkeypatch):
    seen = []
    monkeypatch.setitem(READERS, "gamry-dta", ("interlayer.io.impedance_text", "read_zplot"))
    import interlayer.io.impedance_text as it

    monkeypatch.setattr(it, "read_zplot", lambda name, text=None: seen.append((name, text)) or "record")
    assert read_text("EXPLAIN\n", name="x.dta") == "record" and seen == [("x.dta", "EXPLAIN\n")]
