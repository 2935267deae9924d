# activations.gp IN.csv OUT.{pdf,png} -- six activations (left) and their derivatives (right),
# as computed by the library's kernels. IN: x,sigmoid,...,silu,d_sigmoid,...,d_silu,gelu_tanh_gap
if (ARGC < 2) { print "usage: gnuplot -c activations.gp IN.csv OUT.pdf"; exit status 2 }
fig_in = ARG1; fig_out = ARG2
fig_w = 17; fig_h = 6.5
load 'style.gp'
names = 'sigmoid tanh relu leakyrelu gelu silu'
set multiplot layout 1,2 margins 0.11,0.84,0.24,0.85 spacing 0.1,0
set xlabel 'x'
set xrange [-5:5]
set ylabel 'f(x)'
set yrange [-1.5:5]
set key at screen 0.85, 0.9 left top vertical Left reverse samplen 2 noopaque nobox
plot for [n in names] fig_in using 'x':n with lines title n
set ylabel "f'(x)"
unset key
set yrange [-0.2:1.2]
plot for [n in names] fig_in using 'x':(column('d_'.n)) with lines title n
unset multiplot
