"""Word documents and PDFs: paragraphs, titles and the ways such files are unreadable."""

from __future__ import annotations

import io
import zipfile

import pypdf
import pytest
from docx.document import Document

from app.ingest import Extracted, ExtractionError, extract_file
from app.ingest.pdf import paragraphs_of
from tests.ingest.conftest import docx_bytes, pdf_from_html, scanned_pdf_page

LIMIT = 10 * 1024 * 1024
FIRST = "The Marrowby flood barrier opened on Tuesday after six years of work, the council said."
SECOND = "Residents of the lower town will no longer need sandbags each winter."


def extract(data: bytes, filename: str) -> Extracted:
    return extract_file(data, filename=filename, content_type=None, max_bytes=LIMIT)


def refusal(data: bytes, filename: str) -> str:
    with pytest.raises(ExtractionError) as caught:
        extract(data, filename)
    return caught.value.message


# --- Word --------------------------------------------------------------------------------------


def article(document: Document) -> None:
    document.add_heading("Flood barrier opens", level=1)
    document.add_paragraph(FIRST)
    document.add_paragraph("")
    document.add_paragraph("   ")
    document.add_heading("What changes", level=2)
    document.add_paragraph(SECOND)


def test_a_word_document_yields_its_paragraphs_with_headings_and_without_empty_ones() -> None:
    extracted = extract(docx_bytes(article), "barrier.docx")

    assert extracted.text == f"{FIRST}\n\nWhat changes\n\n{SECOND}"
    assert (extracted.format, extracted.encoding, extracted.encoding_detected) == ("docx", None, False)
    assert extracted.title == "Flood barrier opens"


def test_the_core_title_property_wins_over_the_first_heading_which_then_stays_in_the_text() -> None:
    def titled(document: Document) -> None:
        document.core_properties.title = "Barrier report (final)"
        article(document)

    extracted = extract(docx_bytes(titled), "barrier.docx")

    assert extracted.title == "Barrier report (final)"
    assert extracted.text.startswith(f"Flood barrier opens\n\n{FIRST}")


def test_a_word_document_without_headings_or_title_has_no_title() -> None:
    extracted = extract(docx_bytes(lambda document: document.add_paragraph(FIRST)), "plain.docx")

    assert (extracted.title, extracted.text) == (None, FIRST)


def test_table_rows_come_in_document_order_with_cells_separated_by_tabs() -> None:
    def with_table(document: Document) -> None:
        document.add_paragraph(FIRST)
        table = document.add_table(rows=2, cols=2)
        for row, cells in zip(table.rows, [("Year", "Cost"), ("2024", "41m")], strict=True):
            for cell, value in zip(row.cells, cells, strict=True):
                cell.text = value
        document.add_paragraph(SECOND)

    extracted = extract(docx_bytes(with_table), "table.docx")

    assert extracted.text == f"{FIRST}\n\nYear\tCost\n\n2024\t41m\n\n{SECOND}"


def test_a_word_document_with_no_text_is_refused() -> None:
    assert refusal(docx_bytes(lambda document: document.add_paragraph("  ")), "blank.docx") == \
        "blank.docx is a Word document with no text in it"


def test_a_damaged_word_document_is_refused_with_advice() -> None:
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as archive:
        archive.writestr("word/document.xml", "<w:document this is not xml")

    message = refusal(buffer.getvalue(), "broken.docx")

    assert message.startswith("broken.docx could not be read as a Word document (")
    assert message.endswith("open it in Word and save it again as .docx")


def test_a_truncated_zip_is_refused_as_damaged() -> None:
    data = docx_bytes(article)

    assert refusal(data[: len(data) // 2], "cut.docx") == "cut.docx is a damaged ZIP or Word file"


# --- PDF ---------------------------------------------------------------------------------------


def test_a_pdf_yields_its_paragraphs_separated_by_blank_lines_and_its_title() -> None:
    pdf = pdf_from_html(f"""<html><head><title>Barrier report</title></head>
        <body style="width: 9cm"><h1>Flood barrier opens</h1><p>{FIRST}</p><p>{SECOND}</p></body></html>""")

    extracted = extract(pdf, "barrier.pdf")

    assert extracted.title == "Barrier report"
    assert extracted.text == f"Flood barrier opens\n\n{FIRST}\n\n{SECOND}"
    assert (extracted.format, extracted.encoding, extracted.raw) == ("pdf", None, pdf)
    assert extracted.warnings == ()


def test_words_hyphenated_at_line_ends_are_joined_again() -> None:
    words = "Uncharacteristically comprehensive internationalisation responsibilities notwithstanding, " \
            "representatives acknowledged counterproductive misunderstandings."
    pdf = pdf_from_html(f'<p lang="en" style="hyphens: auto; width: 6cm">{words}</p>')
    assert "\u2010\n" in pypdf.PdfReader(io.BytesIO(pdf)).pages[0].extract_text(), \
        "the fixture must hyphenate a word at a line end"

    assert extract(pdf, "words.pdf").text == words


def test_pages_are_read_in_order() -> None:
    pdf = pdf_from_html(f'<p>{FIRST}</p><p style="break-before: page">{SECOND}</p>')

    extracted = extract(pdf, "two-pages.pdf")

    assert len(pypdf.PdfReader(io.BytesIO(pdf)).pages) == 2
    assert extracted.text == f"{FIRST}\n\n{SECOND}"


def test_a_page_without_a_text_layer_is_reported_as_a_warning() -> None:
    pdf = pdf_from_html(f'<p>{FIRST}</p><div style="break-before: page">{scanned_pdf_page()}</div>')

    extracted = extract(pdf, "mixed.pdf")

    assert extracted.text == FIRST
    assert extracted.warnings == ("PDF page 2 has no text layer",)


def test_a_pdf_without_any_text_layer_is_refused_as_scanned() -> None:
    pdf = pdf_from_html(scanned_pdf_page())

    assert refusal(pdf, "scan.pdf") == \
        "scan.pdf is a scanned PDF: it has no text layer, and copydesk does not do OCR"


def test_a_password_protected_pdf_is_refused() -> None:
    writer = pypdf.PdfWriter(clone_from=pypdf.PdfReader(io.BytesIO(pdf_from_html(f"<p>{FIRST}</p>"))))
    writer.encrypt(user_password="secret", algorithm="RC4-128")
    buffer = io.BytesIO()
    writer.write(buffer)

    assert refusal(buffer.getvalue(), "locked.pdf") == \
        "locked.pdf is protected by a password; save it without one and upload it again"


def test_a_pdf_with_an_empty_user_password_is_read() -> None:
    writer = pypdf.PdfWriter(clone_from=pypdf.PdfReader(io.BytesIO(pdf_from_html(f"<p>{FIRST}</p>"))))
    writer.encrypt(user_password="", owner_password="owner", algorithm="RC4-128")
    buffer = io.BytesIO()
    writer.write(buffer)

    assert extract(buffer.getvalue(), "restricted.pdf").text == FIRST


def test_a_truncated_pdf_is_refused() -> None:
    pdf = pdf_from_html(f"<p>{FIRST}</p>")

    assert refusal(pdf[:300], "cut.pdf").startswith("cut.pdf could not be read as a PDF (")


def test_paragraph_rebuilding_keeps_capitalised_compounds_hyphenated() -> None:
    page = "  The Anglo-\n  Saxon ditch was engi-\n  neered in 1998-\n  99.\n\n\n  Next."

    assert paragraphs_of(page) == ["The Anglo-Saxon ditch was engineered in 1998- 99.", "Next."]
