# decay.gp IN.csv OUT.{pdf,png} -- Adam with an L2 penalty against AdamW's decoupled decay at the
# same strengths: training accuracy (left) and validation accuracy (right, min-max band over
# seeds and mean); dotted: Adam without either.
# IN: lambda,l2_train,l2_val_min,l2_val_mean,l2_val_max,decay_train,decay_val_min,decay_val_mean,
#     decay_val_max,base_train,base_val
if (ARGC < 2) { print "usage: gnuplot -c decay.gp IN.csv OUT.pdf"; exit status 2 }
fig_in = ARG1; fig_out = ARG2
fig_w = 15; fig_h = 7
load 'style.gp'
set logscale x
set format x '10^{%L}'
set xtics 1e-12, 10
set autoscale xfix
set offsets graph 0.03, graph 0.03, 0, 0
set xlabel 'strength {/:Italic λ}' enhanced
set style fill transparent solid 0.15 noborder
stats [*:*][*:*] fig_in using 'base_train' nooutput
base_train = STATS_max
stats [*:*][*:*] fig_in using 'base_val' nooutput
base_val = STATS_max
set multiplot layout 1,2 spacing 0.12,0 margins 0.1,0.97,0.34,0.97
set key at screen 0.12, 0.09 left top vertical maxrows 1 Left reverse noopaque nobox width 2 samplen 2
set ylabel 'training accuracy (%)'
plot fig_in using 'lambda':(100*column('l2_train')) with linespoints ls 1 title 'Adam + L2 penalty', \
     ''     using 'lambda':(100*column('decay_train')) with linespoints ls 2 title 'AdamW decay', \
     100*base_train with lines ls 7 lw 1 dt 3 title 'Adam, neither'
unset key
set ylabel 'validation accuracy (%)'
plot fig_in using 'lambda':(100*column('l2_val_min')):(100*column('l2_val_max')) with filledcurves ls 1, \
     ''     using 'lambda':(100*column('l2_val_mean')) with linespoints ls 1, \
     ''     using 'lambda':(100*column('decay_val_min')):(100*column('decay_val_max')) with filledcurves ls 2, \
     ''     using 'lambda':(100*column('decay_val_mean')) with linespoints ls 2, \
     100*base_val with lines ls 7 lw 1 dt 3
unset multiplot
