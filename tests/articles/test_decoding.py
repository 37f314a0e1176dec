import codecs

import pytest

from articles.decoding import NotText, decode

TEXT = "Putin called the warning “blackmail” — café, naïve.\n"


def test_utf8_is_decoded_as_is():
    decoded = decode(TEXT.encode("utf-8"))
    assert (decoded.text, decoded.encoding, decoded.warnings) == (TEXT, "utf-8", [])


def test_cp1252_is_recognised_and_decoded_correctly():
    decoded = decode(TEXT.encode("cp1252"))
    assert decoded.text == TEXT
    assert decoded.encoding == "cp1252"


@pytest.mark.parametrize("codec", ["utf-16-le", "utf-16-be"])
def test_utf16_with_bom_is_decoded_without_the_bom(codec):
    bom = codecs.BOM_UTF16_LE if codec.endswith("le") else codecs.BOM_UTF16_BE
    decoded = decode(bom + TEXT.encode(codec))
    assert decoded.text == TEXT
    assert decoded.encoding == "utf-16 (BOM)"


@pytest.mark.parametrize("codec", ["utf-16-le", "utf-16-be"])
def test_utf16_without_bom_is_recognised_from_its_nul_bytes(codec):
    decoded = decode((TEXT * 5).encode(codec))
    assert decoded.text == TEXT * 5
    assert decoded.encoding == codec


def test_utf8_bom_is_dropped():
    decoded = decode(codecs.BOM_UTF8 + TEXT.encode())
    assert decoded.text == TEXT
    assert decoded.encoding == "utf-8 (BOM)"


def test_invalid_utf8_bytes_in_the_middle_are_replaced_with_a_warning_and_nothing_shifts():
    raw = TEXT.encode() + b"broken \xff\xfe bytes\n" + TEXT.encode()
    decoded = decode(raw)
    assert decoded.encoding == "utf-8"
    assert decoded.text == TEXT + "broken \ufffd\ufffd bytes\n" + TEXT
    assert decoded.warnings == [
        f"2 invalid UTF-8 byte sequence(s), first at byte {len(TEXT.encode()) + 7}, replaced with U+FFFD"
    ]


def test_a_png_is_refused_as_binary():
    with pytest.raises(NotText, match="binary file: it is a PNG image"):
        decode(b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR" + bytes(range(256)))


def test_bytes_full_of_control_characters_are_refused_as_binary():
    with pytest.raises(NotText, match="binary file"):
        decode(bytes(range(1, 32)) * 50)


@pytest.mark.parametrize(("raw", "reason"), [(b"", "empty"), (b"  \n\r\n\t ", "only whitespace")])
def test_empty_and_blank_files_are_refused(raw, reason):
    with pytest.raises(NotText, match=reason):
        decode(raw)


def test_a_stray_nul_becomes_a_replacement_character_in_place():
    decoded = decode(b"a" * 500 + b"\x00" + b"b" * 500)
    assert decoded.text == "a" * 500 + "\ufffd" + "b" * 500
    assert decoded.warnings == ["NUL characters replaced with U+FFFD"]
