# signal.gp IN.csv OUT.{pdf,png} -- standard deviation of the activations after each of 20 layers,
# one line per initializer, for the ReLU stack (left) and the tanh stack (right); log scale.
# IN: activation,init,layer,mean,std,dead. Zero init (std 0) has no point on a log axis.
if (ARGC < 2) { print "usage: gnuplot -c signal.gp IN.csv OUT.pdf"; exit status 2 }
fig_in = ARG1; fig_out = ARG2
fig_w = 17; fig_h = 6.5
load 'style.gp'
inits = 'zero small large xavier he lecun orthogonal'
pick(a, i) = (strcol('activation') eq a && strcol('init') eq i && column('std') > 0) ? column('std') : NaN
set key at screen 0.85, 0.9 left top vertical Left reverse samplen 2 noopaque nobox
set multiplot layout 1,2 margins 0.11,0.84,0.24,0.85 spacing 0.1,0
set logscale y
set format y '10^{%L}'
set xlabel 'layer'
set ylabel 'std of the activations'
set xrange [0.5:20.5]
set title 'ReLU stack'
plot for [i in inits] fig_in using 'layer':(pick('relu', i)) with linespoints title i
unset key
set ylabel ''
set title 'tanh stack'
plot for [i in inits] fig_in using 'layer':(pick('tanh', i)) with linespoints title i
unset multiplot
