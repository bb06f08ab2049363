#!/usr/bin/env python3
"""Apply the text layouts in LAYOUTS below to pairs built by build.py (in place).

build.py always writes paragraphs joined by a blank line and no line break inside a paragraph.
Some held-out pairs need another layout, which the spec format cannot express:

  wrap:N          hard-wrap every paragraph at N columns: spaces become single newlines, so every
                  offset stays the same; only the span texts in truth.json are refreshed.
  single-newline  paragraphs separated by one newline instead of a blank line; every span on that
                  side of truth.json is shifted to match.

Usage: python3 relayout.py BUILD_DIR      (run right after build.py; a second run does nothing)
Standard library only.
"""
from __future__ import annotations

import json
import os
import sys

# pair id -> {side: layout}.  (Kept here, not in a .json file: build.py reads every *.json in
# this folder as a pair spec.)
LAYOUTS = {
    "x02-split-merge-reorder-tunnel": {"original": "wrap:68"},
    "x03-junk-wrapped-maternity": {"copy": "wrap:72"},
    "x04-changed-facts-factory": {"copy": "single-newline"},
}


def read(path):
    with open(path, encoding="utf-8", newline="") as f:
        return f.read()


def write(path, text):
    with open(path, "w", encoding="utf-8", newline="") as f:
        f.write(text)


def wrap(text, paras, width):
    """Greedy wrap: a space before a word that would overflow the line becomes a newline."""
    chars = list(text)
    for s, e in paras:
        line_len, i = 0, s
        while i < e:
            j = i
            while j < e and chars[j] not in " \n":
                j += 1
            word = j - i
            if i == s or chars[i - 1] == "\n":
                line_len = word
            elif line_len + 1 + word > width:
                chars[i - 1] = "\n"
                line_len = word
            else:
                line_len += 1 + word
            i = j + 1
    return "".join(chars)


def single_newline(text, paras):
    """Drop one newline of each paragraph gap; return new text and an offset map function."""
    gaps = [e for (s, e), _ in zip(paras, paras[1:])]   # each gap "\n\n" starts at a paragraph end
    for g in gaps:
        assert text[g:g + 2] == "\n\n", "layout already applied or unexpected separator"
    out, last = [], 0
    for g in gaps:
        out.append(text[last:g + 1])
        last = g + 2
    out.append(text[last:])

    def m(o):
        return o - sum(1 for g in gaps if g + 1 < o)
    return "".join(out), m


def refresh(truth, otext, ctext):
    for x in truth["inserted"]:
        x["text"] = ctext[x["copy"][0]:x["copy"][1]]
    for ch in truth["changes"]:
        ch["original_text"] = otext[ch["original"][0]:ch["original"][1]]
        ch["copy_text"] = ctext[ch["copy"][0]:ch["copy"][1]]


def apply(d, layout):
    tpath = os.path.join(d, "truth.json")
    with open(tpath, encoding="utf-8") as f:
        truth = json.load(f)
    texts = {side: read(os.path.join(d, f"{side}.txt")) for side in ("original", "copy")}
    for side, how in layout.items():
        text = texts[side]
        paras = truth[side]["paragraphs"]
        if how.startswith("wrap:"):
            texts[side] = wrap(text, paras, int(how[5:]))
        elif how == "single-newline":
            if len(paras) > 1 and text[paras[0][1]:paras[0][1] + 2] != "\n\n":
                print(f"  {os.path.basename(d)} {side}: single-newline already applied")
                return
            texts[side], m = single_newline(text, paras)
            mp = lambda sp: [m(sp[0]), m(sp[1])]
            truth[side]["length"] = len(texts[side])
            truth[side]["paragraphs"] = [mp(p) for p in paras]
            if side == "copy":
                for x in truth["copy_paragraphs"]:
                    x["copy"] = mp(x["copy"])
                for key in ("links", "inserted", "changes"):
                    for x in truth[key]:
                        x["copy"] = mp(x["copy"])
            else:
                for key in ("links", "omitted", "changes"):
                    for x in truth[key]:
                        x["original"] = mp(x["original"])
        else:
            raise SystemExit(f"relayout.py: unknown layout {how!r}")
        assert len(texts[side]) == truth[side]["length"]
    refresh(truth, texts["original"], texts["copy"])
    for side in ("original", "copy"):
        write(os.path.join(d, f"{side}.txt"), texts[side])
    write(tpath, json.dumps(truth, indent=1, ensure_ascii=False) + "\n")
    print(f"  {os.path.basename(d)}: {layout}")


def main(argv):
    if len(argv) != 1:
        raise SystemExit(__doc__)
    for pid, layout in LAYOUTS.items():
        d = os.path.join(argv[0], pid)
        if os.path.isdir(d):
            apply(d, layout)
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
