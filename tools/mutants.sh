#!/usr/bin/env bash
# tools/mutants.sh [--only ID] — the catalogue of student bugs (what `make mutants` runs).
#
# Each mutation in tests/mutants/*.mut is a small edit of one exercise's solution, a mistake a
# student plausibly makes. Each is applied to a copy of the tree (out/mutants/tree, which reuses
# build/'s objects, so only the mutated file is recompiled), the grader runs that exercise's
# tests (the mutated file compiled at -O1, which changes no result: no -ffast-math), and the
# mutant is caught when at least one fails. Prints one line per mutant with the
# first failing assertion, caught / total, and each survivor; writes out/mutants.csv; exits 1 if
# a mutant survives, does not apply, or does not compile.
#
# Format of a .mut file: blocks separated by blank lines; '#' lines are comments.
#     mutant <exercise>/<name>
#     why: <the mistake, in a sentence>
#     - <a line of the solution, as in the source (leading blanks ignored)>
#     + <its replacement>
set -euo pipefail
cd "$(dirname "$0")/.."
only=""; [ "${1:-}" = --only ] && only=$2
make -s --no-print-directory build/bin/grade
work=out/mutants/tree
rm -rf out/mutants && mkdir -p "$work/build"
cp -a Makefile common tools "$work/"
mkdir -p "$work/tests" && cp -a tests/grade "$work/tests/"
mkdir -p "$work/build/bin" && cp -a build/f64 build/lib build/.deps.stamp "$work/build/" && cp -a build/bin/grade "$work/build/bin/"
regions=$(awk -v mode=list -f tools/exercises.awk common/*.c)
pristine=out/mutants/pristine
mkdir -p "$pristine" && cp -p build/f64/common/*.o build/lib/libnn_f64.a build/bin/grade "$pristine/"

# split the .mut files into one directory per mutant: name, why, minus, plus
parsed=out/mutants/parsed
mkdir -p "$parsed"
awk -v dir="$parsed" '
    function flush() { if (name != "") { close(f "/minus"); close(f "/plus") } name = "" }
    /^#/ { next }
    /^[ \t]*$/ { flush(); next }
    /^mutant / { flush(); name = $2; n++; f = sprintf("%s/%03d", dir, n); system("mkdir -p " f)
                 print name > (f "/name"); close(f "/name"); printf "" > (f "/minus"); printf "" > (f "/plus"); next }
    /^why: / { sub(/^why: /, ""); print > (f "/why"); close(f "/why"); next }
    /^- / { sub(/^- /, ""); print > (f "/minus"); next }
    /^-$/ { print "" > (f "/minus"); next }
    /^\+ / { sub(/^\+ /, ""); print > (f "/plus"); next }
    /^\+$/ { print "" > (f "/plus"); next }
    { printf "%s:%d: not a mutation line: %s\n", FILENAME, FNR, $0 > "/dev/stderr"; bad = 1 }
    END { flush(); exit bad }' tests/mutants/*.mut

csv=out/mutants.csv
echo "mutant,exercise,caught,first_failure,why" > "$csv.tmp"
total=0 caught=0 bad=0 survivors=()
for d in "$parsed"/*/; do
    name=$(cat "$d/name"); id=${name%%/*}
    [ -n "$only" ] && [ "$id" != "$only" ] && continue
    total=$((total + 1))
    files=$(echo "$regions" | awk -F'\t' -v id="$id" '$1 == id { print $2 }' | sort -u)
    [ -n "$files" ] || { echo "  ERROR     $name: no exercise '$id'"; bad=$((bad + 1)); continue; }
    applied=""
    for f in $files; do
        if awk -v id="$id" -v minus="$d/minus" -v plus="$d/plus" -f tools/mutate.awk "$f" > "$work/$f.new" 2>/dev/null; then
            mv "$work/$f.new" "$work/$f"; applied=$f; break
        fi
        rm -f "$work/$f.new"
    done
    if [ -z "$applied" ]; then
        echo "  ERROR     $name: its lines do not occur exactly once in exercise $id"; bad=$((bad + 1)); continue
    fi
    touch "$work/$applied"
    if ! make -s --no-print-directory -C "$work" OPT=-O1 build/bin/grade > "$d/build.log" 2>&1; then
        echo "  ERROR     $name: does not compile (see $d/build.log)"; bad=$((bad + 1))
    else
        (cd "$work" && bash tools/grade.sh build/bin/grade "$id" "" "../../../$d/grade.csv" > "../../../$d/grade.out" 2>&1) || true
        row=$(grep "^$id," "$d/grade.csv" 2>/dev/null || echo "$id,,,0,0")
        passed=$(echo "$row" | awk -F, '{ print $(NF-3) }') tests=$(echo "$row" | awk -F, '{ print $(NF-2) }')
        first=$(sed -n 's/^  [a-z0-9_]*: //p' "$d/grade.out" | head -1)
        if [ "$tests" -gt 0 ] && [ "$passed" -lt "$tests" ]; then
            caught=$((caught + 1)); printf "  caught    %-40s %s/%s tests fail: %s\n" "$name" $((tests - passed)) "$tests" "$first"
            echo "$name,$id,yes,\"${first//\"/\'}\",\"$(cat "$d/why")\"" >> "$csv.tmp"
        else
            survivors+=("$name"); printf "  SURVIVED  %-40s (%s)\n" "$name" "$(cat "$d/why")"
            echo "$name,$id,no,,\"$(cat "$d/why")\"" >> "$csv.tmp"
        fi
    fi
    # back to the solution: the source, its object, the library and the binary as they were (with
    # their old times, so make sees nothing to do and the next mutant compiles one file only)
    obj=build/f64/${applied%.c}.o
    cp -p "$applied" "$work/$applied" && cp -p "$pristine/$(basename "$obj")" "$work/$obj"
    cp -p "$pristine/libnn_f64.a" "$work/build/lib/libnn_f64.a" && cp -p "$pristine/grade" "$work/build/bin/grade"
done
mv "$csv.tmp" "$csv"
echo "mutants: $caught / $total caught${bad:+}$([ $bad -gt 0 ] && echo ", $bad could not be run")$([ ${#survivors[@]} -gt 0 ] && echo "; survivors: ${survivors[*]}") (table: $csv)"
[ $caught -eq $total ] && [ $bad -eq 0 ]
