# tools/exercises.awk — read the exercise regions of C sources.
#
#   awk -v mode=list    -f tools/exercises.awk FILES   one line per region: id<TAB>file<TAB>line<TAB>where<TAB>task<TAB>points
#   awk -v mode=student -f tools/exercises.awk FILE    FILE with every region replaced by its task and stub
#   awk -v mode=restore -v keep=ID -f ... FILE         like student, but exercise ID keeps its solution
#
# A region (common/exercise.h):
#     /* >>> exercise <id> | <where> | task: <one line> [| points: N] */
#     ... solution ...
#     /* === stub
#     ... stub lines (inside the comment, so without a comment's end) ...
#     <<< exercise */
function fail(msg) { printf "%s:%d: %s\n", FILENAME, FNR, msg > "/dev/stderr"; bad = 1; exit 2 }
function cstr(s) { gsub(/\\/, "\\\\", s); gsub(/"/, "\\\"", s); return s }
function parse_begin(line,    s, n, f, i) {
    s = line
    sub(/^[ \t]*\/\*[ \t]*>>> exercise[ \t]+/, "", s)
    sub(/[ \t]*\*\/[ \t]*$/, "", s)
    n = split(s, f, / \| /)
    id = f[1]; where = ""; task = ""; points = 2
    if (id !~ /^[a-z][a-z0-9_]*$/) fail("an exercise id is lower case, digits and _: '" id "'")
    for (i = 2; i <= n; i++) {
        if (f[i] ~ /^task: /) task = substr(f[i], 7)
        else if (f[i] ~ /^points: [0-9]+$/) points = substr(f[i], 9) + 0
        else if (where == "") where = f[i]
        else fail("unknown field '" f[i] "'")
    }
    if (where == "" || task == "") fail("exercise " id " needs a chapter and a task")
    indent = line; sub(/[^ \t].*$/, "", indent)
}
FNR == 1 { if (state) fail("unterminated region"); state = 0 }
/>>> exercise/ {
    if (state) fail("a region inside a region")
    parse_begin($0); state = 1; begin = FNR
    if (mode == "list") printf "%s\t%s\t%d\t%s\t%s\t%d\n", id, FILENAME, FNR, where, task, points
    keeping = mode == "restore" && id == keep
    if (mode == "student" || (mode == "restore" && !keeping))
        printf "%s/* EXERCISE %s (%s): %s */\n", indent, id, where, task
    if (keeping) print
    next
}
state == 1 && /\/\* === stub/ { state = 2; nstub = 0; if (keeping) print; next }
state == 2 && /<<< exercise \*\// {
    if (nstub == 0) fail("exercise " id " has an empty stub")
    state = 0; if (keeping) print; next
}
/<<< exercise|=== stub/ { fail("a stub or region end outside a region") }
state == 2 {
    if (index($0, "*/")) fail("a stub line cannot hold the end of a comment")
    nstub++
    if (keeping) { print; next }
    line = $0
    if (mode != "list" && index(line, "exercise_todo(\"" id "\")"))
        sub(/exercise_todo\("[a-z0-9_]+"\)/, "exercise_todo(\"" id "\", \"" cstr(where " explains it") "\")", line)
    if (mode != "list") print line
    next
}
state == 1 { if (keeping) print; next }
mode != "list" { print }
END { if (!bad && state) { printf "%s: unterminated region %s (line %d)\n", FILENAME, id, begin > "/dev/stderr"; exit 2 } }
