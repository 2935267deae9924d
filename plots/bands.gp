# bands.gp IN.csv OUT.{pdf,png} -- validation accuracy per epoch (left) and against training time
# (right), one band (min..max over seeds) and mean line per arm.
# IN: arm,epoch,val_min,val_mean,val_max,mean_seconds, with the rows of each arm together.
if (ARGC < 2) { print "usage: gnuplot -c bands.gp IN.csv OUT.pdf"; exit status 2 }
fig_in = ARG1; fig_out = ARG2
# the number of arms first: eight need a taller figure for their key to fit in one column
K = int(system(sprintf("awk -F, 'NR > 1 && !seen[$1]++ { n++ } END { print n }' %s", fig_in)))
fig_w = 17; fig_h = (K > 6 ? 8.5 : 6.5)
load 'style.gp'
stats [*:*][*:*] fig_in using 'epoch' nooutput
E = int(STATS_max)
arm(k) = word(system(sprintf("awk -F, 'NR > 1 && (NR - 2) %% %d == 0 { print $1 }' %s", E, fig_in)), k)
# one accuracy range for both panels, from the data
stats [*:*][*:*] fig_in using (100*column('val_min')) nooutput
ylo = STATS_min
stats [*:*][*:*] fig_in using (100*column('val_max')) nooutput
yhi = STATS_max
pad = (yhi - ylo) * 0.05 + 0.1
set yrange [ylo - pad : yhi + pad]
set style fill transparent solid 0.15 noborder
# an arm none of whose epochs has a number diverged in every seed: its key entry says so
dead = system(sprintf("awk -F, 'NR > 1 { n[$1] += ($4 != \"diverged\") } END { for (a in n) if (!n[a]) printf \" %%s \", a }' %s", fig_in))
title(k) = arm(k) . (strstrt(dead, ' ' . arm(k) . ' ') > 0 ? ' (diverged)' : '')
set multiplot layout 1,2 margins 0.1,0.77,0.24,0.85 spacing 0.09,0
set ylabel 'validation accuracy (%)'
set key at screen 0.78, 0.9 left top vertical maxrows K Left reverse samplen 2 noopaque nobox
set xlabel 'epoch'
xstep = E > 12 ? 5 : 1
set xtics xstep
plot for [k=1:K] fig_in every ::((k-1)*E)::(k*E-1) using 'epoch':(100*column('val_min')):(100*column('val_max')) \
         with filledcurves ls k notitle, \
     for [k=1:K] fig_in every ::((k-1)*E)::(k*E-1) using 'epoch':(100*column('val_mean')) with linespoints ls k title title(k)
set xlabel 'training time (s, mean over seeds)'
unset key
# about four tics at a round step, so short runs do not crowd the axis
stats [*:*][*:*] fig_in using 'mean_seconds' nooutput
raw = STATS_max / 4.0
pow10 = 10 ** floor(log10(raw))
set xtics 0, ceil(raw / pow10) * pow10
set xrange [0 : STATS_max * 1.02]
set format x '%g'
plot for [k=1:K] fig_in every ::((k-1)*E)::(k*E-1) using 'mean_seconds':(100*column('val_mean')) \
         with linespoints ls k title arm(k)
unset multiplot
