#!/usr/bin/env bash
# runlab.sh BIN LAB MODE OUTDIR LOG -- run one lab for `make report`, its output into LOG, and
# show on the terminal which section is running, which run of it, and how long is left.
#
# On a terminal (and when make runs one job at a time) one status line is redrawn in place every
# second; otherwise (a pipe, a file, CI, make -j) a line is printed per section. The lab's own
# sections are its numbered headings ("3. Sanity checks"); the run inside a section and its time
# left come from the status file the lab's progress bars write (NNLAB_STATUS, common/progress.h).
# The lab's expected length is the time its last run in this mode took (its results.csv); on the
# first full build of a checkout, the seconds each lab takes on a two-core AVX2 machine of
# 80 GFLOP/s (the slower kind the project runs on), so the estimate errs on the long side.
set -u
bin=$1 lab=$2 mode=$3 dir=$4 log=$5
status=$dir.status
rm -f "$status"
expected=""
if [ -f "$dir/results.csv" ] && grep -q "^mode,$mode$" "$dir/results.csv"; then
  expected=$(awk -F, '$1 == "seconds" { printf "%.0f", $2 }' "$dir/results.csv")
elif [ "$mode" = full ]; then
  case $lab in   # measured there, Lab 7 since estimated from its smaller configuration
    lab01) expected=55 ;; lab02) expected=90 ;; lab03) expected=180 ;; lab04) expected=245 ;;
    lab05) expected=30 ;; lab06) expected=55 ;; lab07) expected=280 ;; lab08) expected=100 ;;
  esac
fi
inplace=0
if [ -t 1 ] && [[ " ${MAKEFLAGS:-} " != *" -j"* && "${MAKEFLAGS:-}" != j* && " ${MAKEFLAGS:-}" != *" j"* ]]; then
  inplace=1
fi
flags=(--out "$dir"); [ "$mode" = quick ] && flags=(--quick "${flags[@]}")
NNLAB_STATUS=$status "$bin" "${flags[@]}" > "$log" 2>&1 &
pid=$!
start=$SECONDS last=""
fmt() { local s=$1; if [ "$s" -ge 60 ]; then printf '%dm%02ds' $((s / 60)) $((s % 60)); else printf '%ds' "$s"; fi; }
while kill -0 "$pid" 2>/dev/null; do
  sleep 1
  section=$(grep -E '^[0-9]+\. ' "$log" 2>/dev/null | tail -n 1)
  elapsed=$((SECONDS - start))
  left=""
  [ -n "$expected" ] && [ "$expected" -gt "$elapsed" ] && left=", ~$(fmt $((expected - elapsed))) left"
  [ -n "$expected" ] && [ "$expected" -le "$elapsed" ] && left=", over its last run's $(fmt "$expected")"
  run=""
  if [ -f "$status" ]; then
    IFS='|' read -r count eta what < "$status" || true
    what=${what%%:*}; [ ${#what} -gt 24 ] && what="${what:0:21}..."
    [ -n "${count:-}" ] && run="  [${what} ${count}, ~$(fmt "${eta:-0}") left]"
  fi
  if [ "$inplace" = 1 ]; then
    sec=${section:-starting}; [ ${#sec} -gt 40 ] && sec="${sec:0:37}..."
    line="  RUN    $lab  $(fmt $elapsed)${left}  ${sec}${run}"
    printf '\r\033[K%s' "${line:0:$(( $(tput cols 2>/dev/null || echo 100) - 1 ))}"
  elif [ -n "$section" ] && [ "$section" != "$last" ]; then
    printf '  ...    %s: %s  (at %s%s)\n' "$lab" "$section" "$(fmt $elapsed)" "$left"
  fi
  last=$section
done
wait "$pid"; rc=$?
[ "$inplace" = 1 ] && printf '\r\033[K'
rm -f "$status" "$status.tmp"
[ $rc -eq 0 ] && printf '  DONE   %s in %s\n' "$lab" "$(fmt $((SECONDS - start)))"
exit $rc
