# signal.gp IN.csv OUT.{pdf,png} -- standard deviation of the activations after each of 20 layers,
# one line per initializer, for the ReLU stack (left) and the tanh stack (right); log scale. Top:
# every initializer but zero, on the whole range; bottom: the four that keep the signal in range
# (Xavier, LeCun, He, orthogonal), magnified. Zero init (std 0 everywhere) has no point on a log
# axis and is left out of the key. IN: activation,init,layer,mean,std,dead.
if (ARGC < 2) { print "usage: gnuplot -c signal.gp IN.csv OUT.pdf"; exit status 2 }
fig_in = ARG1; fig_out = ARG2
fig_w = 17; fig_h = 11
load 'style.gp'
inits = 'zero small large xavier he lecun orthogonal'
pick(a, i) = (strcol('activation') eq a && strcol('init') eq i && column('std') > 0) ? column('std') : NaN
set key at screen 0.85, 0.95 left top vertical Left reverse samplen 2 noopaque nobox
set multiplot layout 2,2 margins 0.1,0.84,0.13,0.94 spacing 0.1,0.14
set logscale y
set format y '10^{%L}'
set xrange [0.5:20.5]
set ylabel 'std of the activations'
set title 'ReLU stack' offset 0,-0.5
plot for [k=2:7] fig_in using 'layer':(pick('relu', word(inits, k))) with linespoints ls k title word(inits, k)
unset key
set ylabel ''
set title 'tanh stack' offset 0,-0.5
plot for [k=2:7] fig_in using 'layer':(pick('tanh', word(inits, k))) with linespoints ls k title word(inits, k)
set xlabel 'layer'
set ylabel 'std of the activations'
set yrange [1e-4:10]
set title 'ReLU stack, magnified' offset 0,-0.5
plot for [k=4:7] fig_in using 'layer':(pick('relu', word(inits, k))) with linespoints ls k title word(inits, k)
set ylabel ''
set yrange [1e-2:2]
set format y '%g'
set title 'tanh stack, magnified' offset 0,-0.5
plot for [k=4:7] fig_in using 'layer':(pick('tanh', word(inits, k))) with linespoints ls k title word(inits, k)
unset multiplot
