# steps.gp IN.csv OUT.{pdf,png} -- the time of every training step of an epoch, sorted: one line
# per GEMM backend, and, grey dashed, the time a step would take at the two-core peak the lab
# measured in the same run; log y axis, its range from the data and that line.
# IN: percent,own_us,blas_us,peak_us (one row per percentile, 0 to 100).
if (ARGC < 2) { print "usage: gnuplot -c steps.gp IN.csv OUT.pdf"; exit status 2 }
fig_in = ARG1; fig_out = ARG2
fig_w = 15; fig_h = 7
load 'style.gp'
set logscale y
set format y '%.0f'   # 1000000, not 1e+06
stats [*:*][*:*] fig_in using 'peak_us' nooutput
lo = STATS_min
stats [*:*][*:*] fig_in using 'own_us' nooutput
lo = STATS_min < lo ? STATS_min : lo
hi = STATS_max
stats [*:*][*:*] fig_in using 'blas_us' nooutput
lo = STATS_min < lo ? STATS_min : lo
hi = STATS_max > hi ? STATS_max : hi
set yrange [10 ** floor(log10(lo)) : 10 ** ceil(log10(hi))]
set mytics 10
set xrange [0:100]
set xlabel 'steps, fastest to slowest (percent)'
set ylabel 'microseconds per step'
set key outside right top vertical Left reverse samplen 2 noopaque nobox   # out of the data's way, whatever their shape
plot fig_in using 'percent':'own_us' with lines ls 1 lw 2 title 'own GEMM, 2 threads', \
     fig_in using 'percent':'blas_us' with lines ls 2 lw 2 title 'OpenBLAS, 2 threads', \
     fig_in using 'percent':'peak_us' with lines lc rgb '#888888' dt 2 lw 1.5 title 'at the two-core peak'
