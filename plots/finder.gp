# finder.gp IN.csv OUT.{pdf,png} -- the learning-rate finder: loss against an exponentially
# growing learning rate (log axis), raw and smoothed, with the suggested rate marked.
# IN: step,lr,loss,smoothed,suggested
if (ARGC < 2) { print "usage: gnuplot -c finder.gp IN.csv OUT.pdf"; exit status 2 }
fig_in = ARG1; fig_out = ARG2
fig_w = 12; fig_h = 7
load 'style.gp'
stats [*:*][*:*] fig_in using 'suggested' nooutput
s = STATS_max
stats [*:*][*:*] fig_in using 'smoothed' nooutput
lo = STATS_min
set logscale x
set format x '10^{%L}'
set xtics 1e-12, 10
set xlabel 'learning rate'
set ylabel 'training loss'
set yrange [0:4 * lo < 3.5 ? 3.5 : 4 * lo]
set arrow from s, graph 0 to s, graph 1 nohead ls 7 dt 2
set label sprintf('suggested: %.2g', s) at s, graph 0.08 offset 0.5,0 left
set key top left
plot fig_in using 'lr':'loss' with lines ls 6 lw 1 title 'loss of each batch', \
     ''     using 'lr':'smoothed' with lines ls 1 title 'smoothed'
