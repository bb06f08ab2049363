"""Alignment options per pair in app.services.pairs: stored as differences from the defaults, and the
alignment recomputed when the engine version or the options change."""

from __future__ import annotations

import math

import pytest
from sqlalchemy.orm import Session

from app.align import ENGINE_VERSION, Options, align, summarise
from app.errors import InvalidInput
from app.models import Pair
from app.services.pairs import (
    DEFAULT_OPTIONS,
    MIN_SIMILARITY_RANGE,
    ArticleInput,
    alignment_for,
    change_settings,
    create_pair,
    default_summary,
    options_from_dict,
    options_to_dict,
    pair_options,
    reviewer_options,
    summary_without_injected,
)

ORIGINAL = ("The council approved the harbour budget on Tuesday after a long debate.\r\n\r\n"
            "\u201cWe will hire forty inspectors by spring,\u201d Mayor Ellen Voss said after the vote.\r\n\r\n"
            "Fishermen said they were never consulted about the dredging of the north channel.\r\n")
COPY = ("The council approved the harbour budget on Tuesday after a long debate.\r\n\r\n"
        "\u201cWe will hire forty inspectors by spring,\u201d Mayor Ellen Voss said after the vote. "
        "Click here to get our free newsletter and win a trip!\r\n\r\n"
        "Fishermen complained nobody had asked them about deepening the northern channel.\r\n")
STRICT = reviewer_options(min_similarity=0.9, quotes_copied=False)


def make(session: Session) -> Pair:
    pair = create_pair(session, ArticleInput("Original", ORIGINAL), ArticleInput("Copy", COPY),
                       max_bytes=10_000)
    session.commit()
    return pair


def reread(session: Session, pair: Pair) -> Pair:
    session.expire_all()
    fresh = session.get(Pair, pair.id)
    assert fresh is not None and fresh.alignment is not None
    return fresh


def test_default_options_are_stored_as_an_empty_dict_and_read_back_as_the_defaults() -> None:
    assert options_to_dict(Options()) == {}
    assert options_from_dict({}) == options_from_dict(None) == Options()


@pytest.mark.parametrize("options", [
    Options(min_similarity=0.5, rescue_similarity=0.367),
    Options(quotes_copied=False),
    Options(min_similarity=0.1, rescue_similarity=0.073, injected_min_words=3, edited_min_score=0.8),
])
def test_options_survive_the_round_trip_through_a_dict(options: Options) -> None:
    data = options_to_dict(options)

    assert options_from_dict(data) == options
    assert all(getattr(options, key) != getattr(DEFAULT_OPTIONS, key) for key in data)


def test_reading_options_ignores_unknown_keys_and_refuses_impossible_values() -> None:
    assert options_from_dict({"theme": "dark"}) == Options()
    with pytest.raises(ValueError):
        options_from_dict({"min_similarity": 7})


def test_reviewer_options_scale_the_rescue_bar_with_the_minimum_similarity() -> None:
    assert reviewer_options(min_similarity=0.3, quotes_copied=True) == DEFAULT_OPTIONS
    for value in (0.1, 0.45, 0.9):
        options = reviewer_options(min_similarity=value, quotes_copied=True)
        assert options.min_similarity == value
        assert options.rescue_similarity == pytest.approx(value * 0.733, abs=0.002)
        assert options.rescue_similarity < options.min_similarity


@pytest.mark.parametrize("value", [0.0, 0.09, 0.91, 1.0, -0.5, math.nan, math.inf])
def test_reviewer_options_refuse_a_minimum_similarity_out_of_range(value: float) -> None:
    with pytest.raises(InvalidInput) as caught:
        reviewer_options(min_similarity=value, quotes_copied=True)

    assert set(caught.value.errors) == {"min_similarity"}
    low, high = MIN_SIMILARITY_RANGE
    assert f"{low} to {high}" in caught.value.errors["min_similarity"]


def test_a_new_pair_is_aligned_with_the_defaults(session: Session) -> None:
    pair = reread(session, make(session))

    assert pair.alignment is not None
    assert pair.alignment.options == {}
    assert pair_options(pair) == DEFAULT_OPTIONS


def test_other_options_recompute_and_store_the_alignment_and_become_the_pairs_settings(session: Session) -> None:
    pair = make(session)

    result = alignment_for(session, pair, STRICT)
    session.commit()

    assert result == align(ORIGINAL, COPY, options=STRICT)
    pair = reread(session, pair)
    assert pair.alignment is not None
    assert pair.alignment.options == options_to_dict(STRICT)
    assert pair.alignment.result == result.to_dict()
    assert pair.alignment.copy_derived == result.summary.copy_derived
    assert pair_options(pair) == STRICT


def test_callers_without_options_get_the_pairs_stored_settings_without_recomputing(session: Session) -> None:
    pair = make(session)
    alignment_for(session, pair, STRICT)
    session.commit()
    pair = reread(session, pair)
    assert pair.alignment is not None
    marked = {**pair.alignment.result, "summary": {**pair.alignment.result["summary"], "copy_derived": 0.125}}
    pair.alignment.result = marked
    session.commit()

    again = alignment_for(session, reread(session, pair))

    assert again.summary.copy_derived == 0.125, "served as stored"


def test_the_same_options_again_serve_the_stored_alignment(session: Session) -> None:
    pair = make(session)
    alignment_for(session, pair, STRICT)
    session.commit()
    pair = reread(session, pair)
    assert pair.alignment is not None
    pair.alignment.result = {**pair.alignment.result,
                             "summary": {**pair.alignment.result["summary"], "original_reused": 0.5}}
    session.commit()

    assert alignment_for(session, reread(session, pair), STRICT).summary.original_reused == 0.5
    assert alignment_for(session, reread(session, pair), DEFAULT_OPTIONS).summary == align(ORIGINAL, COPY).summary


def test_a_new_engine_version_recomputes_with_the_pairs_own_settings(session: Session) -> None:
    pair = make(session)
    alignment_for(session, pair, STRICT)
    session.commit()
    pair = reread(session, pair)
    assert pair.alignment is not None
    pair.alignment.engine_version = "0.0.1-old"
    pair.alignment.result = {**pair.alignment.result, "blocks": []}
    session.commit()

    result = alignment_for(session, reread(session, pair))
    session.commit()

    assert result == align(ORIGINAL, COPY, options=STRICT)
    pair = reread(session, pair)
    assert pair.alignment is not None
    assert (pair.alignment.engine_version, pair.alignment.options) == (ENGINE_VERSION, options_to_dict(STRICT))


def test_unreadable_stored_options_fall_back_to_the_defaults(session: Session) -> None:
    pair = make(session)
    assert pair.alignment is not None
    pair.alignment.options = {"min_similarity": "lots"}
    session.commit()

    result = alignment_for(session, reread(session, pair))
    session.commit()

    assert result == align(ORIGINAL, COPY)
    assert reread(session, pair).alignment.options == {}  # type: ignore[union-attr]


def test_change_settings_realigns_and_invalid_settings_change_nothing(session: Session) -> None:
    pair = make(session)

    change_settings(session, pair, min_similarity=0.9, quotes_copied=False)
    session.commit()
    assert reread(session, pair).alignment.options == options_to_dict(STRICT)  # type: ignore[union-attr]

    with pytest.raises(InvalidInput):
        change_settings(session, reread(session, pair), min_similarity=1.5, quotes_copied=True)
    session.rollback()
    assert reread(session, pair).alignment.options == options_to_dict(STRICT)  # type: ignore[union-attr]


def test_default_summary_is_computed_without_touching_what_is_stored(session: Session) -> None:
    pair = make(session)
    alignment_for(session, pair, STRICT)
    session.commit()
    pair = reread(session, pair)

    assert default_summary(pair) == align(ORIGINAL, COPY).summary
    default = align(ORIGINAL, COPY)
    assert default_summary(pair, strip_injected=True) == summarise(ORIGINAL, COPY, default.blocks,
                                                                   strip_injected=True)
    assert not session.dirty and not session.new
    assert reread(session, pair).alignment.options == options_to_dict(STRICT)  # type: ignore[union-attr]


def test_the_default_figures_are_stored_with_custom_settings_so_a_view_aligns_nothing(
        session: Session, monkeypatch: pytest.MonkeyPatch) -> None:
    pair = make(session)
    alignment_for(session, pair, STRICT)
    session.commit()
    pair = reread(session, pair)
    default = align(ORIGINAL, COPY)
    assert pair.alignment.defaults == {  # type: ignore[union-attr]
        "summary": default.summary.to_dict(),
        "stripped": summarise(ORIGINAL, COPY, default.blocks, strip_injected=True).to_dict()}

    def no_alignment(*args: object, **kwargs: object) -> None:
        raise AssertionError("a view must not align the pair again")

    monkeypatch.setattr("app.services.pairs.align", no_alignment)
    assert default_summary(pair) == default.summary
    assert default_summary(pair, strip_injected=True).copy_derived >= default.summary.copy_derived
    assert alignment_for(session, pair).summary.to_dict() == pair.alignment.result["summary"]  # type: ignore[union-attr]


def test_back_to_the_default_settings_drops_the_stored_default_figures(session: Session) -> None:
    pair = make(session)
    alignment_for(session, pair, STRICT)
    alignment_for(session, pair, DEFAULT_OPTIONS)
    session.commit()
    assert reread(session, pair).alignment.defaults is None  # type: ignore[union-attr]


def test_summary_without_injected_follows_the_pairs_quotation_setting(session: Session) -> None:
    pair = make(session)
    result = alignment_for(session, pair, STRICT)

    assert summary_without_injected(pair, result) == summarise(
        ORIGINAL, COPY, result.blocks, strip_injected=True, quotes_copied=False)
