"""The form at /pairs/new: plain multipart posts, every error kept next to its field, nothing stored."""

from __future__ import annotations

import base64
from typing import Any

from fastapi.testclient import TestClient
from sqlalchemy.orm import Session

from app.services.pairs import count_pairs, get_pair
from tests.web.conftest import MakeClient
from tests.web.html import one, parse, text_of, textarea_value

ORIGINAL = "The harbour wall will be rebuilt.\r\n\r\nWork starts in March."
COPY = "The harbour wall will be rebuilt.\r\n\r\nBuy our newsletter."
NO_FILE = ("", b"", "application/octet-stream")


def submit(client: TestClient, files: dict[str, tuple[str, bytes, str]] | None = None,
           **fields: str) -> Any:
    """POST the form as a browser does: multipart, every field present, empty file inputs included."""
    data = {"original_title": "", "original_source_url": "", "original_text": "",
            "copy_title": "", "copy_source_url": "", "copy_text": "", **fields}
    parts = {"original_file": NO_FILE, "copy_file": NO_FILE, **(files or {})}
    return client.post("/pairs/new", data=data, files=parts, follow_redirects=False)


def test_form_has_title_url_text_and_file_fields_for_both_sides(client: TestClient) -> None:
    response = client.get("/pairs/new")
    soup = parse(response)

    assert response.status_code == 200
    assert response.template.name == "pages/new_pair.html"  # type: ignore[attr-defined]
    form = one(soup, "form.pair-form")
    assert form["method"] == "post" and form["action"] == "/pairs/new"
    assert form["enctype"] == "multipart/form-data"
    for side in ("original", "copy"):
        assert one(form, f"input#{side}_title[name={side}_title]")
        assert one(form, f"input#{side}_source_url[type=url]")
        assert one(form, f"textarea#{side}_text")
        assert one(form, f"input#{side}_file[type=file]")["accept"].startswith(".txt,.md")
    assert "used instead of the text box" in text_of(one(form, "#original_file-help"))
    assert one(form, "button[type=submit]")


def test_pasted_texts_are_stored_exactly_as_received_and_the_browser_is_sent_to_the_comparison(
        client: TestClient, session: Session) -> None:
    response = submit(client, original_title="Harbour", original_source_url="https://ledger.example/a",
                      original_text=ORIGINAL, copy_title="Copycat", copy_text=COPY)

    assert response.status_code == 303
    pair_id = int(response.headers["location"].removeprefix("/pairs/"))
    pair = get_pair(session, pair_id)
    assert pair.original.text == ORIGINAL and pair.copy.text == COPY
    assert pair.original.title == "Harbour" and pair.original.source_url == "https://ledger.example/a"
    assert client.get(response.headers["location"]).status_code == 200


def test_uploaded_file_is_used_instead_of_the_text_box(client: TestClient, session: Session) -> None:
    file_text = "Uploaded text, with an é.\n\nSecond paragraph.\n"
    response = submit(client, original_text=ORIGINAL, copy_text="ignored because a file is given",
                      files={"copy_file": ("copy.txt", file_text.encode(), "text/plain")})

    assert response.status_code == 303
    pair = get_pair(session, int(response.headers["location"].rsplit("/", 1)[1]))
    assert pair.copy.text == file_text


def test_markdown_file_with_a_byte_order_mark_is_accepted(client: TestClient, session: Session) -> None:
    response = submit(client, copy_text=COPY,
                      files={"original_file": ("story.md", b"\xef\xbb\xbf# Title\n\nBody.", "text/markdown")})

    assert response.status_code == 303
    assert get_pair(session, int(response.headers["location"].rsplit("/", 1)[1])).original.text == "# Title\n\nBody."


def assert_form_came_back(response: Any, status: int, field: str, message: str) -> None:
    soup = parse(response)
    assert response.status_code == status
    assert response.template.name == "pages/new_pair.html"  # type: ignore[attr-defined]
    error = one(soup, f"#{field}-error")
    assert message in text_of(error)
    assert one(soup, f"#{field}")["aria-invalid"] == "true"
    assert f"{field}-error" in one(soup, f"#{field}")["aria-describedby"].split()
    assert message in text_of(one(soup, ".error-summary"))


def test_empty_side_comes_back_with_a_message_next_to_its_text_and_the_input_kept(
        client: TestClient, session: Session) -> None:
    response = submit(client, original_title="Kept title", original_source_url="https://ledger.example/k",
                      original_text=ORIGINAL, copy_title="Copy title", copy_text="   \r\n  ")

    assert_form_came_back(response, 422, "copy_text", "The copy text is empty")
    soup = parse(response)
    assert one(soup, "#original_title")["value"] == "Kept title"
    assert one(soup, "#original_source_url")["value"] == "https://ledger.example/k"
    assert textarea_value(one(soup, "#original_text")) == ORIGINAL
    assert one(soup, "#copy_title")["value"] == "Copy title"
    assert soup.select("#original_text-error") == []
    assert count_pairs(session) == 0


def test_both_sides_empty_report_two_problems(client: TestClient, session: Session) -> None:
    response = submit(client)

    assert response.status_code == 422
    soup = parse(response)
    assert len(soup.select(".error-summary li")) == 2
    assert one(soup, "#original_text-error") and one(soup, "#copy_text-error")
    assert count_pairs(session) == 0


def test_text_over_the_size_limit_is_413_with_the_limit_named(make_client: MakeClient, session: Session) -> None:
    small = make_client(max_text_bytes=64)

    response = submit(small, original_text="short original", copy_text="x" * 65)

    assert_form_came_back(response, 413, "copy_text", "the limit is 64 bytes")
    assert textarea_value(one(parse(response), "#copy_text")) == "x" * 65
    assert count_pairs(session) == 0


def test_file_over_the_size_limit_is_413(make_client: MakeClient, session: Session) -> None:
    small = make_client(max_text_bytes=64)

    response = submit(small, copy_text="short copy",
                      files={"original_file": ("big.txt", b"word " * 40, "text/plain")})

    assert_form_came_back(response, 413, "original_file", "big.txt is 200 bytes; the limit is 64 bytes")
    assert count_pairs(session) == 0


def test_body_far_over_the_limit_is_refused_without_being_read(make_client: MakeClient, session: Session) -> None:
    small = make_client(max_text_bytes=64)

    response = submit(small, original_text="a" * 2_000_000, copy_text="b")

    assert response.status_code == 413
    assert "far larger than the limit of 64 bytes" in text_of(one(parse(response), ".error-summary"))
    assert count_pairs(session) == 0


def test_binary_file_is_refused(client: TestClient, session: Session) -> None:
    png = b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR" + bytes(range(256))
    response = submit(client, copy_text=COPY, files={"original_file": ("photo.txt", png, "text/plain")})

    assert_form_came_back(response, 422, "original_file", "photo.txt is a binary file, not text")
    assert count_pairs(session) == 0


def test_latin1_file_is_refused_and_the_user_is_told_how_to_fix_it(client: TestClient, session: Session) -> None:
    latin1 = "Le café de la gare a fermé.".encode("latin-1")
    response = submit(client, original_text=ORIGINAL, files={"copy_file": ("copie.txt", latin1, "text/plain")})

    assert_form_came_back(response, 422, "copy_file", "copie.txt is not UTF-8 text")
    assert "Latin-1" in text_of(one(parse(response), "#copy_file-error"))
    assert count_pairs(session) == 0


def test_utf16_file_is_refused(client: TestClient, session: Session) -> None:
    utf16 = "Hello from Windows".encode("utf-16")
    response = submit(client, original_text=ORIGINAL, files={"copy_file": ("notes.txt", utf16, "text/plain")})

    assert_form_came_back(response, 422, "copy_file", "notes.txt is UTF-16 text, not UTF-8")
    assert count_pairs(session) == 0


def test_file_that_is_not_txt_or_md_is_refused(client: TestClient, session: Session) -> None:
    response = submit(client, original_text=ORIGINAL,
                      files={"copy_file": ("article.docx", b"PK\x03\x04", "application/octet-stream")})

    assert_form_came_back(response, 422, "copy_file", "only .txt and .md files can be uploaded")
    assert count_pairs(session) == 0


def test_empty_file_is_refused(client: TestClient, session: Session) -> None:
    response = submit(client, original_text=ORIGINAL, files={"copy_file": ("empty.txt", b"", "text/plain")})

    assert_form_came_back(response, 422, "copy_file", "empty.txt is empty")
    assert count_pairs(session) == 0


def test_source_url_that_is_not_http_is_refused(client: TestClient, session: Session) -> None:
    for url in ("javascript:alert(1)", "ftp://files.example/a.txt", "example.com/story"):
        response = submit(client, original_text=ORIGINAL, copy_text=COPY, copy_source_url=url)

        assert_form_came_back(response, 422, "copy_source_url", "must start with http:// or https://")
        assert one(parse(response), "#copy_source_url")["value"] == url
    assert count_pairs(session) == 0


def test_accepted_file_is_kept_when_the_form_comes_back_and_then_stored_byte_for_byte(
        client: TestClient, session: Session) -> None:
    file_text = "Line one\nLine two with LF only.\n\nNext paragraph."
    first = submit(client, original_source_url="not a url",
                   files={"original_file": ("story.txt", file_text.encode(), "text/plain")}, copy_text=COPY)
    soup = parse(first)
    assert first.status_code == 422
    assert "story.txt" in text_of(one(soup, ".kept-file"))
    kept = {field["name"]: field["value"] for field in soup.select(".kept-file input[type=hidden]")}
    assert base64.b64decode(kept["original_kept_file"]) == file_text.encode()

    second = submit(client, original_source_url="https://ledger.example/story", copy_text=COPY, **kept)

    assert second.status_code == 303
    assert get_pair(session, int(second.headers["location"].rsplit("/", 1)[1])).original.text == file_text


def test_a_kept_file_can_be_dropped_in_favour_of_the_text_box(client: TestClient, session: Session) -> None:
    kept = {"original_kept_name": "story.txt",
            "original_kept_file": base64.b64encode(b"From the file.").decode(),
            "original_kept_discard": "1"}

    response = submit(client, original_text="From the text box.", copy_text=COPY, **kept)

    assert response.status_code == 303
    assert get_pair(session, int(response.headers["location"].rsplit("/", 1)[1])).original.text == "From the text box."


def test_text_box_keeps_a_leading_line_break_when_the_form_comes_back(client: TestClient) -> None:
    response = submit(client, original_text="\nStarts with a blank line.", copy_text="")

    # An HTML parser drops the first line break after <textarea>, so the page must add one.
    assert "<textarea" in response.text
    assert ">\n\nStarts with a blank line.</textarea>" in response.text


def test_form_errors_for_html_routes_are_pages_not_json(client: TestClient) -> None:
    response = client.get("/?page=zero")

    assert response.status_code == 422
    assert response.headers["content-type"].startswith("text/html")
    assert "page" in text_of(one(parse(response), ".error-message"))


def test_error_summary_lists_problems_in_the_order_of_the_fields(client: TestClient) -> None:
    response = submit(client, copy_source_url="ftp://x.example/a", original_source_url="mailto:a@b.example",
                      files={"original_file": ("a.txt", b"\xe9", "text/plain")})

    links = [a["href"] for a in parse(response).select(".error-summary li a")]
    assert links == ["#original_source_url", "#original_file", "#copy_source_url", "#copy_text"]
