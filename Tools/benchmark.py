#!/usr/bin/env python3
"""zhisou benchmark suite: one command, one table.

    python3 Tools/benchmark.py --corpus seed|10mb|100mb|1gb [--runs 5] [--markdown]
                               [--no-build] [--scratch-path .build] [--build-runs N]
                               [--json-out FILE]
    python3 Tools/benchmark.py --update BENCHMARKS.md     # seed, 100mb and 1gb, tables rewritten

`--update FILE` runs the seed corpus (5 runs), 100mb (3 runs) and 1gb (3 runs, one full
build) one after the other, generating what is missing, and replaces each table of FILE
between its markers `<!-- table:NAME -->` and `<!-- /table:NAME -->`; the text around
the markers (what bounds each figure) is left as it is.

Run from anywhere; paths are relative to the repository root. Standard library only.

What it does (every timing is the median of repeated runs, printed with min–max;
every comparison is a ratio of figures measured in this same run):

 0. `swift build -c release --static-swift-stdlib -Xlinker -no-pie` (scratch path `.build` unless `--scratch-path`; skipped
    with `--no-build`), builds the products zhisou, analysis-benchmark and
    search-benchmark; generates the named corpus if missing (seed = `Corpus/`;
    10mb / 100mb / 1gb = `Tools/generate_corpus.py Tools/generated/NAME --size-mb
    10|100|1024 --seed 1`); installs Debian's `ripgrep` with apt-get if `rg` is missing.
 1. `analysis-benchmark --corpus DIR`: raw ICU word break and the analyzer (`.index`),
    one thread, thread CPU time, on a ≥ 20 MB sample of the corpus (every k-th file;
    the seed corpus is repeated to 20 MB), and their ratio.
 2. `zhisou build --full --json` into a temporary index: wall time, the summary's
    seconds, MB/s (corpus bytes ÷ wall time), the ratio to raw ICU MB/s × cores; peak
    resident memory of the build process (wait4 rusage ru_maxrss); index bytes ÷ corpus
    bytes with stored text (all index files) and without (minus the `units` section of
    every segment, read from the seg-*.zsi section tables).
 3. `search-benchmark --index DIR --fresh-runs`: in-process latency p50/p95/p99/max of
    ≥ 200 queries drawn from the index's vocabulary, per category, with one Searcher
    (which keeps the words it prepared), on the first run of each query, and with a new
    Searcher for every run (as a `zhisou search` process has); hostile queries; index
    open time; resident memory after the queries.
 4. Whole process: `zhisou search WORD --limit 10` against `rg -c WORD CORPUS`, five
    words from common to rare, page cache warm (one warm-up each), interleaved runs,
    medians and the ratio rg ÷ zhisou; peak resident memory of the search process.
 5. Incremental rebuilds, as reports arrive one by one (last: they leave more segments
    than the full build wrote): 24 times, append a line to another document and run
    `zhisou build`; each timed, as a fraction of the full build's median wall time
    (median and worst), with the segments merged on the way (`MergePolicy`) and the
    segment count after each; then every document is restored.

Corpus bytes are the bytes of the files zhisou indexes (.txt, .md, .docx).
"""
import argparse
import json
import os
import platform
import shlex
import shutil
import statistics
import subprocess
import sys
import tempfile
import time

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
SIZES = {"10mb": 10, "100mb": 100, "1gb": 1024}
SECTION_NAMES = ["dictionaryIndex", "dictionaryBlocks", "postings", "units", "norms", "documents"]
TARGETS = {
    "build_ratio": 0.6,
    "index_without_text": 0.35,
    "p95_ms": 10.0,
    "cli_ratio": 10.0,
    "build_peak_mb": 2048,
    "search_rss_mb": 100,
    "incremental": 0.02,
}
INCREMENTAL_REBUILDS = 24


def log(message):
    print(f"[benchmark {time.strftime('%H:%M:%S')}] {message}", file=sys.stderr, flush=True)


def run(cmd, **kwargs):
    """Runs a command, returning (wall seconds, stdout, peak RSS KiB); raises on failure.
    The child's CPU seconds (user + system) are left in run.cpu."""
    start = time.monotonic()
    proc = subprocess.Popen(cmd, stdout=subprocess.PIPE, stderr=subprocess.PIPE, **kwargs)
    # wait4 gives this child's own rusage (ru_maxrss in KiB on Linux).
    out_chunks = []
    err_chunks = []
    import threading

    def drain(stream, into):
        for chunk in iter(lambda: stream.read(65536), b""):
            into.append(chunk)

    threads = [threading.Thread(target=drain, args=(proc.stdout, out_chunks)),
               threading.Thread(target=drain, args=(proc.stderr, err_chunks))]
    for t in threads:
        t.start()
    _, status, rusage = os.wait4(proc.pid, 0)
    wall = time.monotonic() - start
    for t in threads:
        t.join()
    proc.returncode = os.waitstatus_to_exitcode(status)
    run.cpu = rusage.ru_utime + rusage.ru_stime
    out = b"".join(out_chunks).decode("utf-8", "replace")
    err = b"".join(err_chunks).decode("utf-8", "replace")
    if proc.returncode != 0:
        raise RuntimeError(f"{shlex.join(cmd)} exited {proc.returncode}\n{err[-2000:]}")
    return wall, out, rusage.ru_maxrss


def spread(values, fmt="{:.2f}"):
    values = sorted(values)
    return (statistics.median(values), f"{fmt.format(values[0])}–{fmt.format(values[-1])}")


def machine():
    model = "?"
    try:
        with open("/proc/cpuinfo") as f:
            for line in f:
                if line.startswith("model name"):
                    model = line.split(":", 1)[1].strip()
                    break
    except OSError:
        pass
    mem = "?"
    try:
        with open("/proc/meminfo") as f:
            for line in f:
                if line.startswith("MemTotal"):
                    mem = f"{int(line.split()[1]) / 1024 / 1024:.1f} GiB"
    except OSError:
        pass
    return {
        "nproc": os.cpu_count(),
        "cpu": model,
        "memory": mem,
        "load": " ".join(f"{x:.2f}" for x in os.getloadavg()),
        "kernel": platform.release(),
        "commit": subprocess.run(["git", "-C", ROOT, "rev-parse", "--short", "HEAD"], capture_output=True,
                                 text=True).stdout.strip() or "?",
        "swift": subprocess.run(["swift", "--version"], capture_output=True, text=True).stdout.strip().splitlines()[0]
        if shutil.which("swift") else "?",
    }


def corpus_files(directory):
    out = []
    for dirpath, dirnames, filenames in os.walk(directory):
        dirnames.sort()
        for name in sorted(filenames):
            if name.endswith((".txt", ".md", ".docx")):
                out.append(os.path.join(dirpath, name))
    return out


def ensure_corpus(name):
    if name == "seed":
        return os.path.join(ROOT, "Corpus")
    directory = os.path.join(ROOT, "Tools", "generated", name)
    marker = os.path.join(directory, ".complete")
    if not os.path.exists(marker) and os.path.isdir(directory):
        # A corpus generated by hand with the same command counts when its size is right.
        size = sum(os.path.getsize(f) for f in corpus_files(directory))
        if abs(size / (SIZES[name] << 20) - 1) <= 0.03:
            with open(marker, "w") as f:
                f.write("found complete (size within 3 %); generated with --seed 1\n")
    if not os.path.exists(marker):
        log(f"generating {name} corpus into {directory}")
        subprocess.run([sys.executable, os.path.join(ROOT, "Tools", "generate_corpus.py"), directory,
                        "--size-mb", str(SIZES[name]), "--seed", "1", "--jobs", str(os.cpu_count() or 1)],
                       check=True)
        with open(marker, "w") as f:
            f.write("generated with --seed 1\n")
    return directory


def ensure_rg():
    if shutil.which("rg"):
        return
    log("rg missing: apt-get install ripgrep")
    sudo = [] if os.geteuid() == 0 else ["sudo"]
    subprocess.run(sudo + ["apt-get", "update"], check=True, stdout=subprocess.DEVNULL)
    subprocess.run(sudo + ["apt-get", "install", "-y", "ripgrep"], check=True, stdout=subprocess.DEVNULL)


def segment_sizes(index_dir):
    """Total bytes of the current generation's files, and of the units sections."""
    with open(os.path.join(index_dir, "CURRENT")) as f:
        generation = f.read().strip()
    total = os.path.getsize(os.path.join(index_dir, generation)) + os.path.getsize(os.path.join(index_dir, "CURRENT"))
    sections = dict.fromkeys(SECTION_NAMES, 0)
    for name in sorted(os.listdir(index_dir)):
        if not (name.startswith("seg-") and name.endswith(".zsi")):
            continue
        # Only segments the current generation names (older ones are deleted at the switch).
        with open(os.path.join(index_dir, generation), "rb") as g:
            if name.encode() not in g.read():
                continue
        path = os.path.join(index_dir, name)
        total += os.path.getsize(path)
        with open(path, "rb") as f:
            header = f.read(16 + 6 * 20)
        assert header[:8] == b"ZHSOUSEG", name
        count = int.from_bytes(header[12:16], "little")
        for k in range(min(count, len(SECTION_NAMES))):
            entry = header[16 + 20 * k: 16 + 20 * (k + 1)]
            length = int.from_bytes(entry[8:16], "little")
            sections[SECTION_NAMES[k]] += length
    return total, sections


def main():
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--corpus", choices=["seed", "10mb", "100mb", "1gb"])
    ap.add_argument("--runs", type=int, default=5, help="repetitions of each timing (default 5)")
    ap.add_argument("--build-runs", type=int, help="full builds (default: runs; 3 for 100mb, 1 for 1gb)")
    ap.add_argument("--markdown", action="store_true", help="print the table as Markdown")
    ap.add_argument("--no-build", action="store_true", help="use the existing release binaries")
    ap.add_argument("--scratch-path", default=".build", help="SwiftPM scratch path (default .build)")
    ap.add_argument("--sample-mb", type=int, default=20, help="analysis sample size (default 20)")
    ap.add_argument("--json-out", help="also write every figure as JSON to this file")
    ap.add_argument("--from-json", metavar="FILE", help="only print the table of a saved --json-out file")
    ap.add_argument("--update", metavar="FILE", help="run seed, 100mb and 1gb and rewrite FILE's tables")
    args = ap.parse_args()
    if args.update:
        update(args)
        return
    if args.from_json:
        with open(args.from_json) as f:
            print(table(json.load(f), args.markdown))
        return
    if not args.corpus:
        ap.error("--corpus is required")
    command = "python3 Tools/benchmark.py " + shlex.join(sys.argv[1:])
    info = machine()  # load average before anything runs
    started = time.time()

    scratch = os.path.join(ROOT, args.scratch_path) if not os.path.isabs(args.scratch_path) else args.scratch_path
    # The Swift runtime linked in statically, as a command-line tool ships: a dynamically
    # linked zhisou spends about 6 ms of every process resolving libswiftCore & co. And a
    # fixed-address executable: as a position-independent one, the dynamic loader patches
    # ~76 000 pointers in its data at every start (about 200 of a search's 1 500 page faults).
    swift = ["swift", "build", "-c", "release", "--static-swift-stdlib", "-Xlinker", "-no-pie",
             "--package-path", ROOT, "--scratch-path", scratch]
    if not args.no_build:
        for product in ["zhisou", "analysis-benchmark", "search-benchmark"]:
            for attempt in range(3):  # sources edited during the build fail it; try again
                log(f"swift build -c release --static-swift-stdlib -Xlinker -no-pie --product {product}")
                built = subprocess.run(swift + ["--product", product], capture_output=True, text=True)
                if built.returncode == 0:
                    break
                log("build failed:\n" + "\n".join((built.stdout + built.stderr).splitlines()[-20:]))
            else:
                sys.exit(f"cannot build {product}")
    bin_dir = subprocess.run(swift + ["--show-bin-path"], check=True, capture_output=True, text=True).stdout.strip()
    zhisou = os.path.join(bin_dir, "zhisou")
    corpus = ensure_corpus(args.corpus)
    ensure_rg()
    files = corpus_files(corpus)
    corpus_bytes = sum(os.path.getsize(f) for f in files)
    cores = os.cpu_count() or 1
    build_runs = args.build_runs or {"100mb": min(args.runs, 3), "1gb": 1}.get(args.corpus, args.runs)
    results = {"machine": info, "command": command, "corpus": args.corpus, "corpusDir": os.path.relpath(corpus, ROOT),
               "corpusFiles": len(files), "corpusBytes": corpus_bytes, "cores": cores}

    # 1. Analysis against raw ICU.
    log(f"analysis-benchmark on a {args.sample_mb} MB sample")
    _, out, _ = run([os.path.join(bin_dir, "analysis-benchmark"), str(args.sample_mb), str(args.runs),
                     "--corpus", corpus, "--json"])
    analysis = json.loads(out.strip().splitlines()[-1])
    # analysis-benchmark counts MiB; everything here is in MB (10^6 bytes).
    for key in ("raw ICU word break", "analyzer .index"):
        analysis[key]["rates"] = [x * 1.048576 for x in analysis[key]["rates"]]
    raw = spread(analysis["raw ICU word break"]["rates"])
    analyzer = spread(analysis["analyzer .index"]["rates"])
    ratios = [a / r for a, r in zip(analysis["analyzer .index"]["rates"], analysis["raw ICU word break"]["rates"])]
    results["analysis"] = {"sampleMB": analysis["megabytes"], "sampleFiles": analysis["files"],
                           "rawICU": raw[0], "rawSpread": raw[1], "analyzer": analyzer[0], "analyzerSpread": analyzer[1],
                           "ratio": analyzer[0] / raw[0], "ratioSpread": spread(ratios)[1]}

    work = tempfile.mkdtemp(prefix="zhisou-bench-")
    index = os.path.join(work, "index")
    try:
        # 2. Full builds.
        walls, secs, peaks, cpus, summary = [], [], [], [], None
        for k in range(build_runs):
            log(f"full build {k + 1}/{build_runs}")
            wall, out, peak = run([zhisou, "build", "--full", "--json", "--corpus", corpus, "--index", index])
            summary = json.loads(out.strip().splitlines()[-1])
            walls.append(wall)
            cpus.append(run.cpu)
            secs.append(summary["seconds"])
            peaks.append(peak)
        mb = corpus_bytes / 1e6
        wall = spread(walls)
        rates = [mb / w for w in walls]
        total, sections = segment_sizes(index)
        without = total - sections["units"]
        results["build"] = {
            "runs": build_runs, "wall": wall[0], "wallSpread": wall[1], "seconds": spread(secs)[0],
            "secondsSpread": spread(secs)[1], "mbps": mb / wall[0], "mbpsSpread": spread(rates)[1],
            "ratio": (mb / wall[0]) / (raw[0] * cores),
            "cpu": spread(cpus)[0], "cpuSpread": spread(cpus)[1],
            "cpuRatio": (mb / spread(cpus)[0]) / raw[0],
            "peakMB": max(peaks) / 1024, "peakSpread": spread([p / 1024 for p in peaks], "{:.0f}")[1],
            "documents": summary["documents"], "units": summary["units"], "distinctTerms": summary.get("distinctTerms"),
            "postings": summary.get("postings"), "indexBytes": total, "summaryIndexBytes": summary["indexBytes"],
            "sections": sections, "withText": total / corpus_bytes, "withoutText": without / corpus_bytes,
        }

        # 3. In-process query latency, on the index of the full build.
        log("search-benchmark")
        _, out, _ = run([os.path.join(bin_dir, "search-benchmark"), "--index", index, "--runs", str(args.runs), "--json",
                         "--fresh-runs"])
        search = json.loads(out.strip().splitlines()[-1])
        # Every run of every query with a new Searcher, as a `zhisou search` process runs it.
        fresh = sorted(t for runs in search.pop("queryFreshRunsMs", []) for t in runs)
        if fresh:
            rank = lambda p: fresh[min(max(int(-(-p * len(fresh) // 1)) - 1, 0), len(fresh) - 1)]
            search["fresh"] = {"count": len(fresh), "p50": rank(0.5), "p95": rank(0.95), "p99": rank(0.99),
                               "max": fresh[-1]}
        search.pop("queryRunsMs", None)
        results["search"] = {k: v for k, v in search.items() if k != "querySet"}
        results["search"]["querySetSample"] = search["querySet"][::20]

        # 4. Whole process: zhisou search vs rg.
        words = search["cliWords"]
        cli = {w: {"zhisou": [], "rg": [], "rss": [], "hits": 0, "rgFiles": 0} for w in words}
        search_cmd = lambda w: [zhisou, "search", w, "--limit", "10", "--index", index, "--corpus", corpus]
        rg_cmd = lambda w: ["rg", "-c", w, corpus]
        for w in words:  # warm-up: page cache, the index's pages
            _, out, _ = run(search_cmd(w))
            cli[w]["hits"] = sum(1 for line in out.splitlines() if line.strip()[:1].isdigit())
            try:
                _, out, _ = run(rg_cmd(w))
                cli[w]["rgFiles"] = len(out.splitlines())
            except RuntimeError:  # rg exits 1 when nothing matches
                cli[w]["rgFiles"] = 0
        log(f"zhisou search vs rg, {args.runs} runs of {len(words)} words")
        for _ in range(args.runs):
            for w in words:
                wall, _, rss = run(search_cmd(w))
                cli[w]["zhisou"].append(wall)
                cli[w]["rss"].append(rss)
                try:
                    wall, _, _ = run(rg_cmd(w))
                except RuntimeError:
                    wall = float("nan")
                cli[w]["rg"].append(wall)
        results["cli"] = []
        for w in words:
            z = spread([t * 1000 for t in cli[w]["zhisou"]], "{:.1f}")
            r = spread([t * 1000 for t in cli[w]["rg"]], "{:.1f}")
            results["cli"].append({"word": w, "zhisouMs": z[0], "zhisouSpread": z[1], "rgMs": r[0], "rgSpread": r[1],
                                   "ratio": r[0] / z[0], "rssMB": max(cli[w]["rss"]) / 1024, "rgFiles": cli[w]["rgFiles"]})

        # 5. Incremental, last (it leaves the index with more segments than the full build
        # wrote): another document each time, as reports arrive one by one.
        touched = [files[(k * len(files)) // INCREMENTAL_REBUILDS] for k in range(INCREMENTAL_REBUILDS)]
        originals = {}
        for target in touched:
            with open(target, "rb") as f:
                originals[target] = (f.read(), os.stat(target))
        incremental, analysed, merged, segments = [], [], [], []
        try:
            for k, target in enumerate(touched):
                log(f"incremental rebuild {k + 1}/{len(touched)}")
                with open(target, "ab") as f:
                    f.write("\n本行由基准测试追加，用于测量增量重建。\n".encode())
                wall, out, _ = run([zhisou, "build", "--json", "--corpus", corpus, "--index", index])
                summary_k = json.loads(out.strip().splitlines()[-1])
                if summary_k["fullRebuild"] or summary_k["analysedDocuments"] * 2 > summary_k["documents"] > 100:
                    sys.exit(f"incremental rebuild {k + 1} analysed {summary_k['analysedDocuments']} documents")
                incremental.append(wall)
                analysed.append(summary_k["analysedDocuments"])
                merged.append(summary_k["mergedSegments"])
                _, out, _ = run([zhisou, "stats", "--json", "--index", index, "--corpus", corpus])
                segments.append(json.loads(out.splitlines()[0])["segments"])
        finally:
            for target, (original, stat) in originals.items():
                with open(target, "wb") as f:
                    f.write(original)
                os.utime(target, ns=(stat.st_atime_ns, stat.st_mtime_ns))
        # Restoring the files' times makes them differ from what the last rebuild recorded:
        # bring the index up to date, or every later search would refresh it first.
        run([zhisou, "build", "--json", "--corpus", corpus, "--index", index])
        inc = spread(incremental, "{:.3f}")
        results["incremental"] = {"wall": inc[0], "wallSpread": inc[1], "worst": max(incremental),
                                  "fraction": inc[0] / results["build"]["wall"],
                                  "worstFraction": max(incremental) / results["build"]["wall"],
                                  "analysedDocuments": sorted(set(analysed)), "rebuilds": len(incremental),
                                  "mergedSegments": sum(merged), "mergingRebuilds": sum(1 for m in merged if m),
                                  "segments": [min(segments), max(segments)]}
    finally:
        shutil.rmtree(work, ignore_errors=True)
    results["elapsedSeconds"] = time.time() - started
    results["loadAtEnd"] = " ".join(f"{x:.2f}" for x in os.getloadavg())
    if args.json_out:
        with open(args.json_out, "w") as f:
            json.dump(results, f, ensure_ascii=False, indent=1)
    print(table(results, args.markdown))


UPDATE_RUNS = [("seed", ["--runs", "5"]), ("100mb", ["--runs", "3"]), ("1gb", ["--runs", "3", "--build-runs", "1"])]


def update(args):
    """Runs every corpus of `UPDATE_RUNS` and rewrites the marked tables of `args.update`."""
    path = args.update if os.path.isabs(args.update) else os.path.join(ROOT, args.update)
    with open(path) as f:
        text = f.read()
    for name, extra in UPDATE_RUNS:
        begin, end = f"<!-- table:{name} -->", f"<!-- /table:{name} -->"
        if begin not in text or end not in text:
            sys.exit(f"{path}: no {begin} … {end} markers")
    for k, (name, extra) in enumerate(UPDATE_RUNS):
        out = tempfile.mktemp(prefix=f"zhisou-bench-{name}-", suffix=".json")
        command = [sys.executable, os.path.abspath(__file__), "--corpus", name, "--json-out", out,
                   "--scratch-path", args.scratch_path] + extra + (["--no-build"] if args.no_build or k > 0 else [])
        log("running " + shlex.join(command))
        subprocess.run(command, check=True, stdout=subprocess.DEVNULL)
        with open(out) as f:
            rendered = table(json.load(f), True)
        os.unlink(out)
        begin, end = f"<!-- table:{name} -->", f"<!-- /table:{name} -->"
        head, rest = text.split(begin, 1)
        _, tail = rest.split(end, 1)
        text = head + begin + "\n" + rendered + "\n" + end + tail
        with open(path, "w") as f:  # after each corpus, so a long run keeps what it measured
            f.write(text)
    log(f"updated {path}")


def table(r, markdown):
    a, b, i, s = r["analysis"], r["build"], r["incremental"], r["search"]
    m = r["machine"]
    ok = lambda good: "yes" if good else "NO"
    rows = [
        ("corpus", f"{r['corpusDir']}: {r['corpusFiles']} files, {r['corpusBytes'] / 1e6:.1f} MB; "
                   f"{b['documents']} documents, {b['units']} units", "", "", ""),
        ("raw ICU word break (1 thread)", f"{a['rawICU']:.2f} MB/s", a["rawSpread"], "", ""),
        ("analyzer .index (1 thread)", f"{a['analyzer']:.2f} MB/s", a["analyzerSpread"], "", ""),
        ("analyzer ÷ raw ICU", f"{a['ratio']:.2f}", a["ratioSpread"], "≥ 0.70", ok(a["ratio"] >= 0.7)),
        (f"full build, wall ({b['runs']} runs)", f"{b['wall']:.2f} s", b["wallSpread"], "", ""),
        ("full build, summary seconds", f"{b['seconds']:.2f} s", b["secondsSpread"], "", ""),
        ("full build throughput", f"{b['mbps']:.2f} MB/s", b["mbpsSpread"], "", ""),
        (f"build ÷ (raw ICU × {r['cores']} cores)", f"{b['ratio']:.2f}", "", "≥ 0.60",
         ok(b["ratio"] >= TARGETS["build_ratio"])),
        *([("full build, CPU time (user + system)", f"{b['cpu']:.2f} s", b["cpuSpread"], "", ""),
           ("build MB per CPU-second ÷ raw ICU (load-independent)", f"{b['cpuRatio']:.2f}", "", "≥ 0.60 if cores scale",
            ok(b["cpuRatio"] >= TARGETS["build_ratio"]))] if "cpu" in b else []),
        ("build peak resident memory", f"{b['peakMB']:.0f} MiB", b["peakSpread"], "≤ 2 GiB (1 GB corpus)",
         ok(b["peakMB"] <= TARGETS["build_peak_mb"])),
        ("index ÷ corpus, with stored text", f"{b['withText']:.3f}", f"{b['indexBytes'] / 1e6:.1f} MB", "", ""),
        ("index ÷ corpus, without stored text", f"{b['withoutText']:.3f}",
         f"units section {b['sections']['units'] / 1e6:.1f} MB", "≤ 0.35", ok(b["withoutText"] <= TARGETS["index_without_text"])),
        (f"incremental rebuild, 1 more document each time ({i['rebuilds']} in a row)", f"{i['wall']:.3f} s",
         f"{i['wallSpread']}; segments {'–'.join(map(str, i.get('segments', ['?'])))}", "", ""),
        ("incremental ÷ full build, median / worst", f"{i['fraction']:.3f} / {i.get('worstFraction', i['fraction']):.3f}",
         f"analysed {i['analysedDocuments']}; {i.get('mergedSegments', 0)} segment(s) merged in "
         f"{i.get('mergingRebuilds', 0)} rebuild(s)", "< 0.02",
         ok(i.get("worstFraction", i["fraction"]) < TARGETS["incremental"])),
        ("index open (in-process)", f"{s['openMs']['median']:.3f} ms",
         f"{s['openMs']['min']:.3f}–{s['openMs']['max']:.3f}", "", ""),
    ]
    al = s["all"]
    rows.append((f"query latency, {s['queries']} queries × {s['runs']} runs",
                 f"p50 {al['p50']:.2f} / p95 {al['p95']:.2f} / p99 {al['p99']:.2f} ms", f"max {al['max']:.2f}",
                 "p95 ≤ 5–10 ms", ok(al["p95"] <= TARGETS["p95_ms"])))
    for name, c in s["categories"].items():
        rows.append((f"  {name} ({c['count'] // s['runs']} queries)",
                     f"p50 {c['p50']:.2f} / p95 {c['p95']:.2f} / p99 {c['p99']:.2f} ms", f"max {c['max']:.2f}", "", ""))
    fr = s["firstRun"]
    rows.append(("  first run of each query (cold patterns)",
                 f"p50 {fr['p50']:.2f} / p95 {fr['p95']:.2f} / p99 {fr['p99']:.2f} ms", f"max {fr['max']:.2f}", "", ""))
    if "fresh" in s:
        f = s["fresh"]
        rows.append((f"  a new Searcher for every run ({f['count']} runs; as a process)",
                     f"p50 {f['p50']:.2f} / p95 {f['p95']:.2f} / p99 {f['p99']:.2f} ms", f"max {f['max']:.2f}",
                     "p95 ≤ 10 ms", ok(f["p95"] <= 10)))
    rows.append(("worst hostile query", f"{s['hostileWorst']['ms']:.2f} ms", s["hostileWorst"]["query"], "", ""))
    rows.append(("search-benchmark RSS after queries", f"{s['rssAfterQueriesKiB'] / 1024:.0f} MiB",
                 f"peak {s['peakRssKiB'] / 1024:.0f} MiB" + (f"; anonymous {s['rssAnonKiB'] / 1024:.0f}, file-backed (mapped index and libraries) "
                                                          f"{s['rssFileKiB'] / 1024:.0f} MiB" if "rssAnonKiB" in s else ""), "≤ 100 MiB", ok(s["rssAfterQueriesKiB"] / 1024 <= TARGETS["search_rss_mb"])))
    for c in r["cli"]:
        rows.append((f"CLI search {c['word']} vs rg -c ({c['rgFiles']} files match)",
                     f"{c['zhisouMs']:.1f} ms vs {c['rgMs']:.1f} ms = {c['ratio']:.2f}×",
                     f"{c['zhisouSpread']} / {c['rgSpread']}", "≥ 10×", ok(c["ratio"] >= TARGETS["cli_ratio"])))
    rows.append(("zhisou search process peak RSS", f"{max(c['rssMB'] for c in r['cli']):.0f} MiB", "", "≤ 100 MiB",
                 ok(max(c["rssMB"] for c in r["cli"]) <= TARGETS["search_rss_mb"])))
    header = ("figure", "median", "spread (min–max)", "target", "met")
    head = [
        f"machine: {m['nproc']} cores, {m['cpu']}, {m['memory']} RAM; load average at start {m['load']}, "
        f"at end {r['loadAtEnd']}; {m['swift']}; commit {m.get('commit', '?')}",
        f"command: {r['command']}  ({r['elapsedSeconds'] / 60:.1f} min)",
    ]
    if markdown:
        lines = [f"- {h}" for h in head] + ["", "| " + " | ".join(header) + " |", "| --- | --- | --- | --- | --- |"]
        for row in rows:
            lines.append("| " + " | ".join(str(x).replace("|", "\\|") for x in row) + " |")
        return "\n".join(lines)
    widths = [max(len(str(row[k])) for row in rows + [header]) for k in range(5)]
    lines = head + [""] + ["  ".join(str(x).ljust(widths[k]) for k, x in enumerate(header)).rstrip()]
    lines.append("  ".join("-" * w for w in widths))
    for row in rows:
        lines.append("  ".join(str(x).ljust(widths[k]) for k, x in enumerate(row)).rstrip())
    return "\n".join(lines)


if __name__ == "__main__":
    main()
