#!/usr/bin/env bash
# provenance.sh OUT LAB... -- the appendix "How this workbook was made", as Markdown on stdout:
# the commit, the date, the machine, the compiler, the BLAS, and each lab's seed, mode and time.
set -euo pipefail
out=$1; shift
commit=$(git rev-parse --short=12 HEAD 2>/dev/null || echo "not a git checkout")
dirty=$(git status --porcelain 2>/dev/null | grep -v '^??' | head -1 || true)
cpu=$(sed -n 's/^model name[[:space:]]*: //p' /proc/cpuinfo | head -1)
cores=$(nproc)
cc=$(${CC:-cc} --version | head -1)
blas=$(dpkg-query -W -f='${Package} ${Version}' libopenblas0-pthread 2>/dev/null || echo "OpenBLAS")
echo "# How this workbook was made {#sec:provenance}"
echo
echo "Every number and figure in this workbook was produced by the code listed in it, on this build:"
echo
echo "| | |"
echo "|---|---|"
echo "| commit | \`$commit\`${dirty:+ (with uncommitted changes)} |"
echo "| built | $(date -u '+%Y-%m-%d %H:%M UTC') |"
echo "| CPU | ${cpu:-unknown}, $cores cores |"
echo "| compiler | $cc |"
echo "| BLAS | $blas |"
echo
echo "| lab | seed | mode | threads | GEMM | seconds |"
echo "|---|--:|---|--:|---|--:|"
for lab in "$@"; do
  r="$out/$lab/results.csv"
  get() { sed -n "s/^$1,//p" "$r"; }
  printf '| %s | %s | %s | %s | %s | %.1f |\n' "$lab" "$(get seed)" "$(get mode)" "$(get threads)" "$(get gemm)" "$(get seconds)"
done
