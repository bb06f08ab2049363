"""Bytes to text: byte-order marks, a declared charset, strict UTF-8, then a guess that says so."""

from __future__ import annotations

import codecs
from dataclasses import dataclass

import charset_normalizer

from app.ingest.extracted import ExtractionError

# Longest first: the UTF-32 LE mark starts with the UTF-16 LE one.
BOMS = (
    (codecs.BOM_UTF32_LE, "utf-32-le"),
    (codecs.BOM_UTF32_BE, "utf-32-be"),
    (codecs.BOM_UTF8, "utf-8"),
    (codecs.BOM_UTF16_LE, "utf-16-le"),
    (codecs.BOM_UTF16_BE, "utf-16-be"),
)
# Python codec names as the WHATWG Encoding Standard (and so browsers) label them.
LABELS = {"utf_8": "utf-8", "ascii": "utf-8", "latin_1": "windows-1252", "iso8859_1": "windows-1252"}
LABELS.update({f"cp125{digit}": f"windows-125{digit}" for digit in range(9)})
# Text controls that are not binary: tab, newline, form feed, carriage return, escape.
TEXT_CONTROLS = frozenset("\t\n\f\r\x1b")
SAMPLE = 8192


@dataclass(frozen=True, slots=True)
class Decoded:
    """A decoded text and how: ``detected`` is True when the encoding was guessed."""

    text: str
    encoding: str
    detected: bool = False
    warnings: tuple[str, ...] = ()


def decode_text(data: bytes, *, name: str, declared: str | None = None) -> Decoded:
    """``data`` as text: a byte-order mark wins, then ``declared`` (an HTTP or ``<meta>``
    charset), then strict UTF-8, then charset-normalizer's guess, reported as a warning.

    >>> decode_text("Café".encode("cp1252") + b" au lait, served on the terrace.", name="a.txt")
    Decoded(text='Café au lait, served on the terrace.', encoding='windows-1252', detected=True, warnings=('Encoding assumed: windows-1252',))
    >>> decode_text(b"\\xef\\xbb\\xbfPlain", name="a.txt").text
    'Plain'
    """
    decoded = _by_bom(data, name) or _by_declaration(data, declared) or _by_utf16_pattern(data)
    if decoded is None:
        if b"\x00" in data[:SAMPLE]:
            raise ExtractionError(f"{name} is not text: it holds binary data")
        decoded = _as_utf8(data) or _guess(data, name)
        if declared and decoded.detected:
            decoded = Decoded(decoded.text, decoded.encoding, True,
                              (f"The declared charset {declared} does not fit the bytes; "
                               f"encoding assumed: {decoded.encoding}",))
    if _looks_binary(decoded.text):
        raise ExtractionError(f"{name} is not text: it holds binary data")
    return decoded


def label(codec: str) -> str:
    """The usual name of a Python codec, as a browser would call it.

    >>> label("cp1252"), label("utf_16_le"), label("ISO-8859-1")
    ('windows-1252', 'utf-16-le', 'windows-1252')
    """
    name = codecs.lookup(codec).name.replace("-", "_")
    return LABELS.get(name, name.replace("_", "-"))


def _by_bom(data: bytes, name: str) -> Decoded | None:
    for bom, encoding in BOMS:
        if data.startswith(bom):
            try:
                return Decoded(data[len(bom):].decode(encoding), encoding)
            except UnicodeDecodeError:
                raise ExtractionError(f"{name} starts with a {encoding.upper()} byte-order mark but is not "
                                      f"valid {encoding.upper()} text") from None
    return None


def _by_declaration(data: bytes, declared: str | None) -> Decoded | None:
    """The text in the declared charset, or None when it is unknown or does not fit the bytes
    (a page saying utf-8 while it is Windows-1252 is common; a guess follows). Latin-1 is read
    as Windows-1252, as browsers do, so curly quotes in 0x80-0x9f survive."""
    if not declared:
        return None
    try:
        encoding = label(declared.strip())
        return Decoded(data.decode(encoding), encoding)
    except (LookupError, UnicodeDecodeError):
        return None


def _by_utf16_pattern(data: bytes) -> Decoded | None:
    """UTF-16 without a byte-order mark: Latin text has a NUL in every other byte."""
    sample = data[:SAMPLE]
    if len(sample) < 4 or len(data) % 2:
        return None
    for encoding, zeros, letters in (("utf-16-le", sample[1::2], sample[0::2]),
                                     ("utf-16-be", sample[0::2], sample[1::2])):
        if zeros.count(0) >= 0.9 * len(zeros) and letters.count(0) == 0:
            try:
                text = data.decode(encoding)
            except UnicodeDecodeError:
                return None
            return Decoded(text, encoding, True, (f"Encoding assumed: {encoding}",))
    return None


def _as_utf8(data: bytes) -> Decoded | None:
    try:
        return Decoded(data.decode("utf-8"), "utf-8")
    except UnicodeDecodeError:
        return None


def _guess(data: bytes, name: str) -> Decoded:
    """charset-normalizer's best guess, preferring Windows-1252 when it reads the bytes as well:
    on short Western text the detector ties it with cp1250/cp1257 and picks those, turning
    'naïve' into 'naďve'."""
    matches = charset_normalizer.from_bytes(data)
    best = matches.best()
    if best is None:
        raise ExtractionError(f"copydesk could not work out the character encoding of {name}. "
                              "Save it as UTF-8 and upload it again.")
    encoding = best.encoding
    tied = {m.encoding for m in matches if m.chaos <= best.chaos and m.coherence >= best.coherence}
    if "cp1252" in tied or _reads_the_same(data, str(best), "cp1252"):
        encoding = "cp1252"
    text = data.decode(encoding)
    return Decoded(text, label(encoding), True, (f"Encoding assumed: {label(encoding)}",))


def _reads_the_same(data: bytes, text: str, encoding: str) -> bool:
    try:
        return data.decode(encoding) == text
    except UnicodeDecodeError:
        return False


def _looks_binary(text: str) -> bool:
    """More than 5 % control characters in the first 8 KB: a binary file that happened to decode."""
    sample = text[:SAMPLE]
    controls = sum(1 for char in sample if (char < " " or "\x7f" <= char < "\xa0") and char not in TEXT_CONTROLS)
    return bool(sample) and controls > 0.05 * len(sample)
