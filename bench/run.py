"""`make bench`: alignment quality on every labelled set at hand (../shared/examples, bench/pairs,
bench/heldout, the demo pairs, the PAN 2013 subset by category) and speed and memory on the seed pair, a typical
pair and long pairs generated from the demo text, each next to a difflib baseline run in the same
process and the floor (one regex split of both texts).

Usage: python bench/run.py [--words N [N ...]] [--runs R] [--no-quality] [--json FILE]
"""

from __future__ import annotations

import argparse
import gc
import importlib.util
import json
import os
import platform
import re
import statistics
import subprocess
import sys
import tempfile
import time
import tracemalloc
from collections.abc import Callable
from difflib import SequenceMatcher
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from app.align import MODULES, align, compiled_modules, split_paragraphs  # noqa: E402
from app.demo import DEMO_PAIRS, demo_corpus_text  # noqa: E402
from bench.synth import generate  # noqa: E402

SHARED = ROOT.parent / "shared"
_WORDS = re.compile(r"\w+")

Aligner = Callable[[str, str], dict[str, Any]]


def copydesk(original: str, copy: str) -> dict[str, Any]:
    return align(original, copy).to_dict()


def difflib_baseline(original: str, copy: str) -> dict[str, Any]:
    """What a diff tool does: SequenceMatcher over the paragraph lists, then, inside each
    replaced region, every copy paragraph against the original paragraphs near its position
    (word-level SequenceMatcher ratio >= 0.5 links them)."""
    ops, cps = split_paragraphs(original), split_paragraphs(copy)
    okeys = [" ".join(original[s:e].split()) for s, e in ops]
    ckeys = [" ".join(copy[s:e].split()) for s, e in cps]
    blocks: list[dict[str, Any]] = []
    used: set[int] = set()
    matcher = SequenceMatcher(None, okeys, ckeys, autojunk=False)
    for tag, i1, i2, j1, j2 in matcher.get_opcodes():
        if tag == "equal":
            for i, j in zip(range(i1, i2), range(j1, j2), strict=True):
                blocks.append({"kind": "verbatim", "original": list(ops[i]), "copy": list(cps[j]), "score": 1.0})
                used.add(i)
            continue
        for j in range(j1, j2):
            best, best_i = 0.0, None
            centre = i1 + (j - j1) * max(i2 - i1, 1) // max(j2 - j1, 1)
            cwords = ckeys[j].lower().split()
            for i in range(max(i1, centre - 3), min(i2, centre + 4)):
                ratio = SequenceMatcher(None, okeys[i].lower().split(), cwords, autojunk=False).ratio()
                if ratio > best:
                    best, best_i = ratio, i
            if best_i is not None and best >= 0.5:
                blocks.append({"kind": "edited", "original": list(ops[best_i]), "copy": list(cps[j]),
                               "score": round(best, 3)})
                used.add(best_i)
            else:
                blocks.append({"kind": "inserted", "original": None, "copy": list(cps[j]), "score": None})
    for i, span in enumerate(ops):
        if i not in used:
            blocks.append({"kind": "omitted", "original": list(span), "copy": None, "score": None})
    return {"format": "copydesk.alignment/1",
            "original": {"length": len(original), "paragraphs": [list(p) for p in ops]},
            "copy": {"length": len(copy), "paragraphs": [list(p) for p in cps]},
            "blocks": blocks, "changes": [], "summary": {}}


def floor(original: str, copy: str) -> dict[str, Any]:
    """The least any aligner must do: read the words of both texts."""
    _WORDS.findall(original)
    _WORDS.findall(copy)
    return {}


def engine_build() -> str:
    """Which engine the timings are of: compiled, partly compiled (sources edited since the
    last build) or Python."""
    compiled = compiled_modules()
    total = len(MODULES)
    if not compiled:
        return "engine: Python source (not compiled: see the README)"
    if len(compiled) < total:
        return (f"engine: {len(compiled)} of {total} modules compiled (the others were edited since the "
                f"last build: `make bench` rebuilds)")
    return f"engine: compiled with Cython ({total} modules)"


def median_seconds(fn: Aligner, original: str, copy: str, runs: int) -> float:
    times = []
    for _ in range(runs):
        gc.collect()
        start = time.perf_counter()
        fn(original, copy)
        times.append(time.perf_counter() - start)
    return statistics.median(times)


def peak_mb(fn: Aligner, original: str, copy: str) -> float:
    gc.collect()
    tracemalloc.start()
    try:
        fn(original, copy)
        return tracemalloc.get_traced_memory()[1] / 1e6
    finally:
        tracemalloc.stop()


def load_scorer() -> Any | None:
    path = SHARED / "tools" / "score.py"
    if not path.is_file():
        return None
    spec = importlib.util.spec_from_file_location("copydesk_score", path)
    module = importlib.util.module_from_spec(spec)
    assert spec.loader is not None
    spec.loader.exec_module(module)
    return module


def link_f1(score: Any, doc: dict[str, Any], truth: dict[str, Any]) -> tuple[float, float]:
    """Link F1 and plagdet of one output against truth, with ../shared/tools/score.py's rules."""
    blocks, _changes, _warnings = score.parse_output(json.dumps(doc), truth["original"]["length"],
                                                     truth["copy"]["length"])
    got = score.predicted_links(blocks, truth)
    want = {(link["copy_paragraph"], link["original_paragraph"]) for link in truth["links"]}
    tp = len(got & want)
    f1 = score.f1(score.ratio(tp, len(got)), score.ratio(tp, len(want)))
    plagdet = score.plagdet_of(*score.plagdet_parts(blocks, truth))[3]
    return f1, plagdet


def synth_truth(pair: Any) -> dict[str, Any]:
    ops, cps = split_paragraphs(pair.original), split_paragraphs(pair.copy)
    links = [{"copy_paragraph": c, "original_paragraph": o, "copy": list(cps[c]), "original": list(ops[o])}
             for c, srcs in pair.links.items() for o in srcs]
    return {"original": {"length": len(pair.original), "paragraphs": [list(p) for p in ops]},
            "copy": {"length": len(pair.copy), "paragraphs": [list(p) for p in cps]}, "links": links}


def read(path: Path) -> str:
    with open(path, encoding="utf-8", newline="") as handle:
        return handle.read()


def labelled_sets(tmp: Path) -> list[tuple[str, Path]]:
    """Every labelled set at hand, built into ``tmp`` where it is given as specs."""
    sets: list[tuple[str, Path]] = []
    tools = SHARED / "tools"
    if (SHARED / "examples").is_dir():
        sets.append(("shared/examples", SHARED / "examples"))
    for name, specs in (("bench/pairs", ROOT / "bench" / "pairs"), ("bench/heldout", ROOT / "bench" / "heldout"),
                        ("demo pairs", ROOT / "app" / "demo_data")):
        if specs.is_dir() and (tools / "build.py").is_file():
            out = tmp / name.replace("/", "-")
            subprocess.run([sys.executable, str(tools / "build.py"), "--pairs", str(specs), "--out", str(out)],
                           check=True, capture_output=True)
            if (specs / "relayout.py").is_file():
                # Layouts the spec format cannot express (hard wraps, one newline between paragraphs).
                subprocess.run([sys.executable, str(specs / "relayout.py"), str(out)], check=True,
                               capture_output=True)
            sets.append((name, out))
    pan = SHARED / "bench" / "pan" / "test_corpus"
    if pan.is_dir() and (tools / "pan_pairs.py").is_file():
        out = tmp / "pan"
        subprocess.run([sys.executable, str(tools / "pan_pairs.py"), "--out", str(out)], check=True,
                       capture_output=True)
        sets.extend((f"PAN {d.name}", d) for d in sorted(out.iterdir()) if d.is_dir())
    return sets


def score_set(score: Any, folder: Path, fn: Aligner) -> dict[str, float]:
    """The figures score.py prints, micro-averaged over the pairs of ``folder``."""
    rows = []
    for pair in sorted(p for p in folder.iterdir() if (p / "truth.json").is_file()):
        truth = json.loads(read(pair / "truth.json"))
        original, copy = read(pair / "original.txt"), read(pair / "copy.txt")
        blocks, changes, _ = score.parse_output(json.dumps(fn(original, copy)), len(original), len(copy))
        rows.append(score.score_pair(truth, blocks, changes, score.NonSpace(copy)))
    pos = [r for r in rows if "link_tp" in r]
    neg = [r for r in rows if "neg_cover_chars" in r]
    total = {k: sum(r.get(k, 0) for r in rows) for k in (
        "link_tp", "link_fp", "link_fn", "ins_tp", "ins_pred", "ins_true", "chg_found", "chg_total",
        "chg_good", "chg_pred", "neg_cover_chars", "neg_total_chars")}
    r = score.ratio
    _, _, _, plagdet = score.plagdet_of([x for p in pos for x in p["pd_prec"]],
                                        [x for p in pos for x in p["pd_rec"]],
                                        [x for p in pos for x in p["pd_gran"]])
    return {
        "pairs": len(rows), "negatives": len(neg),
        "link_f1": score.f1(r(total["link_tp"], total["link_tp"] + total["link_fp"]),
                            r(total["link_tp"], total["link_tp"] + total["link_fn"])),
        "plagdet": plagdet,
        "inserted_f1": score.f1(r(total["ins_tp"], total["ins_pred"]), r(total["ins_tp"], total["ins_true"])),
        "change_recall": r(total["chg_found"], total["chg_total"]),
        "change_precision": r(total["chg_good"], total["chg_pred"]),
        "negative_cover": r(total["neg_cover_chars"], total["neg_total_chars"]),
    }


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--words", type=int, nargs="+", default=[100_000, 400_000],
                        help="sizes (words a side) of the generated long pairs (default 100000 400000)")
    parser.add_argument("--runs", type=int, default=15, help="runs per timing on short pairs (median)")
    parser.add_argument("--no-quality", action="store_true", help="timings only, skip the labelled sets")
    parser.add_argument("--json", metavar="FILE", help="also write the figures as JSON")
    args = parser.parse_args(argv)
    score = load_scorer()
    report: dict[str, Any] = {"quality": [], "timing": []}

    if score is not None and not args.no_quality:
        print("Quality on every labelled set (../shared/tools/score.py's measures, micro-averaged)")
        header = (f"{'set':34s} {'aligner':9s} {'pairs':>5s} {'link F1':>8s} {'plagdet':>8s} {'ins F1':>7s} "
                  f"{'chg R':>6s} {'chg P':>6s} {'neg cover':>9s}")
        print(header)
        print("-" * len(header))
        with tempfile.TemporaryDirectory() as tmp:
            for name, folder in labelled_sets(Path(tmp)):
                for label, fn in (("copydesk", copydesk), ("difflib", difflib_baseline)):
                    fig = score_set(score, folder, fn)
                    report["quality"].append({"set": name, "aligner": label, **fig})
                    print(f"{name:34s} {label:9s} {fig['pairs']:5d} {fig['link_f1']:8.3f} {fig['plagdet']:8.3f} "
                          f"{fig['inserted_f1']:7.3f} {fig['change_recall']:6.3f} {fig['change_precision']:6.3f} "
                          f"{fig['negative_cover'] if fig['negatives'] else float('nan'):9.3f}")
        print()

    cases: list[tuple[str, str, str, dict[str, Any] | None, int]] = []
    seed = SHARED / "examples" / "seed-azerbaijan"
    if seed.is_dir():
        cases.append(("seed-azerbaijan", read(seed / "original.txt"), read(seed / "copy.txt"),
                      json.loads(read(seed / "truth.json")), args.runs))
    corpus = demo_corpus_text()
    typical = generate(corpus, 1_000, seed=11)
    cases.append(("typical 1,000 words", typical.original, typical.copy, synth_truth(typical), args.runs))
    for pair in DEMO_PAIRS:
        cases.append((f"demo:{pair.spec}", pair.original.text, pair.copy.text, None, args.runs))
    for words in args.words:
        synth = generate(corpus, words)
        cases.append((f"generated {words:,} words", synth.original, synth.copy, synth_truth(synth),
                      3 if words >= 100_000 else 5))

    print("Speed and memory (median of runs; peak = tracemalloc peak of one run)")
    # (the interpreter's build matters: one compiled with profile-guided optimisation runs the
    # engine about an eighth faster than one built without, as pyenv builds by default; and so
    # does the engine's: compiled with Cython by setup.py, or its Python source)
    print(f"Python {platform.python_version()} ({platform.python_implementation()}, {sys.executable}), "
          f"{os.cpu_count()} CPUs")
    print(engine_build())
    header = (f"{'pair':30s} {'words o/c':>15s} {'aligner':10s} {'median ms':>10s} {'x floor':>8s} "
              f"{'x difflib':>9s} {'peak MB':>8s} {'link F1':>8s} {'plagdet':>8s}")
    print(header)
    print("-" * len(header))
    for name, original, copy, truth, runs in cases:
        words = f"{len(original.split()):,}/{len(copy.split()):,}"
        t_floor = median_seconds(floor, original, copy, runs)
        results: dict[str, dict[str, Any]] = {}
        for label, fn in (("copydesk", copydesk), ("difflib", difflib_baseline)):
            seconds = median_seconds(fn, original, copy, runs)
            figures: dict[str, Any] = {"pair": name, "aligner": label, "median_s": seconds,
                                       "peak_mb": peak_mb(fn, original, copy), "floor_s": t_floor}
            if truth is not None and score is not None:
                figures["link_f1"], figures["plagdet"] = link_f1(score, fn(original, copy), truth)
            results[label] = figures
        for label, figures in results.items():
            vs = figures["median_s"] / results["difflib"]["median_s"]
            quality = (f"{figures['link_f1']:8.3f} {figures['plagdet']:8.3f}" if "link_f1" in figures
                       else f"{'-':>8s} {'-':>8s}")
            print(f"{name:30s} {words:>15s} {label:10s} {figures['median_s'] * 1000:10.1f} "
                  f"{figures['median_s'] / t_floor:8.1f} {vs:9.2f} {figures['peak_mb']:8.1f} {quality}")
            report["timing"].append(figures)
        print(f"{'':30s} {'':15s} {'floor':10s} {t_floor * 1000:10.2f}   (one regex split of both texts)")
    long_runs = [f for f in report["timing"] if f["aligner"] == "copydesk" and f["pair"].startswith("generated")]
    if len(long_runs) >= 2:
        a, b = long_runs[0], long_runs[-1]
        print(f"\ngrowth: {b['pair']} takes {b['median_s'] / a['median_s']:.2f}x the time of {a['pair']}")
    if args.json:
        Path(args.json).write_text(json.dumps(report, indent=1) + "\n", encoding="utf-8")
    return 0


if __name__ == "__main__":
    sys.exit(main())
