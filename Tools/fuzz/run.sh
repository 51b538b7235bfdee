#!/usr/bin/env bash
# Builds and runs a zhisou libFuzzer target.
#
#   Tools/fuzz/run.sh query [SECONDS] [libFuzzer options…]   # QueryParser.parse + Searcher.search
#   Tools/fuzz/run.sh index [SECONDS] [libFuzzer options…]   # segment file → SegmentReader/IndexReader
#
# Builds Tools/fuzz (a package of its own depending on the repository) with
# -sanitize=fuzzer,address into .build-fuzz/, seeds a working corpus under
# .build-fuzz/corpus-<target>/ (queries from the README, tests and eval; segments of
# small indexes of Corpus/), and fuzzes for SECONDS (default 600); leak detection is off
# (the Swift runtime keeps metadata allocations for the life of the process). For the index
# target it first checks the harness's checksum repair on the seeds (ZHISOU_FUZZ_SELF_TEST).
# Crashes are written to .build-fuzz/artifacts-<target>/; reproduce one with
#   SWIFT_BACKTRACE=enable=no .build-fuzz/release/<Target>Fuzz .build-fuzz/artifacts-<target>/crash-…
# (Swift's own crash backtracer is off: it keeps SIGILL, so a trap would hang in it instead
# of reaching libFuzzer, which records the input and prints the stack.)
set -euo pipefail
root="$(cd "$(dirname "$0")/../.." && pwd)"
target="${1:-}"
seconds="${2:-600}"
shift $(( $# > 2 ? 2 : $# )) || true
case "$target" in
  query) product=QueryFuzz ;;
  index) product=IndexFuzz ;;
  *) echo "usage: $0 query|index [seconds] [libFuzzer options…]" >&2; exit 2 ;;
esac
scratch="$root/.build-fuzz"
swift build -c release --package-path "$root/Tools/fuzz" --scratch-path "$scratch" --product "$product" \
  -Xswiftc -sanitize=fuzzer,address -Xswiftc -parse-as-library -Xswiftc -enable-testing
binary="$scratch/release/$product"
corpus="$scratch/corpus-$target"
artifacts="$scratch/artifacts-$target"
mkdir -p "$corpus" "$artifacts"
export ZHISOU_FUZZ_CORPUS="$root/Corpus"
export ASAN_OPTIONS="${ASAN_OPTIONS:-detect_leaks=0}"
export SWIFT_BACKTRACE="${SWIFT_BACKTRACE:-enable=no}"
if [ "$target" = query ]; then
  # Seeds: example queries from the README, the tests and the evaluation set.
  n=0
  while IFS= read -r q; do
    [ -n "$q" ] || continue
    printf '%s' "$q" > "$corpus/seed-$n"; n=$((n + 1))
  done < <(
    { grep -ohE '`zhisou (search|cases|policies) [^`]*`' "$root/README.md" | sed -E 's/^`zhisou [a-z]+ //; s/`$//'
      sed -n '/^```$/,/^```$/p' "$root/README.md" | grep -v '^```' | sed -E 's/  +.*$//'
      grep -ohE 'parse\("([^"\\]|\\.)*"\)' "$root"/Tests/ZhisouSearchTests/*.swift | sed -E 's/^parse\("//; s/"\)$//; s/\\"/"/g'
      cat "$root"/../shared/eval/*.json 2>/dev/null | grep -oE '"query" *: *"[^"]*"' | sed -E 's/^"query" *: *"//; s/"$//'
    } | sort -u | head -500)
  dict=(-dict="$root/Tools/fuzz/query.dict")
else
  # Seeds: one small segment per seed document, and one of the whole corpus with postings
  # lists of several blocks; then the repair must read them whole and fix a changed block.
  ZHISOU_FUZZ_MAKE_SEEDS="$corpus" "$binary" >/dev/null
  ZHISOU_FUZZ_SELF_TEST="$corpus" "$binary"
  dict=()
fi
exec "$binary" "$corpus" -artifact_prefix="$artifacts/" -max_total_time="$seconds" -timeout=20 \
  -rss_limit_mb=4096 -detect_leaks=0 -print_final_stats=1 "${dict[@]}" "$@"
