#!/usr/bin/env python3
"""Lists candidate domain-lexicon terms: frequent n-grams that ICU splits into fragments.

Reads the corpus (default: Corpus/*.txt), asks `zhisou analyze --json` for ICU's own
word segmentation of every line (word tokens only; lexicon compounds are ignored), and
counts every run of 2-6 CJK characters that starts and ends on an ICU word boundary
but spans two or more ICU words: the places where a term of this field was cut into
fragments (产教融合 -> 产/教/融合). Prints one candidate per line, most frequent first:

    term <TAB> aligned occurrences <TAB> documents <TAB> ICU's most common split

A candidate is dropped when a longer candidate containing it occurs (aligned) as often,
so 双师型教 does not shadow 双师型教师. The output is raw material for a person to
curate into Sources/ZhisouAnalysis/StandardLexicon.swift, not a lexicon by itself.

Usage: Tools/lexicon_candidates.py [--zhisou PATH] [--min-count N] [--min-docs N] [FILES...]
Stdlib only.
"""

import argparse
import collections
import glob
import json
import os
import re
import subprocess
import sys

CJK = re.compile(r"[\u3400-\u4dbf\u4e00-\u9fff\uf900-\ufaff]+")
# Characters that rarely begin or end a term of this field (function words, measure words).
EDGE_STOP = set("的了和与及或在是为对将把被并等从由以于中上下也都而其之这那个各每该此有")
WORD_KINDS = {"word", "number", "letters"}
BATCH_BYTES = 60_000  # one command-line argument must stay under 128 KiB


def batches(lines):
    """Groups lines into texts small enough for one command-line argument."""
    batch, size = [], 0
    for line in lines:
        n = len(line.encode("utf-8")) + 1
        if batch and size + n > BATCH_BYTES:
            yield "\n".join(batch)
            batch, size = [], 0
        batch.append(line)
        size += n
    if batch:
        yield "\n".join(batch)


def icu_words(zhisou, text):
    """Byte ranges of ICU's word tokens in `text`, from `zhisou analyze --json`."""
    out = subprocess.run(
        [zhisou, "analyze", "--json", text], check=True, capture_output=True, text=True
    ).stdout
    words = []
    for line in out.splitlines():
        token = json.loads(line)
        if token["kind"] in WORD_KINDS:
            words.append((token["start"], token["end"]))
    return words


def scan(text, words, counts, splits, docs, name):
    """Counts the boundary-aligned multi-word CJK n-grams of one analysed text."""
    data = text.encode("utf-8")
    # Character index <-> byte offset, and which character offsets are word boundaries.
    byte_of = []
    offset = 0
    for ch in text:
        byte_of.append(offset)
        offset += len(ch.encode("utf-8"))
    byte_of.append(offset)
    starts = {s for s, _ in words}
    ends = {e for _, e in words}
    word_at = {s: e for s, e in words}
    for match in CJK.finditer(text):
        a, b = match.start(), match.end()
        for i in range(a, b):
            if byte_of[i] not in starts:
                continue
            for n in range(2, 7):
                j = i + n
                if j > b:
                    break
                if byte_of[j] not in ends:
                    continue
                # Walk ICU's words from i to j: the n-gram must cover two or more.
                parts, p = [], byte_of[i]
                while p < byte_of[j] and p in word_at:
                    parts.append(data[p : word_at[p]].decode("utf-8"))
                    p = word_at[p]
                if p != byte_of[j] or len(parts) < 2:
                    continue
                term = text[i:j]
                counts[term] += 1
                splits[term]["/".join(parts)] += 1
                docs[term].add(name)


def main():
    root = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("files", nargs="*")
    parser.add_argument("--zhisou", default=os.path.join(root, ".build-analysis/debug/zhisou"))
    parser.add_argument("--min-count", type=int, default=3)
    parser.add_argument("--min-docs", type=int, default=1)
    args = parser.parse_args()
    files = args.files or sorted(glob.glob(os.path.join(root, "Corpus", "*.txt")))

    counts = collections.Counter()
    splits = collections.defaultdict(collections.Counter)
    docs = collections.defaultdict(set)
    for path in files:
        with open(path, encoding="utf-8") as f:
            lines = [line.rstrip("\n") for line in f]
        name = os.path.basename(path)
        for text in batches(lines):
            scan(text, icu_words(args.zhisou, text), counts, splits, docs, name)

    kept = {
        t: c
        for t, c in counts.items()
        if c >= args.min_count
        and len(docs[t]) >= args.min_docs
        and t[0] not in EDGE_STOP
        and t[-1] not in EDGE_STOP
    }
    # Drop a candidate that a longer kept candidate explains completely.
    by_length = sorted(kept, key=len, reverse=True)
    for t in by_length:
        for longer in by_length:
            if len(longer) <= len(t):
                break
            if t in longer and kept.get(longer, 0) >= kept[t]:
                kept.pop(t)
                break
    for t, c in sorted(kept.items(), key=lambda kv: (-kv[1], kv[0])):
        split = splits[t].most_common(1)[0][0]
        print(f"{t}\t{c}\t{len(docs[t])}\t{split}")


if __name__ == "__main__":
    sys.exit(main())
