# nllbands.gp IN.csv OUT.{pdf,png} -- NLL against epochs of training, one band (min..max over
# seeds) and mean line per arm.
# IN: arm,point,epoch,nll_min,nll_mean,nll_max with the rows of each arm together, points 1..P
# (evaluations, at `epoch` epochs) for every arm (arm names without commas).
if (ARGC < 2) { print "usage: gnuplot -c nllbands.gp IN.csv OUT.pdf"; exit status 2 }
fig_in = ARG1; fig_out = ARG2
fig_w = 12; fig_h = 7
load 'style.gp'
stats [*:*][*:*] fig_in using 'point' nooutput
E = int(STATS_max)
K = int(STATS_records / E)
arm(k) = system(sprintf("awk -F, 'NR == %d { gsub(/\"/, \"\", $1); printf \"%%s\", $1 }' %s", (k-1)*E + 2, fig_in))
set style fill transparent solid 0.2 noborder
set xlabel 'epoch'
set ylabel 'NLL (nats per symbol)'
stats [*:*][*:*] fig_in using 'epoch' nooutput
set xrange [0:STATS_max]
set xtics 0.25
set mxtics 1
set offsets graph 0.02, graph 0.02, graph 0.05, graph 0.05
set key top right noopaque nobox Left reverse samplen 2
plot for [k=1:K] fig_in every ::((k-1)*E)::(k*E-1) using 'epoch':'nll_min':'nll_max' with filledcurves ls k notitle, \
     for [k=1:K] fig_in every ::((k-1)*E)::(k*E-1) using 'epoch':'nll_mean' with linespoints ls k title arm(k)
