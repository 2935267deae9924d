#!/usr/bin/env bash
# tools/grade.sh BIN [EX] [LAB] [CSV] — grade the exercises (what `make grade` runs).
#
# BIN is the grading binary (tests/grade/, one Criterion suite per exercise). EX: one exercise id,
# or several separated by commas; LAB: lab04 (or 4) for one chapter's. Prints a table (exercise,
# chapter, tests passed / total, points: the exercise's points times the fraction of its tests
# passed), a total, and for each exercise not at full marks the first reason: the first failing
# assertion (function, value, expected, got), or the stub that stopped it. Writes CSV for a
# gradebook. Exits 0 whatever the marks (a grade is not an error); 2 on a bad EX or LAB.
set -euo pipefail
bin=$1 ex=${2:-} lab=${3:-} csv=${4:-out/grade.csv}
here=$(cd "$(dirname "$0")/.." && pwd)
cat=$(bash "$here/tools/exercises.sh" list)
lab=${lab#lab}; lab=${lab#0}
want=$(echo "$cat" | awk -F'\t' -v ex=",$ex," -v lab="$lab" '
    { match($4, /Lab [0-9]+/); n = substr($4, RSTART + 4, RLENGTH - 4) }
    (ex == ",," || index(ex, "," $1 ",")) && (lab == "" || n == lab) { print }')
if [ -z "$want" ]; then
    echo "make grade: no exercise matches${ex:+ EX=$ex}${lab:+ LAB=lab0$lab}; the exercises are:" $(echo "$cat" | cut -f1); exit 2
fi
for e in ${ex//,/ }; do echo "$cat" | cut -f1 | grep -qx "$e" || { echo "make grade: there is no exercise '$e' (make grade lists them all)"; exit 2; }; done

tmp=$(mktemp -d); trap 'rm -rf "$tmp"' EXIT
filter=()
[ "$(echo "$want" | wc -l)" -eq 1 ] && filter=(--filter "$(echo "$want" | cut -f1)/*")
# each test is a process; a stub reached stops it (exit 3) and prints its sentence on stderr
OPENBLAS_NUM_THREADS=1 "$bin" -q "${filter[@]}" --tap="$tmp/tap" > "$tmp/out" 2> "$tmp/err" || true
[ -s "$tmp/tap" ] || { echo "make grade: $bin produced no results"; cat "$tmp/err"; exit 1; }

mkdir -p "$(dirname "$csv")"
echo "$want" | awk -F'\t' -v tap="$tmp/tap" -v err="$tmp/err" -v csv="$csv.tmp" '
    BEGIN {
        while ((getline l < tap) > 0) {
            if (l ~ /^(not )?ok - / && l !~ /# SKIP/) {
                ok = l ~ /^ok/; sub(/^(not )?ok - /, "", l); sub(/ +\(.*$/, "", l)
                split(l, st, "::"); s = st[1]; total[s]++; pass[s] += ok
                if (!ok && !(s in why)) { why[s] = "?"; test[s] = st[2]; pending = s }
                else pending = ""
            } else if (pending != "" && l ~ /Assertion failed: /) {
                sub(/^ *Assertion failed: /, "", l); why[pending] = l; pending = ""
            }
        }
        while ((getline l < err) > 0)
            if (l ~ /^Exercise [a-z0-9_]+ is not written yet/) { split(l, w, " "); stub[w[2]] = l }
        print "exercise,chapter,section,passed,tests,points,max_points" > csv
        printf "%-24s %-7s %7s %9s\n", "exercise", "chapter", "tests", "points"
    }
    {
        id = $1; match($4, /Lab [0-9]+/); ch = substr($4, RSTART, RLENGTH)
        sec = substr($4, RLENGTH + 3); gsub(/"/, "", sec)
        p = pass[id] + 0; t = total[id] + 0; pts = t ? $6 * p / t : 0
        printf "%-24s %-7s %3d / %-3d %4.1f / %d\n", id, ch, p, t, pts, $6
        printf "%s,%s,\"%s\",%d,%d,%.1f,%d\n", id, ch, sec, p, t, pts, $6 > csv
        P += p; T += t; PTS += pts; MAX += $6; n++
        if (t == 0) reason[n] = id ": no tests ran (is the grading binary current?)"
        else if (p < t) reason[n] = id ": " (id in stub ? "not written yet (" $2 ")" : \
            why[id] == "?" ? test[id] ": the test stopped without a failed assertion (a crash?)" : test[id] ": " why[id])
    }
    END {
        printf "%-24s %-7s %3d / %-3d %4.1f / %d\n", "total", "", P, T, PTS, MAX
        printf "total,,,%d,%d,%.1f,%d\n", P, T, PTS, MAX > csv
        first = 1
        for (i = 1; i <= n; i++) if (i in reason) {
            if (first) { print ""; print "not at full marks (the first failure of each):"; first = 0 }
            print "  " reason[i]
        }
    }'
mv "$csv.tmp" "$csv"
echo "(written to $csv)"
