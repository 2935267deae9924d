# smoothing.gp IN.csv OUT.{pdf,png} -- the NLL of the bigram model against the add-alpha
# smoothing strength (left) and of the one-hot network against the L2 strength (right), on the
# training and dev words. The value-0 rows (no smoothing, no penalty) are drawn as thin dotted
# lines across the panel; an infinite NLL is not drawn but named in the panel.
# IN: method,value,train_nll,dev_nll with method 'alpha' or 'lambda'; dev_nll may be 'infinite'
if (ARGC < 2) { print "usage: gnuplot -c smoothing.gp IN.csv OUT.pdf"; exit status 2 }
fig_in = ARG1; fig_out = ARG2
fig_w = 15; fig_h = 6.5
load 'style.gp'
set datafile missing 'infinite'
set logscale x
set autoscale xfix
set format x '10^{%L}'
set offsets graph 0.05, graph 0.05, graph 0.05, graph 0.05
pick(m, c) = strcol('method') eq m && column('value') > 0 ? column(c) : NaN
x(m) = pick(m, 'value')
zero(m, c) = strcol('method') eq m && column('value') == 0 ? column(c) : NaN
stats [*:*][*:*] fig_in using (zero('alpha', 'train_nll')) nooutput
a0_train = STATS_max
stats [*:*][*:*] fig_in using (zero('lambda', 'train_nll')) nooutput
l0_train = STATS_max
stats [*:*][*:*] fig_in using (zero('lambda', 'dev_nll')) nooutput
l0_dev = STATS_max
a0_dev_inf = system(sprintf("awk -F, '$1 == \"alpha\" && $2 == 0 && $4 == \"infinite\"' %s", fig_in)) ne ''
set multiplot layout 1,2 spacing 0.08,0 margins 0.13,0.98,0.27,0.95
set ylabel 'NLL (nats per symbol)' offset 1,0
unset key
set xlabel 'add-{/:Italic α} smoothing of the counts' enhanced
if (a0_dev_inf) { set label 1 '{/:Italic α} = 0: dev NLL infinite' enhanced at graph 0.04, graph 0.92 left }
plot fig_in using (x('alpha')):(pick('alpha', 'train_nll')) with linespoints ls 1 notitle, \
     ''     using (x('alpha')):(pick('alpha', 'dev_nll')) with linespoints ls 2 notitle, \
     a0_train with lines ls 1 lw 1 dt 3 notitle
unset label 1
unset ylabel
set key at graph 0.03, graph 0.97 left top vertical Left reverse noopaque nobox samplen 2
set xlabel 'L2 penalty {/:Italic λ} on the one-hot network' enhanced
plot fig_in using (x('lambda')):(pick('lambda', 'train_nll')) with linespoints ls 1 title 'training', \
     ''     using (x('lambda')):(pick('lambda', 'dev_nll')) with linespoints ls 2 title 'dev', \
     l0_train with lines ls 1 lw 1 dt 3 title 'at 0 (none)', \
     l0_dev with lines ls 2 lw 1 dt 3 notitle
unset multiplot
