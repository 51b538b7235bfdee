#!/usr/bin/env python3
"""Run zhisou over the development queries and score the run with evaluate.py.

usage: Tools/eval.py [--zhisou PATH] [--queries FILE] [--evaluate FILE]
                     [--run-out FILE] [--index DIR] [--corpus DIR] [--limit N]

Intent "case" goes through `zhisou cases` (every case, strong then passing), the
others through `zhisou search --limit N`. Writes the run file
{"<query id>": [{"file", "lineStart", "lineEnd"}, ...]} and prints evaluate.py's
table: nDCG@10, recall and case complete-recall per intent. Standard library only.
"""
import argparse
import json
import os
import subprocess
import sys

HERE = os.path.dirname(os.path.abspath(__file__))
ROOT = os.path.dirname(HERE)
SHARED = os.path.join(os.path.dirname(ROOT), "shared", "eval")


def run_query(zhisou, command, query, index, corpus, limit):
    args = [zhisou, command, query, "--json", "--index", index, "--corpus", corpus]
    if command == "search":
        args += ["--limit", str(limit)]
    out = subprocess.run(args, capture_output=True, text=True)
    if out.returncode != 0:
        sys.stderr.write("%s %r failed (%d): %s\n" % (command, query, out.returncode, out.stderr.strip()))
        return []
    hits = []
    for line in out.stdout.splitlines():
        line = line.strip()
        if not line:
            continue
        hit = json.loads(line)
        if "file" in hit and "lineStart" in hit:
            hits.append({"file": hit["file"], "lineStart": hit["lineStart"], "lineEnd": hit["lineEnd"],
                         "title": hit.get("title", "")})
    return hits


def main():
    p = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    p.add_argument("--zhisou", default=os.path.join(ROOT, ".build", "release", "zhisou"))
    p.add_argument("--queries", default=os.path.join(SHARED, "dev-queries.json"))
    p.add_argument("--evaluate", default=os.path.join(SHARED, "evaluate.py"))
    p.add_argument("--run-out", default=os.path.join(ROOT, "run-dev.json"))
    p.add_argument("--index", default=os.path.join(ROOT, "Index"))
    p.add_argument("--corpus", default=os.path.join(ROOT, "Corpus"))
    p.add_argument("--limit", type=int, default=100)
    p.add_argument("--per-query", action="store_true")
    a = p.parse_args()
    if not os.path.exists(a.zhisou):
        sys.exit("no zhisou binary at %s; run: swift build -c release" % a.zhisou)
    with open(a.queries, encoding="utf-8") as f:
        queries = json.load(f)["queries"]
    run = {}
    for q in queries:
        command = "cases" if q.get("intent") == "case" else "search"
        run[str(q["id"])] = run_query(a.zhisou, command, q["query"], a.index, a.corpus, a.limit)
    with open(a.run_out, "w", encoding="utf-8") as f:
        json.dump(run, f, ensure_ascii=False, indent=1)
    args = [sys.executable, a.evaluate, a.run_out, "--judgments", a.queries]
    if a.per_query:
        args.append("--per-query")
    sys.exit(subprocess.call(args))


if __name__ == "__main__":
    main()
