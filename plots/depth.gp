# depth.gp IN.csv OUT.{pdf,png} -- the signal through a deep ReLU stack at initialization: the
# standard deviation (left, log scale) and the mean (right) after every layer, per normalization.
# IN: norm,layer,mean,std with the rows of each norm together.
if (ARGC < 2) { print "usage: gnuplot -c depth.gp IN.csv OUT.pdf"; exit status 2 }
fig_in = ARG1; fig_out = ARG2
fig_w = 16; fig_h = 6.5
load 'style.gp'
groups = system(sprintf("awk -F, 'NR > 1 && $1 != last { printf \"%%s \", $1; last = $1 }' %s", fig_in))
K = words(groups)
stats [*:*][*:*] fig_in using 'layer' nooutput
L = int(STATS_max)
set autoscale xfix
set offsets graph 0.03, graph 0.03, 0, 0
set multiplot layout 1,2 margins 0.1,0.8,0.24,0.95 spacing 0.1,0
set key at screen 0.81, 0.9 left top vertical Left reverse samplen 2 noopaque nobox
set xlabel 'layer'
set logscale y
set format y '10^{%L}'
set ylabel 'std of the activations'
plot for [k=1:K] fig_in every ::((k-1)*L)::(k*L-1) using 'layer':'std' with linespoints ls k title word(groups, k)
unset logscale y
set format y '%g'
set ylabel 'mean of the activations'
unset key
plot for [k=1:K] fig_in every ::((k-1)*L)::(k*L-1) using 'layer':'mean' with linespoints ls k
unset multiplot
