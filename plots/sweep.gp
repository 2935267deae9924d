# sweep.gp IN.csv OUT.{pdf,png} -- one regularization knob swept: training and validation
# accuracy (min-max band over seeds, mean line) on the left; on the right the share of wrongly
# labelled training images the net learned, and the share of weights within 1e-3 of zero.
# A knob spanning decades (L2, L1, width) gets a log axis, and its value-0 row (no
# regularization) is drawn as dotted lines instead; the width sweep's dotted lines are its widest
# net, the one the other sweeps start from.
# IN: value,train_min,train_mean,train_max,val_min,val_mean,val_max,train_loss,val_loss,
#     near_zero,memorized,base_train,base_val
if (ARGC < 2) { print "usage: gnuplot -c sweep.gp IN.csv OUT.pdf"; exit status 2 }
fig_in = ARG1; fig_out = ARG2
fig_w = 15; fig_h = 7.5
load 'style.gp'
stats [*:*][*:*] fig_in using 'value' nooutput
vmax = STATS_max
stats [*:*][*:*] fig_in using (column('value') > 0 ? column('value') : NaN) nooutput
logx = vmax / STATS_min >= 20

x(v) = logx && v <= 0 ? NaN : v
if (logx) { set logscale x; set format x '10^{%L}'; set xtics 1e-12, 10 }
if (logx && vmax <= 4096 && STATS_min >= 1) { set logscale x 2; set format x '%g'; set xtics 1, 2 }
xname = fig_in[strstrt(fig_in, 'sweep_') + 6:strlen(fig_in) - 4]
show_base = 1   # the width sweep's reference is its widest net, the chapter's (its last row)
base_name = xname eq 'width' ? 'widest' : 'none'
show_zero = xname eq 'l1' || xname eq 'l2'   # weights near zero: what the penalties are about
# a setting in which some seed diverged has no accuracy; a grey dashed line marks where it is
# (its values, from the rows that say "diverged", which gnuplot's "missing" would skip)
divs = sprintf("< awk -F, '/diverged/ { print $1 }' %s", fig_in)
ndiv = system(sprintf("grep -c diverged %s", fig_in)) + 0
if (ndiv == 0) { divs = sprintf("< echo %g", vmax) }   # a fully transparent stand-in: no warning
divc = ndiv > 0 ? '#888888' : '#ff888888'
set xlabel (xname eq 'l2' ? 'L2 strength {/:Italic λ}' : xname eq 'l1' ? 'L1 strength {/:Italic λ}' : \
            xname eq 'dropout' ? 'drop probability {/:Italic p}' : xname eq 'width' ? 'hidden width' : xname) enhanced
set style fill transparent solid 0.15 noborder
set autoscale xfix
set offsets graph 0.03, graph 0.03, 0, 0
set multiplot layout 1,2 spacing 0.12,0 margins 0.1,0.97,0.4,0.97
set ylabel 'accuracy (%)'
set key at screen 0.08, 0.19 left top vertical maxrows 3 Left reverse noopaque nobox width 0 samplen 2
stats [*:*][*:*] fig_in using (100*column('val_min')) nooutput
ylo = STATS_min
stats [*:*][*:*] fig_in using (100*column('train_min')) nooutput
ylo = (STATS_min < ylo ? STATS_min : ylo)
set yrange [floor((ylo - 3) / 5) * 5 : 101]
stats [*:*][*:*] fig_in using 'base_train' nooutput
base_train = STATS_max
stats [*:*][*:*] fig_in using 'base_val' nooutput
base_val = STATS_max
plot fig_in using (x(column('value'))):(100*column('train_min')):(100*column('train_max')) with filledcurves ls 1 notitle, \
     ''     using (x(column('value'))):(100*column('train_mean')) with linespoints ls 1 title 'training', \
     ''     using (x(column('value'))):(100*column('val_min')):(100*column('val_max')) with filledcurves ls 2 notitle, \
     ''     using (x(column('value'))):(100*column('val_mean')) with linespoints ls 2 title 'validation', \
     (show_base ? 100*base_train : NaN) with lines ls 1 lw 1 dt 3 title (show_base ? 'training, '.base_name : ''), \
     (show_base ? 100*base_val : NaN) with lines ls 2 lw 1 dt 3 title (show_base ? 'validation, '.base_name : ''), \
     divs using (x($1)):(100) with impulses lc rgb divc lw 1 dt 2 title (ndiv > 0 ? 'diverged' : '')
set ylabel 'share (%)'
set key at screen 0.64, 0.19 left top vertical maxrows 2 Left reverse noopaque nobox width 2 samplen 2
set yrange [0:105]
set key maxrows 2
plot fig_in using (x(column('value'))):(100*column('memorized')) with linespoints ls 4 title 'wrong labels learned', \
     ''     using (x(column('value'))):(show_zero ? 100*column('near_zero') : NaN) with linespoints ls 3 \
            title (show_zero ? 'weights near zero' : ''), \
     divs using (x($1)):(105) with impulses lc rgb divc lw 1 dt 2 notitle
unset multiplot
