"""The form at /pairs/new: plain multipart posts, a preview of what was read, then the save;
every error kept next to its field, nothing stored until the preview is confirmed."""

from __future__ import annotations

from typing import Any

from fastapi.testclient import TestClient
from sqlalchemy.orm import Session

from app.services.pairs import count_pairs, get_pair
from tests.conftest import MakeUser, sign_in
from tests.web.conftest import MakeClient
from tests.web.html import one, parse, text_of, textarea_value

ORIGINAL = "The harbour wall will be rebuilt.\r\n\r\nWork starts in March."
COPY = "The harbour wall will be rebuilt.\r\n\r\nBuy our newsletter."
NO_FILE = ("", b"", "application/octet-stream")


def preview(client: TestClient, files: dict[str, tuple[str, bytes, str]] | None = None,
            **fields: str) -> Any:
    """POST the form as a browser does: multipart, every field present, empty file inputs included."""
    data = {"original_title": "", "original_source_url": "", "original_text": "", "original_url": "",
            "copy_title": "", "copy_source_url": "", "copy_text": "", "copy_url": "", **fields}
    parts = {"original_file": NO_FILE, "copy_file": NO_FILE, **(files or {})}
    return client.post("/pairs/new/preview", data=data, files=parts, follow_redirects=False)


def preview_fields(response: Any) -> dict[str, str]:
    """What the preview's form sends back as it stands: its inputs and text boxes."""
    form = one(parse(response), "form.preview-form")
    fields = {field["name"]: field.get("value", "") for field in form.select("input[name]")}
    fields.update({area["name"]: textarea_value(area) for area in form.select("textarea[name]")})
    return fields


def confirm(client: TestClient, response: Any, **changes: str) -> Any:
    """Send the preview in ``response`` back (multipart, as its form says), with ``changes``."""
    assert response.template.name == "pages/preview_pair.html"  # type: ignore[attr-defined]
    return client.post("/pairs/new", data={**preview_fields(response), **changes},
                       files={"unused": NO_FILE}, follow_redirects=False)


def submit(client: TestClient, files: dict[str, tuple[str, bytes, str]] | None = None,
           **fields: str) -> Any:
    """Fill in the form and, when the preview comes, save it unchanged: the save's response, or the
    form again when something could not be read."""
    response = preview(client, files, **fields)
    if response.status_code != 200:
        return response
    return confirm(client, response)


def pair_of(response: Any, session: Session) -> Any:
    assert response.status_code == 303, response.text
    return get_pair(session, int(response.headers["location"].rsplit("/", 1)[1]))


def test_form_has_title_url_text_html_file_and_address_fields_for_both_sides(client: TestClient) -> None:
    response = client.get("/pairs/new")
    soup = parse(response)

    assert response.status_code == 200
    assert response.template.name == "pages/new_pair.html"  # type: ignore[attr-defined]
    form = one(soup, "form.pair-form")
    assert form["method"] == "post" and form["action"] == "/pairs/new/preview"
    assert form["enctype"] == "multipart/form-data"
    for side in ("original", "copy"):
        assert one(form, f"input#{side}_title[name={side}_title]")
        assert one(form, f"input#{side}_source_url[type=url]")
        assert one(form, f"textarea#{side}_text")
        assert one(form, f"input#{side}_is_html[type=checkbox][name={side}_is_html]")
        accept = one(form, f"input#{side}_file[type=file]")["accept"].split(",")
        assert {".txt", ".md", ".html", ".htm", ".docx", ".pdf"} <= set(accept)
        assert one(form, f"input#{side}_url[type=url][name={side}_url]")
        assert one(form, f"label[for={side}_url]")
    assert "used instead of the text box" in text_of(one(form, "#original_file-help"))
    assert one(form, "button[type=submit]").get_text(strip=True) == "Preview"


def test_pasted_texts_are_shown_for_checking_and_nothing_is_stored_yet(client: TestClient,
                                                                       session: Session) -> None:
    response = preview(client, original_title="Harbour", original_source_url="https://ledger.example/a",
                       original_text=ORIGINAL, copy_text=COPY)
    soup = parse(response)

    assert response.status_code == 200
    assert response.template.name == "pages/preview_pair.html"  # type: ignore[attr-defined]
    form = one(soup, "form.preview-form")
    assert form["method"] == "post" and form["action"] == "/pairs/new"
    assert form["enctype"] == "multipart/form-data"
    assert textarea_value(one(form, "textarea#original_text")) == ORIGINAL
    assert textarea_value(one(form, "textarea#copy_text")) == COPY
    assert one(form, "#original_title")["value"] == "Harbour"
    assert one(form, "#original_source_url")["value"] == "https://ledger.example/a"
    assert text_of(one(form, "#copy_read_from dd")) == "Text pasted into the form"
    assert form.select("input[name$=_source]") == []  # pasted text keeps no raw source
    assert one(form, "button[type=submit]").get_text(strip=True) == "Save and compare"
    assert count_pairs(session) == 0


def test_pasted_texts_are_stored_exactly_as_received_and_the_browser_is_sent_to_the_comparison(
        client: TestClient, session: Session) -> None:
    response = submit(client, original_title="Harbour", original_source_url="https://ledger.example/a",
                      original_text=ORIGINAL, copy_title="Copycat", copy_text=COPY)

    pair = pair_of(response, session)
    assert response.headers["location"] == f"/pairs/{pair.id}"
    assert pair.original.text == ORIGINAL and pair.copy.text == COPY
    assert pair.original.title == "Harbour" and pair.original.source_url == "https://ledger.example/a"
    assert pair.original.source is None and pair.copy.source is None
    assert client.get(response.headers["location"]).status_code == 200


def test_a_text_corrected_in_the_preview_is_the_one_stored(client: TestClient, session: Session) -> None:
    shown = preview(client, original_text=ORIGINAL, copy_text=COPY)

    response = confirm(client, shown, copy_text="The harbour wall will be rebuilt.", copy_title="Fixed")

    pair = pair_of(response, session)
    assert pair.copy.text == "The harbour wall will be rebuilt."
    assert pair.copy.title == "Fixed"
    assert pair.original.text == ORIGINAL


def test_texts_posted_straight_to_the_save_are_stored_as_before(client: TestClient, session: Session) -> None:
    response = client.post("/pairs/new", data={"original_text": ORIGINAL, "copy_text": COPY,
                                               "original_title": "A", "copy_title": "B"},
                           files={"unused": NO_FILE}, follow_redirects=False)

    pair = pair_of(response, session)
    assert (pair.original.text, pair.copy.text) == (ORIGINAL, COPY)


def test_uploaded_file_is_used_instead_of_the_text_box(client: TestClient, session: Session) -> None:
    file_text = "Uploaded text, with an é.\n\nSecond paragraph.\n"
    shown = preview(client, original_text=ORIGINAL, copy_text="ignored because a file is given",
                    files={"copy_file": ("copy.txt", file_text.encode(), "text/plain")})

    assert textarea_value(one(parse(shown), "#copy_text")) == file_text
    assert pair_of(confirm(client, shown), session).copy.text == file_text


def test_an_extracted_texts_line_breaks_survive_the_browsers_crlf(client: TestClient, session: Session) -> None:
    file_text = "First paragraph.\n\nSecond paragraph.\n"
    shown = preview(client, original_text=ORIGINAL, files={"copy_file": ("copy.txt", file_text.encode(), "text/plain")})

    # A browser sends every line break of a text box as CRLF.
    response = confirm(client, shown, copy_text=file_text.replace("\n", "\r\n"))

    pair = pair_of(response, session)
    assert pair.copy.text == file_text
    assert pair.original.text == ORIGINAL  # pasted text keeps its CRLF


def test_markdown_file_with_a_byte_order_mark_is_accepted(client: TestClient, session: Session) -> None:
    response = submit(client, copy_text=COPY,
                      files={"original_file": ("story.md", b"\xef\xbb\xbf# Title\n\nBody.", "text/markdown")})

    assert pair_of(response, session).original.text == "# Title\n\nBody."


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


def test_file_over_the_upload_limit_is_413(make_client: MakeClient, session: Session) -> None:
    small = make_client(max_upload_bytes=64)

    response = submit(small, copy_text="short copy",
                      files={"original_file": ("big.txt", b"word " * 40, "text/plain")})

    assert_form_came_back(response, 413, "original_file", "big.txt is 200 bytes; the limit is 64 bytes per file")
    assert count_pairs(session) == 0


def test_text_read_from_a_file_over_the_text_limit_is_413_next_to_the_file(make_client: MakeClient,
                                                                           session: Session) -> None:
    small = make_client(max_text_bytes=64)

    response = submit(small, copy_text="short copy",
                      files={"original_file": ("long.txt", b"word " * 40, "text/plain")})

    assert_form_came_back(response, 413, "original_file", "The original text is 200 bytes; the limit is 64 bytes")
    assert count_pairs(session) == 0


def test_body_far_over_the_limit_is_refused_without_being_read(make_client: MakeClient, session: Session) -> None:
    small = make_client(max_text_bytes=64, max_upload_bytes=64)

    response = submit(small, original_text="a" * 2_000_000, copy_text="b")

    assert response.status_code == 413
    assert ("far larger than the limits of 64 bytes per text and 64 bytes per file"
            in text_of(one(parse(response), ".error-summary")))
    assert count_pairs(session) == 0


def test_binary_file_is_refused_saying_what_it_is(client: TestClient, session: Session) -> None:
    png = b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR" + bytes(range(256))
    response = submit(client, copy_text=COPY, files={"original_file": ("photo.txt", png, "text/plain")})

    assert_form_came_back(response, 422, "original_file", "photo.txt is a PNG image")
    assert count_pairs(session) == 0


def test_latin1_file_is_read_and_the_preview_says_which_encoding_was_assumed(
        client: TestClient, session: Session) -> None:
    latin1 = "Le café de la gare a fermé.".encode("latin-1")
    shown = preview(client, original_text=ORIGINAL, files={"copy_file": ("copie.txt", latin1, "text/plain")})
    soup = parse(shown)

    assert textarea_value(one(soup, "#copy_text")) == "Le café de la gare a fermé."
    assert text_of(one(soup, "#copy_read_from .encoding")).startswith("windows-1252 (assumed")
    assert "Encoding assumed: windows-1252" in text_of(one(soup, "#copy_warnings"))
    assert count_pairs(session) == 0


def test_utf16_file_with_a_byte_order_mark_is_read(client: TestClient, session: Session) -> None:
    utf16 = "Hello from Windows".encode("utf-16")
    response = submit(client, original_text=ORIGINAL, files={"copy_file": ("notes.txt", utf16, "text/plain")})

    pair = pair_of(response, session)
    assert pair.copy.text == "Hello from Windows"
    assert pair.copy.source is not None and pair.copy.source.raw == utf16


def test_file_of_a_type_copydesk_does_not_read_is_refused(client: TestClient, session: Session) -> None:
    response = submit(client, original_text=ORIGINAL,
                      files={"copy_file": ("sheet.xls", b"\x00\x01", "application/octet-stream")})

    assert_form_came_back(response, 422, "copy_file", "copydesk reads .txt, .md, .html, .htm, .docx or .pdf "
                                                      "files, not .xls")
    assert count_pairs(session) == 0


def test_a_damaged_word_file_is_refused(client: TestClient, session: Session) -> None:
    response = submit(client, original_text=ORIGINAL,
                      files={"copy_file": ("article.docx", b"PK\x03\x04", "application/octet-stream")})

    assert_form_came_back(response, 422, "copy_file", "article.docx is a damaged ZIP or Word file")
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
    assert list(kept) == ["original_kept"]
    assert file_text.encode() not in first.content  # the file stays on the server

    second = submit(client, original_source_url="https://ledger.example/story", copy_text=COPY, **kept)

    pair = pair_of(second, session)
    assert pair.original.text == file_text
    assert pair.original.source is not None and pair.original.source.raw == file_text.encode()
    assert pair.original.source.filename == "story.txt"


def test_a_kept_file_can_be_dropped_in_favour_of_the_text_box(client: TestClient, session: Session) -> None:
    first = submit(client, files={"original_file": ("story.txt", b"From the file.", "text/plain")})
    kept = {field["name"]: field["value"] for field in parse(first).select(".kept-file input[type=hidden]")}

    response = submit(client, original_text="From the text box.", copy_text=COPY, original_kept_discard="1", **kept)

    pair = pair_of(response, session)
    assert pair.original.text == "From the text box."
    assert pair.original.source is None


def test_a_kept_file_token_of_another_user_is_not_used(client: TestClient, make_client: MakeClient,
                                                       make_user: MakeUser, session: Session) -> None:
    first = submit(client, files={"original_file": ("story.txt", b"The editor's file.", "text/plain")})
    kept = {field["name"]: field["value"] for field in parse(first).select(".kept-file input[type=hidden]")}
    other = make_client()
    sign_in(other, make_user("other", "editor"))

    response = submit(other, copy_text=COPY, **kept)

    assert_form_came_back(response, 422, "original_text", "The original text is empty")
    assert count_pairs(session) == 0


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
                      copy_url="gopher://x.example/", files={"original_file": ("a.txt", b"", "text/plain")})

    links = [a["href"] for a in parse(response).select(".error-summary li a")]
    assert links == ["#original_source_url", "#original_file", "#copy_source_url", "#copy_url"]


# --- the save step --------------------------------------------------------------------------


def assert_preview_came_back(response: Any, status: int, field: str, message: str) -> None:
    soup = parse(response)
    assert response.status_code == status
    assert response.template.name == "pages/preview_pair.html"  # type: ignore[attr-defined]
    assert message in text_of(one(soup, f"#{field}-error"))
    assert one(soup, f"#{field}")["aria-invalid"] == "true"
    assert message in text_of(one(soup, ".error-summary"))


def test_a_text_emptied_in_the_preview_comes_back_with_the_source_kept(client: TestClient,
                                                                      session: Session) -> None:
    shown = preview(client, original_text=ORIGINAL,
                    files={"copy_file": ("copy.txt", b"A copied paragraph.", "text/plain")})
    token = one(parse(shown), "input[name=copy_source]")["value"]

    response = confirm(client, shown, copy_text="  ", original_title="Kept title")

    assert_preview_came_back(response, 422, "copy_text", "The copy text is empty")
    soup = parse(response)
    assert one(soup, "input[name=copy_source]")["value"] == token
    assert one(soup, "#original_title")["value"] == "Kept title"
    assert "copy.txt" in text_of(one(soup, "#copy_read_from"))
    assert count_pairs(session) == 0

    again = confirm(client, response, copy_text="A copied paragraph, fixed.")

    pair = pair_of(again, session)
    assert pair.copy.text == "A copied paragraph, fixed."
    assert pair.copy.source is not None and pair.copy.source.raw == b"A copied paragraph."


def test_a_text_over_the_limit_in_the_preview_is_413(make_client: MakeClient, session: Session) -> None:
    small = make_client(max_text_bytes=64)
    shown = preview(small, original_text="short original", copy_text="short copy")

    response = confirm(small, shown, copy_text="x" * 65)

    assert_preview_came_back(response, 413, "copy_text", "the limit is 64 bytes")
    assert count_pairs(session) == 0


def test_a_preview_whose_source_is_no_longer_kept_asks_to_start_again(client: TestClient,
                                                                     session: Session) -> None:
    shown = preview(client, original_text=ORIGINAL,
                    files={"copy_file": ("copy.txt", b"A copied paragraph.", "text/plain")})

    response = confirm(client, shown, copy_source="A" * 32)

    assert_preview_came_back(response, 422, "copy_text", "no longer kept")
    assert text_of(one(parse(response), '.form-actions a[href="/pairs/new"]')) == "Start again"
    assert count_pairs(session) == 0


def test_the_kept_source_is_forgotten_once_the_pair_is_saved(client: TestClient, session: Session) -> None:
    shown = preview(client, original_text=ORIGINAL,
                    files={"copy_file": ("copy.txt", b"A copied paragraph.", "text/plain")})
    assert pair_of(confirm(client, shown), session).copy.source is not None

    again = confirm(client, shown)

    assert_preview_came_back(again, 422, "copy_text", "no longer kept")
    assert count_pairs(session) == 1
