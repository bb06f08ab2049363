"""The demo pairs: labelled fictional texts that show every kind of reuse, loaded once and aligned well."""

from __future__ import annotations

import re
import subprocess
import sys
from collections import Counter
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit

import pytest
from sqlalchemy import select
from sqlalchemy.orm import Session

from app.align import Alignment, align
from app.config import Settings
from app.demo import DEMO_DATA, DEMO_PAIRS, DemoPair, demo_corpus_text, join_paragraphs, load_demo
from app.models import Pair
from app.services.pairs import count_pairs
from tests.conftest import SHARED, needs_shared

LINK_THRESHOLD = 0.3  # as ../shared/tools/score.py counts a link
DERIVED = {"verbatim", "edited", "paraphrased"}
IDS = [pair.spec for pair in DEMO_PAIRS]


def by_spec(test: Any) -> Any:
    return pytest.mark.parametrize("pair", DEMO_PAIRS, ids=IDS)(test)


def paragraph_spans(paragraphs: list[str]) -> list[tuple[int, int]]:
    spans, position = [], 0
    for paragraph in paragraphs:
        spans.append((position, position + len(paragraph)))
        position += len(paragraph) + 2
    return spans


def overlap(a: tuple[int, int], b: tuple[int, int]) -> int:
    return max(0, min(a[1], b[1]) - max(a[0], b[0]))


def covers(block_span: tuple[int, int], paragraph: tuple[int, int]) -> bool:
    shortest = min(block_span[1] - block_span[0], paragraph[1] - paragraph[0])
    return shortest > 0 and overlap(block_span, paragraph) / shortest >= LINK_THRESHOLD


def truth_links(pair: DemoPair) -> set[tuple[int, int]]:
    return {(ci, source) for ci, paragraph in enumerate(pair.labels()["copy"])
            for source in paragraph["sources"]}


def found_links(pair: DemoPair, result: Alignment) -> set[tuple[int, int]]:
    labels = pair.labels()
    originals = paragraph_spans(labels["original"])
    copies = paragraph_spans([paragraph["text"] for paragraph in labels["copy"]])
    links = set()
    for block in result.blocks:
        if block.kind.value not in DERIVED or block.original is None or block.copy is None:
            continue
        for ci, copy_span in enumerate(copies):
            for oi, original_span in enumerate(originals):
                if covers(block.copy, copy_span) and covers(block.original, original_span):
                    links.add((ci, oi))
    return links


@pytest.fixture(scope="module")
def alignments() -> dict[str, Alignment]:
    return {pair.spec: align(pair.original.text, pair.copy.text) for pair in DEMO_PAIRS}


# --- the data ----------------------------------------------------------------------------------


def test_there_are_three_demo_pairs_with_distinct_titles() -> None:
    assert len(DEMO_PAIRS) == 3
    assert len({pair.title for pair in DEMO_PAIRS}) == 3
    assert sorted(path.stem for path in DEMO_DATA.glob("*.json")) == sorted(IDS)


@by_spec
def test_the_texts_are_the_labelled_paragraphs_laid_out_as_the_spec_format_says(pair: DemoPair) -> None:
    labels = pair.labels()
    assert labels["id"] == pair.spec
    assert pair.original.text == join_paragraphs(labels["original"])
    assert pair.copy.text == join_paragraphs([paragraph["text"] for paragraph in labels["copy"]])
    assert pair.original.title == labels["original"][0]


@by_spec
def test_each_original_reads_like_a_news_article_of_a_few_hundred_words(pair: DemoPair) -> None:
    words = len(pair.original.text.split())
    assert 400 <= words <= 1000
    assert len(pair.copy.text.split()) <= 1000
    body = pair.labels()["original"][1:]
    for paragraph in body:
        sentences = len(re.findall(r"[.!?][”’]?(?=\s|$)", paragraph))
        assert 1 <= sentences <= 5, paragraph


@by_spec
def test_each_copy_shows_every_kind_of_reuse(pair: DemoPair) -> None:
    labels = pair.labels()
    copy = labels["copy"]
    kinds = Counter(paragraph["kind"] for paragraph in copy)
    assert {"verbatim", "edited", "paraphrased", "inserted"} <= kinds.keys()
    used = [source for paragraph in copy for source in paragraph["sources"]]
    assert set(range(len(labels["original"]))) - set(used), "an omitted paragraph"
    assert any(count > 1 for count in Counter(used).values()), "a paragraph split in two"
    assert any(len(paragraph["sources"]) > 1 for paragraph in copy), "two paragraphs merged"
    firsts = [min(paragraph["sources"]) for paragraph in copy if paragraph["sources"]]
    assert firsts != sorted(firsts), "a paragraph moved"
    glued = [text for paragraph in copy for text in paragraph.get("injected", [])
             if re.search(r"[a-z]" + re.escape(text[:1]), paragraph["text"])]
    assert glued, "link text glued into a sentence without a space"


@by_spec
def test_the_sources_are_invented_sites_on_the_reserved_example_domain(pair: DemoPair) -> None:
    for article in (pair.original, pair.copy):
        parts = urlsplit(article.source_url)
        assert parts.scheme == "https" and parts.hostname and parts.hostname.endswith(".example")


def test_the_corpus_text_holds_every_original_for_the_benchmark() -> None:
    corpus = demo_corpus_text()
    for pair in DEMO_PAIRS:
        assert pair.original.text.rstrip("\n") in corpus
    assert len(corpus.split()) == sum(len(pair.original.text.split()) for pair in DEMO_PAIRS)


@needs_shared()
def test_the_specs_pass_the_shared_labelling_tool(tmp_path: Path) -> None:
    tool = SHARED / "tools" / "build.py"
    if not tool.is_file():
        pytest.skip(f"{tool} is absent")
    result = subprocess.run([sys.executable, str(tool), "--pairs", str(DEMO_DATA), "--check"],
                            capture_output=True, text=True, check=False)
    assert result.returncode == 0, result.stderr
    assert "3 pair(s) checked" in result.stdout


# --- what the engine finds in them -------------------------------------------------------------


@by_spec
def test_the_engine_finds_every_kind_in_each_demo_pair(pair: DemoPair, alignments: dict[str, Alignment]) -> None:
    kinds = {block.kind.value for block in alignments[pair.spec].blocks}
    assert "verbatim" in kinds
    assert kinds & {"edited", "paraphrased"}
    assert "inserted" in kinds
    assert "omitted" in kinds


@by_spec
def test_the_engine_links_the_copy_paragraphs_to_their_labelled_sources(
        pair: DemoPair, alignments: dict[str, Alignment]) -> None:
    truth = truth_links(pair)
    found = found_links(pair, alignments[pair.spec])
    right = len(truth & found)
    precision = right / len(found) if found else 0.0
    recall = right / len(truth)
    f1 = 2 * precision * recall / (precision + recall) if right else 0.0
    assert f1 >= 0.9, f"link F1 {f1:.2f}: missed {sorted(truth - found)}, extra {sorted(found - truth)}"


@by_spec
def test_the_engine_marks_the_boilerplate_paragraphs_inserted(
        pair: DemoPair, alignments: dict[str, Alignment]) -> None:
    result = alignments[pair.spec]
    copies = paragraph_spans([paragraph["text"] for paragraph in pair.labels()["copy"]])
    inserted = [block.copy for block in result.blocks if block.kind.value == "inserted" and block.copy]
    for ci, paragraph in enumerate(pair.labels()["copy"]):
        if paragraph["kind"] == "inserted":
            assert any(overlap(span, copies[ci]) == copies[ci][1] - copies[ci][0] for span in inserted), \
                paragraph["text"]


@by_spec
def test_the_engine_reports_the_labelled_omissions(pair: DemoPair, alignments: dict[str, Alignment]) -> None:
    labels = pair.labels()
    used = {source for paragraph in labels["copy"] for source in paragraph["sources"]}
    omitted = set(range(len(labels["original"]))) - used
    reported = {index for block in alignments[pair.spec].blocks if block.kind.value == "omitted"
                for index in block.original_paragraphs}
    assert reported == omitted


# --- loading them ------------------------------------------------------------------------------


def test_load_demo_adds_every_pair_once_with_its_alignment(session: Session, settings: Settings) -> None:
    assert load_demo(session, max_bytes=settings.max_text_bytes) == len(DEMO_PAIRS)
    session.commit()
    assert load_demo(session, max_bytes=settings.max_text_bytes) == 0
    session.commit()

    assert count_pairs(session) == len(DEMO_PAIRS)
    stored = {pair.title: pair for pair in session.scalars(select(Pair)).unique()}
    for demo in DEMO_PAIRS:
        pair = stored[demo.title]
        assert pair.original.text == demo.original.text
        assert pair.copy.text == demo.copy.text
        assert pair.copy.source_url == demo.copy.source_url
        assert pair.alignment is not None and pair.alignment.result["format"] == "copydesk.alignment/1"


def test_the_dashboard_order_is_the_listed_order(session: Session, settings: Settings) -> None:
    load_demo(session, max_bytes=settings.max_text_bytes)
    session.commit()

    newest_first = session.scalars(select(Pair.title).order_by(Pair.created_at.desc(), Pair.id.desc()))
    assert list(newest_first) == [pair.title for pair in DEMO_PAIRS]
