# gradients.gp IN.csv OUT.{pdf,png} -- RMS weight gradient of every Linear layer of the 20-layer
# nets, at initialization (left) and after training (right), one line per activation, log scale.
# IN: activation,depth,phase,layer,grad_rms
if (ARGC < 2) { print "usage: gnuplot -c gradients.gp IN.csv OUT.pdf"; exit status 2 }
fig_in = ARG1; fig_out = ARG2
fig_w = 17; fig_h = 6.5
load 'style.gp'
names = 'sigmoid tanh relu leakyrelu gelu silu'
pick(n, p) = (strcol('activation') eq n && column('depth') == 20 && strcol('phase') eq p) ? column('grad_rms') : NaN
set multiplot layout 1,2 margins 0.11,0.84,0.24,0.85 spacing 0.1,0
set logscale y
set format y '10^{%L}'
set xlabel 'Linear layer (1 = input side)'
set xrange [0.5:21.5]
set ylabel 'RMS weight gradient'
set key at screen 0.85, 0.9 left top vertical Left reverse samplen 2 noopaque nobox
set title 'at initialization'
plot for [n in names] fig_in using 'layer':(pick(n, 'init')) with linespoints title n
set title 'after training'
unset key
set ylabel ''
plot for [n in names] fig_in using 'layer':(pick(n, 'trained')) with linespoints title n
unset multiplot
