"""Provenance: which parts of the copy come from which parts of the original.

Seeds (similar sentence pairs) are clustered into passages, noise is filtered out, sentences the
order of their neighbours vouches for are rescued, and the result is cut into derived units:
whole paragraphs where a copy paragraph is mostly derived (grouped into splits and merges), and
sentence runs where reuse starts or ends inside a paragraph (as in the PAN corpus). In a copy
without blank lines the units are then finished as passages: trimmed to the words that support
them, rejoined where the seeds broke one passage in two, and dropped when too short to judge.
"""

from __future__ import annotations

from bisect import bisect_left, bisect_right
from collections import Counter, defaultdict
from dataclasses import dataclass

from app.align.model import Span
from app.align.seeds import Passage, Seed, sentence_size, cluster, find_seeds
from app.align.trim import trim_span
from app.align.units import Document, Weights, cosine

_PARAGRAPH_COVER = 0.5
_OWN_WORDS = 30
_OWN_SENTENCE_WORDS = 8
# A passage of this many seeds in order needs no check of its two sides as wholes.
_SELF_EVIDENT = 6
_ORIGINAL_COVER = 0.4
# Passages of copies without blank lines: shorter than this on either side is too little to
# judge (Sanchez-Perez et al. 2014 drop cases under 150 characters); runs this close in both
# texts are one passage.
_MIN_SIZE = 150
_PASSAGE_GAP = 300
# A lone seed below the bar, with a weak seed beside it on the same original sentence or the
# next (one sentence split in two by the copier), stands when the two read alike as a whole.
_SPLIT_SENTENCE = 0.6


@dataclass(frozen=True, slots=True)
class Unit:
    """A derived unit: a copy span reused from an original span, with the paragraphs involved."""

    copy: Span
    original: Span
    copy_paragraphs: tuple[int, ...]
    original_paragraphs: tuple[int, ...]
    whole: bool = False
    summary: bool = False


@dataclass(frozen=True, slots=True)
class Tuning:
    threshold: float
    weak: float
    single_seed: float
    copy_gap: int = 3
    original_gap: int = 4


def derive(odoc: Document, cdoc: Document, weights: Weights, tuning: Tuning) -> list[Unit]:
    """The derived units of the copy, in copy order."""
    strong, weak = find_seeds(odoc, cdoc, weights, threshold=tuning.threshold, weak=tuning.weak)
    passages = cluster(strong, copy_gap=tuning.copy_gap, original_gap=tuning.original_gap)
    passages = _filter(passages, odoc, cdoc, weights, tuning, weak)
    by_copy: dict[int, list[Seed]] = defaultdict(list)
    covered: set[int] = set()
    for passage in passages:
        for seed in passage.seeds:
            by_copy[seed.copy].append(seed)
        covered.update(range(passage.c_first, passage.c_last + 1))
    for seed in _rescue(weak, by_copy, cdoc):
        by_copy[seed.copy].append(seed)
        covered.add(seed.copy)
    exact = _exact_paragraphs(odoc, cdoc)
    for c, o in exact.items():
        c_first, c_last = cdoc.para_sentences[c]
        o_first, o_last = odoc.para_sentences[o]
        covered.update(range(c_first, c_last))
        for k, i in enumerate(range(c_first, c_last)):
            by_copy[i] = [Seed(i, min(o_first + k, o_last - 1), 1.0, 1.0)]
    return [_named_by_spans(unit, odoc, cdoc) for unit in _units(odoc, cdoc, by_copy, covered, passages)]


def _exact_paragraphs(odoc: Document, cdoc: Document) -> dict[int, int]:
    """Copy paragraphs whose words equal an original paragraph's: the surest links of all.
    Repeated paragraphs pair up in order."""
    where: dict[tuple[str, ...], list[int]] = defaultdict(list)
    for o, (first, last) in enumerate(odoc.para_tokens):
        if last > first:
            where[odoc.tokens.norms[first:last]].append(o)
    out: dict[int, int] = {}
    taken: dict[tuple[str, ...], int] = defaultdict(int)
    for c, (first, last) in enumerate(cdoc.para_tokens):
        key = cdoc.tokens.norms[first:last]
        places = where.get(key)
        if places and last > first:
            out[c] = places[min(taken[key], len(places) - 1)]
            taken[key] += 1
    return out


def _filter(passages: list[Passage], odoc: Document, cdoc: Document, weights: Weights,
            tuning: Tuning, weak: list[Seed]) -> list[Passage]:
    """Drop lone weak seeds and passages whose two sides are not alike as wholes; where two
    passages claim the same copy sentences, the heavier keeps them."""
    kept: list[Passage] = []
    weak_by_copy = {seed.copy: seed for seed in weak}
    for passage in passages:
        if len(passage.seeds) == 1:
            if passage.seeds[0].strength < tuning.single_seed and \
                    not _split_sentence(passage, weak_by_copy, odoc, cdoc, weights):
                continue
        elif len(passage.seeds) == 2 and passage.weight / 2 < tuning.single_seed - 0.1 \
                and not _in_step(passage) and not _halves_of_one(passage, odoc, cdoc, weights):
            continue
        elif len(passage.seeds) < _SELF_EVIDENT and \
                _passage_similarity(passage, odoc, cdoc, weights) < tuning.threshold:
            continue
        kept.append(passage)
    kept.sort(key=lambda p: p.weight, reverse=True)
    claimed: set[int] = set()
    out: list[Passage] = []
    for passage in kept:
        seeds = [s for s in passage.seeds if s.copy not in claimed]
        if not seeds:
            continue
        if len(seeds) != len(passage.seeds):
            trimmed = Passage()
            for seed in seeds:
                trimmed.add(seed)
            passage = trimmed
        claimed.update(s.copy for s in passage.seeds)
        out.append(passage)
    out.sort(key=lambda p: p.c_first)
    return out


def _split_sentence(passage: Passage, weak_by_copy: dict[int, Seed], odoc: Document, cdoc: Document,
                    weights: Weights) -> bool:
    """A lone seed with a weak seed beside it in the copy on the same original sentence or the
    next one (a sentence the copier split in two), the two alike as a whole: the weak seed
    joins the passage, which stands."""
    seed = passage.seeds[0]
    for partner in (weak_by_copy.get(seed.copy - 1), weak_by_copy.get(seed.copy + 1)):
        if partner is not None and abs(partner.original - seed.original) <= 1:
            trial = Passage()
            trial.add(seed)
            trial.add(partner)
            if _halves_of_one(trial, odoc, cdoc, weights):
                passage.add(partner)
                return True
    return False


def _halves_of_one(passage: Passage, odoc: Document, cdoc: Document, weights: Weights) -> bool:
    """Two neighbouring copy sentences on one original sentence or two neighbouring ones,
    alike as a whole: one sentence the copier split in two."""
    a, b = sorted(passage.seeds, key=lambda seed: seed.copy)
    return (b.copy - a.copy == 1 and abs(b.original - a.original) <= 1
            and _passage_similarity(passage, odoc, cdoc, weights) >= _SPLIT_SENTENCE)


def _in_step(passage: Passage) -> bool:
    """Two seeds on neighbouring sentences in both texts: order itself vouches for them."""
    a, b = sorted(passage.seeds, key=lambda seed: seed.copy)
    return b.copy - a.copy == 1 and b.original - a.original == 1


def _passage_similarity(passage: Passage, odoc: Document, cdoc: Document, weights: Weights) -> float:
    cbag: Counter[str] = Counter()
    for i in range(passage.c_first, passage.c_last + 1):
        cbag.update(cdoc.sentences[i].bag)
    obag: Counter[str] = Counter()
    for i in range(passage.o_first, passage.o_last + 1):
        obag.update(odoc.sentences[i].bag)
    return cosine(cbag, obag, weights)


def _rescue(weak: list[Seed], by_copy: dict[int, list[Seed]], cdoc: Document) -> list[Seed]:
    """Weak seeds whose original sentence lies where the derived neighbours say it should."""
    out: list[Seed] = []
    n = len(cdoc.sentences)
    for seed in weak:
        before = next((by_copy[i] for i in range(seed.copy - 1, max(seed.copy - 3, -1), -1)
                       if i in by_copy), None)
        after = next((by_copy[i] for i in range(seed.copy + 1, min(seed.copy + 3, n)) if i in by_copy),
                     None)
        if before is None and after is None:
            continue
        low = min(s.original for s in before) if before else (-1 if seed.copy < 2 else None)
        high = max(s.original for s in after) if after else (None if seed.copy < n - 2 else 10**9)
        if low is None or high is None:
            continue
        if low - 1 <= seed.original <= high + 1:
            out.append(seed)
    return out


def _units(odoc: Document, cdoc: Document, by_copy: dict[int, list[Seed]], covered: set[int],
           passages: list[Passage]) -> list[Unit]:
    """Whole-paragraph units where a copy paragraph is mostly derived, sentence runs elsewhere."""
    units: list[Unit] = []
    paragraph_sources: list[list[int]] = []
    n_copy, n_original = max(len(cdoc.sentences), 1), max(len(odoc.sentences), 1)
    for p, (s_first, s_last) in enumerate(cdoc.para_sentences):
        total = derived = 0  # words of the paragraph, and of its derived sentences
        votes: dict[int, float] = defaultdict(float)
        for i in range(s_first, s_last):
            sentence = cdoc.sentences[i]
            size = sentence.last - sentence.first
            total += size
            if i in covered:
                derived += size
            if seeds := by_copy.get(i):
                here = i / n_copy
                best = seeds[0] if len(seeds) == 1 else max(
                    seeds, key=lambda s: (round(s.strength, 6), -abs(sentence_size(odoc, s.original) - size),
                                          -abs(s.original / n_original - here)))
                votes[odoc.sentences[best.original].paragraph] += size * best.strength
        # A paragraph is taken whole when it is mostly derived and what is not derived is short
        # (junk glued in, a spun sentence no seed caught); a long stretch of the copier's own
        # writing around the reuse makes sentence runs instead.
        if votes and total and derived / total >= _PARAGRAPH_COVER and total - derived < _OWN_WORDS:
            top = max(votes.values())
            paragraph_sources.append(sorted(o for o, v in votes.items() if v >= 0.2 * top))
        else:
            paragraph_sources.append([])
            if votes:
                units.extend(_sentence_runs(odoc, cdoc, p, by_copy, covered, passages))
    units.extend(_paragraph_units(odoc, cdoc, paragraph_sources, by_copy, covered))
    units.sort(key=lambda u: u.copy)
    units = _join_across_paragraphs(units, odoc, cdoc)
    units = _summaries(units, odoc, cdoc)
    if cdoc.blank_lines:
        return units
    return _passages(units, odoc, cdoc)


def _passages(units: list[Unit], odoc: Document, cdoc: Document) -> list[Unit]:
    """Units of a copy without blank lines (hard-wrapped text, or text from a web page), where
    reuse starts and stops anywhere: each side cut to the stretch its words support, runs
    that meet again in both texts joined, and what is left too short to judge dropped."""
    units = [_trimmed(unit, odoc, cdoc) for unit in units]
    out: list[Unit] = []
    for unit in units:
        if out and _close(out[-1], unit):
            out[-1] = _merged(out[-1], unit)
        else:
            out.append(unit)
    return [unit for unit in out if not _too_small(unit, odoc, cdoc)]


def _too_small(unit: Unit, odoc: Document, cdoc: Document) -> bool:
    """Shorter than ``_MIN_SIZE`` on either side in a longer copy, unless copied word for word
    (a short line copied exactly is reuse; a short look-alike in a long text is chance)."""
    size = unit.copy[1] - unit.copy[0]
    if min(size, unit.original[1] - unit.original[0]) >= _MIN_SIZE or 2 * size >= len(cdoc.text):
        return False
    c_first, c_last = token_range(cdoc, unit.copy)
    o_first, o_last = token_range(odoc, unit.original)
    words = cdoc.tokens.norms[c_first:c_last]
    return len(words) < _OWN_SENTENCE_WORDS or words != odoc.tokens.norms[o_first:o_last]


def _trimmed(unit: Unit, odoc: Document, cdoc: Document) -> Unit:
    """``unit`` with each side cut to the stretch best supported by the words on the other side
    and around it (a side that is slightly short must not cut the other); the original side of
    a summary stays whole."""
    c_first, c_last = _widened(token_range(cdoc, unit.copy), len(cdoc.tokens))
    o_first, o_last = _widened(token_range(odoc, unit.original), len(odoc.tokens))
    cspan = trim_span(cdoc, unit.copy, set(odoc.tokens.norms[o_first:o_last]))
    ospan = unit.original
    if not odoc.blank_lines and not unit.summary:
        ospan = trim_span(odoc, unit.original, set(cdoc.tokens.norms[c_first:c_last]))
    return Unit(cspan, ospan, unit.copy_paragraphs, unit.original_paragraphs, unit.whole, unit.summary)


def _widened(tokens: tuple[int, int], limit: int) -> tuple[int, int]:
    """A token range grown by half its length on each side."""
    margin = (tokens[1] - tokens[0]) // 2
    return max(tokens[0] - margin, 0), min(tokens[1] + margin, limit)


def _close(prev: Unit, unit: Unit) -> bool:
    """Two units a few lines apart in the copy whose originals overlap or nearly meet: one
    passage the seeds caught in two pieces."""
    copy_gap = unit.copy[0] - prev.copy[1]
    original_gap = max(unit.original[0], prev.original[0]) - min(unit.original[1], prev.original[1])
    return copy_gap <= _PASSAGE_GAP and original_gap <= _PASSAGE_GAP


def _summaries(units: list[Unit], odoc: Document, cdoc: Document) -> list[Unit]:
    """A short copy passage drawing on a long stretch of the original is a summary of it
    (ENGINE.md: "when the source side is several times longer, allow much larger gaps"):
    sentence runs of one copy paragraph whose sources are far apart become one unit, and a
    unit drawing on most of the original is taken to summarise all of it."""
    out: list[Unit] = []
    for unit in units:
        prev = out[-1] if out else None
        if (prev is not None and not prev.whole and not unit.whole
                and prev.copy_paragraphs[-1] == unit.copy_paragraphs[0]
                and _summary_like(prev, unit)):
            out[-1] = _merged(prev, unit)
        else:
            out.append(unit)
    length = len(odoc.text)
    for k, unit in enumerate(out):
        copy_size = unit.copy[1] - unit.copy[0]
        reach = unit.original[1] - unit.original[0]
        if not unit.whole and reach >= 0.4 * length and reach >= 2 * copy_size and odoc.paragraphs:
            out[k] = Unit(unit.copy, (odoc.paragraphs[0][0], odoc.paragraphs[-1][1]), unit.copy_paragraphs,
                          tuple(range(len(odoc.paragraphs))), summary=True)
    return out


def _merged(prev: Unit, unit: Unit) -> Unit:
    """One sentence-run unit covering ``prev`` and the ``unit`` after it. (The paragraphs
    between theirs, which its spans run over, are named at the end: ``_named_by_spans``.)"""
    return Unit((prev.copy[0], unit.copy[1]),
                (min(prev.original[0], unit.original[0]), max(prev.original[1], unit.original[1])),
                tuple(sorted(set(prev.copy_paragraphs) | set(unit.copy_paragraphs))),
                tuple(sorted(set(prev.original_paragraphs) | set(unit.original_paragraphs))),
                summary=prev.summary or unit.summary)


def _summary_like(prev: Unit, unit: Unit) -> bool:
    """Two runs close together in the copy drawing on places far apart in the original."""
    copy_gap = unit.copy[0] - prev.copy[1]
    reach = max(prev.original[1], unit.original[1]) - min(prev.original[0], unit.original[0])
    copy_size = unit.copy[1] - prev.copy[0]
    return copy_gap <= 400 and reach >= 2 * copy_size


def _paragraph_units(odoc: Document, cdoc: Document, sources: list[list[int]],
                     by_copy: dict[int, list[Seed]], covered: set[int]) -> list[Unit]:
    """Consecutive copy paragraphs with one same source form a split; several adjacent sources
    of one copy paragraph a merge; sources far apart keep the largest run."""
    groups: list[tuple[list[int], list[int]]] = []
    for p, srcs in enumerate(sources):
        if not srcs:
            continue
        runs = _contiguous_runs(srcs)
        run = max(runs, key=len)
        if groups and len(run) == 1 and groups[-1][1] == run and groups[-1][0][-1] == p - 1:
            groups[-1][0].append(p)
        else:
            groups.append(([p], run))
    units = []
    for copy_paras, orig_paras in groups:
        cspan = _trim_own_sentences(cdoc, copy_paras, covered)
        partners = {_best(by_copy[i]).original for p in copy_paras
                    for i in range(*cdoc.para_sentences[p]) if i in by_copy}
        ospan = _original_span(odoc, orig_paras, partners)
        units.append(Unit(cspan, ospan, tuple(copy_paras), tuple(orig_paras), whole=True))
    return units


def _trim_own_sentences(cdoc: Document, paragraphs: list[int], covered: set[int]) -> Span:
    """The copy span of whole paragraphs, less whole sentences of the copier's own at either
    end (a copied passage ending inside a paragraph); short leftovers stay in."""
    first_sentence = cdoc.para_sentences[paragraphs[0]][0]
    last_sentence = cdoc.para_sentences[paragraphs[-1]][1] - 1
    start, end = cdoc.paragraphs[paragraphs[0]][0], cdoc.paragraphs[paragraphs[-1]][1]
    lead = first_sentence
    while lead < last_sentence and lead not in covered:
        lead += 1
    trail = last_sentence
    while trail > lead and trail not in covered:
        trail -= 1
    if _words(cdoc, first_sentence, lead) >= _OWN_SENTENCE_WORDS:
        start = cdoc.tokens.starts[cdoc.sentences[lead].first]
    if _words(cdoc, trail + 1, last_sentence + 1) >= _OWN_SENTENCE_WORDS:
        end = _sentence_end(cdoc, trail)
    return (start, end)


def _words(doc: Document, first: int, last: int) -> int:
    return sum(doc.sentences[i].last - doc.sentences[i].first for i in range(first, last))


def _best(seeds: list[Seed]) -> Seed:
    return seeds[0] if len(seeds) == 1 else max(seeds, key=lambda s: s.strength)


def _original_span(odoc: Document, paragraphs: list[int], partners: set[int]) -> Span:
    """The source paragraphs, whole where the partner sentences cover much of them."""
    spans = []
    for o in paragraphs:
        first, last = odoc.para_sentences[o]
        used = [i for i in range(first, last) if i in partners]
        # (a paragraph's sentences cover its tokens end to end: their sizes add up to its own)
        para_first, para_last = odoc.para_tokens[o]
        size = (para_last - para_first) or 1
        share = sum(odoc.sentences[i].last - odoc.sentences[i].first for i in used) / size
        if not used or share >= _ORIGINAL_COVER:
            spans.append(odoc.paragraphs[o])
        else:
            spans.append(_sentence_span(odoc, min(used), max(used)))
    return (min(s for s, _ in spans), max(e for _, e in spans))


def _sentence_runs(odoc: Document, cdoc: Document, p: int, by_copy: dict[int, list[Seed]],
                   covered: set[int], passages: list[Passage]) -> list[Unit]:
    """Runs of derived sentences inside copy paragraph ``p``, each with its original range."""
    first, last = cdoc.para_sentences[p]
    units = []
    i = first
    while i < last:
        if i not in covered:
            i += 1
            continue
        j = i
        while j + 1 < last and j + 1 in covered:
            j += 1
        partners = [_best(by_copy[k]).original for k in range(i, j + 1) if k in by_copy]
        for passage in passages:
            if passage.c_first <= j and i <= passage.c_last:
                if i <= passage.c_first <= j:
                    partners.append(passage.o_first)
                if i <= passage.c_last <= j:
                    partners.append(passage.o_last)
        if partners:
            o_first, o_last = min(partners), max(partners)
            cspan = _sentence_span(cdoc, i, j)
            ospan = _sentence_span(odoc, o_first, o_last)
            units.append(Unit(cspan, ospan, (p,), tuple(range(odoc.sentences[o_first].paragraph,
                                                                odoc.sentences[o_last].paragraph + 1))))
        i = j + 1
    return units


def _join_across_paragraphs(units: list[Unit], odoc: Document, cdoc: Document) -> list[Unit]:
    """Sentence-run units that continue over a paragraph break into the next one become one."""
    boundaries = ({start for start, _ in odoc.paragraphs}, {end for _, end in odoc.paragraphs})
    out: list[Unit] = []
    for unit in units:
        if out and _continues(out[-1], unit, cdoc, boundaries):
            prev = out[-1]
            out[-1] = _merged(prev, unit)
        else:
            out.append(unit)
    return out


def _continues(prev: Unit, unit: Unit, cdoc: Document, boundaries: tuple[set[int], set[int]]) -> bool:
    """``unit`` carries on the reuse of ``prev`` over a copy paragraph break: ``prev`` runs to
    the end of its paragraph, ``unit`` starts the next one, and their original sides are close.
    Two whole-paragraph units only join when their originals overlap or meet inside an original
    paragraph (reuse cut into paragraphs the original does not have), never when paragraph
    follows paragraph in both texts (an article copied paragraph by paragraph)."""
    p_end = prev.copy_paragraphs[-1]
    p_start = unit.copy_paragraphs[0]
    if p_start != p_end + 1:
        return False
    if prev.copy[1] != cdoc.paragraphs[p_end][1] or unit.copy[0] != cdoc.paragraphs[p_start][0]:
        return False
    gap = unit.original[0] - prev.original[1]
    if prev.whole and unit.whole:
        starts, ends = boundaries
        if not cdoc.blank_lines:
            # Line "paragraphs" of a hard-wrapped copy are no unit of reuse: a passage running
            # on in the original in the same order is one passage.
            return -200 <= gap <= 300
        if all(u.original[0] in starts and u.original[1] in ends for u in (prev, unit)):
            return False
        return -3 <= gap <= 3 and prev.original[1] not in ends
    if gap < 0 and unit.original[1] > prev.original[0]:
        return True
    return -200 <= gap <= 400


def _sentence_span(doc: Document, first: int, last: int) -> Span:
    return (doc.tokens.starts[doc.sentences[first].first], _sentence_end(doc, last))


def _sentence_end(doc: Document, index: int) -> int:
    """End of sentence ``index`` including its closing punctuation and quotes."""
    sentence = doc.sentences[index]
    end = doc.tokens.ends[sentence.last - 1]
    para_end = doc.paragraphs[sentence.paragraph][1]
    text = doc.text
    while end < para_end and not text[end].isspace() and not text[end].isalnum():
        end += 1
    return end


def _contiguous_runs(values: list[int]) -> list[list[int]]:
    runs: list[list[int]] = []
    for v in sorted(values):
        if runs and v == runs[-1][-1] + 1:
            runs[-1].append(v)
        else:
            runs.append([v])
    return runs


def token_range(doc: Document, span: Span) -> tuple[int, int]:
    """Token indices whose start lies inside ``span``."""
    return bisect_left(doc.tokens.starts, span[0]), bisect_left(doc.tokens.starts, span[1])


def _named_by_spans(unit: Unit, odoc: Document, cdoc: Document) -> Unit:
    """``unit`` naming the paragraphs its spans reach, on each side: a side cut to the words
    the other supports may leave a paragraph it was built from, and one joined from pieces
    runs over the paragraphs between them."""
    copy_paragraphs = _spanned(cdoc, unit.copy) or unit.copy_paragraphs
    original_paragraphs = _spanned(odoc, unit.original) or unit.original_paragraphs
    if copy_paragraphs == unit.copy_paragraphs and original_paragraphs == unit.original_paragraphs:
        return unit
    return Unit(unit.copy, unit.original, copy_paragraphs, original_paragraphs, unit.whole, unit.summary)


def _spanned(doc: Document, span: Span) -> tuple[int, ...]:
    """The paragraphs of ``doc`` that ``span`` overlaps."""
    paragraphs = doc.paragraphs
    first = bisect_right(paragraphs, (span[0], len(doc.text) + 1)) - 1
    if first < 0 or paragraphs[first][1] <= span[0]:
        first += 1
    return tuple(range(first, bisect_left(paragraphs, (span[1], -1))))
