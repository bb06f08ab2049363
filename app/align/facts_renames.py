"""Changed names, titles, institutions and places between the two sides of a block.

- word level: name words with no equal anywhere on the other side are paired by aligned
  position with the other side's unmatched name words ("Reeker" -> "Riger"); an unmatched
  title or institution takes the words the alignment puts in its place ("Congress" ->
  "parliament"); acronyms meet their expansions ("AFB" / "Air Force Base");
- name level: two names at the same place sharing a word, neither containing the other
  ("Kellmouth Harbour Board" -> "Port Council of Kellmouth");
- titles: the title of a person present on both sides ("Rep. Adam Schiff" -> "agent Adam
  Schiff", "Chief executive Dr Raman" -> "Executive director Dr Raman");
- a proper name made generic ("State calls" -> "The state calls"), a compass point turned.
"""

from __future__ import annotations

from collections.abc import Callable

from app.align import facts_lex as lex
from app.align.facts_ctx import Context, Found, short, span_of
from app.align.facts_doc import Doc, is_acronym
from app.align.facts_names import Name, is_institution_word, joins, names_of

# How far (in tokens) the aligned position of a name may lie from its counterpart.
_WINDOW = 12
# A replaced run this short on both sides gives a title or institution its counterpart.
_SMALL_REPLACE = 6
# Titles are looked for this many words around a person's name.
_TITLE_REACH = 6


def name_changes(ctx: Context) -> list[Found]:
    """Names, titles, institutions and places that differ between the block's two sides."""
    if _same_capitals(ctx):
        return _direction_changes(ctx)
    onames, cnames = names_of(ctx)
    okeys, ckeys = ctx.okeys, ctx.ckeys
    out: list[Found] = []
    out += _word_level(ctx, onames, cnames, okeys, ckeys)
    out += _name_level(ctx, onames, cnames)
    out += _title_changes(ctx, onames, cnames)
    out += _demoted(ctx, onames)
    out += _direction_changes(ctx)
    return _tightest(out)


def _same_capitals(ctx: Context) -> bool:
    """Both sides hold the same capitalised words and titles: no name can differ."""
    od, cd = ctx.od, ctx.cd
    o_caps, o_titles = od.among(od.caps, ctx.o_lo, ctx.o_hi), od.among(od.titles, ctx.o_lo, ctx.o_hi)
    c_caps, c_titles = cd.among(cd.caps, ctx.c_lo, ctx.c_hi), cd.among(cd.titles, ctx.c_lo, ctx.c_hi)
    if not ctx.clean:
        c_caps = [k for k in c_caps if ctx.live(k)]
        c_titles = [k for k in c_titles if ctx.live(k)]
    if len(o_caps) + len(o_titles) != len(c_caps) + len(c_titles):
        return False
    mine = sorted([od.surfs[k] for k in o_caps] + [od.lowers[k] for k in o_titles])
    theirs = sorted([cd.surfs[k] for k in c_caps] + [cd.lowers[k] for k in c_titles])
    return mine == theirs


def _tightest(found: list[Found]) -> list[Found]:
    """Of name changes overlapping on both sides, keep the tightest."""
    found = sorted(found, key=lambda f: (f.original[1] - f.original[0]) + (f.copy[1] - f.copy[0]))
    out: list[Found] = []
    for f in found:
        if any(f.original[0] < g.original[1] and g.original[0] < f.original[1]
               and f.copy[0] < g.copy[1] and g.copy[0] < f.copy[1] for g in out):
            continue
        out.append(f)
    return out


def _key_matched(key: str, bag: set[str]) -> bool:
    if key in bag:
        return True
    if (key.endswith("s") and key[:-1] in bag) or key + "s" in bag:  # "Americans" / "American"
        return True
    if key.endswith(lex.DEMONYM_SUFFIXES):  # (one test for all the suffixes first)
        for suffix in lex.DEMONYM_SUFFIXES:
            if key.endswith(suffix) and len(key) - len(suffix) >= 3 and key[: -len(suffix)] in bag:
                return True
    for suffix in lex.DEMONYM_SUFFIXES:
        if key + suffix in bag:
            return True
    return False


def _abbreviated(doc: Doc, name: Name, tokens: list[int], acronyms: list[str], other: Doc,
                 other_names: list[Name]) -> bool:
    """The missing words are an acronym's expansion on the other side ("Air Force Base" /
    "AFB", "Texas" / "TX"), or an acronym whose expansion the other side spells out."""
    if acronyms:
        for first, last in ((tokens[0], tokens[-1] + 1), (name.first, name.last)):
            words = [doc.keys[t] for t in range(first, last) if doc.lowers[t] not in lex.CONNECTORS]
            if words and any(_expands(acronym, words) for acronym in acronyms):
                return True
    if len(tokens) == 1 and is_acronym(doc.surfs[tokens[0]]):
        acronym = doc.surfs[tokens[0]]
        for name in other_names:
            content = [other.keys[t] for t in name.content if other.lowers[t] not in lex.CONNECTORS]
            for a in range(len(content)):
                for b in range(a + 1, min(len(content), a + 6) + 1):
                    if _expands(acronym, content[a:b]):
                        return True
    return False


def _same_by_acronym(ctx: Context, o1: int, o2: int, c1: int, c2: int) -> bool:
    od, cd = ctx.od, ctx.cd
    owords = [od.keys[t] for t in range(o1, o2) if od.lowers[t] not in lex.CONNECTORS]
    cwords = [cd.keys[t] for t in range(c1, c2) if cd.lowers[t] not in lex.CONNECTORS]
    if c2 - c1 == 1 and is_acronym(cd.surfs[c1]) and owords:
        return _expands(cd.surfs[c1], owords)
    if o2 - o1 == 1 and is_acronym(od.surfs[o1]) and cwords:
        return _expands(od.surfs[o1], cwords)
    return False


def _expands(acronym: str, words: list[str]) -> bool:
    letters = acronym.lower()
    if len(words) == 1:
        word = words[0]
        return bool(word) and letters[0] == word[0] and _subsequence(letters, word)
    initials = "".join(w[0] for w in words if w)
    capitals = "".join(ch for ch in acronym if ch.isupper()).lower()
    return letters == initials or capitals == initials


def _subsequence(part: str, whole: str) -> bool:
    it = iter(whole)
    return all(ch in it for ch in part)


def _missing(doc: Doc, name: Name, keys: set[str], norms: set[str]) -> list[int]:
    """Content words of ``name`` with no equal on the other side (titles of a named person
    are left to the title check)."""
    out = []
    for t in name.content:
        if t in name.titles:
            if name.person:
                continue
            if doc.norms[t] not in norms:
                out.append(t)
        elif t in name.person:
            key = doc.keys[t]
            if key not in keys and not _key_matched(key, keys):
                out.append(t)
        elif doc.norms[t] not in norms and not _key_matched(doc.keys[t], keys):
            out.append(t)
    return out


def _unmatched(doc: Doc, names: list[Name], keys: set[str], norms: set[str], other: Doc,
               other_names: list[Name]) -> list[tuple[Name, int, int]]:
    """The names of one side with words that have no equal on the other side (not merely
    written together or as an acronym there): each with its first and last such word."""
    runs: list[tuple[Name, int, int]] = []
    joined: set[str] | None = None
    acronyms: list[str] = []
    for name in names:
        if name.plain and name.person_keys <= keys:
            continue  # every word of the name is on the other side
        miss = _missing(doc, name, keys, norms)
        if not miss:
            continue
        if joined is None:
            joined = {n.joined for n in other_names}
            acronyms = [a for n in other_names for a in n.acronyms]
        if name.joined not in joined and not _abbreviated(doc, name, miss, acronyms, other, other_names):
            runs.append((name, miss[0], miss[-1] + 1))
    return runs


def _word_level(ctx: Context, onames: list[Name], cnames: list[Name], okeys: set[str],
                ckeys: set[str]) -> list[Found]:
    od, cd = ctx.od, ctx.cd
    o_runs = _unmatched(od, onames, ckeys, ctx.cbag, cd, cnames)
    c_runs = _unmatched(cd, cnames, okeys, ctx.obag, od, onames)
    if not o_runs and not c_runs:
        return []
    out: list[Found] = []
    cand = []
    for a, (oname, o1, _o2) in enumerate(o_runs):
        for b, (cname, c1, _c2) in enumerate(c_runs):
            distance = abs(ctx.o_of_c(c1) - o1)
            shared = bool(oname.keys & cname.keys)
            # names sharing a word ("Robert Sheets" / "Robert Spears") pair first, at any
            # distance (a summary moves them), when their surroundings are aligned
            if distance <= _WINDOW or shared:
                cand.append((not shared, distance, a, b))
    cand.sort()
    used_o: set[int] = set()
    used_c: set[int] = set()
    for _shared, _d, a, b in cand:
        if a in used_o or b in used_c:
            continue
        oname, o1, o2 = o_runs[a]
        _cname, c1, c2 = c_runs[b]
        if not ctx.supported(o1, o2, c1, c2):
            continue
        used_o.add(a)
        used_c.add(b)
        out.append(found_name(ctx, oname, o1, o2, c1, c2))
    # titles and institutions: the words the alignment puts in their place
    for a, (oname, o1, o2) in enumerate(o_runs):
        if a in used_o or not (oname.institution or _has_title(od, o1, o2)):
            continue
        counterpart = _counterpart_in_copy(ctx, o1, o2)
        if counterpart is not None:
            out.append(found_name(ctx, oname, o1, o2, *counterpart))
    for b, (cname, c1, c2) in enumerate(c_runs):
        if b in used_c or not (cname.institution or _has_title(cd, c1, c2)):
            continue
        counterpart = _counterpart_in_original(ctx, c1, c2)
        if counterpart is not None:
            out.append(found_name(ctx, None, counterpart[0], counterpart[1], c1, c2))
    return out


def _name_level(ctx: Context, onames: list[Name], cnames: list[Name]) -> list[Found]:
    """Two names at the same place that share a word but neither contains the other."""
    out = []
    used: set[int] = set()
    ckeys = [c.keys for c in cnames if c.keys]
    for oname in onames:
        if len(oname.keys) < 2 and not oname.institution:
            continue
        okeys = oname.keys
        if any(okeys <= keys or keys <= okeys for keys in ckeys):
            continue
        best = None
        for b, cname in enumerate(cnames):
            if b in used or not cname.keys:
                continue
            shared = len(oname.keys & cname.keys)
            if not shared:
                continue
            distance = min(abs(ctx.o_of_c(j) - i) for j in cname.content for i in oname.content)
            if distance > 6:
                continue
            if best is None or (shared, -distance) > best[0]:
                best = ((shared, -distance), b)
        if best is None:
            continue
        cname = cnames[best[1]]
        o1, o2, c1, c2 = _trim_common(ctx, oname, cname)
        if not ctx.supported(oname.first, oname.last, cname.first, cname.last):
            continue
        if _same_by_acronym(ctx, o1, o2, c1, c2):
            continue
        used.add(best[1])
        out.append(found_name(ctx, oname, o1, o2, c1, c2))
    return out


def _trim_common(ctx: Context, oname: Name, cname: Name) -> tuple[int, int, int, int]:
    od, cd = ctx.od, ctx.cd
    o, c = list(oname.content), list(cname.content)
    while len(o) > 1 and len(c) > 1 and od.keys[o[0]] == cd.keys[c[0]]:
        o.pop(0)
        c.pop(0)
    while len(o) > 1 and len(c) > 1 and od.keys[o[-1]] == cd.keys[c[-1]]:
        o.pop()
        c.pop()
    return o[0], o[-1] + 1, c[0], c[-1] + 1


def _has_title(doc: Doc, first: int, last: int) -> bool:
    return any(doc.lowers[t] in lex.TITLES for t in range(first, last))


def found_name(ctx: Context, oname: Name | None, o1: int, o2: int, c1: int, c2: int) -> Found:
    """A name change between original tokens ``o1..o2`` and copy tokens ``c1..c2``; a place
    when either side reads as one ("in Portugal", "the Larchfield estate", "Mill Street")."""
    od, cd = ctx.od, ctx.cd
    ospan = _with_abbreviation_dot(od, o2, span_of(od, o1, o2), ctx.ospan[1])
    cspan = _with_abbreviation_dot(cd, c2, span_of(cd, c1, c2), ctx.cspan[1])
    kind = "name"
    m1, m2 = (oname.first, oname.last) if oname is not None else (o1, o2)
    if not (oname is not None and (oname.institution or oname.titles)) and (
            _placeish(od, m1, m2, ctx.o_lo, ctx.o_hi) or _placeish(cd, c1, c2, ctx.c_lo, ctx.c_hi)):
        kind = "place"
    otext, ctext = od.text[ospan[0]:ospan[1]], cd.text[cspan[0]:cspan[1]]
    return Found(kind, ospan, cspan, f"{kind}: {short(otext)} \u2192 {short(ctext)}")


def _with_abbreviation_dot(doc: Doc, last: int, span: tuple[int, int], limit: int) -> tuple[int, int]:
    """"Rep." rather than "Rep": an abbreviated title keeps its dot."""
    low = doc.lowers[last - 1]
    if span[1] < limit and doc.text[span[1]] == "." and (low in lex.ABBREVIATIONS or low in lex.TITLE_CANON):
        return span[0], span[1] + 1
    return span


def _placeish(doc: Doc, first: int, last: int, lo: int, hi: int) -> bool:
    if any(doc.lowers[t] in lex.TITLES or is_institution_word(doc.lowers[t]) for t in range(first, last)):
        return False
    if any(doc.lowers[t] in lex.PLACE_WORDS for t in range(first, last)):
        return True
    if last < hi and doc.lowers[last] in lex.PLACE_WORDS and joins(doc, last):
        return True
    if first > lo and doc.lowers[first - 1] in lex.LOCATIVE and doc.surfs[first][0].isupper():
        return not (first - 1 > lo and doc.lowers[first - 2] == "according")
    return False


def _content_run(doc: Doc, first: int, last: int) -> tuple[int, int] | None:
    while first < last and (doc.lowers[first] in lex.STOP or not doc.surfs[first][0].isalnum()):
        first += 1
    while last > first and (doc.lowers[last - 1] in lex.STOP or not doc.surfs[last - 1][0].isalnum()):
        last -= 1
    return (first, last) if last > first else None


def _counterpart_in_copy(ctx: Context, o1: int, o2: int) -> tuple[int, int] | None:
    for _unit, (tag, s1, s2, d1, d2) in ctx.seg_of_o(o1):
        if tag != "replace" or o2 > s2 or s2 - s1 > _SMALL_REPLACE or d2 - d1 > _SMALL_REPLACE:
            continue
        if s2 - s1 == d2 - d1:
            run = _content_run(ctx.cd, d1 + (o1 - s1), d1 + (o2 - s1))
        else:
            run = _content_run(ctx.cd, d1, d2)
        if run is None or not all(ctx.live(j) for j in range(*run)):
            continue
        if any(ctx.cd.lowers[j] in lex.PRONOUNS or ctx.cd.norms[j] in ctx.obag for j in range(*run)):
            continue
        return run
    return None


def _counterpart_in_original(ctx: Context, c1: int, c2: int) -> tuple[int, int] | None:
    seg = ctx.seg_of_c(c1)
    if seg is None:
        return None
    tag, s1, s2, d1, d2 = seg
    if tag != "replace" or c2 > d2 or s2 - s1 > _SMALL_REPLACE or d2 - d1 > _SMALL_REPLACE:
        return None
    if s2 - s1 == d2 - d1:
        run = _content_run(ctx.od, s1 + (c1 - d1), s1 + (c2 - d1))
    else:
        run = _content_run(ctx.od, s1, s2)
    if run is None:
        return None
    if any(ctx.od.lowers[i] in lex.PRONOUNS or ctx.od.norms[i] in ctx.cbag for i in range(*run)):
        return None
    return run


# ------------------------------------------------------------------ titles --
def _titles_near(doc: Doc, name: Name, lo: int, hi: int, live: Callable[[int], bool]) -> list[int]:
    """Title words around a person's name in the same sentence ("Margaret Ellery, director of
    the board")."""
    out = list(name.titles)
    k = name.first - 1
    while k >= lo and name.first - k <= _TITLE_REACH and live(k) and not doc.initial[k + 1]:
        if doc.lowers[k] in lex.TITLES:
            out.append(k)
        k -= 1
    k = name.last
    while k < hi and k - name.last < _TITLE_REACH and live(k) and not doc.initial[k]:
        if doc.lowers[k] in lex.TITLES:
            out.append(k)
        k += 1
    return sorted(set(out))


def _title_changes(ctx: Context, onames: list[Name], cnames: list[Name]) -> list[Found]:
    """The title of a person named on both sides."""
    od, cd = ctx.od, ctx.cd
    out = []
    for name in onames:
        if not name.titles or not name.person:
            continue
        person = {od.keys[t] for t in name.person}
        titles = {od.keys[t] for t in name.titles}
        for other in cnames:
            if not person & {cd.keys[t] for t in other.person}:
                continue
            near = _titles_near(cd, other, ctx.c_lo, ctx.c_hi, ctx.live)
            if near:
                theirs = {cd.keys[t] for t in near}
                lost = [t for t in name.titles if od.keys[t] not in theirs]
                new = [t for t in near if cd.keys[t] not in titles]
                if lost and new and not all(cd.keys[t] in lex.GENERIC_TITLES for t in new):
                    out.append(found_name(ctx, name, lost[0], lost[-1] + 1, new[0], new[-1] + 1))
                break
            slot = other.first - 1
            if slot < ctx.c_lo or not ctx.live(slot) or not joins(cd, other.first):
                break
            low = cd.lowers[slot]
            if low in lex.STOP or not cd.surfs[slot][0].isalpha() or cd.surfs[slot][0].isupper():
                break
            if cd.norms[slot] in ctx.obag:
                break
            out.append(found_name(ctx, name, name.titles[0], name.titles[-1] + 1, slot, slot + 1))
            break
    return out


# ------------------------------------------------------------ other cases --
def _demoted(ctx: Context, onames: list[Name]) -> list[Found]:
    """A proper name made generic: "State calls" -> "The state calls"."""
    od, cd = ctx.od, ctx.cd
    out = []
    for name in onames:
        if len(name.content) != 1:
            continue
        i = name.content[0]
        prev_o = od.lowers[i - 1] if i > ctx.o_lo else ""
        for unit in ctx.units:
            j = unit.c_of_o(i)
            if j < 0 or j - 1 < unit.c_lo:
                continue
            if cd.surfs[j][0].isupper() or cd.initial[j] or cd.lowers[j - 1] not in lex.DETERMINERS:
                continue
            if prev_o == cd.lowers[j - 1]:
                continue
            ospan, cspan = span_of(od, i, i + 1), span_of(cd, j - 1, j + 1)
            out.append(Found("name", ospan, cspan,
                             f"name: {od.text[ospan[0]:ospan[1]]} \u2192 {cd.text[cspan[0]:cspan[1]]}"))
    return out


def _direction_changes(ctx: Context) -> list[Found]:
    """A compass direction turned round: "the northern suburbs" -> "the southern suburbs"."""
    od, cd = ctx.od, ctx.cd
    odirs = od.among(od.directions, ctx.o_lo, ctx.o_hi)
    if not odirs:
        return []
    cdirs = [j for j in cd.among(cd.directions, ctx.c_lo, ctx.c_hi) if ctx.live(j)]
    if not cdirs:
        return []
    ovals = {lex.DIRECTIONS[od.lowers[i]] for i in odirs}
    cvals = {lex.DIRECTIONS[cd.lowers[j]] for j in cdirs}
    left_o = [i for i in odirs if lex.DIRECTIONS[od.lowers[i]] not in cvals]
    left_c = [j for j in cdirs if lex.DIRECTIONS[cd.lowers[j]] not in ovals]
    out = []
    used: set[int] = set()
    for j in left_c:
        best = min(left_o, key=lambda i: abs(ctx.o_of_c(j) - i), default=None)
        if best is None or best in used or abs(ctx.o_of_c(j) - best) > 3:
            continue
        used.add(best)
        ospan, cspan = span_of(od, best, best + 1), span_of(cd, j, j + 1)
        out.append(Found("place", ospan, cspan,
                         f"place: {od.text[ospan[0]:ospan[1]]} \u2192 {cd.text[cspan[0]:cspan[1]]}"))
    return out
