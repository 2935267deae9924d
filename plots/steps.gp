# steps.gp IN.csv OUT.{pdf,png} -- the time of every training step of an epoch, sorted: one line
# per GEMM backend, and the pace a target epoch time allows as a grey dashed line; log y axis.
# IN: percent,own_us,blas_us,target_us (one row per percentile, 0 to 100).
if (ARGC < 2) { print "usage: gnuplot -c steps.gp IN.csv OUT.pdf"; exit status 2 }
fig_in = ARG1; fig_out = ARG2
fig_w = 14; fig_h = 7
load 'style.gp'
set logscale y
set autoscale yfix   # no extension to whole decades: the lines fill the height,
set offsets 0, 0, 0, graph 0.05   # but for a margin below, so the target line never sits on the axis
set format y '%.0f'
set ytics (200, 300, 500, 1000, 2000, 5000, 10000, 20000, 50000)
set xrange [0:100]
set xlabel 'steps, fastest to slowest (percent)'
set ylabel 'microseconds per step'
set key top left Left reverse samplen 2 noopaque nobox
plot fig_in using 'percent':'own_us' with lines ls 1 lw 2 title 'own GEMM, 2 threads', \
     fig_in using 'percent':'blas_us' with lines ls 2 lw 2 title 'OpenBLAS, 2 threads', \
     fig_in using 'percent':'target_us' with lines lc rgb '#888888' dt 2 lw 1.5 title 'pace of a 0.6 s epoch'
