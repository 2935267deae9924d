# breakdown.gp IN.csv OUT.{pdf,png} -- where a training step's time goes: microseconds per
# sample, one stacked bar per batch size, one segment per part.
# IN: batch,<part 1>,<part 2>,... with one row per batch size; the part names are the header.
if (ARGC < 2) { print "usage: gnuplot -c breakdown.gp IN.csv OUT.pdf"; exit status 2 }
fig_in = ARG1; fig_out = ARG2
fig_w = 14; fig_h = 8
load 'style.gp'
set style data histograms
set style histogram rowstacked
set style fill solid 0.8 border lc rgb '#333333'
set boxwidth 0.6
set xlabel 'batch size'
set ylabel 'microseconds per training sample'
set yrange [0:*]
set key outside right top vertical Left reverse samplen 2 noopaque nobox autotitle columnheader
N = int(system(sprintf("head -1 %s | awk -F, '{ print NF }'", fig_in)))
plot for [c=2:N] fig_in using c:xtic(1) ls (c - 1) lc rgb word('#0072B2 #D55E00 #009E73 #CC79A7 #E69F00 #56B4E9', c - 1)
