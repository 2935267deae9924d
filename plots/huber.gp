# huber.gp IN.csv OUT.{pdf,png} -- Lab 0's regression with corrupted targets: the clean and the
# corrupted samples, sin 3x (dashed), and the fits trained with MSE and with the Huber loss.
# IN: x,true,mse,huber; beside it huber_data.csv: x,y,outlier (1 for a corrupted target).
if (ARGC < 2) { print "usage: gnuplot -c huber.gp IN.csv OUT.pdf"; exit status 2 }
fig_in = ARG1; fig_out = ARG2
fig_w = 12; fig_h = 8.5
load 'style.gp'
data = fig_in[1:strstrt(fig_in, 'huber.csv') - 1].'huber_data.csv'
set xrange [-1:1]; set yrange [-3.2:4.5]
set xtics 0.5; set ytics 1
set xlabel 'x' offset 0,0.5
set ylabel 'y'
set lmargin at screen 0.1; set rmargin at screen 0.97; set bmargin at screen 0.15; set tmargin at screen 0.97
set key at graph 0.55, 0.01 center bottom vertical maxrows 3 Left reverse noopaque nobox samplen 2 width 0
plot data using 'x':(column('outlier') == 0 ? column('y') : NaN) with points pt 7 ps 0.25 lc rgb '#999999' title 'clean targets', \
     data using 'x':(column('outlier') == 1 ? column('y') : NaN) with points pt 6 ps 0.5 lc rgb '#E69F00' title 'corrupted (10%)', \
     fig_in using 'x':'true' with lines lc rgb '#000000' lw 1.5 dt 2 title 'sin 3x', \
     ''     using 'x':'mse' with lines ls 2 dt 1 title 'MSE fit', \
     ''     using 'x':'huber' with lines ls 1 title 'Huber fit, δ = 0.2'
