# probe.gp IN.csv OUT.{pdf,png} -- the machine probe of Lab 08 over time: one point per probe for
# each of its three measurements, each as a fraction of its best.
# IN: seconds,fma_one,fma_two,cache_read
if (ARGC < 2) { print "usage: gnuplot -c probe.gp IN.csv OUT.pdf"; exit status 2 }
fig_in = ARG1; fig_out = ARG2
fig_w = 14; fig_h = 7
load 'style.gp'
# a probe can beat the peak measured before it (when that was taken at a bad moment): keep it in view
top = 1.15
do for [c in 'fma_one fma_two cache_read'] {
    stats [*:*][*:*] fig_in using (column(c)) nooutput
    if (STATS_max * 1.05 > top) { top = STATS_max * 1.05 }
}
set yrange [0 : 100 * top]
set ytics 25
set format y '%.0f%%'
set xlabel 'seconds since the first probe'
set ylabel 'fraction of the best'
set key outside right top vertical Left reverse samplen 1 noopaque nobox
plot fig_in using 'seconds':(100*column('fma_one')) with points ls 1 pt 7 ps 0.25 title 'FMA, 1 thread', \
     fig_in using 'seconds':(100*column('fma_two')) with points ls 2 pt 7 ps 0.25 title 'FMA, 2 threads', \
     fig_in using 'seconds':(100*column('cache_read')) with points ls 3 pt 7 ps 0.25 title 'cached read'
