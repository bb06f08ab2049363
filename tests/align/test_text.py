"""Segmentation keeps exact offsets: paragraphs, sentences, tokens."""

from __future__ import annotations

from app.align.text import split_paragraphs, split_sentences, tokenize


def spans_text(text: str, spans: list[tuple[int, int]]) -> list[str]:
    return [text[s:e] for s, e in spans]


def test_blank_lines_separate_paragraphs_and_spans_are_trimmed() -> None:
    text = "  First one.\n\n\nSecond\nstill second.  \n \t\nThird."
    assert spans_text(text, split_paragraphs(text)) == ["First one.", "Second\nstill second.", "Third."]


def test_single_line_breaks_separate_paragraphs_when_there_is_no_blank_line() -> None:
    text = "Line one.\nLine two.\r\nLine three."
    assert spans_text(text, split_paragraphs(text)) == ["Line one.", "Line two.", "Line three."]


def test_windows_line_breaks_count_as_blank_lines() -> None:
    text = "One.\r\n\r\nTwo.\r\n"
    assert split_paragraphs(text) == [(0, 4), (8, 12)]


def test_no_break_space_lines_count_as_blank() -> None:
    text = "One.\u00a0\n\u00a0\nTwo."
    assert spans_text(text, split_paragraphs(text)) == ["One.", "Two."]


def test_whitespace_only_text_has_no_paragraphs() -> None:
    assert split_paragraphs(" \n\n \t ") == []
    assert split_paragraphs("") == []


def test_sentences_do_not_break_after_titles_and_initials() -> None:
    text = "Lt. Col. Anton T. Semelroth said it. The U.S. agreed. “Quote here,” she said."
    assert spans_text(text, split_sentences(text, (0, len(text)))) == [
        "Lt. Col. Anton T. Semelroth said it.", "The U.S. agreed.", "“Quote here,” she said."]


def test_glued_words_are_split_but_names_like_mccain_are_not() -> None:
    tokens = tokenize("SchiffLone Wolf met McCain and BlinkenState")
    assert tokens.norms == ("schiff", "lon", "wolf", "met", "mccain", "and", "blinken", "stat")
    text = "SchiffLone"
    assert text[tokens.starts[1]:tokens.ends[1]] == "Lone"


def test_token_spans_index_the_text_exactly() -> None:
    text = "Café’s 1,200 “quoted” words\r\nnext"
    tokens = tokenize(text)
    assert [text[s:e] for s, e in zip(tokens.starts, tokens.ends, strict=True)] == [
        "Café’s", "1,200", "quoted", "words", "next"]


def test_no_engine_pattern_uses_possessive_repeats_or_atomic_groups() -> None:
    """Python 3.11.2 (Debian 12's) splits words wrongly with a possessive repeat (``\\w++``
    cut "world" into "worl" and "d"), and the engine failed on empty words: its patterns use
    no possessive repeat, nor an atomic group (``(?>...)``, the same feature, new in 3.11)."""
    import importlib
    import pkgutil
    import re

    import app.align

    found = []
    for info in pkgutil.iter_modules(app.align.__path__):
        module = importlib.import_module(f"app.align.{info.name}")
        for name, value in vars(module).items():
            if isinstance(value, re.Pattern) and re.search(r"(?<!\\)[+*?}]\+|\(\?>", value.pattern):
                found.append(f"{info.name}.{name}: {value.pattern!r}")
    assert found == []


def test_a_windows_line_break_is_one_break_and_two_make_a_blank_line() -> None:
    assert spans_text("One.\r\nTwo.", split_paragraphs("One.\r\nTwo.")) == ["One.", "Two."]
    text = "First para\r\nstill first.\r\n\r\nSecond."
    assert spans_text(text, split_paragraphs(text)) == ["First para\r\nstill first.", "Second."]
