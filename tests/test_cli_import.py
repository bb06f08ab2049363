"""``copydesk import FILE.csv`` run for real in a subprocess: files and URLs stored with their raw
sources, failures listed by row, bad CSVs refused, progress on stderr."""

from __future__ import annotations

import csv
import io
from pathlib import Path

import docx
import pytest
from sqlalchemy import select

from app.cli_import import Progress
from app.db import make_engine, make_sessionmaker
from app.models import Activity, Pair
from tests.ingest.conftest import (
    NEWS_PAGE,
    NEWS_PARAGRAPHS,
    LocalServer,
    docx_bytes,
    png,
    serve,
)
from tests.test_cli import database, run

ORIGINAL = "The ferry to Idris Island will run twice a day from June.\n\nTickets cost four pounds.\n"
COPY = "The ferry to Idris Island will run twice a day from June.\n\nBook online today!\n"


def write_csv(path: Path, rows: list[dict[str, str]], columns: tuple[str, ...] | None = None) -> Path:
    with open(path, "w", encoding="utf-8", newline="") as handle:
        writer = csv.DictWriter(handle, fieldnames=list(columns or rows[0]))
        writer.writeheader()
        writer.writerows(rows)
    return path


def word_file(path: Path) -> Path:
    def build(document: docx.document.Document) -> None:
        document.core_properties.title = "Ferry plan"
        document.add_paragraph("The ferry to Idris Island will run twice a day from June.")
        document.add_paragraph("Tickets cost four pounds.")

    path.write_bytes(docx_bytes(build))
    return path


def stored_pairs(url: str) -> list[Pair]:
    engine = make_engine(url)
    try:
        with make_sessionmaker(engine)() as session:
            pairs = list(session.scalars(select(Pair).order_by(Pair.id)))
            for pair in pairs:  # load what the tests look at before the session closes
                _ = (pair.original.source, pair.copy.source, pair.original.text, pair.copy.text)
            return pairs
    finally:
        engine.dispose()


@pytest.fixture
def folder(tmp_path: Path) -> Path:
    """Articles on disk: texts, a Word file and a saved page (in a subfolder)."""
    articles = tmp_path / "articles"
    (articles / "pages").mkdir(parents=True)
    (articles / "original.txt").write_text(ORIGINAL, encoding="utf-8")
    (articles / "copy.txt").write_text(COPY, encoding="utf-8")
    word_file(articles / "ferry.docx")
    (articles / "pages" / "barrier.html").write_text(NEWS_PAGE, encoding="utf-8")
    (articles / "photo.txt").write_bytes(png())
    return articles


def test_rows_of_files_are_stored_with_their_sources_and_progress_goes_to_stderr(tmp_path: Path,
                                                                                folder: Path) -> None:
    url, env = database(tmp_path)
    sheet = write_csv(folder / "pairs.csv", [
        {"original": "original.txt", "copy": "copy.txt", "original_title": "", "copy_title": "Copycat",
         "title": "Ferry story"},
        {"original": "ferry.docx", "copy": "pages/barrier.html", "original_title": "", "copy_title": "",
         "title": ""},
    ])

    result = run("import", str(sheet), cwd=tmp_path, env=env)

    assert result.returncode == 0, result.stderr
    assert result.stdout == "Stored 2 pairs.\n"
    assert result.stderr.splitlines() == ["[1/2] row 2", "[2/2] row 3"]
    first, second = stored_pairs(url)
    assert first.title == "Ferry story" and first.copy.title == "Copycat"
    assert (first.original.text, first.copy.text) == (ORIGINAL, COPY)
    assert first.original.source is not None
    assert (first.original.source.kind, first.original.source.filename) == ("file", "original.txt")
    assert first.original.source.raw == ORIGINAL.encode()
    assert second.original.title == "Ferry plan" and second.original.source.format == "docx"  # type: ignore[union-attr]
    assert second.copy.text == "\n\n".join(NEWS_PARAGRAPHS)
    assert second.copy.source.raw == NEWS_PAGE.encode()  # type: ignore[union-attr]


def test_rows_that_fail_are_listed_with_their_number_and_reason_and_the_rest_stored(tmp_path: Path,
                                                                                   folder: Path) -> None:
    url, env = database(tmp_path)
    sheet = write_csv(folder / "pairs.csv", [
        {"original": "original.txt", "copy": "missing.txt"},
        {"original": "photo.txt", "copy": "copy.txt"},
        {"original": "original.txt", "copy": "copy.txt"},
        {"original": "", "copy": "copy.txt"},
    ])

    result = run("import", str(sheet), cwd=tmp_path, env=env)

    assert result.returncode == 1, result.stderr
    assert result.stdout.splitlines() == [
        "Stored 1 pair; 3 rows failed:",
        f"  row 2: copy: {folder / 'missing.txt'}: no such file",
        "  row 3: original: photo.txt is a PNG image, not a text, web page, Word document or PDF",
        "  row 5: original: the cell is empty (give a file path or an http(s) URL)",
    ]
    assert [pair.copy.text for pair in stored_pairs(url)] == [COPY]


def test_url_rows_are_fetched_when_private_addresses_are_allowed(tmp_path: Path, folder: Path,
                                                                 site: LocalServer) -> None:
    site.routes["/news/barrier"] = serve(200, NEWS_PAGE.encode())
    url, env = database(tmp_path)
    sheet = write_csv(folder / "pairs.csv", [
        {"original": "original.txt", "copy": site.url("/news/barrier")},
        {"original": "original.txt", "copy": site.url("/gone")},
    ])

    result = run("import", str(sheet), cwd=tmp_path, env={**env, "COPYDESK_FETCH_ALLOW_PRIVATE": "true"})

    assert result.returncode == 1, result.stderr
    assert result.stdout.splitlines()[0] == "Stored 1 pair; 1 row failed:"
    assert result.stdout.splitlines()[1].startswith("  row 3: copy: ") and "404" in result.stdout
    (pair,) = stored_pairs(url)
    assert pair.copy.source is not None
    assert (pair.copy.source.kind, pair.copy.source.url, pair.copy.source.http_status) == (
        "url", site.url("/news/barrier"), 200)
    assert pair.copy.source.fetched_at is not None
    assert pair.copy.source_url == site.url("/news/barrier")


def test_a_private_address_is_refused_by_default(tmp_path: Path, folder: Path, site: LocalServer) -> None:
    site.routes["/news/barrier"] = serve(200, NEWS_PAGE.encode())
    url, env = database(tmp_path)
    sheet = write_csv(folder / "pairs.csv", [{"original": "original.txt", "copy": site.url("/news/barrier")}])

    result = run("import", str(sheet), cwd=tmp_path, env=env)

    assert result.returncode == 1
    assert "row 2: copy: " in result.stdout and "127.0.0.1" in result.stdout
    assert site.requests == []
    assert stored_pairs(url) == []


@pytest.mark.parametrize(("content", "message"), [
    (b"source,copy\na.txt,b.txt\n", "no column original"),
    (b"original,copy,notes\na.txt,b.txt,x\n", "unknown column 'notes'"),
    (b"original,copy\n", "has a header but no rows"),
    (b"original,copy\n\xe9t\xe9.txt,b.txt\n", "is not UTF-8 text"),
    (b'original,copy\n"a.txt,b.txt\n', "is not a readable CSV file"),
], ids=["missing-column", "unknown-column", "no-rows", "latin-1", "unclosed-quote"])
def test_a_csv_that_cannot_be_read_exits_2_and_touches_no_database(tmp_path: Path, content: bytes,
                                                                  message: str) -> None:
    _url, env = database(tmp_path)
    sheet = tmp_path / "pairs.csv"
    sheet.write_bytes(content)

    result = run("import", str(sheet), cwd=tmp_path, env=env)

    assert result.returncode == 2
    assert result.stderr.startswith(f"copydesk import: {sheet}")
    assert message in result.stderr
    assert not (tmp_path / "cli").exists()


def test_a_missing_csv_exits_2(tmp_path: Path) -> None:
    result = run("import", "nowhere.csv", cwd=tmp_path, env=database(tmp_path)[1])

    assert result.returncode == 2
    assert result.stderr == "copydesk import: nowhere.csv: no such file\n"


def test_the_pairs_can_be_logged_as_created_by_an_account(tmp_path: Path, folder: Path) -> None:
    url, env = database(tmp_path)
    assert run("createuser", "desk", "--role", "editor", "--password-stdin", cwd=tmp_path, env=env,
               stdin="a long enough password\n").returncode == 0
    sheet = write_csv(folder / "pairs.csv", [{"original": "original.txt", "copy": "copy.txt"}])

    unknown = run("import", str(sheet), "--user", "nobody", cwd=tmp_path, env=env)
    result = run("import", str(sheet), "--user", "desk", cwd=tmp_path, env=env)

    assert unknown.returncode == 2 and "no account named nobody" in unknown.stderr
    assert result.returncode == 0, result.stderr
    engine = make_engine(url)
    try:
        with make_sessionmaker(engine)() as session:
            entry = session.scalars(select(Activity).where(Activity.action == "created")).one()
            assert entry.user is not None and entry.user.username == "desk"
    finally:
        engine.dispose()


class Terminal(io.StringIO):
    def isatty(self) -> bool:
        return True


def test_on_a_terminal_the_progress_is_one_bar_redrawn_in_place() -> None:
    stream = Terminal()
    progress = Progress(4, stream)

    for done in range(5):
        progress.show(done, f"row {done + 2}")
    progress.close()

    frames = stream.getvalue().split("\r")[1:]
    assert len(frames) == 5
    assert frames[0].startswith("[" + "-" * 24 + "] 0/4 row 2")
    assert frames[2].startswith("[" + "#" * 12 + "-" * 12 + "] 2/4 row 4")
    assert frames[-1].startswith("[" + "#" * 24 + "] 4/4") and frames[-1].endswith("\n")
    assert stream.getvalue().count("\n") == 1
