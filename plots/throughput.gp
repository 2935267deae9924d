# throughput.gp IN.csv OUT.{pdf,png} -- training samples per second against the batch size, one
# line (median) and band (min-max over repeats) per setting; log-log axes.
# IN: setting,batch,samples_per_second,min,max with the rows of each setting together.
if (ARGC < 2) { print "usage: gnuplot -c throughput.gp IN.csv OUT.pdf"; exit status 2 }
fig_in = ARG1; fig_out = ARG2
fig_w = 14; fig_h = 8
load 'style.gp'
settings = system(sprintf("awk -F, 'NR > 1 && !seen[$1]++ { printf \"%%s|\", $1 }' %s", fig_in))
setting(k) = system(sprintf("awk -F, 'NR > 1 && !seen[$1]++ { n++; if (n == %d) print $1 }' %s", k, fig_in))
K = 0
do for [i=1:strlen(settings)] { if (settings[i:i] eq '|') { K = K + 1 } }
sel(s) = strcol('setting') eq s ? column('batch') : NaN
set logscale x 2; set logscale y
set format y '%.0f'
set xlabel 'batch size'
set ylabel 'training samples per second'
set key outside right top vertical Left reverse samplen 2 noopaque nobox
set style fill transparent solid 0.15 noborder
plot for [k=1:K] fig_in using (sel(setting(k))):'min':'max' with filledcurves ls k notitle, \
     for [k=1:K] fig_in using (sel(setting(k))):'samples_per_second' with linespoints ls k title setting(k)
