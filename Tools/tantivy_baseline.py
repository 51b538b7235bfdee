#!/usr/bin/env python3
"""Tantivy on zhisou's own benchmark queries, in the same run: a same-host baseline for
the in-process latency target of issue 5 ("below Tantivy's p95 on the same queries").

usage: Tools/tantivy_baseline.py --corpus DIR --index DIR [--tantivy-dir DIR]
                                 [--search-benchmark PATH] [--runs N] [--rebuild]

1. Runs `search-benchmark --index DIR --runs N --json --fresh-runs` (release build) for
   zhisou's query set and two sets of per-query times: "warm", one `Searcher` across
   all runs, which keeps each word it prepared (its dictionary entries, and the matched
   units of a word of several terms) as a long-running process would; and "fresh", a
   new `Searcher` for every run, as a `zhisou search` process has.
2. Builds (once; --rebuild to redo) a Tantivy index of the same corpus files: units are
   cut at heading lines (a simple section splitter, as in the issue's baselines); text
   is NFKC-folded and lower-cased, then tokenised as zhisou indexes Chinese (overlapping
   CJK bigrams, a run's last character alone) plus runs of letters and digits; Tantivy
   indexes those tokens (whitespace tokenizer) with positions, title and body fields.
3. Runs every query with zhisou's semantics: every word must match (in the title or the
   body), a word of several tokens as a phrase, `"..."` as one phrase, `A OR B`, `-word`
   excluded; top 10 by Tantivy's BM25. Filter queries (region:/year:/kind:) are left
   out of both sides, since the splitter knows no metadata. Each query is timed
   in-process (query construction included, top 10 without counting every match), in N
   rounds over the whole set after one warm-up round, as search-benchmark runs them.
4. Prints p50/p95/p99 per category and overall for both engines, on the same queries.

What differs, besides the engines: zhisou's times include its snippets, explanations
and partial-match fallback (Tantivy's are the ranked top 10 alone); zhisou also indexes
lexicon terms (产教融合) as single terms, which Tantivy here matches as bigram phrases;
the Tantivy side does not fold traditional script or full-width forms in queries (the
benchmark's queries need neither).

Needs `pip install tantivy` (not needed by the engine; this is a manual benchmark).
"""
import argparse
import json
import os
import re
import shutil
import subprocess
import sys
import time
import unicodedata

import tantivy

HEADING = re.compile(
    r"^(#{1,6}\s|\d+(\.\d+)*[\.、\s]|[一二三四五六七八九十]+、|（[一二三四五六七八九十]+）|第[一二三四五六七八九十]+[章节部分])"
)
TOKEN = re.compile(r"[\u3400-\u4dbf\u4e00-\u9fff\uf900-\ufaff]+|[a-z0-9]+")
CJK = re.compile(r"[\u3400-\u4dbf\u4e00-\u9fff\uf900-\ufaff]")


def tokens(text):
    """zhisou's index tokens, roughly: CJK bigrams (the run's last character alone)."""
    out = []
    for m in TOKEN.finditer(unicodedata.normalize("NFKC", text).lower()):
        run = m.group(0)
        if CJK.match(run):
            out.extend(run[i : i + 2] for i in range(len(run)))
        else:
            out.append(run)
    return out


def word_tokens(word):
    """A query word's tokens: its bigrams; the last character alone only for one character."""
    t = tokens(word)
    if len(t) > 1 and len(t[-1]) == 1 and CJK.match(t[-1]):
        t = t[:-1]  # a word's last character is covered by its last bigram
    return t


def units(path):
    """(title, body) per section: a heading line starts one."""
    with open(path, encoding="utf-8", errors="replace") as f:
        lines = f.read().splitlines()
    title, body = (lines[0] if lines else ""), []
    for line in lines[1:]:
        stripped = line.strip()
        if stripped and len(stripped) <= 40 and HEADING.match(stripped):
            yield title, "\n".join(body)
            title, body = stripped, []
        else:
            body.append(line)
    yield title, "\n".join(body)


def build(corpus, directory):
    sb = tantivy.SchemaBuilder()
    sb.add_text_field("title", stored=False, tokenizer_name="whitespace", index_option="position")
    sb.add_text_field("body", stored=False, tokenizer_name="whitespace", index_option="position")
    schema = sb.build()
    shutil.rmtree(directory, ignore_errors=True)
    os.makedirs(directory)
    index = tantivy.Index(schema, path=directory)
    writer = index.writer(heap_size=1_000_000_000)
    count = 0
    start = time.time()
    files = sorted(
        os.path.join(root, name)
        for root, _, names in os.walk(corpus)
        for name in names
        if name.endswith((".txt", ".md"))
    )
    for n, path in enumerate(files):
        for title, body in units(path):
            writer.add_document(
                tantivy.Document(title=" ".join(tokens(title)), body=" ".join(tokens(body)))
            )
            count += 1
        if n % 1000 == 0:
            print(f"  tantivy: {n}/{len(files)} files, {count} units", file=sys.stderr)
    writer.commit()
    writer.wait_merging_threads()
    print(f"  tantivy: {count} units in {time.time() - start:.0f} s", file=sys.stderr)
    return index


def parse(text):
    """zhisou's query syntax, as far as the benchmark uses it: None for a filter query."""
    groups, excluded, parts = [], [], re.findall(r'"[^"]*"|\S+', text)
    pending_or = False
    for part in parts:
        if part == "OR":
            pending_or = True
            continue
        if ":" in part and not part.startswith('"'):
            return None
        if part.startswith("-") and len(part) > 1:
            excluded.append(part[1:])
            continue
        word = part.strip('"')
        if pending_or and groups:
            groups[-1].append(word)
        else:
            groups.append([word])
        pending_or = False
    return groups, excluded


def word_query(schema, word):
    t = word_tokens(word)
    if not t:
        return None
    fields = []
    for field in ("title", "body"):
        if len(t) == 1:
            fields.append((tantivy.Occur.Should, tantivy.Query.term_query(schema, field, t[0])))
        else:
            fields.append((tantivy.Occur.Should, tantivy.Query.phrase_query(schema, field, t)))
    return tantivy.Query.boolean_query(fields)


def make_query(schema, groups, excluded):
    clauses = []
    for group in groups:
        alternatives = [q for q in (word_query(schema, w) for w in group) if q is not None]
        if not alternatives:
            continue
        if len(alternatives) == 1:
            clauses.append((tantivy.Occur.Must, alternatives[0]))
        else:
            clauses.append(
                (
                    tantivy.Occur.Must,
                    tantivy.Query.boolean_query([(tantivy.Occur.Should, q) for q in alternatives]),
                )
            )
    for word in excluded:
        q = word_query(schema, word)
        if q is not None:
            clauses.append((tantivy.Occur.MustNot, q))
    return tantivy.Query.boolean_query(clauses)


def percentile(values, p):
    s = sorted(values)
    if not s:
        return float("nan")
    k = min(len(s) - 1, max(0, int(round(p * (len(s) - 1)))))
    return s[k]


def main():
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--corpus", required=True)
    ap.add_argument("--index", required=True, help="zhisou index of the same corpus")
    ap.add_argument("--tantivy-dir", default="/tmp/zhisou-tantivy-baseline")
    ap.add_argument("--search-benchmark", default=".build/release/search-benchmark")
    ap.add_argument("--runs", type=int, default=3)
    ap.add_argument("--rebuild", action="store_true")
    args = ap.parse_args()

    print("zhisou: search-benchmark …", file=sys.stderr)
    out = subprocess.run(
        [
            args.search_benchmark, "--index", args.index, "--runs", str(args.runs), "--json",
            "--fresh-runs",
        ],
        check=True, capture_output=True, text=True,
    ).stdout
    ours = json.loads(out)

    marker = os.path.join(args.tantivy_dir, ".built-from")
    if args.rebuild or not os.path.exists(marker) or open(marker).read() != args.corpus:
        print("tantivy: building …", file=sys.stderr)
        index = build(args.corpus, args.tantivy_dir)
        with open(marker, "w") as f:
            f.write(args.corpus)
    else:
        index = tantivy.Index.open(args.tantivy_dir)
    index.reload()
    searcher = index.searcher()
    schema = index.schema

    selected = []  # (query number, category, parsed)
    for q, (category, text) in enumerate(ours["querySet"]):
        parsed = parse(text)
        if parsed is not None:
            selected.append((q, category, parsed))
    # Warm-up round (as zhisou's first run), then rounds over the whole set.
    for _, _, (groups, excluded) in selected:
        searcher.search(make_query(schema, groups, excluded), 10, count=False)
    tantivy_times = {q: [] for q, _, _ in selected}
    for _ in range(args.runs):
        for q, _, (groups, excluded) in selected:
            start = time.perf_counter()
            searcher.search(make_query(schema, groups, excluded), 10, count=False)
            tantivy_times[q].append((time.perf_counter() - start) * 1000)
    # (category, zhisou warm runs, zhisou fresh runs, Tantivy runs)
    rows = [
        (category, ours["queryRunsMs"][q], ours["queryFreshRunsMs"][q], tantivy_times[q])
        for q, category, _ in selected
    ]

    def stats(values):
        return f"{percentile(values, .5):.2f} / {percentile(values, .95):.2f} / {percentile(values, .99):.2f}"

    def line(name, chosen):
        warm = [t for r in chosen for t in r[1]]
        fresh = [t for r in chosen for t in r[2]]
        tv = [t for r in chosen for t in r[3]]
        return (
            f"| {name} ({len(chosen)}) | {stats(warm)} | {stats(fresh)} | {stats(tv)} | "
            f"{percentile(tv, .95) / percentile(fresh, .95):.1f}× |"
        )

    print(f"index {args.index}: {ours['units']} zhisou units; tantivy {searcher.num_docs} units")
    print(f"{len(rows)} queries (filter queries left out), {args.runs} timed runs each, ms")
    print(
        "| queries | zhisou warm p50 / p95 / p99 | zhisou fresh p50 / p95 / p99 "
        "| Tantivy p50 / p95 / p99 | Tantivy p95 ÷ zhisou fresh p95 |"
    )
    print("| --- | --- | --- | --- | --- |")
    for category in ["common", "mid", "rare", "two", "three", "phrase"]:
        chosen = [r for r in rows if r[0] == category]
        if chosen:
            print(line(category, chosen))
    print(line("all", rows))


if __name__ == "__main__":
    main()
