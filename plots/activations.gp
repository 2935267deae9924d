# activations.gp IN.csv OUT.{pdf,png} -- six activations and their derivatives, as computed by
# the library's kernels: the saturating pair (sigmoid, tanh) on the left, the ReLU family on the
# right, functions above and derivatives below, each activation in its own colour and dash.
# IN: x,sigmoid,...,silu,d_sigmoid,...,d_silu,gelu_tanh_gap
if (ARGC < 2) { print "usage: gnuplot -c activations.gp IN.csv OUT.pdf"; exit status 2 }
fig_in = ARG1; fig_out = ARG2
fig_w = 17; fig_h = 11
load 'style.gp'
names = 'sigmoid tanh relu leakyrelu gelu silu'
set multiplot layout 2,2 margins 0.09,0.97,0.15,0.97 spacing 0.09,0.13
set key top left Left reverse samplen 3 noopaque nobox
# the ReLU family is drawn thinner so that curves lying on one another stay visible
set style line 3 lw 3.5 dt 1
set style line 4 lw 1.5 dt 2
set style line 5 lw 2
set style line 6 lw 2 dt 3
set xrange [-5:5]
set ylabel 'f(x)'
set yrange [-1.2:1.2]
plot for [i=1:2] fig_in using 'x':word(names, i) with lines ls i title word(names, i)
set xrange [-3:3]
set yrange [-0.5:3]
plot for [i=3:6] fig_in using 'x':word(names, i) with lines ls i title word(names, i)
set xlabel 'x'
set ylabel "f'(x)"
set xrange [-5:5]
set yrange [-0.05:1.1]
unset key
plot for [i=1:2] fig_in using 'x':(column('d_'.word(names, i))) with lines ls i title word(names, i)
set xrange [-5:5]
set yrange [-0.2:1.2]
set key bottom right Left reverse samplen 3 noopaque nobox
plot 1 with lines lc rgb '#999999' lw 0.8 dt 3 notitle, \
     for [i=3:6] fig_in using 'x':(column('d_'.word(names, i))) with lines ls i title word(names, i)
unset multiplot
