# neuron.gp IN.csv OUT.{pdf,png} -- Lab 0's single neuron. Left: the separable set with the
# perceptron's and the logistic neuron's lines. Right: XOR's four points, the best line found,
# and a 2-4-1 net's probability of class 1 shaded underneath.
# IN: panel,kind,x1,x2,value (kind point: value = class; other kinds: two end points of a line);
# beside it neuron_grid.csv: x1,x2,p on a square grid, rows x1-fastest.
if (ARGC < 2) { print "usage: gnuplot -c neuron.gp IN.csv OUT.pdf"; exit status 2 }
fig_in = ARG1; fig_out = ARG2
fig_w = 17; fig_h = 8
load 'style.gp'
dir = fig_in[1:strstrt(fig_in, 'neuron.csv') - 1]
grid = dir.'neuron_grid.csv'
pt(p, c) = strcol('panel') eq p && strcol('kind') eq 'point' && column('value') == c ? column('x2') : NaN
ln(p, k) = strcol('panel') eq p && strcol('kind') eq k ? column('x2') : NaN
unset grid
set size ratio -1
set multiplot layout 1,2 margins 0.09,0.85,0.26,0.92 spacing 0.12,0
set title 'a line can split it' offset 0,-0.5
set xlabel 'x_1' enhanced offset 0,0.6; set ylabel 'x_2' enhanced
set xrange [-1.05:1.05]; set yrange [-1.05:1.05]
set xtics 0.5; set ytics 0.5
set key at screen 0.02, 0.02 left bottom vertical maxrows 1 Left reverse noopaque nobox samplen 2 width 2
plot fig_in using 'x1':(pt('separable', 0)) with points pt 6 ps 0.6 lc rgb '#0072B2' notitle, \
     ''     using 'x1':(pt('separable', 1)) with points pt 7 ps 0.5 lc rgb '#D55E00' notitle, \
     ''     using 'x1':(ln('separable', 'perceptron')) with lines lw 2 dt 1 lc rgb '#000000' title 'perceptron', \
     ''     using 'x1':(ln('separable', 'logistic')) with lines lw 2 dt 2 lc rgb '#009E73' title 'logistic neuron'
set title 'XOR: no line can' offset 0,-0.5
set xrange [-0.5:1.5]; set yrange [-0.5:1.5]
set cbrange [0:1]
set cbtics 0.5
set cblabel 'P(class 1), 2-4-1 net' offset 1,0
set colorbox user origin screen 0.87, 0.3 size screen 0.015, 0.62
set palette defined (0 '#deebf7', 0.5 '#ffffff', 1 '#fde0c5')
set key at screen 0.55, 0.02 left bottom vertical maxrows 1 Left reverse noopaque nobox samplen 2
plot grid using 'x1':'x2':'p' with image notitle, \
     fig_in using 'x1':(pt('xor', 0)) with points pt 6 ps 1.6 lw 2 lc rgb '#0072B2' notitle, \
     ''     using 'x1':(pt('xor', 1)) with points pt 7 ps 1.6 lc rgb '#D55E00' notitle, \
     ''     using 'x1':(ln('xor', 'best_line')) with lines lw 2 lc rgb '#444444' dt 3 title 'best single line (3 of 4)'
unset multiplot
