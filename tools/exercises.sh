#!/usr/bin/env bash
# tools/exercises.sh — the exercise regions of common/*.c (markers: common/exercise.h)
#
#   tools/exercises.sh list                 the catalogue, one row per exercise:
#                                           id<TAB>file<TAB>line<TAB>where<TAB>task<TAB>points
#   tools/exercises.sh student [OUT]        the student edition: OUT/student/nnlab-student/ and
#                                           OUT/nnlab-student.tar.gz (OUT defaults to out)
#   tools/exercises.sh stub SRC DEST [ID]   write SRC's student version to DEST, exercise ID kept
#                                           solved (for the one-at-a-time check)
set -euo pipefail
cd "$(dirname "$0")/.."
AWK=tools/exercises.awk
# the catalogue: from the markers, or in the student edition from the copy it was given
catalogue() {
    local files f
    # the chapters' order: by lab, then by file in the order the course meets them
    files=$(for f in linear activations loss gradcheck optim dropout train norm init schedule; do echo common/$f.c; done
            ls common/*.c)
    files=$(echo "$files" | awk '!seen[$0]++' | while read -r f; do grep -l '>>> exercise' "$f" 2>/dev/null || true; done)
    if [ -f tests/grade/catalogue.tsv ]; then cat tests/grade/catalogue.tsv
    elif [ -n "$files" ]; then awk -v mode=list -f $AWK $files | awk -F'\t' '!seen[$1]++' |
        awk -F'\t' '{ match($4, /Lab [0-9]+/); print substr($4, RSTART + 4, RLENGTH - 4) "\t" NR "\t" $0 }' |
        sort -t "$(printf '\t')" -k1,1n -k2,2n | cut -f3-
    else echo "tools/exercises.sh: no exercise markers in common/*.c and no tests/grade/catalogue.tsv" >&2; exit 1; fi
}

case "${1:-}" in
list) catalogue ;;
stub)
    awk -v mode="$([ -n "${4:-}" ] && echo restore || echo student)" -v keep="${4:-}" -f $AWK "$2" > "$3.tmp"
    mv "$3.tmp" "$3" ;;
student)
    out=${2:-out}
    [ -f tests/grade/catalogue.tsv ] && { echo "make exercises: this is already the student edition"; exit 1; }
    dest=$out/student/nnlab-student
    rm -rf "$out/student" && mkdir -p "$dest"
    # the project's files (tracked or new, not ignored), less the solution-side tooling
    if git rev-parse --git-dir >/dev/null 2>&1; then files=$(git ls-files -co --exclude-standard)
    else files=$(find . -type f ! -path './build*' ! -path './out/*' ! -path './data/*' | sed 's|^\./||'); fi
    n=0
    for f in $files; do
        case $f in tests/mutants/*|tools/mutants.sh|tools/check_exercises.sh|.ci/*|out/*|build*/*|data/*) continue ;; esac
        [ -f "$f" ] || continue
        mkdir -p "$dest/$(dirname "$f")"
        if [[ $f == common/*.c ]] && grep -q '>>> exercise' "$f"; then
            awk -v mode=student -f $AWK "$f" > "$dest/$f"; n=$((n + 1))
        else cp -p "$f" "$dest/$f"; fi
    done
    catalogue > "$dest/tests/grade/catalogue.tsv"
    count=$(wc -l < "$dest/tests/grade/catalogue.tsv")
    {
        echo "# Exercises"
        echo
        echo "Each exercise is a function body (or a part of one) in \`common/\` that you write. Its place"
        echo "is marked \`/* EXERCISE id (...): task */\`; until you write it, a program that reaches it"
        echo "stops and names it. \`make grade EX=id\` runs its tests; \`make grade\` grades them all."
        echo
        echo "| exercise | file | chapter | task | points |"
        echo "|---|---|---|---|---|"
        awk -F'\t' '{ printf "| `%s` | `%s` | %s | %s | %s |\n", $1, $2, $4, $5, $6 }' "$dest/tests/grade/catalogue.tsv"
    } > "$dest/EXERCISES.md"
    tar --sort=name --owner=0 --group=0 --numeric-owner --mtime='2026-01-01 00:00Z' \
        -czf "$out/nnlab-student.tar.gz.tmp" -C "$out/student" nnlab-student
    mv "$out/nnlab-student.tar.gz.tmp" "$out/nnlab-student.tar.gz"
    echo "  the student edition: $count exercises stubbed in $n files -> $dest/ and $out/nnlab-student.tar.gz" ;;
*) sed -n '2,10s/^# \{0,1\}//p' "$0"; exit 2 ;;
esac
