#!/usr/bin/env bash
# tools/check_exercises.sh — the three properties that make a grade mean something (CI runs it):
#   1. the solution tree scores full marks on every exercise;
#   2. the student edition (make exercises) builds with -Werror and scores zero on every exercise:
#      each stub is caught by every test of its exercise;
#   3. restoring the solution of one exercise in the student edition raises exactly that exercise
#      to full marks, and leaves every other at zero: no test leans on another exercise's code.
# It reuses build/'s objects (run after `make all`); the student edition builds in its own tree.
set -euo pipefail
cd "$(dirname "$0")/.."
status=0
fail() { echo "FAIL: $*"; status=1; }
# grade_csv DIR CSV [EX]: run DIR's grader, return its CSV
grade() { (cd "$1" && bash tools/grade.sh build/bin/grade "${3:-}" "" "$2" > "$2.out" 2>&1) || true; }

echo "== 1. the solution tree: full marks"
make -s --no-print-directory WERROR=1 build/bin/grade
mkdir -p out/exercises-check
grade . "$PWD/out/exercises-check/solution.csv"
sol=out/exercises-check/solution.csv
awk -F, 'NR > 1 && $1 != "total" && ($(NF-3) != $(NF-2) || $(NF-2) == 0) { print "  not full:", $1, $(NF-3) "/" $(NF-2) }' $sol | grep . && fail "the solution tree does not score full marks"
grep '^total' $sol | awk -F, '{ printf "  solution tree: %d / %d tests, %s / %s points\n", $(NF-3), $(NF-2), $(NF-1), $NF }'

echo "== 2. the student edition: builds with -Werror, scores zero"
make -s --no-print-directory exercises
st=out/student/nnlab-student
mkdir -p $st/build && cp -a build/f32 build/f64 build/lib build/bin build/.deps.stamp $st/build/ 2>/dev/null || true
( cd $st && make -s --no-print-directory -j2 WERROR=1 all ) > out/exercises-check/student-build.log 2>&1 ||
    { tail -30 out/exercises-check/student-build.log; fail "the student edition does not build with -Werror"; }
echo "  the student edition builds with -Werror (labs, tests, grader: out/exercises-check/student-build.log)"
grade $st "$PWD/out/exercises-check/student.csv"
stc=out/exercises-check/student.csv
awk -F, 'NR > 1 && $1 != "total" && ($(NF-3) != 0 || $(NF-2) == 0) { print "  not zero:", $1, $(NF-3) "/" $(NF-2) }' $stc | grep . && fail "a stub passes a test"
grep '^total' $stc | awk -F, '{ printf "  student edition: %d / %d tests, %s / %s points\n", $(NF-3), $(NF-2), $(NF-1), $NF }'

echo "== 3. one exercise restored at a time"
regions=$(awk -v mode=list -f tools/exercises.awk common/*.c)
# the student edition's sources, objects, library and binary, put back (with their times) after
# each exercise, so that each compiles one file
keep=out/exercises-check/student-build
rm -rf $keep && mkdir -p $keep/src $keep/obj
cp -p $st/common/*.c $keep/src/ && cp -p $st/build/f64/common/*.o $keep/obj/
cp -p $st/build/lib/libnn_f64.a $st/build/bin/grade $keep/
ids=$(bash tools/exercises.sh list | cut -f1)
n=0 good=0
for id in $ids; do
    n=$((n + 1))
    files=$(echo "$regions" | awk -F'\t' -v id="$id" '$1 == id { print $2 }' | sort -u)
    for f in $files; do bash tools/exercises.sh stub "$f" "$st/$f" "$id"; done
    csv="$PWD/out/exercises-check/restored-$id.csv"
    if ! (cd $st && make -s --no-print-directory WERROR=1 build/bin/grade > "$csv.build" 2>&1); then
        fail "$id restored alone does not build with -Werror (see $csv.build)"
    else
        grade $st "$csv"
        bad=$(awk -F, -v id="$id" '{ p = $(NF-3); t = $(NF-2) } NR > 1 && $1 != "total" && (($1 == id && (p != t || t == 0)) || ($1 != id && p != 0)) { printf " %s %d/%d", $1, p, t }' "$csv")
        if [ -n "$bad" ]; then fail "$id restored alone:$bad"; else good=$((good + 1)); fi
    fi
    for f in $files; do
        b=$(basename "$f" .c)
        cp -p $keep/src/$b.c $st/$f && cp -p $keep/obj/$b.o $st/build/f64/common/$b.o
    done
    cp -p $keep/libnn_f64.a $st/build/lib/ && cp -p $keep/grade $st/build/bin/
done
echo "  $good / $n exercises: restored alone, each scores full marks and leaves the others at zero"
[ $status -eq 0 ] && echo "exercises: all three properties hold"
exit $status
