"""extract_file on text files: encodings kept or guessed (and said so), and every kind of input
that is not a text refused with a message naming the file."""

from __future__ import annotations

import io
import zipfile

import pytest

from app.ingest import Extracted, ExtractionError, IngestError, extract_file
from tests.ingest.conftest import docx_bytes, pdf_from_html, png

LIMIT = 1024 * 1024
CAFE = "The café’s “new” façade looked naïve, said Zoë – twice."


def extract(data: bytes, filename: str | None = "story.txt", content_type: str | None = None,
            max_bytes: int = LIMIT) -> Extracted:
    return extract_file(data, filename=filename, content_type=content_type, max_bytes=max_bytes)


def refusal(data: bytes, filename: str | None = "story.txt", content_type: str | None = None,
            max_bytes: int = LIMIT) -> ExtractionError:
    with pytest.raises(ExtractionError) as caught:
        extract(data, filename, content_type, max_bytes)
    return caught.value


# --- text kept exactly -------------------------------------------------------------------------


def test_utf8_text_is_kept_exactly_as_decoded_with_its_newlines() -> None:
    text = "First line.\r\nSecond line.\r\n\r\n  Indented third.\n"

    extracted = extract(text.encode("utf-8"))

    assert extracted.text == text
    assert (extracted.format, extracted.encoding, extracted.encoding_detected) == ("txt", "utf-8", False)
    assert extracted.warnings == ()
    assert extracted.raw == text.encode("utf-8")
    assert (extracted.filename, extracted.title) == ("story.txt", None)


def test_a_utf8_byte_order_mark_is_stripped_and_the_raw_bytes_keep_it() -> None:
    data = b"\xef\xbb\xbf" + CAFE.encode("utf-8")

    extracted = extract(data)

    assert extracted.text == CAFE
    assert extracted.encoding == "utf-8"
    assert not extracted.encoding_detected
    assert extracted.raw == data


def test_markdown_keeps_its_format_and_its_markup() -> None:
    text = "# Barrier opens\n\n*Six* years of work.\n"

    extracted = extract(text.encode("utf-8"), "notes.MD", "text/markdown")

    assert (extracted.format, extracted.text, extracted.content_type) == ("md", text, "text/markdown")


# --- other encodings ---------------------------------------------------------------------------


def test_short_windows_1252_text_is_read_as_windows_1252_not_a_central_european_code_page() -> None:
    extracted = extract(CAFE.encode("cp1252"))

    assert extracted.text == CAFE
    assert extracted.encoding == "windows-1252"
    assert extracted.encoding_detected
    assert extracted.warnings == ("Encoding assumed: windows-1252",)


def test_latin_1_text_is_read_correctly_and_named_windows_1252_as_browsers_do() -> None:
    text = "Über die Brücke gehen wir öfter, sagte Jürgen. Größe ist nicht alles.\n"

    extracted = extract(text.encode("latin-1"))

    assert extracted.text == text
    assert extracted.encoding == "windows-1252"
    assert extracted.encoding_detected


def test_cyrillic_windows_1251_text_is_detected() -> None:
    text = "Мост через реку открыли во вторник после шести лет работы, сообщил городской совет.\n"

    extracted = extract(text.encode("cp1251"))

    assert extracted.text == text
    assert extracted.encoding == "windows-1251"
    assert extracted.warnings == ("Encoding assumed: windows-1251",)


@pytest.mark.parametrize(("codec", "label"), [("utf-16-le", "utf-16-le"), ("utf-16-be", "utf-16-be")])
def test_utf16_with_a_byte_order_mark_is_read_without_guessing(codec: str, label: str) -> None:
    bom = b"\xff\xfe" if codec.endswith("le") else b"\xfe\xff"

    extracted = extract(bom + CAFE.encode(codec))

    assert extracted.text == CAFE
    assert extracted.encoding == label
    assert not extracted.encoding_detected


def test_utf16_without_a_byte_order_mark_is_recognised_by_its_zero_bytes_and_reported_as_a_guess() -> None:
    extracted = extract(CAFE.encode("utf-16-le"))

    assert extracted.text == CAFE
    assert (extracted.encoding, extracted.encoding_detected) == ("utf-16-le", True)
    assert extracted.warnings == ("Encoding assumed: utf-16-le",)


def test_a_utf16_byte_order_mark_on_broken_utf16_is_refused() -> None:
    error = refusal(b"\xff\xfe" + b"\x00\xd8a")  # a lone high surrogate

    assert "UTF-16-LE byte-order mark but is not valid UTF-16-LE text" in error.message


# --- refused inputs ----------------------------------------------------------------------------


@pytest.mark.parametrize("data", [b"", b" \n\r\n\t "], ids=["no bytes", "only whitespace"])
def test_an_empty_file_is_refused(data: bytes) -> None:
    assert refusal(data, "blank.txt").message == "blank.txt is empty"


def test_a_file_over_the_limit_is_refused_as_too_large() -> None:
    error = refusal(b"x" * 2048, "big.txt", max_bytes=1024)

    assert error.too_large
    assert error.message == "big.txt is 2 KB; the limit is 1 KB per file"


def test_binary_junk_with_nul_bytes_is_refused() -> None:
    error = refusal(bytes(range(256)) * 8, "junk.txt")

    assert error.message == "junk.txt is not text: it holds binary data"
    assert not error.too_large


def test_binary_junk_without_nul_bytes_is_refused_after_decoding() -> None:
    junk = bytes(range(1, 32)) * 20 + b"a few words"

    assert refusal(junk, "junk.md").message == "junk.md is not text: it holds binary data"


def test_a_png_renamed_txt_is_refused_as_an_image() -> None:
    assert refusal(png(), "photo.txt").message == \
        "photo.txt is a PNG image, not a text, web page, Word document or PDF"


@pytest.mark.parametrize(("magic", "what"), [
    (b"\xff\xd8\xff\xe0\x00\x10JFIF", "a JPEG image"),
    (b"GIF89a\x01\x00", "a GIF image"),
    (b"MZ\x90\x00\x03\x00", "a Windows program"),
    (b"\x1f\x8b\x08\x00", "a gzip archive"),
    (b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1\x00", "an old Word (.doc) or Office file; save it as .docx"),
])
def test_known_binaries_are_named_in_the_refusal(magic: bytes, what: str) -> None:
    assert refusal(magic + b"\x00" * 64, "upload.txt").message.startswith(f"upload.txt is {what}")


def test_a_zip_renamed_docx_is_refused_as_a_zip_archive() -> None:
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as archive:
        archive.writestr("notes.txt", "not a Word document")

    assert refusal(buffer.getvalue(), "story.docx").message == "story.docx is a ZIP archive, not a Word document"


def test_a_spreadsheet_renamed_docx_is_refused_as_such() -> None:
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as archive:
        archive.writestr("[Content_Types].xml", "<Types/>")
        archive.writestr("xl/workbook.xml", "<workbook/>")

    assert "is an Excel or PowerPoint file" in refusal(buffer.getvalue(), "figures.docx").message


def test_text_named_pdf_is_refused_because_a_pdf_name_promises_a_pdf() -> None:
    assert refusal(b"Just some words.", "story.pdf").message == \
        "story.pdf is not a PDF: its content is not in that format"


@pytest.mark.parametrize(("filename", "expected"), [
    ("story.rtf", "story.rtf: copydesk reads .txt, .md, .html, .htm, .docx or .pdf files, not .rtf"),
    ("story.doc", "story.doc: copydesk reads .txt, .md, .html, .htm, .docx or .pdf files, not .doc"),
    ("photo.PNG", "photo.PNG: copydesk reads .txt, .md, .html, .htm, .docx or .pdf files, not .png"),
])
def test_an_unsupported_suffix_is_refused_before_reading(filename: str, expected: str) -> None:
    assert refusal(b"Words.", filename).message == expected


def test_the_error_is_an_ingest_error_so_existing_handlers_catch_it() -> None:
    assert isinstance(refusal(b"", "blank.txt"), IngestError)


def test_a_file_without_a_name_is_called_the_file() -> None:
    assert refusal(b"", None).message == "The file is empty"


# --- the bytes decide the format ---------------------------------------------------------------


def test_a_pdf_named_txt_is_read_as_a_pdf_with_a_warning() -> None:
    pdf = pdf_from_html("<p>The barrier opened on Tuesday.</p>")

    extracted = extract(pdf, "story.txt")

    assert extracted.format == "pdf"
    assert extracted.text == "The barrier opened on Tuesday."
    assert extracted.warnings == ("story.txt is a PDF, although its name says otherwise; it was read as a PDF",)


def test_a_word_file_named_pdf_is_read_as_a_word_document() -> None:
    data = docx_bytes(lambda document: document.add_paragraph("The barrier opened on Tuesday."))

    extracted = extract(data, "story.pdf")

    assert (extracted.format, extracted.text) == ("docx", "The barrier opened on Tuesday.")
    assert "it was read as a Word document" in extracted.warnings[0]


def test_a_saved_page_named_txt_is_read_as_a_web_page() -> None:
    page = b"<!DOCTYPE html><html><head><title>Barrier</title></head><body><article>" \
           b"<p>The flood barrier opened on Tuesday after six years of work.</p></article></body></html>"

    extracted = extract(page, "saved.txt")

    assert extracted.format == "html"
    assert extracted.text == "The flood barrier opened on Tuesday after six years of work."
    assert extracted.warnings == ("saved.txt is a web page, although its name says otherwise; "
                                  "it was read as a web page",)


def test_without_a_name_the_content_type_says_what_to_expect() -> None:
    page = b"<p>The flood barrier opened on Tuesday after six years of work.</p>"

    extracted = extract(page, None, "text/html; charset=utf-8")

    assert extracted.format == "html"
    assert extracted.filename is None
    assert extracted.content_type == "text/html; charset=utf-8"


def test_without_a_name_or_a_content_type_text_is_read_as_txt() -> None:
    assert extract(b"Plain words.", None).format == "txt"
