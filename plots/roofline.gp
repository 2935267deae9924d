# roofline.gp IN.csv OUT.{pdf,png} -- GEMM speed against arithmetic intensity (a roofline):
# one line per method through the sizes n = 64, 128, ... (intensity n/6 flops per byte), under the
# machine's roof min(peak, intensity x bandwidth) for one and for two cores.
# IN: method,n,intensity,gflops_median,gflops_min,gflops_max,... (gemm.csv); beside it roof.csv
# (intensity,roof_1,roof_2), written by the lab.
if (ARGC < 2) { print "usage: gnuplot -c roofline.gp IN.csv OUT.pdf"; exit status 2 }
fig_in = ARG1; fig_out = ARG2
fig_w = 15; fig_h = 9
load 'style.gp'
roof = fig_in[1:strstrt(fig_in, 'gemm.csv') - 1].'roof.csv'
methods = system(sprintf("awk -F, 'NR > 1 && !seen[$1]++ { printf \"%%s|\", $1 }' %s", fig_in))
K = 0
do for [i=1:strlen(methods)] { if (methods[i:i] eq '|') { K = K + 1 } }
method(k) = system(sprintf("awk -F, 'NR > 1 && !seen[$1]++ { n++; if (n == %d) print $1 }' %s", k, fig_in))
sel(m) = strcol('method') eq m ? column('intensity') : NaN
set logscale xy
set format x '%g'; set format y '%g'
set xlabel 'arithmetic intensity of C = AB (flops per byte, n/6)'
set ylabel 'GFLOP/s (median)'
# from a little left of the ridge to the largest product: where the data are
stats [*:*][*:*] fig_in using 'intensity' nooutput
set xrange [2 : STATS_max * 1.3]
set key outside right top vertical Left reverse samplen 2 noopaque nobox
plot roof using 'intensity':'roof_2' with lines lc rgb '#999999' lw 2 title 'roof, 2 cores', \
     roof using 'intensity':'roof_1' with lines lc rgb '#999999' lw 1 dt 2 title 'roof, 1 core', \
     for [k=1:K] fig_in using (sel(method(k))):'gflops_median' with linespoints ls k title method(k)
