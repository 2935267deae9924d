# uat_width.gp IN.csv OUT.{pdf,png} -- Lab 0's universal-approximation sweep: training and held-out
# MSE against the hidden layer's width, log-log, one panel per activation; the band spans the
# seeds (min to max), the line is their mean; the dashed line is the noise floor.
# IN: activation,width,train_min,train_mean,train_max,heldout_min,heldout_mean,heldout_max,noise_floor
if (ARGC < 2) { print "usage: gnuplot -c uat_width.gp IN.csv OUT.pdf"; exit status 2 }
fig_in = ARG1; fig_out = ARG2
fig_w = 17; fig_h = 7
load 'style.gp'
stats [*:*][*:*] fig_in using 'noise_floor' nooutput
floor = STATS_max
sel(a, c) = strcol('activation') eq a ? column(c) : NaN
set logscale x 2
set logscale y
set format y '10^{%L}'
set xrange [0.8:320]
set yrange [0.004:1]
set xlabel 'hidden units' offset 0,0.5
set style fill transparent solid 0.18 noborder
set multiplot layout 1,2 margins 0.09,0.98,0.3,0.9 spacing 0.08,0
set key at screen 0.5, 0.01 center bottom vertical maxrows 1 Left reverse noopaque nobox samplen 2 width 1
do for [a in 'tanh relu'] {
    set title (a eq 'relu' ? 'ReLU' : a) offset 0,-0.6
    if (a eq 'tanh') { set ylabel 'mean squared error' } else { unset ylabel }
    plot fig_in using 'width':(sel(a, 'train_min')):(sel(a, 'train_max')) with filledcurves ls 1 notitle, \
         ''     using 'width':(sel(a, 'train_mean')) with linespoints ls 1 ps 0.6 title 'training', \
         ''     using 'width':(sel(a, 'heldout_min')):(sel(a, 'heldout_max')) with filledcurves ls 2 notitle, \
         ''     using 'width':(sel(a, 'heldout_mean')) with linespoints ls 2 ps 0.6 title 'held-out', \
         floor with lines lc rgb '#444444' lw 1.5 dt 2 title 'noise floor'
    unset key
}
unset multiplot
