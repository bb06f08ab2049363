"""Web pages (saved files and pasted HTML): the article's title and paragraphs, nothing around it,
decoded by the charset the page declares or a guess that is reported."""

from __future__ import annotations

import pytest

from app.ingest import ExtractionError, extract_file, extract_html
from tests.ingest.conftest import NEWS_NOISE, NEWS_PAGE, NEWS_PARAGRAPHS


def test_a_saved_news_page_yields_its_title_and_paragraphs_and_nothing_around_them() -> None:
    extracted = extract_file(NEWS_PAGE.encode("utf-8"), filename="barrier.html", content_type="text/html",
                             max_bytes=1_000_000)

    assert extracted.title == "Flood barrier opens after six years"
    assert extracted.text.split("\n\n") == NEWS_PARAGRAPHS
    for noise in NEWS_NOISE:
        assert noise not in extracted.text
    assert (extracted.format, extracted.encoding, extracted.encoding_detected) == ("html", "utf-8", False)
    assert extracted.raw == NEWS_PAGE.encode("utf-8")


def test_the_heading_repeating_the_title_is_not_kept_in_the_text() -> None:
    extracted = extract_html(NEWS_PAGE)

    assert not extracted.text.startswith("Flood barrier opens")


def test_pasted_html_is_kept_as_utf8_raw_bytes() -> None:
    extracted = extract_html(NEWS_PAGE, url="https://gazette.example/barrier")

    assert extracted.raw == NEWS_PAGE.encode("utf-8")
    assert (extracted.encoding, extracted.filename, extracted.url) == \
        ("utf-8", None, "https://gazette.example/barrier")
    assert extracted.text.split("\n\n") == NEWS_PARAGRAPHS


def test_a_pasted_fragment_without_html_or_body_is_read() -> None:
    extracted = extract_html("<p>The flood barrier opened on Tuesday.</p><p>It cost 41 million pounds.</p>")

    assert extracted.text == "The flood barrier opened on Tuesday.\n\nIt cost 41 million pounds."
    assert extracted.title is None


def test_the_title_element_is_used_when_there_is_no_better_title() -> None:
    page = "<html><head><title>Barrier opens</title></head><body><article><p>The flood barrier opened " \
           "on Tuesday after six years of work, the council said.</p></article></body></html>"

    assert extract_html(page).title == "Barrier opens"


def test_list_items_and_table_rows_become_paragraphs_and_line_breaks_stay() -> None:
    page = """<html><body><article>
      <p>The council listed what the barrier cost and who built it in its annual report.</p>
      <ul><li>Concrete: 20 million pounds</li><li>Steel gates: 15 million pounds</li></ul>
      <table><tr><td>Year</td><td>Cost</td></tr><tr><td>2024</td><td>41m</td></tr></table>
      <p>Marrowby Town Hall<br>High Street<br>Marrowby</p>
    </article></body></html>"""

    paragraphs = extract_html(page).text.split("\n\n")

    assert "Concrete: 20 million pounds" in paragraphs
    assert "Steel gates: 15 million pounds" in paragraphs
    assert "Year\tCost" in paragraphs and "2024\t41m" in paragraphs
    assert "Marrowby Town Hall\nHigh Street\nMarrowby" in paragraphs


def test_the_meta_charset_decides_how_a_saved_page_is_decoded() -> None:
    page = NEWS_PAGE.replace('<meta charset="utf-8">', '<meta charset="windows-1252">') \
        .replace("the mayor", "the mayor’s deputy, Zoë Müller,")

    extracted = extract_file(page.encode("cp1252"), filename="barrier.htm", content_type=None, max_bytes=1_000_000)

    assert "the mayor’s deputy, Zoë Müller," in extracted.text
    assert (extracted.encoding, extracted.encoding_detected) == ("windows-1252", False)
    assert extracted.warnings == ()


def test_an_http_equiv_latin_1_declaration_is_read_as_windows_1252() -> None:
    page = NEWS_PAGE.replace('<meta charset="utf-8">',
                             '<meta http-equiv="Content-Type" content="text/html; charset=ISO-8859-1">') \
        .replace("said the mayor", "said the mayor “quietly”")

    extracted = extract_file(page.encode("cp1252"), filename="barrier.html", content_type=None, max_bytes=1_000_000)

    assert "said the mayor “quietly”" in extracted.text
    assert extracted.encoding == "windows-1252"


def test_a_page_without_a_charset_in_windows_1252_is_guessed_and_the_guess_reported() -> None:
    page = NEWS_PAGE.replace('<meta charset="utf-8">', "").replace("the mayor", "the mayor’s café")

    extracted = extract_file(page.encode("cp1252"), filename="barrier.html", content_type=None, max_bytes=1_000_000)

    assert "the mayor’s café" in extracted.text
    assert (extracted.encoding, extracted.encoding_detected) == ("windows-1252", True)
    assert extracted.warnings == ("Encoding assumed: windows-1252",)


def test_a_page_declaring_utf8_wrongly_is_guessed_and_the_mismatch_reported() -> None:
    page = NEWS_PAGE.replace("the mayor", "the mayor’s café")

    extracted = extract_file(page.encode("cp1252"), filename="barrier.html", content_type=None, max_bytes=1_000_000)

    assert "the mayor’s café" in extracted.text
    assert extracted.encoding_detected
    assert extracted.warnings == ("The declared charset utf-8 does not fit the bytes; "
                                  "encoding assumed: windows-1252",)


@pytest.mark.parametrize("page", [
    "<html><body><nav><a href='/'>Home</a> <a href='/news'>News</a></nav></body></html>",
    "<html><head><title>Empty</title></head><body></body></html>",
    "   ",
], ids=["only navigation", "empty body", "whitespace"])
def test_a_page_without_article_text_is_refused(page: str) -> None:
    with pytest.raises(ExtractionError, match="copydesk found no article text in the HTML"):
        extract_html(page)


def test_a_saved_page_without_article_text_names_the_file() -> None:
    with pytest.raises(ExtractionError) as caught:
        extract_file(b"<html><body></body></html>", filename="empty.html", content_type=None, max_bytes=1000)

    assert caught.value.message == "copydesk found no article text in empty.html"


def test_html_bytes_passed_to_extract_html_are_decoded_like_a_saved_page() -> None:
    page = NEWS_PAGE.replace('<meta charset="utf-8">', '<meta charset="windows-1252">')

    extracted = extract_html(page.encode("cp1252"))

    assert extracted.encoding == "windows-1252"
    assert extracted.text.split("\n\n") == NEWS_PARAGRAPHS
