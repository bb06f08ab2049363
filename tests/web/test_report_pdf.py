"""The evidence report as PDF (/pairs/{id}/report.pdf): made once for the module (WeasyPrint takes
a second or two), then read back with pypdf and checked for what the report must state; and the
URL fetcher that keeps WeasyPrint off the network and out of every folder but static/."""

from __future__ import annotations

import hashlib
import io
import re
import shutil
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

import pytest
from fastapi.testclient import TestClient
from pypdf import PdfReader

from app.auth import passwords
from app.config import Settings
from app.main import create_app
from app.models import User
from app.web.report import PDF_BASE_URL, StaticFilesOnly
from app.web.templating import STATIC_DIR
from tests.conftest import PASSWORD, sign_in
from tests.web.test_report import COPY, COPY_TITLE, NOTE_BODY, ORIGINAL, ORIGINAL_TITLE, RAW, store_evidence_pair


@dataclass(frozen=True)
class Pdf:
    """The downloaded report: the response's headers, its pages' text, and the pair's id."""

    pair_id: int
    content_type: str
    disposition: str
    text: str

    @property
    def flat(self) -> str:
        """The text without any white space, for values a line break may cut (hashes, URLs)."""
        return re.sub(r"\s+", "", self.text)

    @property
    def words(self) -> str:
        """The text with every run of white space made one space."""
        return " ".join(self.text.split())


@pytest.fixture(scope="module")
def pdf(tmp_path_factory: pytest.TempPathFactory, migrated_template: Path) -> Iterator[Pdf]:
    """The report of the evidence pair of tests/web/test_report.py, as an editor downloads it."""
    path = tmp_path_factory.mktemp("pdf") / "copydesk.db"
    shutil.copyfile(migrated_template, path)
    app = create_app(Settings(database_url=f"sqlite:///{path}", load_demo=False, create_admin=False))
    with TestClient(app) as client:
        with app.state.sessionmaker() as session:
            editor = User(username="editor", password_hash=passwords.hash_password(PASSWORD), role="editor")
            session.add(editor)
            session.commit()
            evidence = store_evidence_pair(session, editor)
        sign_in(client, editor)
        response = client.get(f"/pairs/{evidence.pair_id}/report.pdf")
    app.state.engine.dispose()
    assert response.status_code == 200, response.text
    reader = PdfReader(io.BytesIO(response.content))
    yield Pdf(evidence.pair_id, response.headers["content-type"], response.headers["content-disposition"],
              "\n".join(page.extract_text() for page in reader.pages))


def sha256(data: bytes) -> str:
    return hashlib.sha256(data).hexdigest()


def test_the_pdf_is_a_download_named_after_the_pair(pdf: Pdf) -> None:
    assert pdf.content_type == "application/pdf"
    assert pdf.disposition == f'attachment; filename="copydesk-report-pair-{pdf.pair_id}.pdf"'


def test_the_pdf_names_both_texts_with_their_hashes_and_the_raw_source_hash(pdf: Pdf) -> None:
    assert f"Title {ORIGINAL_TITLE}" in pdf.words
    assert f"Title {COPY_TITLE}" in pdf.words
    assert sha256(ORIGINAL.encode()) in pdf.flat
    assert sha256(COPY.encode()) in pdf.flat
    assert sha256(RAW) in pdf.flat
    assert "https://copycat.example/terminal?ref=feed" in pdf.flat
    assert "Captured 2026-03-04 05:06 UTC (fetched from its address)" in pdf.words
    assert "Compared by editor" in pdf.words


def test_the_pdf_states_the_figures_a_changed_fact_and_the_verdict(pdf: Pdf) -> None:
    assert re.search(r"ORIGINAL REUSED \d+% of the original's text", pdf.words)
    assert re.search(r"COPY DERIVED \d+% of the copy's text", pdf.words)
    assert "NUMBER 40 million 45 million row 2" in pdf.words
    assert "Verdict In review, set by editor" in pdf.words


def test_the_pdf_has_the_aligned_rows_with_their_kinds_in_words(pdf: Pdf) -> None:
    for row in ("Row 1 Verbatim", "Row 2 Edited", "Row 3 Omitted", "Row 4 Inserted"):
        assert row in pdf.words
    assert "Subscribe to our newsletter for more port news." in pdf.words


def test_the_pdf_lists_the_note_with_its_status_and_shows_typed_markup_as_text(pdf: Pdf) -> None:
    assert "Note 1: Changed fact STATUS: CONFIRMED" in pdf.words
    assert NOTE_BODY in pdf.words
    assert "Checked with the board's minutes: 40." in pdf.words


def test_the_pdf_has_the_dmca_section_with_its_blanks(pdf: Pdf) -> None:
    dmca = pdf.words.split("What a DMCA notice needs", 1)[1]
    assert dmca.startswith(" Not legal advice.")
    assert "Copying URL https://copycat.example/" in dmca
    assert "Matched passages (2)" in dmca
    assert dmca.count("Blank: to be completed by the sender") == 10  # owner 1, contact 4, statements 2, signature 3
    for label in ("Good-faith statement", "Accuracy and authority, under penalty of perjury", "Signature",
                  "Postal address", "Email"):
        assert label in dmca


# --- the URL fetcher ---------------------------------------------------------------------------


def test_the_fetcher_serves_a_static_file_from_disk() -> None:
    response = StaticFilesOnly().fetch(f"{PDF_BASE_URL}static/css/print.css?v=123")

    assert response.read() == (STATIC_DIR / "css" / "print.css").read_bytes()
    assert response.content_type == "text/css"


@pytest.mark.parametrize("url", [
    "https://example.com/static/css/print.css",
    "http://127.0.0.1/",
    f"file://{STATIC_DIR / 'css' / 'print.css'}",
    f"{PDF_BASE_URL}static/../app/main.py",
    f"{PDF_BASE_URL}static/%2e%2e/pyproject.toml",
    f"{PDF_BASE_URL}app/main.py",
    f"{PDF_BASE_URL}static/css/",
    "data:text/css,body{}",
])
def test_the_fetcher_refuses_everything_else(url: str) -> None:
    with pytest.raises(ValueError, match="only copydesk's own static files"):
        StaticFilesOnly().fetch(url)
