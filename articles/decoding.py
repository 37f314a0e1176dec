"""Turn a file's bytes into text, or say clearly why they are not text.

Scraped dumps arrive as UTF-8, UTF-16 from Windows tools, cp1252 from old sites, and UTF-8 with a few
broken bytes from bad copy-paste. Each decodes one character per position so spans stay meaningful;
the raw bytes are kept verbatim by the caller whatever happens here.
"""

from __future__ import annotations

import codecs
from dataclasses import dataclass, field

BYTE_ORDER_MARKS = [  # longest first: the UTF-32 LE mark starts with the UTF-16 LE one
    (codecs.BOM_UTF32_LE, "utf-32"),
    (codecs.BOM_UTF32_BE, "utf-32"),
    (codecs.BOM_UTF8, "utf-8-sig"),
    (codecs.BOM_UTF16_LE, "utf-16"),
    (codecs.BOM_UTF16_BE, "utf-16"),
]

BINARY_SIGNATURES = {
    b"\x89PNG\r\n\x1a\n": "a PNG image",
    b"GIF87a": "a GIF image",
    b"GIF89a": "a GIF image",
    b"\xff\xd8\xff": "a JPEG image",
    b"%PDF-": "a PDF document",
    b"PK\x03\x04": "a ZIP archive (or an Office document)",
    b"\x1f\x8b": "a gzip archive",
    b"\x7fELF": "an executable",
    b"RIFF": "a RIFF media file",
}

# Control characters other than tab, line breaks and form feed: text has almost none of these.
CONTROL_CHARACTERS = frozenset(chr(c) for c in range(32) if chr(c) not in "\t\n\r\f") | {"\x7f"}
MAX_CONTROL_SHARE = 0.05


class NotText(ValueError):
    """The bytes are not a text file we can read; the message says why."""


@dataclass
class Decoded:
    text: str
    encoding: str
    warnings: list[str] = field(default_factory=list)


def decode(raw: bytes) -> Decoded:
    """Decode `raw` to text, choosing the encoding from BOMs, NUL patterns and UTF-8 validity."""
    if not raw.strip():
        raise NotText("the file is empty" if not raw else "the file contains only whitespace")
    for signature, description in BINARY_SIGNATURES.items():
        if raw.startswith(signature):
            raise NotText(f"binary file: it is {description}, not text")

    decoded = _decode_by_bom(raw) or _decode_utf16_without_bom(raw) or _decode_8bit(raw)
    _refuse_control_characters(decoded.text)
    if "\x00" in decoded.text:
        # PostgreSQL text cannot hold NUL; a stray one becomes U+FFFD so offsets do not move.
        decoded.text = decoded.text.replace("\x00", "\ufffd")
        decoded.warnings.append("NUL characters replaced with U+FFFD")
    if not decoded.text.strip():
        raise NotText("the file contains only whitespace")
    return decoded


def _decode_by_bom(raw: bytes) -> Decoded | None:
    for bom, encoding in BYTE_ORDER_MARKS:
        if raw.startswith(bom):
            try:
                return Decoded(raw.decode(encoding), encoding.removesuffix("-sig") + " (BOM)")
            except UnicodeDecodeError as exc:
                raise NotText(
                    f"starts with a {encoding} byte-order mark but is not valid {encoding}"
                ) from exc
    return None


def _decode_utf16_without_bom(raw: bytes) -> Decoded | None:
    """UTF-16 text without a BOM has a NUL in every other byte for Latin script."""
    if b"\x00" not in raw[:4096]:
        return None
    sample = raw[: 4096 - 4096 % 2]
    even_nuls = sample[0::2].count(0) / max(1, len(sample) // 2)
    odd_nuls = sample[1::2].count(0) / max(1, len(sample) // 2)
    for share_a, share_b, encoding in (
        (odd_nuls, even_nuls, "utf-16-le"),
        (even_nuls, odd_nuls, "utf-16-be"),
    ):
        if share_a > 0.3 and share_b < 0.05:
            try:
                return Decoded(raw.decode(encoding), encoding)
            except UnicodeDecodeError:
                return None
    nul_share = raw.count(0) / len(raw)
    if nul_share > 0.01:
        raise NotText(f"binary file: {nul_share:.0%} of its bytes are NUL")
    return None


def _decode_8bit(raw: bytes) -> Decoded:
    try:
        return Decoded(raw.decode("utf-8"), "utf-8")
    except UnicodeDecodeError as exc:
        first_bad = exc.start
    lenient = raw.decode("utf-8", errors="replace")
    bad_sequences = lenient.count("\ufffd")
    good_non_ascii = sum(1 for char in lenient if ord(char) > 127) - bad_sequences
    if good_non_ascii >= bad_sequences:
        # Mostly valid UTF-8 with some broken bytes: keep it UTF-8 rather than garble every good character.
        warning = f"{bad_sequences} invalid UTF-8 byte sequence(s), first at byte {first_bad}"
        return Decoded(lenient, "utf-8", [f"{warning}, replaced with U+FFFD"])
    try:
        return Decoded(raw.decode("cp1252"), "cp1252")
    except UnicodeDecodeError:
        # cp1252 leaves five bytes undefined; ISO-8859-1 maps every byte.
        return Decoded(raw.decode("latin-1"), "iso-8859-1")


def _refuse_control_characters(text: str) -> None:
    sample = text[:65536]
    controls = sum(1 for char in sample if char in CONTROL_CHARACTERS)
    if controls > MAX_CONTROL_SHARE * len(sample):
        raise NotText(f"binary file: {controls / len(sample):.0%} of its characters are control characters")
