# tools/mutate.awk — apply one mutation to the solution of one exercise.
#   awk -v id=EXERCISE -v minus=FILE -v plus=FILE -f tools/mutate.awk SOURCE > MUTATED
# MINUS holds the lines to replace, PLUS their replacement (one per line). The MINUS lines must
# occur, consecutively and exactly once, inside the regions of exercise ID (compared without
# leading and trailing blanks); the PLUS lines take the first replaced line's indentation.
# Exit status 3 when they occur zero or several times.
function trim(s) { sub(/^[ \t]+/, "", s); sub(/[ \t]+$/, "", s); return s }
BEGIN {
    while ((getline l < minus) > 0) m[++nm] = trim(l)
    while ((getline l < plus) > 0) p[++np] = l
}
{ line[NR] = $0 }
/>>> exercise / { s = $0; sub(/^.*>>> exercise +/, "", s); sub(/[ |].*$/, "", s); inside = s == id; region[NR] = 0; next }
/<<< exercise \*\// { inside = 0 }
{ region[NR] = inside }
END {
    found = 0
    for (i = 1; i + nm - 1 <= NR; i++) {
        ok = 1
        for (k = 1; k <= nm && ok; k++) ok = region[i + k - 1] && trim(line[i + k - 1]) == m[k]
        if (ok) { found++; at = i }
    }
    if (found != 1) { printf "the mutation's lines occur %d times in exercise %s of %s\n", found, id, FILENAME > "/dev/stderr"; exit 3 }
    ind = line[at]; sub(/[^ \t].*$/, "", ind)
    for (i = 1; i <= NR; i++) {
        if (i == at) for (k = 1; k <= np; k++) print ind p[k]
        if (i < at || i >= at + nm) print line[i]
    }
}
